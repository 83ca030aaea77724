"""The Python client: coroutines and async iterators over the JS package.

Names follow nats.py. Every call that waits is ``async``; errors from the
JS/WebAssembly layer become :mod:`nats_wasm.errors` exceptions; cancelling a
task cancels the operation on the JS/C++ side (an ``AbortSignal`` for
requests, an unsubscribe for iterators).
"""

from __future__ import annotations

import asyncio
import logging
import struct
import weakref
from collections import deque
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Awaitable, Callable, Optional, Union

from . import errors
from ._loader import load

ErrorCallback = Callable[[Exception], Awaitable[None]]
Callback = Callable[[], Awaitable[None]]
MsgCallback = Callable[["Msg"], Awaitable[None]]

_BATCH = 4096
# Buffered publishes cross to JS in one packed buffer: per message a
# little-endian (subject length, payload length) header, the subject, the
# payload (js/src/pyodide.mjs publishPacked). Sent when a frame's worth is
# ready, else in a JS microtask right after the current Python step.
_PUB_HEADER = struct.Struct("<II")
_PUB_HIGH_WATER = 64 * 1024
_KNOWN_SUBJECTS = 1024
_log = logging.getLogger("nats_wasm")


async def _await_unless_current(task: "Optional[asyncio.Task[None]]") -> None:
    """Waits for a helper task, unless we are running inside it (a callback
    that calls close()/drain() would otherwise wait for itself forever)."""
    if task is not None and task is not asyncio.current_task():
        await asyncio.shield(task)


def _js_object(**fields: Any) -> Any:
    import js  # type: ignore[import-not-found]

    obj = js.Object.new()
    for key, value in fields.items():
        if value is not None:
            setattr(obj, key, value)
    return obj


try:  # only importable inside Pyodide; looked up once, not per publish
    from pyodide.ffi import create_proxy as _create_proxy  # type: ignore[import-not-found]
    from pyodide.ffi import to_js as _to_js  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - type checking or docs outside Pyodide
    _to_js = None
    _create_proxy = None


Payload = Union[bytes, bytearray, memoryview, str, None]


def _as_bytes(data: Payload) -> Union[bytes, bytearray, memoryview]:
    if data is None:
        return b""
    if isinstance(data, str):
        return data.encode()
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise errors.InvalidArgumentError("payload must be bytes", "invalid_argument")
    return data


def _to_js_bytes(data: Payload) -> Any:
    return _to_js(_as_bytes(data))  # copies into a Uint8Array; no bytes() copy first


def parse_headers(raw: Optional[str]) -> Optional[dict[str, str]]:
    """Parses a raw NATS/1.0 header block into a dict, as nats.py does: one
    value per key (the first), and a status line as "Status"/"Description"."""
    if not raw:
        return None
    lines = raw.split("\r\n")
    headers: dict[str, str] = {}
    status = lines[0][len("NATS/1.0") :].strip() if lines[0].startswith("NATS/1.0") else ""
    if status:
        code, _, description = status.partition(" ")
        headers["Status"] = code
        if description.strip():
            headers["Description"] = description.strip()
    for line in lines[1:]:
        key, sep, value = line.partition(":")
        if sep and key.strip():
            headers.setdefault(key.strip(), value.strip())
    return headers


@dataclass
class Msg:
    """A received message."""

    subject: str
    reply: str = ""
    data: bytes = b""
    headers: Optional[dict[str, str]] = None
    sid: int = 0
    _client: Optional["Client"] = field(default=None, repr=False, compare=False)

    async def respond(self, data: bytes = b"", headers: Optional[dict[str, str]] = None) -> None:
        """Publishes a reply to ``msg.reply``."""
        if not self.reply:
            raise errors.Error("no reply subject to respond to", "invalid_argument")
        if self._client is None:
            raise errors.ConnectionClosedError("message has no connection", "connection_closed")
        await self._client.publish(self.reply, data, headers=headers)


@dataclass
class Status:
    """A connection status event: type is "error", "update", "ldm",
    "disconnect", "staleConnection" or "close"."""

    type: str
    error: Optional[BaseException] = None
    data: Any = None


def _msg_from_js(client: "Client", packed: Any) -> Msg:
    """A Msg from js/src/pyodide.mjs packMsg(): one to_py() for all fields."""
    subject, reply, sid, raw_headers, data = packed.to_py()
    return Msg(subject, reply, bytes(data), parse_headers(raw_headers) if raw_headers else None,
               sid, client)


