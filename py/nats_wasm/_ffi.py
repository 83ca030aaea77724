"""The edge between Python and the JS package: JS objects and bytes, and
awaiting JS operations so that their errors become nats_wasm exceptions and
cancelling the awaiting task cancels the operation on the JS/C++ side."""

from __future__ import annotations

import asyncio
import functools
from typing import Any, Awaitable, Callable, Optional, TypeVar, Union

from . import errors

try:  # only importable inside Pyodide; looked up once, not per call
    from pyodide.ffi import create_proxy, to_js  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - type checking or docs outside Pyodide
    create_proxy = None
    to_js = None

Payload = Union[bytes, bytearray, memoryview, str, None]
T = TypeVar("T")


def js_object(**fields: Any) -> Any:
    """A plain JS object with the fields that are not None."""
    import js  # type: ignore[import-not-found]

    obj = js.Object.new()
    for key, value in fields.items():
        if value is not None:
            setattr(obj, key, value)
    return obj


def as_bytes(data: Payload) -> Union[bytes, bytearray, memoryview]:
    """A payload as bytes (str is UTF-8 encoded; None is empty)."""
    if data is None:
        return b""
    if isinstance(data, str):
        return data.encode()
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise errors.InvalidArgumentError("payload must be bytes", "invalid_argument")
    return data


def to_js_bytes(data: Payload) -> Any:
    """Copies a payload into a Uint8Array (no bytes() copy first)."""
    return to_js(as_bytes(data))


def ms(seconds: Optional[float], what: str) -> int:
    """Seconds (nats.py's unit) to whole milliseconds (the engine's), at least 1."""
    if seconds is None:
        return 0
    if (not isinstance(seconds, (int, float)) or seconds != seconds or seconds < 0
            or seconds == float("inf")):
        raise errors.InvalidArgumentError(f"{what} must be a finite number of seconds >= 0",
                                          "invalid_argument")
    return max(1, int(seconds * 1000))


def call(fn: Callable[..., T], *args: Any) -> T:
    """Calls a synchronous JS function; its errors become nats_wasm errors."""
    try:
        return fn(*args)
    except Exception as exc:
        raise errors.translate(exc) from None


async def settle(operation: Any) -> Any:
    """Awaits a JS operation: a Promise, or {promise, cancel()} when it can be
    cancelled. JS errors become nats_wasm errors; cancelling the awaiting task
    calls cancel(), so nothing is left pending in the engine."""
    promise = getattr(operation, "promise", None)
    cancel = getattr(operation, "cancel", None) if promise is not None else None
    try:
        return await (promise if promise is not None else operation)
    except asyncio.CancelledError:
        if cancel is not None:
            cancel()
        raise
    except Exception as exc:
        raise errors.translate(exc) from None


def translating(fn: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
    """For async methods that call JS: any JS error they let through becomes
    a nats_wasm error (settle() does the same for what they await)."""

    @functools.wraps(fn)
    async def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return await fn(*args, **kwargs)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            raise errors.translate(exc) from None

    return wrapper


async def _resolved(promise: Any) -> Any:
    return await promise


class Readiness:
    """One wait at a time on a JS ``ready()`` promise, kept across calls.

    A poll that times out or is cancelled leaves the wait in place for the
    next poll, so an idle loop of short timeouts holds one JS waiter, not one
    per poll (each waiter lived until a message came). Timeouts use
    ``asyncio.wait``, which schedules with ``call_later``: ``wait_for``
    schedules an absolute time that Pyodide's loop may reject as being in
    the past ("Can't schedule in the past") when the timeout is tiny.
    """

    def __init__(self) -> None:
        self._pending: "Optional[asyncio.Future[Any]]" = None

    async def wait(self, make_promise: Callable[[], Any], timeout: Optional[float],
                   what: str = "timed out waiting for a message") -> None:
        """Waits until the promise ``make_promise()`` gave resolves; raises
        nats_wasm's TimeoutError after ``timeout`` seconds (None: forever)."""
        if self._pending is None:
            self._pending = asyncio.ensure_future(_resolved(make_promise()))
        pending = self._pending
        if timeout is None:
            await asyncio.shield(pending)
        else:
            done, _ = await asyncio.wait({pending}, timeout=max(0.0, timeout))
            if not done:
                raise errors.TimeoutError(what, "timeout")
        self._pending = None
        pending.result()  # a JS rejection surfaces here
