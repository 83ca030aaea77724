"""``nats.aio.client``: the client (``Client as NATS``) and its defaults."""

from .._auth import RawCredentials
from .._connect import (DEFAULT_CONNECT_TIMEOUT, DEFAULT_DRAIN_TIMEOUT, DEFAULT_FLUSH_TIMEOUT,
                        DEFAULT_INBOX_PREFIX, DEFAULT_MAX_OUTSTANDING_PINGS,
                        DEFAULT_MAX_RECONNECT_ATTEMPTS, DEFAULT_PENDING_SIZE,
                        DEFAULT_PING_INTERVAL, DEFAULT_RECONNECT_TIME_WAIT)
from ..client import Client, connect
from ..client_state import ServerVersion
from ..msg import Msg
from ..subscription import Subscription

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT", "DEFAULT_DRAIN_TIMEOUT", "DEFAULT_FLUSH_TIMEOUT",
    "DEFAULT_INBOX_PREFIX", "DEFAULT_MAX_OUTSTANDING_PINGS", "DEFAULT_MAX_RECONNECT_ATTEMPTS",
    "DEFAULT_PENDING_SIZE", "DEFAULT_PING_INTERVAL", "DEFAULT_RECONNECT_TIME_WAIT", "Client", "Msg",
    "RawCredentials", "ServerVersion", "Subscription", "connect",
]
