"""nats.py's classic consumer calls: ``js.pull_subscribe(...)`` with
``fetch(batch, timeout)``, and ``js.subscribe(subject, ...)``.

``subscribe`` gives nats.py's subscription surface (``messages``,
``next_msg``, a callback with auto-ack, ``unsubscribe``) over a push
consumer, as nats.py makes (push.py; flow control and heartbeats are the
engine's), over a pull consumer it is pointed at, or over an ordered
consumer with ``ordered_consumer=True``.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable, Dict, List, Optional

from .. import errors as core_errors
from ..msg import Msg
from ..subscription import await_unless_current
from . import api, errors
from .consumer import Consumer, pull_options
from .messages import MessageStream

if TYPE_CHECKING:
    from ..client import Client

Callback = Callable[[Msg], Awaitable[None]]


class PullSubscription:
    """nats.py's ``JetStreamContext.PullSubscription``."""

    def __init__(self, client: "Client", consumer: Consumer) -> None:
        self._client = client
        self._consumer = consumer
        self._delivered = 0
        self._streams: "set[MessageStream]" = set()
        self._closed = False

    @property
    def pending_msgs(self) -> int:
        """Messages received by running sessions and not yet taken."""
        return sum(s.pending_msgs for s in self._streams)

    @property
    def pending_bytes(self) -> int:
        """Payload bytes received by running sessions and not yet taken."""
        return sum(s.pending_bytes for s in self._streams)

    @property
    def delivered(self) -> int:
        """Messages handed out so far."""
        return self._delivered

    async def consumer_info(self) -> api.ConsumerInfo:
        return await self._consumer.get_info()

    async def fetch(self, batch: int = 1, timeout: Optional[float] = 5,
                    heartbeat: Optional[float] = None) -> List[Msg]:
        """Up to ``batch`` messages: those there now, or if none, the first
        to arrive within ``timeout``. As in nats.py, nothing at all raises
        TimeoutError (FetchTimeoutError when heartbeats were asked for)."""
        if self._closed:
            raise core_errors.BadSubscriptionError("invalid subscription", "bad_subscription")
        if not isinstance(batch, int) or batch < 1:
            raise ValueError("nats: invalid batch size")
        if timeout is not None and timeout <= 0:
            raise ValueError("nats: invalid fetch timeout")
        opts = pull_options(batch, None, timeout if timeout is not None else 5, heartbeat)
        stream = self._consumer._stream("fetch_prompt", opts, True)
        self._streams.add(stream)
        try:
            msgs = [m async for m in stream]
        finally:
            self._streams.discard(stream)
            await stream.stop()
        if not msgs:
            if heartbeat:
                raise errors.FetchTimeoutError("fetch timeout", "timeout")
            raise core_errors.TimeoutError("timeout", "timeout")
        self._delivered += len(msgs)
        return msgs

    def consume(self, *, max_messages: Optional[int] = None, max_bytes: Optional[int] = None,
                max_wait: Optional[float] = 30.0, heartbeat: Optional[float] = None) -> MessageStream:
        """Continuous consumption (beyond nats.py): ``async for msg in psub.consume()``."""
        if self._closed:
            raise core_errors.BadSubscriptionError("invalid subscription", "bad_subscription")
        stream = self._consumer.messages(max_messages=max_messages, max_bytes=max_bytes,
                                         max_wait=max_wait, heartbeat=heartbeat)
        self._streams.add(stream)
        return stream

    messages = consume

    async def unsubscribe(self) -> None:
        """Stops every pull of this subscription (the consumer stays)."""
        if self._closed:
            raise ValueError("nats: invalid subscription")
        self._closed = True
        for stream in list(self._streams):
            await stream.stop()
        self._streams.clear()


class JetStreamSubscription:
    """What ``js.subscribe`` returns: nats.py's subscription surface
    (``messages``, ``next_msg``, ``unsubscribe``, ``drain``,
    ``consumer_info``) over a push session or a continuous pull."""

    def __init__(self, client: "Client", consumer: Consumer, subject: str, queue: str,
                 cb: Optional[Callback], auto_ack: bool) -> None:
        self._client = client
        self._consumer = consumer
        self.subject = subject
        self.queue = queue
        self._stream = consumer.messages()
        self._stream._session()  # started now: a refusal is the caller's error
        self._cb_task: "Optional[asyncio.Task[None]]" = None
        if cb is not None:
            self._cb_task = asyncio.ensure_future(self._run(cb, auto_ack))
        # A push session drops what its reader cannot hold: error_cb hears of
        # it as in nats.py. The watch ends with the session.
        self._watch_task: "Optional[asyncio.Task[None]]" = None
        if consumer.info.config.deliver_subject:
            self._watch_task = asyncio.ensure_future(self._watch(self._stream.status()))

    @property
    def pending_msgs(self) -> int:
        return self._stream.pending_msgs

    @property
    def pending_bytes(self) -> int:
        return self._stream.pending_bytes

    @property
    def delivered(self) -> int:
        return self._stream.delivered

    @property
    def messages(self) -> AsyncIterator[Msg]:
        """``async for msg in sub.messages``."""
        return self._stream

    async def next_msg(self, timeout: Optional[float] = 1.0) -> Msg:
        """The next message; TimeoutError when none arrives in time."""
        msg = await self._stream._next(timeout)
        if msg is None:
            raise core_errors.BadSubscriptionError("subscription is closed", "bad_subscription")
        return msg

    async def consumer_info(self) -> api.ConsumerInfo:
        return await self._consumer.get_info()

    async def unsubscribe(self, limit: int = 0) -> None:
        """Stops the pull now (an ordered consumer is also deleted). A
        ``limit`` (nats.py: stop after that many messages) is refused with
        InvalidArgumentError rather than ignored: the messages come from a
        JetStream session, not one core subscription the server could end;
        ``fetch(n)`` or a consumer's ``max_deliver`` bound what arrives."""
        if limit:
            raise core_errors.InvalidArgumentError(
                "unsubscribe(limit) is not supported on a JetStream subscription: "
                "use fetch(n) for n messages", "invalid_argument")
        await self._stream.stop()
        await self._consumer.close()
        await self._wait_callback()

    async def drain(self) -> None:
        """Stops pulling, hands out what arrived, then ends."""
        await self._stream.stop()
        await self._wait_callback()
        await self._consumer.close()

    async def _watch(self, notifications: AsyncIterator[Dict[str, Any]]) -> None:
        async for n in notifications:
            if n.get("type") == "slow_consumer":
                await self._client._report(core_errors.SlowConsumerError(
                    f"slow consumer, messages dropped on {self.subject}", "slow_consumer",
                    subject=self.subject, sub=self))

    async def _wait_callback(self) -> None:
        await await_unless_current(self._cb_task)

    async def _run(self, cb: Callback, auto_ack: bool) -> None:
        while True:
            try:
                msg = await self._stream._next(None)
            except asyncio.CancelledError:
                self._stream._stop_now()
                raise
            except Exception as exc:
                await self._client._report(exc)
                return
            if msg is None:
                return
            try:
                await cb(msg)
                if auto_ack and not msg.is_acked:
                    await msg.ack()
            except Exception as exc:  # the callback's error must not end the subscription
                await self._client._report(exc)
