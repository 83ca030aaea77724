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
        self._last_subject: Any = None
        self._last_size = -1
        self._last_prefix = b""
        self._proxy: Any = create_proxy(self.push)

    @property
    def buffered(self) -> int:
        """Bytes of publishes waiting here for the next push."""
        return len(self._buf)

    def remember(self, subject: str) -> None:
        """Marks a subject as accepted by the engine."""
        if not isinstance(subject, str):
            return
        # Replies to one-off inboxes would fill the cache for good: start
        # over when it is full.
        if len(self._known) >= _KNOWN_SUBJECTS:
            self._known.clear()
            self._last_subject = None
        self._known[subject] = subject.encode()

    def add_known(self, subject: str, payload: Any) -> int:
        """Buffers one publish to a subject the engine accepted before (the
        hot path: one call). -1: the subject is not known, nothing done (the
        caller goes to the engine); 1: buffered and pushed at the high-water
        mark; 0: buffered, a push queued right after the current Python step."""
        buf = self._buf
        size = len(payload)
        # The common loop repeats subject and size: their packed prefix (the
        # lengths and the subject) is reused as it is.
        if subject is not self._last_subject or size != self._last_size:
            encoded = self._known.get(subject)
            if encoded is None:
                return -1
            self._last_subject = subject
            self._last_size = size
            self._last_prefix = _PUB_HEADER.pack(len(encoded), size) + encoded
        buf += self._last_prefix
        buf += payload
        if len(buf) >= _PUB_HIGH_WATER:
            self.push()
            return 1
        if not self._queued and self._proxy is not None:
            self._queued = True
            self._mod.pyodide.queueMicrotask(self._proxy)
        return 0

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
