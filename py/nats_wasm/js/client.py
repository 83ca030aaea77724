"""JetStreamContext with nats.py's names (``nats.js.client``): publish with
acknowledgements, and pipelined publish_async bounded by a window.

publish_async crosses to the engine in batches (one FFI call per event-loop
step) and its acks come back in batches too: one await per batch, not per
message. The wire window is the engine's; the bound here is on Python
futures not yet settled (nats.py's publish_async_max_pending), so memory
stays bounded however fast the caller publishes.
"""

from __future__ import annotations

import asyncio
import struct
from typing import TYPE_CHECKING, Any, Dict, Optional

from .. import _ffi
from . import api, errors
from .consuming import ConsumingMixin, KeyValueMixin
from .manager import JetStreamManager
from .object_store import ObjectStoreMixin
from .push import DEFAULT_JS_SUB_PENDING_BYTES_LIMIT, DEFAULT_JS_SUB_PENDING_MSGS_LIMIT
from .subscriptions import JetStreamSubscription, PullSubscription

if TYPE_CHECKING:
    from ..client import Client

_PUB = struct.Struct("<II")
_BATCH_HIGH_WATER = 64 * 1024


# nats.py's name for the core's limit (js::kv::kMaxHistory; a test checks
# that the two agree). DEFAULT_JS_SUB_PENDING_* come from push.py.
KV_MAX_HISTORY = 64

