"""The messages of one pull session (a fetch or a continuous consume), as an
async iterator that takes them from JavaScript in batches: one FFI call and
four conversions per batch (msg.unpack_msgs), one await per batch.

Pulling, pending counts, heartbeats, statuses and recovery are the engine's
(core/src/jetstream/engine_pull.cpp). Messages count as consumed when they
are handed to Python, and the engine pulls only as they are consumed, so a
slow reader holds at most one pull's worth in memory.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING, Any, AsyncIterator, Callable, Dict, Generator, Optional

from .. import _ffi, errors
from ..msg import Msg, unpack_msgs

if TYPE_CHECKING:
    from ..client import Client

_BATCH = 4096


class MessageStream:
    """Messages of a pull session: ``async for msg in stream``.

    A continuous stream (``consumer.messages()``, ``consume()``) raises the
    error that ended it; a fetched batch ends quietly and keeps the error in
    :attr:`error` (as nats.py's MessageBatch). Awaiting the stream starts it
    and returns it, so both ``await consumer.messages()`` and
    ``async for m in consumer.messages()`` work. Cancelling the iterating
    task, ``break`` inside ``async with``, or :meth:`stop` end the pull: no
    request stays outstanding.
    """

    def __init__(self, client: "Client", start: Callable[[], Any], raise_errors: bool) -> None:
        self._client = client
        self._start = start
        self._js: Any = None
        self._raise = raise_errors
        self._buffer: "deque[Msg]" = deque()
        self._done = False
        self._error: Optional[BaseException] = None
        self._delivered = 0
        self._stopped = False
        self._readiness = _ffi.Readiness()

    # --- starting -----------------------------------------------------------------
    def _session(self) -> Any:
        if self._js is None:
            self._client._push_pubs()
            self._js = _ffi.call(self._start)
        return self._js

    def __await__(self) -> Generator[Any, None, "MessageStream"]:
        async def started() -> "MessageStream":
            self._session()
            return self

        return started().__await__()

    # --- iterating ----------------------------------------------------------------
    def __aiter__(self) -> "MessageStream":
        return self

    async def __anext__(self) -> Msg:
        buffer = self._buffer
        if buffer:  # the common case: no wait, no coroutine for _next
            self._delivered += 1
            return buffer.popleft()
        try:
            msg = await self._next(None)
        except asyncio.CancelledError:
            self._stop_now()
            raise
        if msg is None:
            raise StopAsyncIteration
        return msg

    async def _next(self, timeout: Optional[float]) -> Optional[Msg]:
        """The next message; None when the session ended (error kept or raised)."""
        js = self._session()
        while not self._buffer:
            if not self._done:
                self._take(js)
            if self._buffer:
                break
            if self._done:
                if self._error is not None and self._raise:
                    err, self._error = self._error, None
                    raise err
                return None
            await self._readiness.wait(js.ready, timeout)
        self._delivered += 1
        return self._buffer.popleft()

    def _take(self, js: Any) -> None:
        """Moves what JavaScript has queued into the buffer (synchronously)."""
        try:
            packed = self._client._mod.pyodide.takeJsPacked(js, _BATCH)
        except Exception as exc:  # the session ended with an error
            self._done = True
            self._error = errors.translate(exc)
            return
        if packed is None:
            return
        self._done = unpack_msgs(self._client, packed, self._buffer.append)

    # --- ending -------------------------------------------------------------------
    def _stop_now(self) -> None:
        self._stopped = True
        if self._js is not None and not self._done:
            try:
                self._js.stop()
            except Exception:
                pass  # the connection is gone: nothing is pulling any more

    async def stop(self) -> None:
        """Stops pulling. Messages already received are still yielded, then
        the iteration ends."""
        self._stop_now()

    async def close(self) -> None:
        """stop(), then waits until the session has ended."""
        self._stop_now()
        if self._js is not None:
            await _ffi.settle(self._js.closed())

    async def __aenter__(self) -> "MessageStream":
        self._session()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self._stop_now()

    # --- state --------------------------------------------------------------------
    @property
    def error(self) -> Optional[BaseException]:
        """The error that ended the session, if any (a fetched batch)."""
        if self._js is not None and not self._done and not self._buffer:
            self._take(self._js)
        return self._error

    @property
    def pending_msgs(self) -> int:
        """Messages received and not yet taken."""
        return len(self._buffer) + (int(self._js.getPending()) if self._js is not None else 0)

    @property
    def pending_bytes(self) -> int:
        """Payload bytes received and not yet taken."""
        queued = int(self._js.getPendingBytes()) if self._js is not None else 0
        return sum(len(m.data) for m in self._buffer) + queued

    @property
    def delivered(self) -> int:
        """Messages handed to Python so far."""
        return self._delivered

    def status(self) -> AsyncIterator[Dict[str, Any]]:
        """Notifications from now until the session ends, as dicts with
        nats.js's fields: {"type": "heartbeats_missed", "count": 2},
        {"type": "consumer_deleted", "code": 409, "description": ...},
        {"type": "reset", "name": ...}, ... Listening starts at this call."""
        js = self._session()
        iterator = self._client._mod.pyodide.iteratorOf(js.status())
        return _Notifications(iterator)


class _Notifications:
    """A JS async iterator of notifications, as dicts."""

    def __init__(self, iterator: Any) -> None:
        self._iterator = iterator

    def __aiter__(self) -> "_Notifications":
        return self

    async def __anext__(self) -> Dict[str, Any]:
        step = await _ffi.settle(self._iterator.next())
        if step.done:
            raise StopAsyncIteration
        return step.value.to_py()

    async def aclose(self) -> None:
        """Stops listening."""
        try:
            getattr(self._iterator, "return")()
        except Exception:
            pass  # already ended
