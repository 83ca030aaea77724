"""Services (nats.py's ``nats.micro``): ``svc = await add_service(nc,
name=, version=)``, ``await svc.add_endpoint(name=, handler=)`` where the
handler is an ``async def`` (or an async generator: each item is a reply
chunk, then the end of the stream), groups, stats and stop.

Discovery, stats, names and error headers are the core's (through the JS
service); Python runs the handlers on its event loop, each request in its
own task, so many requests are served at once."""

from __future__ import annotations

import asyncio
import inspect
import json
import time
from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable, Optional, Union

from .. import _ffi, errors
from ..subscription import DEFAULT_SUB_PENDING_MSGS_LIMIT, Subscription
from .api import (  # noqa: F401 - nats.py has these names in nats.micro.service too
    INFO_RESPONSE as INFO_RESPONSE_TYPE, PING_RESPONSE as PING_RESPONSE_TYPE,
    STATS_RESPONSE as STATS_RESPONSE_TYPE, EndpointInfo, EndpointStats, ServiceIdentity,
    ServiceInfo, ServicePing, ServiceStats,
)
from .request import Request, ServiceError, error_of

if TYPE_CHECKING:
    from ..client import Client

Handler = Callable[[Request], Union[Awaitable[None], AsyncIterator[Any]]]
DEFAULT_QUEUE_GROUP = "q"
DEFAULT_PREFIX = "$SRV"


class ServiceVerb(str, Enum):
    """The discovery requests (nats.py's values)."""

    PING = "PING"
    STATS = "STATS"
    INFO = "INFO"


_VERB_CODES = {ServiceVerb.PING: 0, ServiceVerb.INFO: 1, ServiceVerb.STATS: 2}


def control_subject(verb: ServiceVerb, name: Optional[str] = None, id: Optional[str] = None,
                    prefix: Optional[str] = None) -> str:
    """The subject of a discovery request: <prefix>.<VERB>[.<name>[.<id>]]
    (the core's rule; the prefix is $SRV unless given)."""
    from .. import _loader

    mod = _loader._module
    if mod is None:
        raise errors.Error("control_subject needs the engine: connect first", "illegal_state")
    return str(_ffi.call(mod.pyodide.micro.controlSubject, _VERB_CODES[ServiceVerb(verb)],
                         name or "", id or "", prefix or ""))


@dataclass
class ServiceConfig:
    name: str
    version: str
    description: Optional[str] = None
    metadata: Optional[dict[str, str]] = None
    queue_group: Optional[str] = None
    stats_handler: Optional[Callable[[EndpointStats], Any]] = None
    """Data for an endpoint's stats (any JSON value), called per STATS request."""


@dataclass
class EndpointConfig:
    name: str
    handler: Handler
    queue_group: Optional[str] = None
    subject: Optional[str] = None
    metadata: Optional[dict[str, str]] = None


@dataclass
class GroupConfig:
    name: str
    queue_group: Optional[str] = None


def _merge(config: Any, cls: type, kwargs: dict[str, Any]) -> Any:
    if config is None:
        return cls(**kwargs)
    return replace(config, **kwargs) if kwargs else config