class Subscription:
    """A subscription. Read it with ``async for msg in sub.messages`` or
    ``await sub.next_msg()``; messages reach Python in batches."""

    def __init__(self, client: "Client", js_sub: Any, subject: str, queue: str) -> None:
        self._client = client
        self._js_sub = js_sub
        self.subject = subject
        self.queue = queue
        self._buffer: deque[Msg] = deque()
        self._ended: Optional[BaseException] = None
        self._done = False
        self._delivered = 0
        self._cb_task: Optional[asyncio.Task[None]] = None

    @property
    def sid(self) -> int:
        """The subscription id."""
        return int(self._js_sub.sid)

    @property
    def pending_msgs(self) -> int:
        """Messages received and not yet taken."""
        return len(self._buffer) + int(self._js_sub.getPending())

    @property
    def delivered(self) -> int:
        """Messages handed to Python so far."""
        return self._delivered

    def _take(self) -> None:
        """Moves the messages queued on the JS side into the buffer (sync)."""
        try:
            packed = self._client._mod.pyodide.takePacked(self._js_sub, _BATCH)
        except Exception as exc:  # the JS side ended the subscription with an error
            self._done = True
            self._ended = errors.translate(exc)
            return
        if packed is None:  # nothing queued yet
            return
        # [ended, data, ends, subject0, reply0, sid0, headers0, ...] (packMsgs)
        items = packed.to_py()
        self._done = bool(items[0])
        data = bytes(items[1])
        ends = items[2]
        start = 0
        client = self._client
        append = self._buffer.append
        for i in range(len(ends)):
            end = ends[i]
            k = 3 + 4 * i
            raw = items[k + 3]
            append(Msg(items[k], items[k + 1], data[start:end],
                       parse_headers(raw) if raw else None, items[k + 2], client))
            start = end

    async def _next(self, timeout: Optional[float]) -> Optional[Msg]:
        """The next message; None when the subscription ended cleanly."""
        while not self._buffer:
            if not self._done:
                self._take()
            if self._buffer:
                break
            if self._done:
                if self._ended is not None:
                    err, self._ended = self._ended, None
                    raise err
                return None
            # ready() takes nothing: a waiter cancelled or timed out here
            # leaves the messages queued on the JS side for the next call.
            ready = self._js_sub.ready()
            try:
                if timeout is None:
                    await ready
                else:
                    await asyncio.wait_for(ready, timeout)
            except asyncio.TimeoutError:
                raise errors.TimeoutError("timed out waiting for a message", "timeout") from None
        self._delivered += 1
        return self._buffer.popleft()

    async def next_msg(self, timeout: Optional[float] = 1.0) -> Msg:
        """Waits for the next message. Raises TimeoutError, or the error that
        ended the subscription (BadSubscriptionError when it ended cleanly)."""
        msg = await self._next(timeout)
        if msg is None:
            raise errors.BadSubscriptionError("subscription is closed", "bad_subscription")
        return msg

    @property
    def messages(self) -> AsyncIterator[Msg]:
        """Async iterator over messages. Cancelling the iterating task ends
        the subscription (it unsubscribes)."""
        return _MessageIterator(self)

    async def unsubscribe(self, limit: int = 0) -> None:
        """Unsubscribes now, or after ``limit`` messages in total."""
        self._client._push_pubs()
        try:
            self._js_sub.unsubscribe(limit)
        except Exception as exc:
            raise errors.translate(exc) from None

    async def drain(self) -> None:
        """Stops interest, delivers what is in flight, then closes."""
        self._client._push_pubs()
        try:
            await self._js_sub.drain()
        except Exception as exc:
            raise errors.translate(exc) from None
        await _await_unless_current(self._cb_task)

    def _cancel(self) -> None:
        """Ends interest after the iterating task was cancelled."""
        if not self._js_sub.isClosed():
            try:
                self._js_sub.unsubscribe()
            except Exception:
                pass

    async def _run_callback(self, cb: MsgCallback) -> None:
        while True:
            try:
                msg = await self._next(None)
            except asyncio.CancelledError:
                self._cancel()
                raise
            except Exception:
                # The error that ended the subscription already reached
                # error_cb through the connection's status events.
                return
            if msg is None:
                return
            try:
                await cb(msg)
            except Exception as exc:  # the callback's error must not end the subscription
                await self._client._report(exc)


class _MessageIterator:
    def __init__(self, sub: Subscription) -> None:
        self._sub = sub

    def __aiter__(self) -> "_MessageIterator":
        return self

    async def __anext__(self) -> Msg:
        try:
            msg = await self._sub._next(None)
        except asyncio.CancelledError:
            self._sub._cancel()
            raise
        if msg is None:
            raise StopAsyncIteration
        return msg


