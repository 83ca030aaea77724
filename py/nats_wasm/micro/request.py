"""A request to an endpoint (nats.py's ``nats.micro.Request``) and the
error a service replies with (``ServiceError``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from .. import _ffi
from ..msg import Msg

if TYPE_CHECKING:
    from .service import Service

ERROR_HEADER = "Nats-Service-Error"
ERROR_CODE_HEADER = "Nats-Service-Error-Code"


@dataclass
class ServiceError(Exception):
    """An error reply: raise it in a handler to answer with this code, and
    request_stream() raises it when a service answered with one."""

    code: str
    description: str

    def __post_init__(self) -> None:
        Exception.__init__(self, f"{self.code}:{self.description}")

    def __repr__(self) -> str:
        return f"{self.code}:{self.description}"

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "description": self.description}

    @classmethod
    def from_dict(cls, d: dict[str, str]) -> "ServiceError":
        return cls(code=str(d["code"]), description=str(d["description"]))


class Request:
    """A request received by an endpoint; answer it with ``respond`` or
    ``respond_error`` (or raise in the handler)."""

    def __init__(self, msg: Msg, service: "Service") -> None:
        self._msg = msg
        self._service = service
        self._error: Optional[ServiceError] = None
        self._answered = False

    @property
    def subject(self) -> str:
        return self._msg.subject

    @property
    def reply(self) -> str:
        return self._msg.reply

    @property
    def headers(self) -> Optional[dict[str, str]]:
        return self._msg.headers

    @property
    def data(self) -> bytes:
        return self._msg.data

    async def respond(self, data: bytes = b"", headers: Optional[dict[str, str]] = None) -> None:
        """Replies to the requester."""
        self._answered = True
        await self._send(data, headers)

    async def _send(self, data: bytes, headers: Optional[dict[str, str]] = None) -> None:
        # A reply that does not answer the request by itself: a stream's chunk.
        if self._msg.reply:
            await self._service._nc.publish(self._msg.reply, data, headers=headers)

    async def respond_error(self, code: str, description: str, data: bytes = b"",
                            headers: Optional[dict[str, str]] = None) -> None:
        """Replies with an error: the Nats-Service-Error(-Code) headers (the
        core's), ``data`` and your own ``headers``. Counts as an error in
        the endpoint's stats."""
        self._error = ServiceError(str(code), str(description))
        self._answered = True
        if not self._msg.reply:
            return
        nc = self._service._nc
        flat: Optional[Any] = None
        if headers:
            flat = _ffi.to_js([str(x) for kv in headers.items() for x in kv])
        hdrs = _ffi.call(nc._mod.pyodide.micro.errorReplyHeaders, str(code), str(description), flat)
        nc._pubs.push()
        _ffi.call(nc._mod.pyodide.publish, nc._nc, self._msg.reply,
                  _ffi.to_js(_ffi.as_bytes(data)), _ffi.js_object(headers=hdrs))


def error_of(exc: BaseException) -> ServiceError:
    """The error reply a handler's exception becomes (nats.py: a
    ServiceError as is, anything else 500 with its repr)."""
    if isinstance(exc, ServiceError):
        return exc
    return ServiceError("500", repr(exc))


__all__ = ["ERROR_CODE_HEADER", "ERROR_HEADER", "Request", "ServiceError", "error_of"]
