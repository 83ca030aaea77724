"""Exceptions raised by nats_wasm, named as in nats.py.

Every error from the JavaScript/WebAssembly layer arrives as a
``pyodide.ffi.JsException``; :func:`translate` turns it into one of these,
keeping the message.
"""

from __future__ import annotations

import asyncio
from typing import Any


class Error(Exception):
    """Base class of every nats_wasm error."""

    def __init__(self, message: str = "", code: str = "error") -> None:
        super().__init__(message)
        self.code = code

    def __str__(self) -> str:
        return f"nats: {self.args[0]}" if self.args and self.args[0] else "nats: error"


class TimeoutError(Error, asyncio.TimeoutError):  # noqa: A001 - nats.py's name
    """An operation did not complete in time."""


class NoRespondersError(Error):
    """A request found no subscriber (status 503)."""


class ConnectionClosedError(Error):
    """The connection is closed."""


class ConnectionDrainingError(Error):
    """The connection is draining: no new subscriptions or requests."""


class NoServersError(Error):
    """The server could not be reached."""


class StaleConnectionError(Error):
    """The server stopped answering PINGs."""


class AuthorizationError(Error):
    """The server rejected the credentials."""


class PermissionViolationError(Error):
    """The server denied a publish or a subscription."""

    def __init__(self, message: str = "", operation: str = "", subject: str = "") -> None:
        super().__init__(message, "permission_violation")
        self.operation = operation
        self.subject = subject


class InvalidArgumentError(Error, ValueError):
    """A bad argument: the operation was not attempted."""


class BadSubjectError(InvalidArgumentError):
    """A subject with whitespace, an empty token or a misplaced wildcard."""


class MaxPayloadError(InvalidArgumentError):
    """Headers plus payload exceed the server's max_payload."""


class BadSubscriptionError(Error):
    """The subscription is closed or unknown."""


class ProtocolError(Error):
    """The server sent something that breaks the protocol, or an -ERR."""


_BY_JS_NAME: dict[str, type[Error]] = {
    "TimeoutError": TimeoutError,
    "NoRespondersError": NoRespondersError,
    "ClosedConnectionError": ConnectionClosedError,
    "DrainingConnectionError": ConnectionDrainingError,
    "ConnectionError": ConnectionClosedError,
    "AuthorizationError": AuthorizationError,
    "InvalidSubjectError": BadSubjectError,
    "MaxPayloadError": MaxPayloadError,
    "InvalidArgumentError": InvalidArgumentError,
    "InvalidOperationError": BadSubscriptionError,
    "ProtocolError": ProtocolError,
}


def _get(obj: Any, name: str, default: Any = None) -> Any:
    try:
        value = getattr(obj, name)
    except Exception:
        return default
    return default if value is None else value


def translate(exc: BaseException, connecting: bool = False) -> BaseException:
    """Maps a JsException from the JS layer to a nats_wasm error.

    Anything that is not a JS error (or is already ours) is returned as is.
    """
    if isinstance(exc, Error):
        return exc
    name = _get(exc, "name")
    if not isinstance(name, str):
        return exc
    message = str(_get(exc, "message", ""))
    code = str(_get(exc, "code", "error"))
    if name == "RequestError":
        cause = _get(exc, "cause")
        if cause is not None and _get(cause, "name") == "NoRespondersError":
            return NoRespondersError(message, "no_responders")
        return Error(message, code)
    if name == "PermissionViolationError":
        return PermissionViolationError(
            message, str(_get(exc, "operation", "")), str(_get(exc, "subject", ""))
        )
    if name == "ConnectionError":
        if code == "stale_connection":
            return StaleConnectionError(message, code)
        if connecting:
            return NoServersError(message, code)
    cls = _BY_JS_NAME.get(name)
    if cls is None:
        return Error(message, code) if name.endswith("Error") else exc
    return cls(message, code)
