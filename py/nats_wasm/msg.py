"""Received messages (nats.py's ``Msg``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional

from . import errors
from .msg_metadata import Metadata

if TYPE_CHECKING:
    from .client import Client

_UNSET: Any = object()


def decode_headers(client: Optional["Client"], raw: Optional[bytes]) -> Optional[dict[str, str]]:
    """A raw header block decoded by the engine, as nats.py's dict: the
    status line as "Status"/"Description", the last value of a repeated key.
    A block that is not NATS/1.0 raises ProtocolError."""
    if not raw:
        return None
    from . import _ffi, _loader

    mod = client._mod if client is not None else _loader._module
    flat = mod.pyodide.decodeHeaders(_ffi.to_js(raw)).to_py()
    if flat[0] != 0:
        raise errors.translate_code(int(flat[0]), str(flat[1]))
    headers: dict[str, str] = {}
    if flat[1]:
        headers["Status"] = str(flat[1])
        if flat[2]:
            headers["Description"] = flat[2]
    for i in range(3, len(flat) - 1, 2):
        headers[flat[i]] = flat[i + 1]
    return headers


class Msg:
    """A received message. ``headers`` is decoded by the engine on first use."""

    __slots__ = ("_client", "subject", "reply", "data", "_headers", "_raw_headers", "_sid",
                 "_metadata", "_ackd")

    def __init__(self, _subject: Any = "", reply: str = "", data: bytes = b"",
                 headers: Optional[dict[str, str]] = None, sid: int = 0,
                 _client: Optional["Client"] = None, _raw_headers: Optional[bytes] = None,
                 subject: Optional[str] = None) -> None:
        if not isinstance(_subject, str) and hasattr(_subject, "new_inbox"):
            # nats.py's Msg is a dataclass whose first field is the client:
            # Msg(nc, subject=..., reply=...) builds one that can ack.
            _client, _subject = _subject, ""
        if subject is not None:
            _subject = subject
        self._client = _client
        self.subject = _subject
        self.reply = reply
        self.data = data
        # Raw headers are decoded on first use (most messages are never asked).
        self._headers = _UNSET if headers is None and _raw_headers else headers
        self._raw_headers = _raw_headers
        self._sid = sid
        self._metadata: Any = None
        self._ackd = False

    @property
    def headers(self) -> Optional[dict[str, str]]:
        """The headers as a dict, or None when the message has none."""
        if self._headers is _UNSET:
            self._headers = decode_headers(self._client, self._raw_headers)
        return self._headers

    @headers.setter
    def headers(self, value: Optional[dict[str, str]]) -> None:
        self._headers = value

    @property
    def header(self) -> Optional[dict[str, str]]:
        """nats.py's alias of headers."""
        return self.headers

    @property
    def sid(self) -> int:
        """The id of the subscription the message arrived on."""
        return self._sid

    async def respond(self, data: bytes = b"", headers: Optional[dict[str, str]] = None) -> None:
        """Publishes a reply to ``msg.reply``. As nats.py, the reply carries
        the request's headers unless ``headers`` is given ({} for none)."""
        if not self.reply:
            raise errors.Error("no reply subject to respond to", "invalid_argument")
        if self._client is None:
            raise errors.ConnectionClosedError("message has no connection", "connection_closed")
        await self._client.publish(self.reply, data,
                                   headers=self.headers if headers is None else headers)

    # --- JetStream (nats.py: the same Msg class) ------------------------------------
    @property
    def metadata(self) -> "Metadata":
        """Where the message sits in its stream (NotJSMessageError if it did
        not come from a consumer)."""
        if self._metadata is None:
            self._metadata = Metadata._from_reply(self._client, self.reply)
        return self._metadata

    @property
    def is_acked(self) -> bool:
        """True once ack/ack_sync/nak/term was sent."""
        return self._ackd

    def _ack_target(self, check_acked: bool = True) -> "Client":
        if not self.reply:
            raise errors.NotJSMessageError("not a JetStream message", "not_js_message")
        if check_acked and self._ackd:
            raise errors.MsgAlreadyAckdError(f"message was already acknowledged: {self!r}",
                                             "already_acked")
        if self._client is None:
            raise errors.ConnectionClosedError("message has no connection", "connection_closed")
        return self._client

    def _send_ack(self, kind: str, delay: Optional[float] = None) -> None:
        from . import _ffi

        client = self._ack_target(kind != "working")
        delay_ms = _ffi.ms(delay, "delay") if delay else 0
        _ffi.call(client._mod.pyodide.jsAck, client._nc, self.reply, kind, delay_ms)
        if kind != "working":
            self._ackd = True

    async def ack(self) -> None:
        """Acknowledges the message."""
        self._send_ack("ack")

    async def ack_sync(self, timeout: float = 1.0) -> "Msg":
        """Acknowledges and waits until the server confirms (TimeoutError
        otherwise). Returns the server's reply, as nats.py."""
        from . import _ffi

        client = self._ack_target()
        op = _ffi.call(client._mod.pyodide.jsAckSync, client._nc, self.reply,
                       _ffi.ms(timeout, "timeout"))
        packed = await _ffi.settle(op)
        self._ackd = True
        return msg_from_js(client, packed)

    async def nak(self, delay: Optional[float] = None) -> None:
        """Asks for redelivery, after ``delay`` seconds when given."""
        self._send_ack("nak", delay)

    async def in_progress(self) -> None:
        """Still working on it: the server restarts the ack wait. Repeatable."""
        self._send_ack("working")

    async def term(self) -> None:
        """Never redeliver this message."""
        self._send_ack("term")

    def __repr__(self) -> str:
        return (f"<Msg: subject='{self.subject}' reply='{self.reply}' "
                f"data='{self.data[:10]!r}...'>")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Msg):
            return NotImplemented
        return (self.subject, self.reply, self.data, self.headers) == (
            other.subject, other.reply, other.data, other.headers)

    __hash__ = None  # type: ignore[assignment]

    Metadata = Metadata


