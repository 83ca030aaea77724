"""connect()'s options, with nats.py's names: checked, mapped to the JS
package's, and the connection handed to the Client."""

from __future__ import annotations

import asyncio
import inspect
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from . import _auth, _ffi, errors
from ._loader import load

if TYPE_CHECKING:
    from .client import Callback, Client, ErrorCallback


# Defaults of connect(), under nats.py's names (nats.aio.client's constants).
DEFAULT_INBOX_PREFIX = b"_INBOX"
DEFAULT_PENDING_SIZE = 2 * 1024 * 1024
DEFAULT_RECONNECT_TIME_WAIT = 2.0
DEFAULT_MAX_RECONNECT_ATTEMPTS = 60
DEFAULT_PING_INTERVAL = 120.0
DEFAULT_MAX_OUTSTANDING_PINGS = 2
DEFAULT_FLUSH_TIMEOUT = 10.0
DEFAULT_CONNECT_TIMEOUT = 2.0
DEFAULT_DRAIN_TIMEOUT = 30.0

# Options nats.py has that this client cannot honour in a browser (yet):
# accepted only at their "off" value, with a clear error otherwise.
_UNSUPPORTED = {
    "tls": "TLS comes from a wss:// URL (the platform's WebSocket)",
    "tls_hostname": "TLS comes from a wss:// URL (the platform's WebSocket)",
    "ws_connection_headers": "a browser WebSocket cannot send extra headers",
    "reconnect_to_server_handler": "the engine picks the next server from its pool",
}
_OFF_ONLY = ("verbose", "pedantic", "tls_handshake_first")
_IGNORED = ("flusher_queue_size",)


async def connect_into(nc: "Client", servers: Union[str, list[str]], *,
                        name: Optional[str] = None,
                        token: Union[str, Callable[[], str], None] = None,
                        user: Optional[str] = None, password: Optional[str] = None,
                        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
                        ping_interval: float = DEFAULT_PING_INTERVAL,
                        max_outstanding_pings: int = DEFAULT_MAX_OUTSTANDING_PINGS,
                        no_echo: bool = False,
                        inbox_prefix: Union[str, bytes] = DEFAULT_INBOX_PREFIX,
                        error_cb: Optional[ErrorCallback] = None,
                        disconnected_cb: Optional[Callback] = None,
                        closed_cb: Optional[Callback] = None,
                        reconnected_cb: Optional[Callback] = None,
                        discovered_server_cb: Optional[Callback] = None,
                        lame_duck_mode_cb: Optional[Callback] = None,
                        allow_reconnect: bool = True,
                        max_reconnect_attempts: int = DEFAULT_MAX_RECONNECT_ATTEMPTS,
                        reconnect_time_wait: float = DEFAULT_RECONNECT_TIME_WAIT,
                        dont_randomize: bool = False,
                        pending_size: int = DEFAULT_PENDING_SIZE,
                        flush_timeout: Optional[float] = None,
                        drain_timeout: float = DEFAULT_DRAIN_TIMEOUT,
                        ignore_cluster_updates: bool = False,
                        nkeys_seed: Optional[str] = None, nkeys_seed_str: Optional[str] = None,
                        user_credentials: Optional[_auth.Credentials] = None,
                        user_jwt_cb: Optional[_auth.JWTCallback] = None,
                        signature_cb: Optional[_auth.SignatureCallback] = None,
                        **more: Any) -> None:
    for key, value in more.items():
        if key in _UNSUPPORTED:
            if value:
                raise errors.InvalidArgumentError(f"{key}: {_UNSUPPORTED[key]}", "invalid_argument")
        elif key in _OFF_ONLY:
            if value:
                raise errors.InvalidArgumentError(f"{key}=True is not supported", "invalid_argument")
        elif key not in _IGNORED:
            raise TypeError(f"connect() got an unexpected keyword argument '{key}'")
    for cb in (error_cb, disconnected_cb, closed_cb, reconnected_cb, discovered_server_cb,
               lame_duck_mode_cb):
        if cb is not None and not inspect.iscoroutinefunction(cb):
            # As nats.py: a plain function would fail later, unseen.
            raise errors.InvalidCallbackTypeError("callbacks must be coroutine functions",
                                                  "invalid_argument")
    if isinstance(inbox_prefix, bytes):
        inbox_prefix = inbox_prefix.decode()
    mod = await load()
    server_list = [servers] if isinstance(servers, str) else list(servers)
    if not isinstance(max_reconnect_attempts, int) or max_reconnect_attempts < -1:
        raise errors.InvalidArgumentError("max_reconnect_attempts must be -1 or more",
                                          "invalid_argument")
    if max_reconnect_attempts == 0:
        max_reconnect_attempts = -1  # nats.py limits only when > 0: 0 is no limit
    token_cb = token if callable(token) else None
    opts = _ffi.js_object(servers=_ffi.to_js(server_list), name=name,
                          token=None if token_cb else token, user=user,
                          timeout=_ffi.ms(connect_timeout, "connect_timeout"),
                          pingInterval=_ffi.ms(ping_interval, "ping_interval"),
                          maxPingOut=max_outstanding_pings, noEcho=no_echo,
                          inboxPrefix=inbox_prefix, reconnect=bool(allow_reconnect),
                          maxReconnectAttempts=max_reconnect_attempts,
                          reconnectTimeWait=_ffi.ms(reconnect_time_wait, "reconnect_time_wait"),
                          noRandomize=bool(dont_randomize), reconnectBufferSize=pending_size,
                          ignoreClusterUpdates=bool(ignore_cluster_updates),
                          # nats.py retries the first connect like a reconnect
                          # (max_reconnect_attempts per server) when it may reconnect.
                          waitOnFirstConnect=bool(allow_reconnect),
                          # nats.py retries a refused reconnect like any other.
                          ignoreAuthErrorAbort=True)
    if password is not None:
        setattr(opts, "pass", password)
    auth_fields = _auth.fields_source(nkeys_seed=nkeys_seed, nkeys_seed_str=nkeys_seed_str,
                                      user_credentials=user_credentials,
                                      user_jwt_cb=user_jwt_cb, signature_cb=signature_cb,
                                      token_cb=token_cb)
    auth_proxy = _auth.js_authenticator(auth_fields) if auth_fields is not None else None
    if auth_proxy is not None:
        opts.authenticator = auth_proxy
    if flush_timeout is not None:
        _ffi.ms(flush_timeout, "flush_timeout")  # checked now, as the others
    _ffi.ms(drain_timeout, "drain_timeout")
    # As nats.py: error_cb (and last_error) hear of every failed attempt of
    # the first connect, before connect() returns or raises.
    nc._error_cb = error_cb
    reports: list[asyncio.Future[None]] = []

    def attempt_failed(js_error: Any) -> None:
        reports.append(asyncio.ensure_future(nc._report(errors.translate(js_error))))

    on_attempt_failed = _ffi.create_proxy(attempt_failed)
    try:
        js_nc = await _ffi.settle(mod.pyodide.connectReporting(opts, on_attempt_failed))
    except BaseException:
        if auth_proxy is not None:
            auth_proxy.destroy()
        raise
    finally:
        on_attempt_failed.destroy()  # the JS side dropped it before settling
        await asyncio.gather(*reports)
    nc._auth_proxy = auth_proxy
    nc._flush_timeout = flush_timeout
    nc._drain_timeout = drain_timeout
    nc._attach(mod, js_nc, error_cb, disconnected_cb, closed_cb, reconnected_cb,
               discovered_server_cb, lame_duck_mode_cb)
