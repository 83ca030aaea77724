"""``nats.aio.client``: the client (``Client as NATS``)."""

from .._auth import RawCredentials
from ..client import Client, connect
from ..msg import Msg
from ..subscription import Subscription

__all__ = ["Client", "Msg", "RawCredentials", "Subscription", "connect"]
