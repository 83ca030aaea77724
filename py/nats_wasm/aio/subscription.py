"""``nats.aio.subscription``."""

from ..subscription import Subscription

__all__ = ["Subscription"]
