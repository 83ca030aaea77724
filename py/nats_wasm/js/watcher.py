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

    def _convert(self, value: Any) -> Optional[T]:
        raise NotImplementedError

    def __aiter__(self) -> "JsWatcher[T]":
        return self

    async def __anext__(self) -> Optional[T]:
        if self._stopped:
            raise StopAsyncIteration
        try:
            step = await _ffi.settle(self._iterator.next())
        except asyncio.CancelledError:
            await self.stop()
            raise
        if step.done:
            raise StopAsyncIteration
        return self._convert(step.value)

    async def updates(self, timeout: Optional[float] = 5.0) -> Optional[T]:
        """The next item (or the None marker); TimeoutError when none comes."""
        try:
            return await asyncio.wait_for(self.__anext__(), timeout)
        except asyncio.TimeoutError:
            raise core_errors.TimeoutError("no update before the timeout", "timeout") from None

    async def stop(self) -> None:
        """Ends the watch (its consumer is deleted)."""
        if not self._stopped:
            self._stopped = True
            self._js.stop()

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
