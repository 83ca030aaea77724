"""JetStream for nats_wasm, named as nats.py's ``nats.js``."""

from . import api, errors
from .client import JetStreamContext
from .consumer import Consumer
from .manager import JetStreamManager
from .messages import MessageStream
from .offset import Offset

__all__ = ["Consumer", "JetStreamContext", "JetStreamManager", "MessageStream", "Offset", "api",
           "errors"]
