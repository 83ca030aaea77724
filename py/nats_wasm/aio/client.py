"""``nats.aio.client``: the client (``Client as NATS``)."""

from ..client import Client, connect
from ..msg import Msg
from ..subscription import Subscription

__all__ = ["Client", "Msg", "Subscription", "connect"]
