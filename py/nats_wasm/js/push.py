"""Push consumers for nats.py's ``js.subscribe`` and ``js.subscribe_bind``.

The server delivers to the consumer's deliver subject; subscribing, flow
control, stalled heartbeats and statuses are the engine's
(core/src/jetstream/engine_push.cpp), reached through
js/src/pyodide_push.mjs. The result is a :class:`Consumer`, consumed like a
pull consumer (``messages()``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Optional

from .. import _ffi
from . import api
from .consumer import Consumer

if TYPE_CHECKING:
    from ..client import Client

# nats.py's defaults for what a push subscription may hold unconsumed before
# messages are dropped (SlowConsumerError); the core's
# js::kPushPendingMsgsLimit/BytesLimit (a test checks that they agree).
DEFAULT_JS_SUB_PENDING_MSGS_LIMIT = 512 * 1024
DEFAULT_JS_SUB_PENDING_BYTES_LIMIT = 256 * 1024 * 1024


def limits(pending_msgs_limit: int, pending_bytes_limit: int) -> Any:
    """The JS layer's {pending_msgs_limit, pending_bytes_limit} (0: no limit)."""
    return _ffi.js_object(pending_msgs_limit=pending_msgs_limit,
                          pending_bytes_limit=pending_bytes_limit)


async def push_consumer(client: "Client", ctx: Any, stream: str, name: str,
                        queue: str, held: Any = None) -> Optional[Consumer]:
    """The consumer ``name`` as a push consumer, or None when it is a pull
    consumer; NotFoundError when there is none. ``queue`` ("" for none)
    must be its deliver group: checked when it starts (illegal state).
    ``held``: limits() for its session (the core's defaults when None)."""
    client._push_pubs()
    op = _ffi.call(client._mod.pyodide.push.get, ctx, stream, name, queue, held)
    js_consumer, info = (await _ffi.settle(op)).to_py(depth=1)
    parsed = api.ConsumerInfo.from_response(json.loads(info))
    if not parsed.config.deliver_subject:
        return None
    return Consumer(client, js_consumer, parsed, False)


def subscribe_config(client: "Client", subject: str, queue: Optional[str],
                     durable: Optional[str], config: Optional[api.ConsumerConfig],
                     flow_control: bool, idle_heartbeat: Optional[float],
                     deliver_policy: Optional[api.DeliverPolicy], headers_only: Optional[bool],
                     inactive_threshold: Optional[float]) -> tuple:
    """nats.py's js.subscribe: (the consumer's name, "" when ephemeral; the
    config of the push consumer it creates when none of that name exists).
    Both are the engine's rule (core/src/jetstream/push_subscribe.cpp); a
    queue that is not the durable is refused (illegal state)."""
    policy = getattr(deliver_policy, "value", deliver_policy)
    request = _ffi.js_object(
        subject=subject, queue=queue or "", durable=durable or "", inbox=client.new_inbox(),
        flow_control=bool(flow_control), deliver_policy=policy, headers_only=headers_only,
        idle_heartbeat=api._to_ns(idle_heartbeat) if idle_heartbeat else None,
        inactive_threshold=api._to_ns(inactive_threshold) if inactive_threshold else None)
    given = json.dumps(config.as_dict()) if config is not None else ""
    name, made = _ffi.call(client._mod.pyodide.push.subscribeConfig, given, request)
    return name, api.ConsumerConfig.from_response(json.loads(made))


def bound_push_consumer(client: "Client", ctx: Any, stream: str, name: str,
                        config: api.ConsumerConfig, held: Any = None) -> Consumer:
    """nats.py's subscribe_bind: the consumer as ``config`` describes it
    (its deliver subject, group and heartbeat); nothing is looked up."""
    if config.deliver_subject is None:
        raise TypeError("config.deliver_subject is required")
    js_consumer = client._mod.pyodide.push.bind(ctx, stream, name, json.dumps(config.as_dict()),
                                                held)
    info = api.ConsumerInfo(name=name, stream_name=stream, config=config)
    return Consumer(client, js_consumer, info, False)
