"""The Python client: coroutines and async iterators over the JS package.

Names follow nats.py. Every call that waits is ``async``; errors from the
JS/WebAssembly layer become :mod:`nats_wasm.errors` exceptions; cancelling a
task cancels the operation on the JS/C++ side (an abort for requests, an
unsubscribe for iterators).
"""

from __future__ import annotations

import asyncio
import inspect
import time
import weakref
from enum import Enum
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable, Optional, Union

from . import _connect, _ffi, errors
from .client_state import ClientState
from .client_status import Status, StatusEvents  # noqa: F401 - Status is public here too
from .msg import Msg, msg_from_js
from .publish_buffer import PublishBuffer
from .subscription import (DEFAULT_SUB_PENDING_BYTES_LIMIT, DEFAULT_SUB_PENDING_MSGS_LIMIT,
                           MsgCallback, Subscription, await_unless_current)

# Bytes not yet on the wire over which publish() waits (js writeReady()).
_WRITE_HIGH_WATER = 1024 * 1024

if TYPE_CHECKING:
    from .js.client import JetStreamContext
    from .js.manager import JetStreamManager

ErrorCallback = Callable[[Exception], Awaitable[None]]
Callback = Callable[[], Awaitable[None]]



class Client(StatusEvents, ClientState):
    """A connection to a NATS server over WebSocket: :func:`connect`, or as
    nats.py ``nc = Client(); await nc.connect(servers, ...)``."""

    def __init__(self) -> None:
        self._nc: Any = None
        self._last_error: Optional[BaseException] = None
        self._flush_timeout: Optional[float] = None
        self._drain_timeout: float = 30.0
        self._connecting = False

    async def connect(self, servers: Union[str, list[str]] = "ws://127.0.0.1:8080",
                      **options: Any) -> None:
        """Connects (see :func:`connect` for the options, nats.py's names)."""
        if self._nc is not None:
            raise errors.Error("already connected", "illegal_state")
        from ._connect import connect_into  # (it builds on this module)

        self._connecting = True
        try:
            await connect_into(self, servers, **options)
        finally:
            self._connecting = False

    def _attach(self, mod: Any, js_nc: Any, error_cb: Optional[ErrorCallback],
                disconnected_cb: Optional[Callback], closed_cb: Optional[Callback],
                reconnected_cb: Optional[Callback] = None,
                discovered_server_cb: Optional[Callback] = None,
                lame_duck_mode_cb: Optional[Callback] = None) -> None:
        self._mod = mod
        self._nc = js_nc
        self._error_cb = error_cb
        self._disconnected_cb = disconnected_cb
        self._closed_cb = closed_cb
        self._reconnected_cb = reconnected_cb
        self._discovered_server_cb = discovered_server_cb
        self._lame_duck_mode_cb = lame_duck_mode_cb
        # Set from the status events: while reconnecting, publishes go to the
        # engine one by one so a full reconnect buffer raises at the call.
        self._reconnecting = False
        self._errors_received = 0  # nats.py's stats["errors_received"]
        self._subs: "weakref.WeakSet[Subscription]" = weakref.WeakSet()
        self._pubs = PublishBuffer(mod, js_nc, self._report_later)
        self._closing = False
        info = js_nc.info
        self._max_payload = int(info.max_payload) if info is not None else 0
        # The status iterator is registered now, not when the task first
        # runs: a close right after connect must still reach the callbacks.
        # A connection that closed between its handshake and this point (a
        # peer that broke the protocol at once) has no status events left:
        # its close is reported from closed() instead.
        self._status_task: Optional[asyncio.Task[None]] = asyncio.ensure_future(
            self._watch_status(mod.pyodide.iteratorOf(js_nc.status())) if not js_nc.isClosed()
            else self._closed_before_attach())

    async def _closed_before_attach(self) -> None:
        err = await _ffi.settle(self._nc.closed())
        await self._watch_close(errors.translate(err) if err is not None else None)

    # --- lifecycle ----------------------------------------------------------
    async def __aenter__(self) -> "Client":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        if self.is_closed:
            await self.close()
        else:
            await self.drain()

    async def reconnect(self) -> None:
        """Drops the connection and reconnects."""
        self._pubs.push()
        await _ffi.settle(self._nc.reconnect())

    def set_server_pool(self, servers: list[str]) -> None:
        """Replaces the server pool for later reconnects (nats.py); the live
        connection stays. ConnectionClosedError when closed; an empty list or
        a URL that cannot be read is InvalidArgumentError."""
        if self.is_closed:
            raise errors.ConnectionClosedError("the connection is closed", "connection_closed")
        _ffi.call(self._nc.setServers, _ffi.to_js([str(s) for s in servers]))

    async def force_reconnect(self) -> None:
        """nats.py's name for reconnect()."""
        await self.reconnect()

    def _engine_stats(self) -> dict[str, int]:
        s = self._nc.engineStats
        return {"pending_requests": int(s.pendingRequests), "subscriptions": int(s.subscriptions)}

    async def close(self) -> None:
        """Closes now; pending requests fail with ConnectionClosedError.
        Publishes buffered before the call are sent first."""
        self._pubs.push()
        self._closing = True
        for sub in list(self._subs):
            sub._discard()  # as nats.py: no callback or iteration after close()
        await _ffi.settle(self._nc.close())
        await self._finish_status()

    async def drain(self) -> None:
        """Drains every subscription, waits until their callbacks have seen
        every message, then closes. A second call waits for the first.
        After ``drain_timeout`` (connect's) error_cb gets DrainTimeoutError
        and the connection is closed, as in nats.py, which also refuses a
        drain while reconnecting (ConnectionReconnectingError)."""
        if self.is_reconnecting:
            raise errors.ConnectionReconnectingError("nats: connection is reconnecting",
                                                     "illegal_state")
        self._pubs.push()
        try:
            await asyncio.wait_for(self._drain_all(), self._drain_timeout)
        except asyncio.TimeoutError:
            # As nats.py: error_cb hears of it, and the connection is closed.
            await self._report(errors.DrainTimeoutError("drain timed out", "timeout"))
            await self.close()

    async def _drain_all(self) -> None:
        if self.is_draining:
            await _ffi.settle(self._nc.closed())
        else:
            await _ffi.settle(self._nc.drain())
        for sub in list(self._subs):
            await await_unless_current(sub._cb_task)
        await self._finish_status()

    async def _finish_status(self) -> None:
        await await_unless_current(self._status_task)
        # Closed: nothing queues a push any more (a queued one has run, as
        # closing took at least one event-loop hop).
        self._pubs.close()

    # --- messaging ------------------------------------------------------------
    def _js_headers(self, headers: Optional[dict[str, str]]) -> Any:
        if headers is None:
            return None
        flat: list[str] = []
        for key, value in headers.items():
            # An enum key (nats.js.api.Header) is its value, as nats.py sends it.
            flat += [_header_text(key), _header_text(value)]
        return _ffi.call(self._mod.pyodide.headersFromPairs, _ffi.to_js(flat))

    async def publish(self, subject: str, payload: bytes = b"", reply: str = "",
                      headers: Optional[dict[str, str]] = None) -> None:
        """Publishes a message. Like nats.py, it is buffered: it reaches the
        engine in one batch with the other publishes of this step of the
        event loop (or once 64 KiB are waiting), in order with every other
        operation of this client. While more than 1 MiB waits to go out it
        waits for the socket (bounded memory in a publish loop)."""
        if type(payload) is not bytes:  # the common case skips the call
            payload = _ffi.as_bytes(payload)
        if not (reply or headers is not None or self._closing or self._reconnecting
                or len(payload) > self._max_payload):
            pushed = self._pubs.add_known(subject, payload)
            if pushed > 0 and self._nc.pendingOutputBytes > _WRITE_HIGH_WATER:
                # Backpressure: a publish loop waits while over 1 MiB is not yet
                # on the wire (checked once per 64 KiB batch, not per message).
                await _ffi.settle(self._nc.writeReady(_WRITE_HIGH_WATER))
            if pushed >= 0:
                return
        # Straight to the engine, which validates and raises here: the first
        # publish to a subject, options, anything that may fail.
        self._pubs.push()
        opts = None
        if reply or headers is not None:
            opts = _ffi.js_object(reply=reply or None, headers=self._js_headers(headers))
        _ffi.call(self._mod.pyodide.publish, self._nc, subject, _ffi.to_js(payload), opts)
        self._pubs.remember(subject)

    def _push_pubs(self) -> None:
        """Sends buffered publishes before any other operation (keeps order)."""
        self._pubs.push()

    def _report_later(self, exc: BaseException) -> None:
        asyncio.ensure_future(self._report(errors.translate(exc)))

    async def subscribe(self, subject: str, queue: str = "",
                        cb: Optional[MsgCallback] = None, max_msgs: int = 0,
                        pending_msgs_limit: int = DEFAULT_SUB_PENDING_MSGS_LIMIT,
                        pending_bytes_limit: int = DEFAULT_SUB_PENDING_BYTES_LIMIT
                        ) -> Subscription:
        """Subscribes. With ``cb``, the coroutine is awaited for each message
        in order; otherwise read ``sub.messages`` or ``sub.next_msg()``.
        Messages beyond ``pending_msgs_limit`` / ``pending_bytes_limit`` not
        yet taken (0 or less: no limit) are dropped, and ``error_cb`` gets a
        SlowConsumerError once per episode (nats.py calls it per message).
        A ``cb`` that is not ``async`` is InvalidCallbackTypeError, as in nats.py."""
        if cb is not None and not (inspect.iscoroutinefunction(cb) or
                                   inspect.iscoroutinefunction(getattr(cb, "__call__", None))):
            raise errors.InvalidCallbackTypeError("must use coroutine for subscriptions",
                                                  "invalid_argument")
        self._pubs.push()
        msgs_limit = max(0, int(pending_msgs_limit))
        opts = _ffi.js_object(queue=queue or None, max=max_msgs or None,
                              maxPendingMsgs=msgs_limit,
                              maxPendingBytes=max(0, int(pending_bytes_limit)))
        js_sub = _ffi.call(self._nc.subscribe, subject, opts)
        sub = Subscription(self, js_sub, subject, queue, msgs_limit)
        self._subs.add(sub)
        if cb is not None:
            sub._cb_task = asyncio.ensure_future(sub._run_callback(cb))
        return sub

    async def request(self, subject: str, payload: bytes = b"", timeout: float = 0.5,
                      old_style: bool = False, headers: Optional[dict[str, str]] = None) -> Msg:
        """Sends a request and waits for one reply. Cancelling the task
        cancels the request in the engine. ``old_style`` (nats.py's
        inbox-per-request mode) is accepted: every request shares the
        engine's one reply subscription either way."""
        if timeout == 0:  # _ffi.ms() would make it 1 ms; the engine refuses 0, as in JS
            raise errors.InvalidArgumentError("timeout must be > 0", "invalid_argument")
        self._pubs.push()
        # One crossing: the JS helper owns the AbortController and packs the reply.
        pending = _ffi.call(self._mod.pyodide.request, self._nc, subject,
                            _ffi.to_js_bytes(payload), _ffi.ms(timeout, "timeout"),
                            self._js_headers(headers))
        reply = await _ffi.settle(_Cancellable(pending.reply, pending.cancel))
        return msg_from_js(self, reply)

    async def request_many(self, subject: str, payload: bytes = b"", *, timeout: float = 1.0,
                           max_msgs: int = 0, stall: Optional[float] = None,
                           sentinel: bool = False,
                           headers: Optional[dict[str, str]] = None) -> AsyncIterator[Msg]:
        """Sends one request and yields replies until ``timeout`` passes,
        ``max_msgs`` arrived, no reply came for ``stall`` seconds, or (with
        ``sentinel``) an empty reply arrived. The engine decides when it ends."""
        import js  # type: ignore[import-not-found]

        self._pubs.push()
        strategy = ("sentinel" if sentinel else "stall" if stall is not None
                    else "count" if max_msgs else "timer")
        controller = js.AbortController.new()
        opts = _ffi.js_object(strategy=strategy, maxWait=_ffi.ms(timeout, "timeout"),
                              maxMessages=max_msgs or None,
                              stall=_ffi.ms(stall, "stall") if stall is not None else None,
                              headers=self._js_headers(headers), signal=controller.signal)
        iterable = await _ffi.settle(self._nc.requestMany(subject, _ffi.to_js_bytes(payload), opts))
        iterator = self._mod.pyodide.iteratorOf(iterable)
        try:
            while True:
                step = await _ffi.settle(iterator.next())
                if step.done:
                    return
                yield msg_from_js(self, self._mod.pyodide.packMsg(step.value))
        finally:
            controller.abort()  # cancels in the engine; a no-op when already finished

    async def flush(self, timeout: Optional[float] = None) -> None:
        """Waits until the server has processed everything sent before; the
        engine times it out (FlushTimeoutError) after ``timeout`` seconds
        (connect's flush_timeout, else 10). BadTimeoutError when it is not
        > 0, as in nats.py."""
        if timeout is None:
            timeout = (self._flush_timeout if self._flush_timeout is not None
                       else _connect.DEFAULT_FLUSH_TIMEOUT)
        if not isinstance(timeout, (int, float)) or timeout <= 0:
            raise errors.BadTimeoutError("nats: invalid timeout", "invalid_argument")
        self._pubs.push()
        try:
            await _ffi.settle(_ffi.call(self._mod.pyodide.flush, self._nc,
                                        _ffi.ms(timeout, "timeout")))
        except errors.TimeoutError:
            raise errors.FlushTimeoutError("flush timed out", "timeout") from None

    async def rtt(self, timeout: float = 10.0) -> float:
        """Round-trip time to the server in seconds; TimeoutError when no
        PONG comes within ``timeout`` (nats.py's default 10 s)."""
        self._pubs.push()
        # A flush timed by the engine's own timeout (no wait_for over it).
        start = time.perf_counter()
        await _ffi.settle(_ffi.call(self._mod.pyodide.flush, self._nc, _ffi.ms(timeout, "timeout")))
        return time.perf_counter() - start

    def new_inbox(self) -> str:
        """A fresh unique inbox subject."""
        return str(_ffi.call(self._nc.newInbox))

    def jetstream(self, **opts: Any) -> "JetStreamContext":
        """A JetStream context (nats.py: prefix, domain, timeout,
        publish_async_max_pending — the publish window, 4000 by default as
        in nats.py)."""
        from .js.client import JetStreamContext

        return JetStreamContext(self, **opts)

    def jsm(self, **opts: Any) -> "JetStreamManager":
        """A JetStream manager (nats.py: prefix, timeout)."""
        from .js.manager import JetStreamManager

        return JetStreamManager(self, **opts)

