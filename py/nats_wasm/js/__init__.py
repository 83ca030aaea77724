"""JetStream for nats_wasm, named as nats.py's ``nats.js``."""

from . import api, errors
from .client import JetStreamContext
from .manager import JetStreamManager

__all__ = ["JetStreamContext", "JetStreamManager", "api", "errors"]