class Group:
    """A subject prefix (and queue group) for endpoints."""

    def __init__(self, service: "Service", js_group: Any) -> None:
        self._service = service
        self._js_group = js_group

    async def add_endpoint(self, config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        """Adds an endpoint (nats.py: name=, handler=, subject=,
        queue_group=, metadata=)."""
        cfg = _merge(config, EndpointConfig, kwargs)
        await self._service._add_endpoint(self._js_group, cfg)

    def add_group(self, config: Optional[GroupConfig] = None, **kwargs: Any) -> "Group":
        """A group under this one: its name is a subject prefix."""
        cfg = _merge(config, GroupConfig, kwargs)
        js_group = _ffi.call(self._js_group.addGroup, cfg.name, cfg.queue_group or None)
        return Group(self._service, js_group)


class _Endpoint:
    def __init__(self, service: "Service", index: int, sub: Subscription, handler: Handler) -> None:
        self.index = index
        self.sub = sub
        self.handler = handler
        self.loop = asyncio.ensure_future(service._serve(self))


class Service(Group):
    """A running service. Use ``await add_service(...)`` to create one."""

    def __init__(self, nc: "Client", config: ServiceConfig, js_service: Any) -> None:
        super().__init__(self, js_service)
        self._nc = nc
        self._config = config
        self._js = js_service
        self._endpoints: list[_Endpoint] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopping: Optional[asyncio.Task[None]] = None
        self._stats_proxy: Any = None  # the stats_handler's JS proxy, freed at stop
        self.stopped = asyncio.Event()

    @property
    def id(self) -> str:
        return str(self._js.id)

    @property
    def name(self) -> str:
        return self._config.name

    @property
    def version(self) -> str:
        return self._config.version

    @property
    def description(self) -> Optional[str]:
        return self._config.description

    @property
    def metadata(self) -> dict[str, str]:
        return dict(self._config.metadata or {})

    async def _add_endpoint(self, js_group: Any, cfg: EndpointConfig) -> None:
        if self._stopping is not None:
            raise errors.Error("the service is stopped", "illegal_state")
        if not callable(cfg.handler):
            raise errors.InvalidArgumentError("handler must be an async function", "invalid_argument")
        meta = _ffi.to_js(cfg.metadata, dict_converter=_js_dict) if cfg.metadata else None
        spec = _ffi.call(self._nc._mod.pyodide.micro.addEndpoint, js_group, cfg.name,
                         cfg.subject or None, cfg.queue_group or None, meta)
        sub = Subscription(self._nc, spec.sub, str(spec.subject), str(spec.queue),
                           DEFAULT_SUB_PENDING_MSGS_LIMIT)
        self._endpoints.append(_Endpoint(self, int(spec.index), sub, cfg.handler))
        await self._nc.flush()

    async def _serve(self, ep: _Endpoint) -> None:
        async for msg in ep.sub.messages:
            task = asyncio.ensure_future(self._handle(ep, Request(msg, self)))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _handle(self, ep: _Endpoint, req: Request) -> None:
        start = time.perf_counter()
        try:
            result = ep.handler(req)
            if inspect.isasyncgen(result):
                await self._stream(req, result)
            elif inspect.isawaitable(result):
                await result
            elif inspect.isgenerator(result):
                raise TypeError("a streaming handler must be an async generator")
        except Exception as exc:  # a handler's error is an error reply, never a lost request
            if not req._answered:  # an answered request stays answered
                err = error_of(exc)
                try:
                    await req.respond_error(err.code, err.description)
                except Exception as reply_exc:  # e.g. the connection closed
                    req._error = err
                    self._nc._report_later(reply_exc)
        finally:
            elapsed_ms = (time.perf_counter() - start) * 1000.0
            err = req._error
            try:
                self._js._record(ep.index, elapsed_ms, err.code if err else None,
                                 err.description if err else "")
            except Exception as exc:
                self._nc._report_later(exc)

    async def _stream(self, req: Request, items: AsyncIterator[Any]) -> None:
        # Each item one reply, then an empty one: the core's convention
        # (core/include/nats/micro/service.hpp), read by request_stream().
        async for item in items:
            chunk = _ffi.as_bytes(item)
            if len(chunk) == 0:
                raise ServiceError("500", "a stream chunk may not be empty: "
                                   "an empty reply ends the stream")
            await req._send(chunk)  # the request is answered by the end (or an error)
        await req.respond(b"")

    def _stats_json(self, data: Any) -> ServiceStats:
        return ServiceStats.from_dict(json.loads(str(_ffi.call(self._js._statsWith, data))))

    def _stats_data(self, name: str) -> Optional[str]:
        # The JS service asks per endpoint when a STATS request comes.
        handler = self._config.stats_handler
        if handler is None:
            return None
        for ep in self._stats_json(None).endpoints:
            if ep.name == name:
                return json.dumps(handler(ep))
        return None

    def info(self) -> ServiceInfo:
        """The INFO reply: description and endpoints."""
        return ServiceInfo.from_dict(_ffi.call(self._js.info).to_py())

    def ping(self) -> ServicePing:
        """The PING reply (an extension: nats.py has none)."""
        return ServicePing.from_dict(_ffi.call(self._js.ping).to_py())

    def stats(self) -> ServiceStats:
        """The STATS reply: requests, errors and processing time per
        endpoint, with the stats_handler's data."""
        stats = self._stats_json(None)
        handler = self._config.stats_handler
        if handler is None:
            return stats
        return self._stats_json(_ffi.to_js([json.dumps(handler(ep)) for ep in stats.endpoints]))

    async def start(self) -> None:
        """Kept for nats.py programs: add_service() has started the service."""
        if self._stopping is not None:
            raise errors.Error("the service is stopped", "illegal_state")

    async def reset(self) -> None:
        """Zeroes every endpoint's stats; ``started`` becomes now."""
        _ffi.call(self._js.reset)

    async def stop(self) -> None:
        """Stops taking requests (the subscriptions drain: what arrived is
        still served), waits for every running handler, then stops."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop())
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        self._nc._push_pubs()
        await _ffi.settle(self._js._drainSubscriptions())
        await asyncio.gather(*(ep.loop for ep in self._endpoints), return_exceptions=True)
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        self._nc._push_pubs()
        await _ffi.settle(self._js.stop())
        if self._stats_proxy is not None:
            self._stats_proxy.destroy()
            self._stats_proxy = None
        self.stopped.set()

    async def __aenter__(self) -> "Service":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()


def _js_dict(entries: Any) -> Any:
    import js  # type: ignore[import-not-found]

    return js.Object.fromEntries(entries)


async def add_service(nc: "Client", config: Optional[ServiceConfig] = None,
                      **kwargs: Any) -> Service:
    """Starts a service on ``nc`` (nats.py: name=, version=, description=,
    metadata=, queue_group=, stats_handler=)."""
    cfg = _merge(config, ServiceConfig, kwargs)
    nc._push_pubs()
    holder: list[Service] = []
    stats_data = None
    if cfg.stats_handler is not None:
        from pyodide.ffi import create_proxy  # type: ignore[import-not-found]

        stats_data = create_proxy(lambda name: holder[0]._stats_data(name) if holder else None)
    # nats.py: an empty queue_group inherits "q" (there is no way to turn it off).
    js_cfg = _ffi.js_object(name=cfg.name, version=cfg.version, description=cfg.description,
                            queue=cfg.queue_group or None,
                            metadata=_ffi.to_js(cfg.metadata, dict_converter=_js_dict)
                            if cfg.metadata else None)
    js_service = await _ffi.settle(_ffi.call(nc._mod.pyodide.micro.addService, nc._nc, js_cfg,
                                             stats_data))
    svc = Service(nc, cfg, js_service)
    svc._stats_proxy = stats_data
    holder.append(svc)
    return svc