def _header_text(v: Any) -> str:
    return str(v.value) if isinstance(v, Enum) else str(v)


class _Cancellable:
    """A JS Promise with the call that cancels its operation (for settle)."""

    def __init__(self, promise: Any, cancel: Callable[[], None]) -> None:
        self.promise = promise
        self.cancel = cancel


async def connect(servers: Union[str, list[str]] = "ws://127.0.0.1:8080",
                  **options: Any) -> Client:
    """Connects to a NATS server's WebSocket port (ws:// or wss://) and
    returns the client. Options (nats.py's names): name, token, user,
    password, connect_timeout, ping_interval, max_outstanding_pings,
    no_echo, inbox_prefix, error_cb, disconnected_cb, closed_cb,
    reconnected_cb, discovered_server_cb, lame_duck_mode_cb,
    allow_reconnect, max_reconnect_attempts, reconnect_time_wait,
    dont_randomize, pending_size, flush_timeout (flush()'s default),
    drain_timeout (DrainTimeoutError after it), ignore_cluster_updates;
    nkey/JWT auth: nkeys_seed (a seed file), nkeys_seed_str, user_credentials
    (a .creds file, a (jwt file, seed file) pair, or RawCredentials(text)),
    user_jwt_cb and signature_cb (files are read and callbacks called at
    every connect; the nonce is signed with WebCrypto Ed25519);
    accepted for nats.py programs: verbose/pedantic (False), flusher_queue_size,
    tls_handshake_first (False). With several servers (or a cluster
    announcing others) a lost connection moves to the next; while
    reconnecting, publishes wait in a buffer of ``pending_size`` bytes
    (OutboundBufferLimitError past it). As in nats.py, with allow_reconnect
    the first connect is retried like a reconnect (NoServersError once every
    server failed max_reconnect_attempts times)."""
    nc = Client()
    await nc.connect(servers, **options)
    return nc
