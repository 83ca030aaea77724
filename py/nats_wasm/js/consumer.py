"""Consumers as objects (nats.py's ``nats.jetstream`` consumer API):
``consumer = await js.get_consumer(stream, name)`` or
``await js.ordered_consumer(stream, ...)``, then ``fetch``, ``next`` and
``messages``/``consume``. Each call maps its options (seconds here,
milliseconds for the engine) and hands the session to
:class:`~nats_wasm.js.messages.MessageStream`; every pull rule is the
engine's.
"""

from __future__ import annotations

import datetime
import json
from typing import TYPE_CHECKING, Any, List, Optional, Sequence, Union

from .. import _ffi, errors
from ..msg import Msg
from . import api
from .messages import MessageStream
from .offset import Offset

if TYPE_CHECKING:
    from ..client import Client

Seconds = Union[float, int, datetime.timedelta, None]


def seconds(value: Seconds, what: str) -> Optional[int]:
    """Seconds (or a timedelta) to the engine's milliseconds; None stays unset."""
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        value = value.total_seconds()
    return _ffi.ms(value, what)


def pull_options(max_messages: Optional[int] = None, max_bytes: Optional[int] = None,
                 max_wait: Seconds = None, heartbeat: Seconds = None,
                 threshold_messages: Optional[int] = None,
                 threshold_bytes: Optional[int] = None,
                 abort_on_missing_resource: bool = False) -> Any:
    """nats.py option names → the JS layer's (nats.js names, milliseconds)."""
    for name, value in (("max_messages", max_messages), ("max_bytes", max_bytes)):
        if value is not None and (not isinstance(value, int) or value < 1):
            raise errors.InvalidArgumentError(f"{name} must be a positive integer", "invalid_argument")
    return _ffi.js_object(max_messages=max_messages, max_bytes=max_bytes,
                          expires=seconds(max_wait, "max_wait"),
                          idle_heartbeat=seconds(heartbeat, "heartbeat"),
                          threshold_messages=threshold_messages, threshold_bytes=threshold_bytes,
                          abort_on_missing_resource=abort_on_missing_resource or None)


