"""Subscriptions: ``async for msg in sub.messages``, ``await sub.next_msg()``
or a coroutine callback. Messages reach Python in batches (one await per
batch, not per message)."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable, Optional

from . import _ffi, errors
from .msg import Msg, unpack_msgs

if TYPE_CHECKING:
    from .client import Client

MsgCallback = Callable[[Msg], Awaitable[None]]

_BATCH = 4096
# nats.py's defaults for subscribe()'s pending_msgs_limit / pending_bytes_limit.
DEFAULT_SUB_PENDING_MSGS_LIMIT = 512 * 1024
DEFAULT_SUB_PENDING_BYTES_LIMIT = 128 * 1024 * 1024


async def await_unless_current(task: "Optional[asyncio.Task[None]]") -> None:
    """Waits for a helper task, unless we are running inside it (a callback
    that calls close()/drain() would otherwise wait for itself forever)."""
    if task is not None and task is not asyncio.current_task():
        await asyncio.shield(task)


class Subscription:
    """A subscription (nats.py names)."""

    def __init__(self, client: "Client", js_sub: Any, subject: str, queue: str,
                 pending_msgs_limit: int = 0) -> None:
        self._client = client
        self._js_sub = js_sub
        self.subject = subject
        self.queue = queue
        self._buffer: deque[Msg] = deque()
        self._ended: Optional[BaseException] = None
        self._done = False
        self._cb_task: Optional[asyncio.Task[None]] = None
        self._readiness = _ffi.Readiness()
        # Python's own buffer holds at most what the engine's limit allows.
        self._batch = min(_BATCH, pending_msgs_limit) if pending_msgs_limit > 0 else _BATCH

    @property
    def sid(self) -> int:
        """The subscription id."""
        return int(self._js_sub.sid)

    @property
    def pending_msgs(self) -> int:
        """Messages received and not yet taken."""
        return len(self._buffer) + int(self._js_sub.getPending())

    @property
    def pending_bytes(self) -> int:
        """Payload bytes received and not yet taken (nats.py)."""
        return sum(len(m.data) for m in self._buffer) + int(self._js_sub.getPendingBytes())

    @property
    def dropped(self) -> int:
        """Messages dropped over the pending limits (an extension)."""
        return int(self._js_sub.getDropped())

    @property
    def delivered(self) -> int:
        """Messages received for this subscription, taken or not (nats.py
        counts them as they arrive)."""
        return int(self._js_sub.getReceived())

    def _take(self) -> None:
        """Moves the messages queued on the JS side into the buffer (sync)."""
        try:
            packed = self._client._mod.pyodide.takePacked(self._js_sub, self._batch)
        except Exception as exc:  # the JS side ended the subscription with an error
            self._done = True
            self._ended = errors.translate(exc)
            return
        if packed is None:  # nothing queued yet
            return
        self._done = unpack_msgs(self._client, packed, self._buffer.append)

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
            # ready() takes nothing: a wait cancelled or timed out here
            # leaves the messages queued on the JS side for the next call.
            await self._readiness.wait(self._js_sub.ready, timeout)
        return self._buffer.popleft()

    async def next_msg(self, timeout: Optional[float] = 1.0) -> Msg:
        """Waits for the next message. Raises TimeoutError, or the error that
        ended the subscription (BadSubscriptionError when it ended cleanly).
        As in nats.py: ConnectionClosedError once the connection is closed,
        and Error on a subscription with a callback."""
        if self._client.is_closed:
            raise errors.ConnectionClosedError("the connection is closed", "connection_closed")
        if self._cb_task is not None:
            raise errors.Error("nats: next_msg cannot be used in async subscriptions",
                               "illegal_state")
        msg = await self._next(timeout)
        if msg is None:
            raise errors.BadSubscriptionError("subscription is closed", "bad_subscription")
        return msg

    @property
    def messages(self) -> AsyncIterator[Msg]:
        """Async iterator over messages. Cancelling the iterating task ends
        the subscription (it unsubscribes)."""
        return _MessageIterator(self)

    def _check_usable(self) -> None:
        """nats.py's refusals for unsubscribe() and drain(), in its order."""
        if self._client.is_closed:
            raise errors.ConnectionClosedError("the connection is closed", "connection_closed")
        if self._client.is_draining:
            raise errors.ConnectionDrainingError("the connection is draining", "connection_draining")
        if self._js_sub.isClosed() or self._js_sub.isDraining():
            raise errors.BadSubscriptionError("nats: invalid subscription", "bad_subscription")

    async def unsubscribe(self, limit: int = 0) -> None:
        """Unsubscribes now, or after ``limit`` messages in total. Now: the
        messages not yet handed out are discarded, as in nats.py (a callback
        that unsubscribes gets nothing more, an iterator ends)."""
        self._check_usable()
        self._client._push_pubs()
        _ffi.call(self._js_sub.unsubscribe, limit)
        if limit == 0:
            self._discard()

    def _discard(self) -> None:
        """Ends delivery here: what was taken and not handed out is dropped
        (nats.py's unsubscribe() and close() stop processing at once)."""
        self._buffer.clear()
        self._done = True

    async def drain(self) -> None:
        """Stops interest, delivers what is in flight, then closes."""
        self._check_usable()
        self._client._push_pubs()
        await _ffi.settle(self._js_sub.drain())
        await await_unless_current(self._cb_task)

    def _cancel(self) -> None:
        """Ends interest after the iterating task was cancelled."""
        if not self._js_sub.isClosed():
            try:
                self._js_sub.unsubscribe()
            except Exception:
                pass  # already closed on the JS side: nothing left to end

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
        buffer = self._sub._buffer
        if buffer:  # the common case: no wait, no coroutine for _next
            return buffer.popleft()
        try:
            msg = await self._sub._next(None)
        except asyncio.CancelledError:
            self._sub._cancel()
            raise
        if msg is None:
            raise StopAsyncIteration
        return msg