class JetStreamContext(ConsumingMixin, KeyValueMixin, ObjectStoreMixin, JetStreamManager):
    """JetStream for a connection (nats.py ``nc.jetstream()``)."""

    # nats.py's nested names for what pull_subscribe() and subscribe() return.
    PullSubscription = PullSubscription
    PushSubscription = JetStreamSubscription

    def __init__(self, conn: "Client", prefix: str = api.DEFAULT_PREFIX,
                 domain: Optional[str] = None, timeout: float = 5,
                 publish_async_max_pending: int = 4000) -> None:
        if publish_async_max_pending < 1:
            raise ValueError("nats: publish_async_max_pending must be >= 1")
        super().__init__(conn, prefix, timeout, domain, publish_async_max_pending)
        self._max_pending = publish_async_max_pending
        self._futures: Dict[int, "asyncio.Future[api.PubAck]"] = {}
        self._next_token = 1
        self._batch = bytearray()
        self._batch_first = 0
        self._batch_queued = False
        # publish_async's last subject and payload size, and their packed prefix.
        self._last_subject: Optional[str] = None
        self._last_size = -1
        self._last_prefix = b""
        self._room = asyncio.Event()
        self._room.set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._pump: "Optional[asyncio.Task[None]]" = None

    # --- one publish, awaited ---------------------------------------------------
    async def publish(self, subject: str, payload: bytes = b"", timeout: Optional[float] = None,
                      stream: Optional[str] = None,
                      headers: Optional[Dict[str, Any]] = None) -> api.PubAck:
        """Publishes to a stream and waits for its PubAck. ``stream`` expects
        that stream (Nats-Expected-Stream); other expectations and the msg id
        go in ``headers`` (api.Header names), as in nats.py. No stream for the
        subject raises NoStreamResponseError."""
        self._flush_batch()
        nc = self._nc
        nc._push_pubs()
        msg_id = None
        if headers and api.Header.MSG_ID in headers:
            headers = dict(headers)
            msg_id = str(headers.pop(api.Header.MSG_ID))
        hdrs = nc._js_headers(headers) if headers else None
        packed = await _ffi.settle(_ffi.call(nc._mod.pyodide.jsPublish, self._ctx, subject,
                                             _ffi.to_js_bytes(payload), hdrs, msg_id, stream,
                                             _ffi.ms(timeout, "timeout")))
        stream_name, seq, duplicate, domain = packed.to_py()
        return api.PubAck(stream=stream_name, seq=int(seq), domain=domain or None,
                          duplicate=bool(duplicate) or None)

    # --- pipelined publishes ------------------------------------------------------
    async def publish_async(self, subject: str, payload: bytes = b"",
                            wait_stall: Optional[float] = None, stream: Optional[str] = None,
                            headers: Optional[Dict[str, Any]] = None) -> "asyncio.Future[api.PubAck]":
        """Queues a publish and returns a future of its PubAck. With
        publish_async_max_pending futures unsettled it waits for room first
        (raising TooManyStalledMsgsError after wait_stall seconds)."""
        while len(self._futures) >= self._max_pending:
            self._room.clear()
            # asyncio.wait, not wait_for: Pyodide's loop may refuse wait_for's
            # absolute deadline as being in the past when wait_stall is tiny.
            room = asyncio.ensure_future(self._room.wait())
            try:
                done, _ = await asyncio.wait({room}, timeout=wait_stall)
            finally:
                if not room.done():
                    room.cancel()
            if not done:
                raise errors.TooManyStalledMsgsError(
                    "stalled with too many outstanding async published messages")
        # This runs once per publish: the per-call work is kept small (the
        # subject's bytes are reused while it repeats; the idle event is only
        # touched when the first future of a run appears).
        loop = asyncio.get_running_loop()
        # A plain asyncio.Future, not loop.create_future(): Pyodide's
        # PyodideFuture schedules a callback on every set_result (6 us each,
        # measured; 0.08 us here), once per acknowledged publish.
        future: "asyncio.Future[api.PubAck]" = asyncio.Future(loop=loop)
        token = self._next_token
        self._next_token = token + 1
        futures = self._futures
        futures[token] = future
        if len(futures) == 1:
            self._idle.clear()
        pump = self._pump
        if pump is None or pump.done():  # none yet, or it ended (even by an error)
            self._ensure_pump()
        if stream or headers:
            # With options: one publish of its own, settled by a task.
            self._flush_batch()
            asyncio.ensure_future(self._settle_one(token, subject, payload, stream, headers))
            return future
        data = payload if type(payload) is bytes else _ffi.as_bytes(payload)
        size = len(data)
        if subject is not self._last_subject or size != self._last_size:
            # The packed prefix (lengths, subject) is reused while both repeat.
            self._last_subject = subject
            self._last_size = size
            encoded = subject.encode()
            self._last_prefix = _PUB.pack(len(encoded), size) + encoded
        batch = self._batch
        if not batch:
            self._batch_first = token
        batch += self._last_prefix
        batch += data
        if len(batch) >= _BATCH_HIGH_WATER:
            self._flush_batch()
        elif not self._batch_queued:
            self._batch_queued = True
            loop.call_soon(self._flush_batch)
        return future

    def publish_async_pending(self) -> int:
        """Publishes not yet acknowledged (or failed)."""
        return len(self._futures)

    async def publish_async_completed(self) -> None:
        """Waits until every publish so far is acknowledged or failed."""
        self._flush_batch()
        await self._idle.wait()

    def _flush_batch(self) -> None:
        self._batch_queued = False
        if not self._batch:
            return
        batch, self._batch = self._batch, bytearray()
        try:
            self._nc._mod.pyodide.jsPublishBatch(self._ctx, _ffi.to_js(batch), self._batch_first)
        except Exception as exc:
            err = errors_translate(exc)
            count = 0
            at = 0
            while at + 8 <= len(batch):
                sl, pl = _PUB.unpack_from(batch, at)
                at += 8 + sl + pl
                count += 1
            for token in range(self._batch_first, self._batch_first + count):
                self._settle(token, None, err)

    async def _settle_one(self, token: int, subject: str, payload: bytes, stream: Optional[str],
                          headers: Optional[Dict[str, Any]]) -> None:
        try:
            ack = await self.publish(subject, payload, stream=stream, headers=headers)
        except Exception as exc:
            self._settle(token, None, exc)
        else:
            self._settle(token, ack, None)

    def _settle(self, token: int, ack: Optional[api.PubAck], err: Optional[BaseException]) -> None:
        future = self._futures.pop(token, None)
        if future is not None and not future.done():
            if err is not None:
                future.set_exception(err)
            else:
                future.set_result(ack)  # type: ignore[arg-type]
        if len(self._futures) < self._max_pending:
            self._room.set()
        if not self._futures:
            self._idle.set()

    def _ensure_pump(self) -> None:
        if self._pump is None or self._pump.done():
            self._pump = asyncio.ensure_future(self._pump_acks())

    async def _pump_acks(self) -> None:
        """Settles futures from the acks JavaScript collected, a batch at a time."""
        mod = self._nc._mod.pyodide
        while self._futures:
            packed = mod.jsTakeAcks(self._ctx)
            if packed is None:
                await mod.jsAcksReady(self._ctx)
                continue
            # js/src/pyodide_js_publish.mjs jsTakeAcks: typed arrays, one
            # conversion each, and failures apart.
            tokens = packed[0].to_py().tolist()
            seqs = packed[1].to_py().tolist()
            dups = packed[2].to_bytes()
            streams = packed[3].to_py()
            stream_of = packed[4].to_py().tolist()
            failed = packed[5]
            errs = {}
            if failed is not None:
                pairs = failed.to_py()
                errs = {int(pairs[k]): pairs[k + 1] for k in range(0, len(pairs), 2)}
            futures = self._futures
            pub_ack = api.PubAck
            for i, token in enumerate(tokens):
                future = futures.pop(int(token), None)
                if future is None or future.done():
                    continue
                if errs and i in errs:
                    future.set_exception(errors_translate(errs[i]))
                else:
                    future.set_result(pub_ack(streams[stream_of[i]], int(seqs[i]), None,
                                              True if dups[i] else None))
            # Room and idleness are told once per batch of acks.
            if len(futures) < self._max_pending:
                self._room.set()
            if not futures:
                self._idle.set()


def errors_translate(exc: Any) -> BaseException:
    from .. import errors as core_errors

    return core_errors.translate(exc)
