"""Python's publishes, buffered like nats.py's pending buffer: they cross to
the engine as one packed batch per event-loop step (or at 64 KiB), because
every FFI crossing costs Python microseconds (docs/benchmarks.md)."""

from __future__ import annotations

import struct
from typing import Any, Callable

_PUB_HEADER = struct.Struct("<II")
_PUB_HIGH_WATER = 64 * 1024
_KNOWN_SUBJECTS = 1024


class PublishBuffer:
    """Packed publishes waiting for the engine: per message a little-endian
    (subject length, payload length) header, the subject, the payload
    (js/src/pyodide.mjs publishPacked)."""

    def __init__(self, mod: Any, nc: Any, on_error: Callable[[BaseException], None]) -> None:
        from pyodide.ffi import create_proxy, to_js  # type: ignore[import-not-found]

        self._mod = mod
        self._nc = nc
        self._to_js = to_js
        self._on_error = on_error
        self._buf = bytearray()
        self._queued = False
        # Subjects the engine accepted once (validity does not change), encoded.
        self._known: dict[str, bytes] = {}
        self._proxy: Any = create_proxy(self.push)

    @property
    def buffered(self) -> int:
        """Bytes of publishes waiting here for the next push."""
        return len(self._buf)

    def known(self, subject: str) -> "bytes | None":
        """The encoded subject if the engine accepted it before."""
        return self._known.get(subject)

    def remember(self, subject: str) -> None:
        """Marks a subject as accepted by the engine."""
        if not isinstance(subject, str):
            return
        # Replies to one-off inboxes would fill the cache for good: start
        # over when it is full.
        if len(self._known) >= _KNOWN_SUBJECTS:
            self._known.clear()
        self._known[subject] = subject.encode()

    def add(self, encoded: bytes, payload: Any) -> bool:
        """Buffers one publish; pushes at the high-water mark (then returns
        True), else queues a push right after the current Python step."""
        buf = self._buf
        buf += _PUB_HEADER.pack(len(encoded), len(payload))
        buf += encoded
        buf += payload
        if len(buf) >= _PUB_HIGH_WATER:
            self.push()
            return True
        if not self._queued and self._proxy is not None:
            self._queued = True
            self._mod.pyodide.queueMicrotask(self._proxy)
        return False

    def push(self) -> None:
        """Hands buffered publishes to the engine (before any other operation)."""
        self._queued = False
        if not self._buf:
            return
        packed = self._to_js(self._buf)
        self._buf = bytearray()
        try:
            self._mod.pyodide.publishPacked(self._nc, packed)
        except Exception as exc:
            # Already returned to the caller: reported like nats.py reports
            # asynchronous errors (error_cb), never dropped silently.
            self._on_error(exc)

    def close(self) -> None:
        """Frees the JS callback (nothing queues a push after close)."""
        if self._proxy is not None:
            self._proxy.destroy()
            self._proxy = None