class Client:
    """A connection to a NATS server over WebSocket. Create with :func:`connect`."""

    def __init__(self, mod: Any, js_nc: Any, error_cb: Optional[ErrorCallback],
                 disconnected_cb: Optional[Callback], closed_cb: Optional[Callback]) -> None:
        self._mod = mod
        self._nc = js_nc
        self._error_cb = error_cb
        self._disconnected_cb = disconnected_cb
        self._closed_cb = closed_cb
        self._subs: "weakref.WeakSet[Subscription]" = weakref.WeakSet()
        # Buffered publishes (see _PUB_HEADER) and subjects the engine has
        # already accepted once (validity does not change), encoded.
        self._pub_buf = bytearray()
        self._pub_push_queued = False
        self._known_subjects: dict[str, bytes] = {}
        self._closing = False
        info = js_nc.info
        self._max_payload = int(info.max_payload) if info is not None else 0
        self._push_proxy = _create_proxy(self._push_pubs)
        # The status iterator is registered now, not when the task first
        # runs: a close right after connect must still reach the callbacks.
        self._status_task: Optional[asyncio.Task[None]] = asyncio.ensure_future(
            self._watch_status(mod.pyodide.iteratorOf(js_nc.status())))

    # --- lifecycle ----------------------------------------------------------
    async def __aenter__(self) -> "Client":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        if self.is_closed:
            await self.close()
        else:
            await self.drain()

    @property
    def is_closed(self) -> bool:
        """True once the connection is closed."""
        return bool(self._nc.isClosed())

    @property
    def is_connected(self) -> bool:
        """True while the connection is open (draining included, as in nats.py)."""
        return not self._nc.isClosed()

    @property
    def is_draining(self) -> bool:
        """True while draining."""
        return bool(self._nc.isDraining())

    @property
    def connected_url(self) -> str:
        """The server URL."""
        return str(self._nc.getServer())

    @property
    def server_info(self) -> dict[str, Any]:
        """The server's INFO."""
        info = self._nc.info
        return info.to_py() if info is not None else {}

    @property
    def max_payload(self) -> int:
        """The largest message (headers + payload) the server accepts."""
        return int(self.server_info.get("max_payload", 0))

    @property
    def client_id(self) -> int:
        """The id the server gave this connection."""
        return int(self.server_info.get("client_id", 0))

    @property
    def stats(self) -> dict[str, int]:
        """Counters: in_msgs, out_msgs, in_bytes, out_bytes."""
        s = self._nc.stats()
        return {"in_msgs": int(s.inMsgs), "out_msgs": int(s.outMsgs),
                "in_bytes": int(s.inBytes), "out_bytes": int(s.outBytes)}

    def _engine_stats(self) -> dict[str, int]:
        s = self._nc.engineStats
        return {"pending_requests": int(s.pendingRequests), "subscriptions": int(s.subscriptions)}

    async def close(self) -> None:
        """Closes now; pending requests fail with ConnectionClosedError.
        Publishes buffered before the call are sent first."""
        self._push_pubs()
        self._closing = True
        await self._nc.close()
        await self._finish_status()

    async def drain(self) -> None:
        """Drains every subscription, waits until their callbacks have seen
        every message, then closes. A second call waits for the first."""
        self._push_pubs()
        if self.is_draining:
            await self._nc.closed()
        else:
            try:
                await self._nc.drain()
            except Exception as exc:
                raise errors.translate(exc) from None
        for sub in list(self._subs):
            await _await_unless_current(sub._cb_task)
        await self._finish_status()

    async def _finish_status(self) -> None:
        await _await_unless_current(self._status_task)
        # Closed: nothing queues the push any more (a queued one has run, as
        # closing took at least one event-loop hop). Free the JS callback.
        if self._push_proxy is not None:
            self._push_proxy.destroy()
            self._push_proxy = None

    # --- messaging ------------------------------------------------------------
    def _js_headers(self, headers: Optional[dict[str, str]]) -> Any:
        if not headers:
            return None
        from pyodide.ffi import to_js  # type: ignore[import-not-found]

        flat: list[str] = []
        for key, value in headers.items():
            flat += [str(key), str(value)]
        try:
            return self._mod.pyodide.headersFromPairs(to_js(flat))
        except Exception as exc:
            raise errors.InvalidArgumentError(str(getattr(exc, "message", exc)),
                                              "invalid_header") from None

    async def publish(self, subject: str, payload: bytes = b"", reply: str = "",
                      headers: Optional[dict[str, str]] = None) -> None:
        """Publishes a message. Like nats.py, it is buffered: it reaches the
        engine in one batch with the other publishes of this step of the
        event loop (or once 64 KiB are waiting), in order with every other
        operation of this client."""
        payload = _as_bytes(payload)
        encoded = self._known_subjects.get(subject)
        if (encoded is None or reply or headers or self._closing
                or len(payload) > self._max_payload):
            # Straight to the engine, which validates and raises here: the
            # first publish to a subject, options, anything that may fail.
            self._push_pubs()
            try:
                opts = None
                if reply or headers:
                    opts = _js_object(reply=reply or None, headers=self._js_headers(headers))
                self._mod.pyodide.publish(self._nc, subject, _to_js(payload), opts)
            except Exception as exc:
                raise errors.translate(exc) from None
            if encoded is None and isinstance(subject, str):
                # Replies to one-off inboxes would fill the cache for good:
                # start over when it is full.
                if len(self._known_subjects) >= _KNOWN_SUBJECTS:
                    self._known_subjects.clear()
                self._known_subjects[subject] = subject.encode()
            return
        buf = self._pub_buf
        buf += _PUB_HEADER.pack(len(encoded), len(payload))
        buf += encoded
        buf += payload
        if len(buf) >= _PUB_HIGH_WATER:
            self._push_pubs()
        elif not self._pub_push_queued:
            self._pub_push_queued = True
            self._mod.pyodide.queueMicrotask(self._push_proxy)

    def _push_pubs(self) -> None:
        """Hands buffered publishes to the engine (before any other operation)."""
        self._pub_push_queued = False
        if not self._pub_buf:
            return
        packed = _to_js(self._pub_buf)
        self._pub_buf = bytearray()
        try:
            self._mod.pyodide.publishPacked(self._nc, packed)
        except Exception as exc:
            # Already returned to the caller: reported like nats.py reports
            # asynchronous errors (error_cb), never dropped silently.
            err = errors.translate(exc)
            asyncio.ensure_future(self._report(err))

    async def subscribe(self, subject: str, queue: str = "",
                        cb: Optional[MsgCallback] = None, max_msgs: int = 0) -> Subscription:
        """Subscribes. With ``cb``, the coroutine is awaited for each message
        in order; otherwise read ``sub.messages`` or ``sub.next_msg()``."""
        self._push_pubs()
        opts = _js_object(queue=queue or None, max=max_msgs or None)
        try:
            js_sub = self._nc.subscribe(subject, opts)
        except Exception as exc:
            raise errors.translate(exc) from None
        sub = Subscription(self, js_sub, subject, queue)
        self._subs.add(sub)
        if cb is not None:
            sub._cb_task = asyncio.ensure_future(sub._run_callback(cb))
        return sub

    async def request(self, subject: str, payload: bytes = b"", timeout: float = 0.5,
                      headers: Optional[dict[str, str]] = None) -> Msg:
        """Sends a request and waits for one reply. Cancelling the task
        cancels the request in the engine."""
        self._push_pubs()
        try:
            # One crossing: the JS helper owns the AbortController and packs the reply.
            pending = self._mod.pyodide.request(self._nc, subject, _to_js_bytes(payload),
                                                max(1, int(timeout * 1000)),
                                                self._js_headers(headers))
            reply = await pending.reply
        except asyncio.CancelledError:
            pending.cancel()
            raise
        except Exception as exc:
            raise errors.translate(exc) from None
        return _msg_from_js(self, reply)

    async def request_many(self, subject: str, payload: bytes = b"", *, timeout: float = 1.0,
                           max_msgs: int = 0, stall: Optional[float] = None,
                           sentinel: bool = False,
                           headers: Optional[dict[str, str]] = None) -> AsyncIterator[Msg]:
        """Sends one request and yields replies until ``timeout`` passes,
        ``max_msgs`` arrived, no reply came for ``stall`` seconds, or (with
        ``sentinel``) an empty reply arrived."""
        import js  # type: ignore[import-not-found]

        self._push_pubs()
        strategy = ("sentinel" if sentinel else "stall" if stall is not None
                    else "count" if max_msgs else "timer")
        controller = js.AbortController.new()
        opts = _js_object(strategy=strategy, maxWait=max(1, int(timeout * 1000)),
                          maxMessages=max_msgs or None,
                          stall=int(stall * 1000) if stall is not None else None,
                          headers=self._js_headers(headers), signal=controller.signal)
        try:
            iterable = await self._nc.requestMany(subject, _to_js_bytes(payload), opts)
        except Exception as exc:
            raise errors.translate(exc) from None
        iterator = self._mod.pyodide.iteratorOf(iterable)
        count = 0
        try:
            # max_msgs holds whatever the strategy (the JS side has one).
            while not max_msgs or count < max_msgs:
                try:
                    step = await iterator.next()
                except Exception as exc:
                    raise errors.translate(exc) from None
                if step.done:
                    return
                count += 1
                yield _msg_from_js(self, self._mod.pyodide.packMsg(step.value))
        finally:
            controller.abort()  # no-op when already finished

    async def flush(self, timeout: float = 10.0) -> None:
        """Waits until the server has processed everything sent before."""
        try:
            await asyncio.wait_for(self._flush(), timeout)
        except asyncio.TimeoutError:
            raise errors.TimeoutError("flush timed out", "timeout") from None

    async def _flush(self) -> None:
        self._push_pubs()
        try:
            await self._mod.pyodide.flush(self._nc)
        except Exception as exc:
            raise errors.translate(exc) from None

    async def rtt(self) -> float:
        """Round-trip time to the server in seconds."""
        try:
            return float(await self._nc.rtt()) / 1000.0
        except Exception as exc:
            raise errors.translate(exc) from None

    def new_inbox(self) -> str:
        """A fresh unique inbox subject."""
        try:
            return str(self._nc.newInbox())
        except Exception as exc:
            raise errors.translate(exc) from None

    def status(self) -> AsyncIterator[Status]:
        """Connection status events until the connection closes."""
        return self._statuses(self._mod.pyodide.iteratorOf(self._nc.status()))

    async def _statuses(self, iterator: Any) -> AsyncIterator[Status]:
        try:
            while True:
                step = await iterator.next()
                if step.done:
                    return
                event = step.value
                err = getattr(event, "error", None)
                data = getattr(event, "data", None)
                yield Status(str(event.type), errors.translate(err) if err is not None else None,
                             data.to_py() if hasattr(data, "to_py") else data)
        finally:
            getattr(iterator, "return")()

    async def _watch_status(self, iterator: Any) -> None:
        async for status in self._statuses(iterator):
            if status.type == "error" and status.error is not None:
                await self._report(status.error)
            elif status.type == "disconnect" and self._disconnected_cb:
                await self._safe(self._disconnected_cb())
            elif status.type == "close":
                self._closing = True  # later publishes raise instead of buffering
                if self._closed_cb:
                    await self._safe(self._closed_cb())

    async def _report(self, exc: BaseException) -> None:
        err = errors.translate(exc)
        if self._error_cb is None:
            _log.error("nats: %s", err)  # as nats.py's default error callback
            return
        await self._safe(self._error_cb(err))  # type: ignore[arg-type]

    async def _safe(self, awaitable: Awaitable[None]) -> None:
        try:
            await awaitable
        except Exception:
            pass  # a user callback's failure must not stop status handling