_new_msg = object.__new__


def unpack_msgs(client: Optional["Client"], packed: Any, append: Callable[[Msg], None]) -> bool:
    """Appends the messages of a js/src/pyodide.mjs packMsgs() batch; returns
    True when the batch says nothing more will come. Four conversions per
    batch, then slices: subjects and replies from one text, header blocks
    and payloads from one bytes. Msgs are built without __init__'s argument
    handling (the per-message path: about a fifth cheaper in Pyodide)."""
    ended = bool(packed[0])
    raw_text = packed[1].to_bytes()
    blob = packed[2].to_bytes()
    meta = packed[3].to_py().tolist()
    text = raw_text.decode()
    # ASCII (the rule for subjects in practice): byte offsets are character
    # offsets, and the decoded text is sliced; otherwise each field is decoded.
    ascii_text = len(text) == len(raw_text)
    t = 0
    b = 0
    for subject_end, reply_end, headers_end, data_end, sid in zip(
            meta[0::5], meta[1::5], meta[2::5], meta[3::5], meta[4::5]):
        m = _new_msg(Msg)
        m._client = client
        if ascii_text:
            m.subject = text[t:subject_end]
            m.reply = text[subject_end:reply_end]
        else:
            m.subject = raw_text[t:subject_end].decode()
            m.reply = raw_text[subject_end:reply_end].decode()
        m.data = blob[headers_end:data_end]
        if headers_end > b:
            m._raw_headers = blob[b:headers_end]
            m._headers = _UNSET  # decoded on first use
        else:
            m._raw_headers = None
            m._headers = None
        m._sid = sid
        m._metadata = None
        m._ackd = False
        append(m)
        t = reply_end
        b = data_end
    return ended


def msg_from_js(client: "Client", packed: Any) -> Msg:
    """A Msg from js/src/pyodide.mjs packMsg(): one to_py() for all fields."""
    subject, reply, sid, raw_headers, data = packed.to_py()
    return Msg(subject, reply, bytes(data), None, sid, client,
               bytes(raw_headers) if raw_headers is not None else None)

