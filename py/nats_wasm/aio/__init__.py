"""nats.py's module paths (``nats.aio.client``, ``nats.aio.msg``,
``nats.aio.subscription``), so that ``from nats_wasm.aio.client import
Client as NATS`` works as ``from nats.aio.client import Client as NATS``."""
