"""Exceptions raised by nats_wasm, named as in nats.py (nats.errors).

Which exception a JS/WebAssembly error becomes is decided by the engine's
error table (core/src/error.cpp, reaching Python through the JS package):
each engine code names its Python class by path, e.g. "errors.TimeoutError"
or "js.errors.APIError". :func:`translate` applies it.
"""

from __future__ import annotations

import asyncio
import importlib
from typing import Any, Optional


class Error(Exception):
    """Base class of every nats_wasm error. ``code`` is the engine's error name."""

    #: What str() says without a message: nats.py's text for the class.
    default = "error"

    def __init__(self, message: str = "", code: str = "error") -> None:
        super().__init__(message)
        self.code = code

    def __str__(self) -> str:
        return f"nats: {self.args[0]}" if self.args and self.args[0] else f"nats: {self.default}"


class TimeoutError(Error, asyncio.TimeoutError):  # noqa: A001 - nats.py's name
    """An operation did not complete in time."""

    default = 'timeout'


class FlushTimeoutError(TimeoutError):
    """flush() did not complete in time."""

    default = 'flush timeout'


class DrainTimeoutError(TimeoutError):
    """drain() did not complete in time."""

    default = 'draining connection timed out'


class NoRespondersError(Error):
    """A request found no subscriber (status 503)."""

    default = 'no responders available for request'


class StaleConnectionError(Error):
    """The server stopped answering PINGs."""

    default = 'stale connection'


class UnexpectedEOF(StaleConnectionError):
    """The connection ended without a close."""

    default = 'unexpected EOF'


class ConnectionClosedError(Error):
    """The connection is closed."""

    default = 'connection closed'


class ConnectionDrainingError(Error):
    """The connection is draining: no new subscriptions or requests."""

    default = 'connection draining'


class ConnectionReconnectingError(Error):
    """The connection is reconnecting."""

    default = 'connection reconnecting'


class NoServersError(Error):
    """No server could be reached."""

    default = 'no servers available for connection'


class AuthorizationError(Error):
    """The server rejected the credentials."""

    default = 'authorization failed'


class PermissionViolationError(Error):
    """The server denied a publish or a subscription."""

    def __init__(self, message: str = "", operation: str = "", subject: str = "",
                 queue: Optional[str] = None) -> None:
        super().__init__(message, "permission_violation")
        self.operation = operation
        self.subject = subject
        self.queue = queue


class InvalidArgumentError(Error, ValueError):
    """A bad argument: the operation was not attempted."""


class BadSubjectError(InvalidArgumentError):
    """A subject with whitespace, an empty token or a misplaced wildcard."""

    default = 'invalid subject'


class BadTimeoutError(InvalidArgumentError):
    """A timeout that is not a positive number."""

    default = 'timeout invalid'


class MaxPayloadError(InvalidArgumentError):
    """Headers plus payload exceed the server's max_payload."""

    default = 'maximum payload exceeded'


class InvalidUserCredentialsError(InvalidArgumentError):
    """user_credentials that cannot be used (not a file name, text or pair)."""

    default = 'invalid user credentials'


class InvalidCallbackTypeError(Error):
    """A callback that is not a coroutine function (nats.py requires ``async def``)."""

    default = 'callbacks must be coroutine functions'


class BadSubscriptionError(Error):
    """The subscription is closed or unknown."""

    default = 'invalid subscription'


class SlowConsumerError(Error):
    """A subscription fell behind and messages were dropped (nats.py's
    ``subject``, ``reply``, ``sid`` and ``sub`` attributes)."""

    default = 'slow consumer, messages dropped'

    def __init__(self, message: str = "slow consumer, messages dropped",
                 code: str = "slow_consumer", subject: str = "", reply: str = "",
                 sid: int = 0, sub: Any = None) -> None:
        super().__init__(message, code)
        self.subject = subject
        self.reply = reply
        self.sid = sid
        self.sub = sub


class OutboundBufferLimitError(Error):
    """Reconnecting, and the buffer for publishes (pending_size) is full."""

    default = 'outbound buffer limit exceeded'


class ProtocolError(Error):
    """The server sent something that breaks the protocol, or an -ERR."""

    default = 'protocol error'


class NotJSMessageError(Error):
    """A JetStream-only call on a message that did not come from a stream."""

    default = 'not a JetStream message'


class MsgAlreadyAckdError(Error):
    """The message was acknowledged already."""


def _table() -> dict[str, str]:
    """Engine error name → Python class path, from the loaded JS package."""
    from . import _loader

    return _loader.error_classes()


def _resolve(path: str) -> type:
    module_path, _, name = path.rpartition(".")
    module = importlib.import_module(f"nats_wasm.{module_path}")
    return getattr(module, name)


def _get(obj: Any, name: str, default: Any = None) -> Any:
    try:
        value = getattr(obj, name)
    except Exception:
        return default
    return default if value is None else value


def translate_code(errc: int, message: str) -> BaseException:
    """The exception for an engine error number (from a decoded result)."""
    from . import _loader

    return translate(_CodeError(_loader.error_names().get(errc, "error"), message))


class _CodeError:
    """An engine error given by code (not a JS exception)."""

    def __init__(self, errc: str, message: str) -> None:
        self.errc = errc
        self.message = message


def translate(exc: Any) -> BaseException:
    """Maps an error from the JS layer (a JsException, or a JS Error object)
    to the nats_wasm exception the engine's table names. Anything else is
    returned as is."""
    if isinstance(exc, Error):
        return exc
    errc = _get(exc, "errc")
    if not isinstance(errc, str):
        return exc
    message = str(_get(exc, "message", ""))
    path = _table().get(errc, "errors.Error")
    cls = _resolve(path)
    if cls is PermissionViolationError:
        return PermissionViolationError(message, str(_get(exc, "operation", "")),
                                        str(_get(exc, "subject", "")), _get(exc, "queue"))
    factory = getattr(cls, "_from_js", None)
    if factory is not None:
        return factory(exc, message, errc)
    return cls(message, errc)
