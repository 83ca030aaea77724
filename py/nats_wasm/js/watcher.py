"""What key-value and object-store watchers share: iterating a JS watch
(js/src/jetstream/ordered_read.mjs orderedItems) from Python, where a
``None`` marks the end of the initial values, with nats.py's ``updates()``
and ``stop()``."""

from __future__ import annotations

import asyncio
from typing import Any, Generic, List, Optional, TypeVar

from .. import _ffi
from .. import errors as core_errors

T = TypeVar("T")


class JsWatcher(Generic[T]):
    """``async for item in watcher``: items, and one ``None`` after the
    initial ones. Subclasses say how a JS value becomes an item."""

    def __init__(self, bridge: Any, js_iterable: Any) -> None:
        self._bridge = bridge
        self._js = js_iterable
        self._iterator = bridge.iteratorOf(js_iterable)
        self._stopped = False
        # The JS iterator step in flight, kept when updates() times out so
        # that no item is lost and the watch goes on.
        self._step: "Optional[asyncio.Future[Any]]" = None

    def _convert(self, value: Any) -> Optional[T]:
        raise NotImplementedError

    def __aiter__(self) -> "JsWatcher[T]":
        return self

    def _next_step(self) -> "asyncio.Future[Any]":
        if self._step is None:
            self._step = asyncio.ensure_future(_ffi.settle(self._iterator.next()))
        return self._step

    async def __anext__(self) -> Optional[T]:
        if self._stopped:
            raise StopAsyncIteration
        step_future = self._next_step()
        try:
            step = await asyncio.shield(step_future)
        except asyncio.CancelledError:
            # The iterating task was cancelled: the watch ends with it.
            await self.stop()
            raise
        self._step = None
        if step.done:
            raise StopAsyncIteration
        return self._convert(step.value)

    async def updates(self, timeout: Optional[float] = 5.0) -> Optional[T]:
        """The next item (or the None marker); TimeoutError when none comes
        (the watch goes on: the next call gets what comes later)."""
        if not self._stopped and timeout is not None:
            # asyncio.wait, not wait_for: a timeout must not cancel the step.
            done, _ = await asyncio.wait({self._next_step()}, timeout=max(0.0, timeout))
            if not done:
                raise core_errors.TimeoutError("no update before the timeout", "timeout")
        return await self.__anext__()

    async def stop(self) -> None:
        """Ends the watch (its consumer is deleted)."""
        if not self._stopped:
            self._stopped = True
            self._js.stop()
            if self._step is not None and not self._step.done():
                self._step.cancel()

    async def initial(self) -> List[T]:
        """The items up to the ``None`` marker (what was there when the watch
        began), then stops the watch: for keys, history and list."""
        out: List[T] = []
        try:
            async for item in self:
                if item is None:
                    break
                out.append(item)
        finally:
            await self.stop()
        return out
