"""The consuming half of JetStreamContext: nats.py's ``pull_subscribe``,
``pull_subscribe_bind`` and ``subscribe``, and the consumer objects of
nats.py's ``nats.jetstream`` API (``get_consumer``, ``ordered_consumer``)."""

from __future__ import annotations

import datetime
import json
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

from .. import _ffi
from .. import errors as core_errors
from . import api, errors
from .consumer import Consumer, Seconds, get_consumer, ordered_options
from .offset import Offset
from .push import (DEFAULT_JS_SUB_PENDING_BYTES_LIMIT, DEFAULT_JS_SUB_PENDING_MSGS_LIMIT,
                   bound_push_consumer, limits, push_consumer, subscribe_config)
from .subscriptions import Callback, JetStreamSubscription, PullSubscription

if TYPE_CHECKING:
    from ..client import Client
    from .kv import KeyValue


class KeyValueMixin:
    """nats.py's key-value calls of JetStreamContext."""

    _nc: "Client"
    _ctx: Any

    async def key_value(self, bucket: str) -> "KeyValue":
        """Opens a bucket (BucketNotFoundError when there is none)."""
        from .kv import key_value

        return await key_value(self._nc, self._ctx, bucket)

    async def create_key_value(self, config: Optional[Any] = None, **params: Any) -> "KeyValue":
        """Creates a bucket: bucket, history (1..64), ttl (seconds),
        max_value_size, max_bytes, storage, replicas, description, direct,
        placement, republish, mirror (a read replica of another bucket:
        writes to it are refused). sources, compression, metadata and
        limit_marker_ttl are not supported: setting one is
        InvalidArgumentError."""
        from .kv import key_value

        if config is not None:
            params = {**{k: v for k, v in vars(config).items() if v is not None}, **params}
        bucket = params.get("bucket")
        if not bucket:
            raise ValueError("nats: bucket name is required")
        storage = params.get("storage")
        cfg = {"bucket": bucket, "history": params.get("history", 1),
               "ttl": int(float(params.get("ttl") or 0) * 1000),
               "max_value_size": params.get("max_value_size") or -1,
               "max_bytes": params.get("max_bytes") or -1,
               "storage": getattr(storage, "value", storage) or "file",
               "replicas": params.get("replicas", 1),
               "description": params.get("description") or "",
               # None (nats.py's default): direct gets, which 2.9 servers have
               "allow_direct": params.get("direct") is not False}
        # Placement and republish go to the bucket's stream; settings this
        # client cannot honour (mirror, sources, ...) reach the core, which
        # refuses them rather than dropping them.
        for key in ("placement", "republish", "mirror", "sources", "compression", "metadata"):
            value = params.get(key)
            if value is not None:
                cfg[key] = value.as_dict() if hasattr(value, "as_dict") else value
        if params.get("limit_marker_ttl"):
            cfg["markerTTL"] = params["limit_marker_ttl"]
        return await key_value(self._nc, self._ctx, bucket, cfg)

    async def delete_key_value(self, bucket: str) -> bool:
        """Deletes a bucket and everything in it."""
        resp = await self._call("kv_bucket_delete", {"bucket": bucket})  # type: ignore[attr-defined]
        return bool(resp.get("success"))