class Consumer:
    """A consumer of a stream: a durable or ephemeral pull consumer by name,
    or an ordered consumer (:meth:`JetStreamContext.ordered_consumer`)."""

    def __init__(self, client: "Client", js_consumer: Any, info: api.ConsumerInfo,
                 ordered: bool) -> None:
        self._client = client
        self._js = js_consumer
        self._info = info
        self._ordered = ordered

    @property
    def name(self) -> str:
        """The server consumer's name (an ordered consumer's changes on each reset)."""
        return str(self._js.name)

    @property
    def stream_name(self) -> str:
        return self._info.stream_name

    @property
    def info(self) -> api.ConsumerInfo:
        """The info last read (no round trip)."""
        return self._info

    async def get_info(self) -> api.ConsumerInfo:
        """The consumer's info, read from the server now."""
        resp = await _ffi.settle(_ffi.call(self._client._mod.pyodide.consumerInfo, self._js))
        self._info = api.ConsumerInfo.from_response(json.loads(resp))
        return self._info

    consumer_info = get_info

    def _stream(self, mode: str, opts: Any, raise_errors: bool) -> MessageStream:
        start = self._client._mod.pyodide.consumerStart
        return MessageStream(self._client, lambda: start(self._js, mode, opts), raise_errors)

    async def fetch(self, max_messages: Optional[int] = None, *, max_bytes: Optional[int] = None,
                    max_wait: Seconds = 30.0, heartbeat: Seconds = None) -> MessageStream:
        """One batch: up to ``max_messages`` (or ``max_bytes``), ending when
        it is full or after ``max_wait`` seconds. Iterate it; from an empty
        stream it is simply empty. An error that ends it is in ``.error``."""
        if max_messages is None and max_bytes is None:
            max_messages = 1
        opts = pull_options(max_messages, max_bytes, max_wait, heartbeat)
        return await self._stream("fetch", opts, False)

    async def fetch_messages(self, max_messages: int = 1, *, max_wait: Seconds = 30.0,
                             max_bytes: Optional[int] = None) -> List[Msg]:
        """fetch() gathered into a list (empty when nothing came); raises the
        error that ended the batch, if any."""
        batch = await self.fetch(max_messages if max_bytes is None else None, max_bytes=max_bytes,
                                 max_wait=max_wait)
        msgs = [m async for m in batch]
        if batch.error is not None:
            raise batch.error
        return msgs

    async def next(self, max_wait: Seconds = 5.0, heartbeat: Seconds = None) -> Msg:
        """One message; TimeoutError when none arrives within ``max_wait``."""
        batch = await self.fetch(1, max_wait=max_wait, heartbeat=heartbeat)
        async for msg in batch:
            return msg
        if batch.error is not None:
            raise batch.error
        raise errors.TimeoutError("no message before max_wait", "timeout")

    def messages(self, *, max_messages: Optional[int] = None, max_bytes: Optional[int] = None,
                 max_wait: Seconds = 30.0, heartbeat: Seconds = None,
                 threshold_messages: Optional[int] = None,
                 threshold_bytes: Optional[int] = None,
                 abort_on_missing_resource: bool = False) -> MessageStream:
        """Continuous consumption: ``async for msg in consumer.messages()``.
        It pulls ``max_messages`` (default 100) at a time, asks for more as
        they are consumed, and recovers from missed heartbeats and server
        restarts by itself; a deleted consumer is reported in ``status()``
        and waited for, unless ``abort_on_missing_resource`` (then the
        iteration raises). Stop it with ``await stream.stop()``."""
        opts = pull_options(max_messages, max_bytes, max_wait, heartbeat, threshold_messages,
                            threshold_bytes, abort_on_missing_resource)
        return self._stream("consume", opts, True)

    consume = messages

    async def delete(self) -> bool:
        """Deletes the consumer on the server (an ordered consumer also stops)."""
        return bool(await _ffi.settle(_ffi.call(self._js.delete)))

    async def close(self) -> None:
        """Ends an ordered consumer (its server consumer is deleted); a no-op
        for a named consumer, which outlives the client."""
        if self._ordered:
            await self.delete()

    async def __aenter__(self) -> "Consumer":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()


def ordered_options(filter_subjects: Union[str, Sequence[str], None] = None,
                    deliver_policy: Union[api.DeliverPolicy, str, None] = None,
                    opt_start_seq: Optional[int] = None,
                    opt_start_time: Union[datetime.datetime, str, None] = None,
                    replay_policy: Union[api.ReplayPolicy, str, None] = None,
                    inactive_threshold: Seconds = None, headers_only: Optional[bool] = None,
                    name_prefix: Optional[str] = None, offset: Optional[Offset] = None) -> Any:
    """nats.py OrderedConsumerConfig fields → the JS layer's options."""
    if isinstance(filter_subjects, str):
        filter_subjects = [filter_subjects]
    if isinstance(opt_start_time, datetime.datetime):
        if opt_start_time.tzinfo is None:
            opt_start_time = opt_start_time.replace(tzinfo=datetime.timezone.utc)
        opt_start_time = opt_start_time.isoformat()
    return _ffi.js_object(
        filter_subjects=_ffi.to_js(list(filter_subjects)) if filter_subjects else None,
        deliver_policy=getattr(deliver_policy, "value", deliver_policy),
        opt_start_seq=opt_start_seq, opt_start_time=opt_start_time,
        replay_policy=getattr(replay_policy, "value", replay_policy),
        inactive_threshold=seconds(inactive_threshold, "inactive_threshold"),
        headers_only=headers_only, name_prefix=name_prefix,
        offset=offset.as_json() if offset is not None else None)


async def get_consumer(client: "Client", ctx: Any, stream: str, name: Optional[str],
                       ordered: Any = None) -> Consumer:
    """A pull consumer by name, or a new ordered consumer from options."""
    client._push_pubs()
    op = _ffi.call(client._mod.pyodide.consumerGet, ctx, stream, name, ordered)
    js_consumer, info = (await _ffi.settle(op)).to_py(depth=1)
    return Consumer(client, js_consumer, api.ConsumerInfo.from_response(json.loads(info)),
                    name is None)
