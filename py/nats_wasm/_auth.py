"""nats.py's nkey and JWT options, turned into one JS authenticator.

The engine decides what CONNECT carries and when the server's nonce must be
signed; the JS host signs with WebCrypto Ed25519. This module only reads
what nats.py reads (seed and creds files, callbacks) at every connect, so
credentials can rotate between reconnects, as in nats.py."""

from __future__ import annotations

import os
from typing import Any, Callable, Optional, Tuple, Union

from . import errors

JWTCallback = Callable[[], Union[bytes, bytearray, str]]
SignatureCallback = Callable[[str], Union[bytes, bytearray, str]]


class RawCredentials(str):
    """The text of a ``.creds`` file, given instead of its path (nats.py)."""


Credentials = Union[str, "os.PathLike[str]", Tuple[str, str], RawCredentials]


def _text(value: Union[bytes, bytearray, str]) -> str:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode()
    if isinstance(value, str):
        return value
    raise errors.InvalidUserCredentialsError("credentials must be str or bytes", "invalid_argument")


def _read(path: Union[str, "os.PathLike[str]"]) -> str:
    with open(path, "rb") as f:
        return f.read().decode()


def _creds_fields(creds: Credentials) -> dict[str, str]:
    """What a ``user_credentials`` value gives CONNECT: the core reads the
    ``.creds`` layout; a (jwt file, seed file) pair gives each part."""
    if isinstance(creds, RawCredentials):
        return {"creds": str(creds)}
    if isinstance(creds, tuple):
        if len(creds) != 2:
            raise errors.InvalidUserCredentialsError(
                "user_credentials as a tuple is (jwt file, seed file)", "invalid_argument")
        jwt_text, seed_text = _read(creds[0]), _read(creds[1])
        if "-----BEGIN" in jwt_text or "-----BEGIN" in seed_text:
            return {"creds": jwt_text + "\n" + seed_text}
        return {"jwt": jwt_text.strip(), "seed": seed_text.strip()}
    return {"creds": _read(creds)}


def fields_source(*, nkeys_seed: Optional[str] = None, nkeys_seed_str: Optional[str] = None,
                  user_credentials: Optional[Credentials] = None,
                  user_jwt_cb: Optional[JWTCallback] = None,
                  signature_cb: Optional[SignatureCallback] = None,
                  token_cb: Optional[Callable[[], Any]] = None
                  ) -> Optional[Callable[[Optional[str]], dict[str, str]]]:
    """A function of the nonce giving this connection's auth fields, or None
    when no nkey/JWT option is set. Called once here so that a missing file
    or a failing callback raises from connect() itself."""
    if not any(v is not None for v in (nkeys_seed, nkeys_seed_str, user_credentials,
                                       user_jwt_cb, signature_cb, token_cb)):
        return None
    for name, cb in (("user_jwt_cb", user_jwt_cb), ("signature_cb", signature_cb)):
        if cb is not None and not callable(cb):
            raise errors.InvalidArgumentError(f"{name} must be callable", "invalid_argument")

    def fields(nonce: Optional[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        if user_credentials is not None:
            out.update(_creds_fields(user_credentials))
        if nkeys_seed is not None:
            out["seed"] = _read(nkeys_seed).strip()
        if nkeys_seed_str is not None:
            out["seed"] = nkeys_seed_str.strip()
        if user_jwt_cb is not None:
            out["jwt"] = _text(user_jwt_cb())
        if token_cb is not None:
            # nats.py's callable token: asked again on every (re)connect.
            out["auth_token"] = _text(token_cb())
        if signature_cb is not None and nonce:
            # nats.py's callback returns the signature in base64, which
            # nats-server accepts next to base64url.
            out["sig"] = _text(signature_cb(nonce))
        return out

    fields(None)  # files and callbacks checked before connecting
    return fields


def js_authenticator(fields: Callable[[Optional[str]], dict[str, str]]) -> Any:
    """A JS authenticator (a proxy the caller destroys) calling ``fields``."""
    from pyodide.ffi import create_proxy  # type: ignore[import-not-found]

    from . import _ffi

    def authenticator(nonce: Any = None) -> Any:
        return _ffi.js_object(**fields(nonce if isinstance(nonce, str) else None))

    return create_proxy(authenticator)