class ConsumingMixin:
    """Consumer calls of JetStreamContext (needs ``_nc``, ``_ctx`` and the
    manager's calls)."""

    _nc: "Client"
    _ctx: Any

    # --- nats.jetstream consumer objects --------------------------------------------
    async def get_consumer(self, stream: str, name: str) -> Consumer:
        """A pull consumer by name (NotFoundError when it does not exist)."""
        return await get_consumer(self._nc, self._ctx, stream, name)

    async def ordered_consumer(self, stream: str, *,
                               filter_subjects: Union[str, Sequence[str], None] = None,
                               deliver_policy: Union[api.DeliverPolicy, str, None] = None,
                               opt_start_seq: Optional[int] = None,
                               opt_start_time: Union[datetime.datetime, str, None] = None,
                               replay_policy: Union[api.ReplayPolicy, str, None] = None,
                               inactive_threshold: Seconds = None,
                               headers_only: Optional[bool] = None,
                               name_prefix: Optional[str] = None,
                               offset: Optional[Offset] = None) -> Consumer:
        """An ordered consumer: each stream message once, in order, from the
        deliver policy given; the engine recreates it after gaps, lost
        heartbeats or its deletion. ``close()`` (or ``async with``) deletes
        it on the server. ``offset`` (:class:`Offset`) replaces the deliver
        policy: ``Offset.from_end(10)`` starts at the last 10 records."""
        opts = ordered_options(filter_subjects, deliver_policy, opt_start_seq, opt_start_time,
                               replay_policy, inactive_threshold, headers_only, name_prefix,
                               offset)
        return await get_consumer(self._nc, self._ctx, stream, None, opts)

    # --- nats.py classic ----------------------------------------------------------------
    async def pull_subscribe(self, subject: str, durable: Optional[str] = None,
                             stream: Optional[str] = None,
                             config: Optional[api.ConsumerConfig] = None,
                             pending_msgs_limit: int = DEFAULT_JS_SUB_PENDING_MSGS_LIMIT,
                             pending_bytes_limit: int = DEFAULT_JS_SUB_PENDING_BYTES_LIMIT,
                             inbox_prefix: Optional[bytes] = None) -> PullSubscription:
        """A pull subscription: an existing durable is bound as it is;
        otherwise a consumer filtered on ``subject`` is created (durable when
        named, ephemeral otherwise)."""
        if stream is None:
            stream = await self.find_stream_name_by_subject(subject)  # type: ignore[attr-defined]
        if durable:
            try:
                await self.consumer_info(stream, durable)  # type: ignore[attr-defined]
                return await self.pull_subscribe_bind(durable, stream)
            except errors.NotFoundError:
                pass
        # What the consumer is made with is the engine's rule (nats.py's).
        given = json.dumps(config.as_dict()) if config is not None else ""
        fresh = self._nc.new_inbox().rsplit(".", 1)[-1]
        made = _ffi.call(self._nc._mod.pyodide.pullSubscribeConfig, given, subject,
                         durable or "", fresh)
        config = api.ConsumerConfig.from_response(json.loads(made))
        info = await self.add_consumer(stream, config)  # type: ignore[attr-defined]
        return await self.pull_subscribe_bind(info.name, stream)

    async def pull_subscribe_bind(self, consumer: Optional[str] = None,
                                  stream: Optional[str] = None,
                                  inbox_prefix: Optional[bytes] = None,
                                  pending_msgs_limit: int = DEFAULT_JS_SUB_PENDING_MSGS_LIMIT,
                                  pending_bytes_limit: int = DEFAULT_JS_SUB_PENDING_BYTES_LIMIT,
                                  name: Optional[str] = None,
                                  durable: Optional[str] = None) -> PullSubscription:
        """A pull subscription on an existing consumer."""
        consumer = durable or name or consumer
        if not stream:
            raise ValueError("nats: stream name is required")
        if not consumer:
            raise ValueError("nats: consumer name is required")
        return PullSubscription(self._nc, await self.get_consumer(stream, consumer))

    async def subscribe(self, subject: str, queue: Optional[str] = None,
                        cb: Optional[Callback] = None, durable: Optional[str] = None,
                        stream: Optional[str] = None,
                        config: Optional[api.ConsumerConfig] = None, manual_ack: bool = False,
                        ordered_consumer: bool = False, idle_heartbeat: Optional[float] = None,
                        flow_control: bool = False,
                        pending_msgs_limit: int = DEFAULT_JS_SUB_PENDING_MSGS_LIMIT,
                        pending_bytes_limit: int = DEFAULT_JS_SUB_PENDING_BYTES_LIMIT,
                        deliver_policy: Optional[api.DeliverPolicy] = None,
                        headers_only: Optional[bool] = None,
                        inactive_threshold: Optional[float] = None) -> JetStreamSubscription:
        """Messages of ``subject`` as they are stored. ``ordered_consumer``:
        an ordered consumer (each message once, in order). Otherwise a
        consumer named by ``durable`` (or ``queue``: workers sharing it share
        the messages) is bound or created; with a callback and no
        ``manual_ack`` each message is acknowledged after it."""
        if stream is None:
            stream = await self.find_stream_name_by_subject(subject)  # type: ignore[attr-defined]
        if ordered_consumer:
            policy = deliver_policy or (config.deliver_policy if config else None)
            consumer = await self.ordered_consumer(
                stream, filter_subjects=subject, deliver_policy=policy,
                opt_start_seq=config.opt_start_seq if config else None,
                opt_start_time=config.opt_start_time if config else None,
                headers_only=headers_only, inactive_threshold=inactive_threshold)
            return JetStreamSubscription(self._nc, consumer, subject, "", cb, False)
        try:
            name, create = subscribe_config(self._nc, subject, queue, durable, config,
                                            flow_control, idle_heartbeat, deliver_policy,
                                            headers_only, inactive_threshold)
        except core_errors.Error as e:
            if e.code != "illegal_state":
                raise
            raise errors.Error(str(e)) from e  # nats.py's queue/durable clash
        held = limits(pending_msgs_limit, pending_bytes_limit)
        consumer: Optional[Consumer] = None
        if name:
            try:
                consumer = await push_consumer(self._nc, self._ctx, stream, name, queue or "", held)
                if consumer is None:  # a pull consumer: pulled (nats.py refuses it)
                    consumer = await self.get_consumer(stream, name)
            except errors.NotFoundError:
                consumer = None
        if consumer is None:
            info = await self.add_consumer(stream, create)  # type: ignore[attr-defined]
            consumer = await push_consumer(self._nc, self._ctx, stream, info.name, queue or "", held)
            if consumer is None:
                raise errors.Error(f"consumer '{info.name}' has no deliver subject")
        auto_ack = cb is not None and not manual_ack and \
            str(getattr(consumer.info.config.ack_policy, "value", consumer.info.config.ack_policy)) != "none"
        try:
            return JetStreamSubscription(self._nc, consumer, subject, queue or "", cb, auto_ack)
        except core_errors.Error as e:
            if e.code != "illegal_state":
                raise
            # The core's binding refusals (queue vs deliver group, already
            # bound): nats.py raises them as nats.js.errors.Error.
            raise errors.Error(str(e)) from e

    async def subscribe_bind(self, stream: str, config: api.ConsumerConfig, consumer: str,
                             cb: Optional[Callback] = None, manual_ack: bool = False,
                             ordered_consumer: bool = False,
                             pending_msgs_limit: int = DEFAULT_JS_SUB_PENDING_MSGS_LIMIT,
                             pending_bytes_limit: int = DEFAULT_JS_SUB_PENDING_BYTES_LIMIT
                             ) -> JetStreamSubscription:
        """Binds to the push consumer ``consumer`` as ``config`` describes it
        (its deliver subject and group): nothing is looked up. With a
        callback and no ``manual_ack`` each message is acknowledged after it
        (unless the ack policy is none)."""
        bound = bound_push_consumer(self._nc, self._ctx, stream, consumer, config,
                                    limits(pending_msgs_limit, pending_bytes_limit))
        auto_ack = cb is not None and not manual_ack and \
            str(getattr(config.ack_policy, "value", config.ack_policy)) != "none"
        return JetStreamSubscription(self._nc, bound, config.deliver_subject or "",
                                     config.deliver_group or "", cb, auto_ack)
