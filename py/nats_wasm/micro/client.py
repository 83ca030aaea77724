"""Calling services: discovery (``ServiceClient``, an extension: nats.py has
no client) and streamed replies (``request_stream``). Subjects, strategies
and how a reply reads are the core's, through the JS client."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any, AsyncIterator, Optional

from .. import _ffi, errors
from ..msg import Msg, msg_from_js
from .api import ServiceInfo, ServicePing, ServiceStats
from .request import ServiceError

if TYPE_CHECKING:
    from ..client import Client


def _service_error(exc: BaseException) -> BaseException:
    """A JS ServiceError as ours; anything else as nats_wasm's error."""
    if errors._get(exc, "name") == "ServiceError":
        return ServiceError(str(errors._get(exc, "code", "500")), str(errors._get(exc, "message", "")))
    return errors.translate(exc)


async def request_stream(nc: "Client", subject: str, data: bytes = b"", *,
                         timeout: float = 30.0,
                         headers: Optional[dict[str, str]] = None) -> AsyncIterator[Msg]:
    """Calls an endpoint that streams its reply: yields each chunk in order
    and ends at the empty end-of-stream reply. An error reply raises
    ServiceError; a stream not ended within ``timeout`` seconds raises
    TimeoutError (a cut-off stream never looks complete)."""
    import js  # type: ignore[import-not-found]

    nc._push_pubs()
    controller = js.AbortController.new()
    opts = _ffi.js_object(timeout=_ffi.ms(timeout, "timeout"), headers=nc._js_headers(headers),
                          signal=controller.signal)
    iterable = _ffi.call(nc._mod.pyodide.micro.requestStream, nc._nc, subject,
                         _ffi.to_js_bytes(data), opts)
    iterator = nc._mod.pyodide.iteratorOf(iterable)
    try:
        while True:
            try:
                step = await iterator.next()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                raise _service_error(exc) from None
            if step.done:
                return
            yield msg_from_js(nc, nc._mod.pyodide.packMsg(step.value))
    finally:
        controller.abort()


class ServiceClient:
    """Finds running services: ``await client.ping()`` → every service's
    ServicePing (or those of ``name``, or one instance ``name``/``id``).
    Replies are collected until none came for ``stall`` seconds (at most
    ``timeout``), as nats.js's ServiceClient does. ``prefix``: the
    discovery subjects' prefix ($SRV), as nats.js's ServiceClient takes it."""

    def __init__(self, nc: "Client", *, timeout: float = 2.0, stall: float = 0.3,
                 prefix: str = "$SRV") -> None:
        self._nc = nc
        self._timeout = timeout
        self._stall = stall
        self._prefix = prefix

    async def _query(self, verb: int, name: Optional[str], id: Optional[str]) -> list[dict[str, Any]]:
        subject = _ffi.call(self._nc._mod.pyodide.micro.controlSubject, verb, name or "", id or "",
                            self._prefix)
        out = []
        async for msg in self._nc.request_many(subject, b"", timeout=self._timeout,
                                               stall=self._stall):
            out.append(json.loads(msg.data))
        return out

    async def ping(self, name: Optional[str] = None, id: Optional[str] = None) -> list[ServicePing]:
        return [ServicePing.from_dict(d) for d in await self._query(0, name, id)]

    async def info(self, name: Optional[str] = None, id: Optional[str] = None) -> list[ServiceInfo]:
        return [ServiceInfo.from_dict(d) for d in await self._query(1, name, id)]

    async def stats(self, name: Optional[str] = None, id: Optional[str] = None) -> list[ServiceStats]:
        return [ServiceStats.from_dict(d) for d in await self._query(2, name, id)]
