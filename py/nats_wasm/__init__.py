"""nats_wasm: a NATS client for Python in Pyodide (browser notebooks, Node).

The protocol engine is C++ compiled to WebAssembly; this package wraps its
JavaScript API so that Python awaits it as coroutines::

    import nats_wasm

    async with await nats_wasm.connect("ws://127.0.0.1:8080") as nc:
        sub = await nc.subscribe("greet.*")
        await nc.publish("greet.joe", b"hello")
        msg = await sub.next_msg(timeout=1)
"""

from . import errors
from .client import Client, Status, connect
from .msg import Msg
from .subscription import Subscription

NATS = Client  # nats.py: ``from nats import NATS``

__all__ = ["NATS", "Client", "Msg", "Status", "Subscription", "connect", "errors"]
__version__ = "0.1.0"
