"""``nats.aio.msg``."""

from ..msg import Msg

__all__ = ["Msg"]
