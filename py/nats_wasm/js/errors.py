"""JetStream, key-value and object-store errors, named as in nats.py
(nats.js.errors)."""

from __future__ import annotations

from typing import Any, Optional

from .. import errors as _core


class Error(_core.Error):
    """Base class of JetStream errors."""

    def __init__(self, description: Optional[str] = None, code: str = "error") -> None:
        super().__init__(description or "", code)
        self.description = description

    def __str__(self) -> str:
        return f"nats: JetStream.{type(self).__name__} {self.description or ''}".rstrip()


class APIError(Error):
    """A JetStream API error reply: ``code`` is the HTTP-like status (404),
    ``err_code`` the server's code (10059), ``description`` its text."""

    def __init__(self, code: Optional[int] = None, description: Optional[str] = None,
                 err_code: Optional[int] = None, stream: Optional[str] = None,
                 seq: Optional[int] = None) -> None:
        super().__init__(description, "js_api_error")
        self.code = code  # type: ignore[assignment]  # nats.py: the status, not a name
        self.err_code = err_code
        self.stream = stream
        self.seq = seq

    def __str__(self) -> str:
        return (f"nats: {type(self).__name__}: code={self.code} err_code={self.err_code} "
                f"description='{self.description}'")

    @classmethod
    def _from_js(cls, exc: Any, message: str, errc: str) -> "APIError":
        status = _int(getattr(exc, "status", None))
        err_code = _int(getattr(exc, "code", None))  # nats.js: code is the err_code
        target: type = cls
        if cls is APIError:
            # The engine's table: by err_code first (10071 is a
            # KeyWrongLastSequenceError), then by status (404 NotFoundError).
            from .. import _loader
            from ..errors import _resolve

            path = _loader.api_error_class(err_code, status)
            if path:
                target = _resolve(path)
        return target(code=status, description=message, err_code=err_code)


def _int(value: Any) -> Optional[int]:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


class ServiceUnavailableError(APIError):
    """503: JetStream is not available."""


class ServerError(APIError):
    """500."""


class NotFoundError(APIError):
    """404 (stream, consumer or message not found)."""


class BadRequestError(APIError):
    """400."""


class NoStreamResponseError(Error):
    """A publish found no stream for its subject."""


class ConsumerDeletedError(NotFoundError):
    """The consumer was deleted while in use."""


class TooManyStalledMsgsError(Error):
    """Too many asynchronous publishes are waiting for acknowledgement."""


class FetchTimeoutError(_core.TimeoutError):
    """fetch() got no message in time."""


class BucketNotFoundError(NotFoundError):
    """The key-value bucket does not exist."""


class BadBucketError(APIError):
    """The stream is not a key-value bucket."""


class KeyValueError(APIError):
    """Base of key-value errors."""


class KeyDeletedError(KeyValueError, NotFoundError):
    """The key was deleted (nats.py: ``entry`` and ``op`` say how)."""

    def __init__(self, entry: Any = None, op: Optional[str] = None, **api: Any) -> None:
        super().__init__(**api)
        self.entry = entry
        self.op = op

    def __str__(self) -> str:
        return "nats: key was deleted"


class KeyNotFoundError(KeyValueError, NotFoundError):
    """The key has no value: never written, or deleted/purged (then
    ``entry`` and ``op`` say how, as nats.py)."""

    def __init__(self, entry: Any = None, op: Optional[str] = None, message: Optional[str] = None,
                 **api: Any) -> None:
        super().__init__(**api)
        self.entry = entry
        self.op = op
        self.message = message

    def __str__(self) -> str:
        return "nats: key not found" + (f": {self.message}" if self.message else "")


class KeyWrongLastSequenceError(KeyValueError, BadRequestError):
    """An update named a revision that is not the key's latest."""

    def __str__(self) -> str:
        return f"nats: {self.description or 'wrong last sequence'}"


class NoKeysError(KeyValueError):
    """The bucket has no keys."""

    def __str__(self) -> str:
        return "nats: no keys found"


class KeyValueLimitMarkerTTLNotSupportedError(Error):
    """A per-message TTL (msg_ttl), which needs nats-server 2.11."""

    def __str__(self) -> str:
        return "nats: limit marker TTL not supported by this server"


class KeyHistoryTooLargeError(KeyValueError, _core.InvalidArgumentError):
    """A bucket's history over 64: a KeyValueError as in nats.py (also an
    InvalidArgumentError)."""

    @classmethod
    def _from_js(cls, exc: Any, message: str, errc: str) -> "KeyHistoryTooLargeError":
        return cls(description=message)

    def __str__(self) -> str:
        return "nats: history limited to a max of 64"


class InvalidKeyError(Error):
    """A key-value key that is not allowed."""


class InvalidBucketNameError(Error, _core.InvalidArgumentError):
    """A bucket name that is not allowed (also an InvalidArgumentError)."""


class DigestMismatchError(Error):
    """An object's data does not match its digest."""


class ObjectNotFoundError(NotFoundError):
    """The object does not exist."""


class ObjectDeletedError(NotFoundError):
    """The object was deleted."""


class ObjectAlreadyExists(Error):
    """An object by that name exists (nats.py's name, without "Error")."""


class LinkIsABucketError(Error):
    """The object is a link to a whole store, not to an object."""


class BadObjectMetaError(Error):
    """An object's info cannot be read."""