async def connect(servers: Union[str, list[str]] = "ws://127.0.0.1:8080", *,
                  name: Optional[str] = None, token: Optional[str] = None,
                  user: Optional[str] = None, password: Optional[str] = None,
                  connect_timeout: float = 2.0, ping_interval: float = 120.0,
                  max_outstanding_pings: int = 2, no_echo: bool = False,
                  inbox_prefix: str = "_INBOX",
                  error_cb: Optional[ErrorCallback] = None,
                  disconnected_cb: Optional[Callback] = None,
                  closed_cb: Optional[Callback] = None) -> Client:
    """Connects to a NATS server's WebSocket port (ws:// or wss://)."""
    from pyodide.ffi import to_js  # type: ignore[import-not-found]

    mod = await load()
    server_list = [servers] if isinstance(servers, str) else list(servers)
    opts = _js_object(servers=to_js(server_list), name=name, token=token, user=user,
                      timeout=max(1, int(connect_timeout * 1000)),
                      pingInterval=max(1, int(ping_interval * 1000)),
                      maxPingOut=max_outstanding_pings, noEcho=no_echo,
                      inboxPrefix=inbox_prefix)
    if password is not None:
        setattr(opts, "pass", password)
    try:
        js_nc = await mod.connect(opts)
    except Exception as exc:
        raise errors.translate(exc, connecting=True) from None
    return Client(mod, js_nc, error_cb, disconnected_cb, closed_cb)
