"""Pending limits of subscriptions (nats.py's pending_msgs_limit and
pending_bytes_limit): what does not fit is dropped, error_cb hears a
SlowConsumerError, and the subscription recovers once read."""

import asyncio

import js
import nats_wasm
from nats_wasm import errors


async def _ignore(e):
    pass  # error_cb must be a coroutine function (nats.py checks)


def env():
    return js.natsTestEnv


async def test_a_full_subscription_drops_and_reports_a_slow_consumer():
    seen = []
    reported = asyncio.Event()

    async def error_cb(e):
        seen.append(e)
        reported.set()

    nc = await nats_wasm.connect(env().wsUrl, error_cb=error_cb)
    try:
        sub = await nc.subscribe("py.slow", pending_msgs_limit=5)
        for i in range(20):
            await nc.publish("py.slow", f"m{i}".encode())
        await nc.flush()  # its PONG comes after all 20 came back
        await asyncio.wait_for(reported.wait(), 5)
        assert len(seen) == 1, "one report per episode"
        err = seen[0]
        assert isinstance(err, errors.SlowConsumerError)
        assert err.subject == "py.slow" and err.sid == sub.sid and err.sub is sub
        assert nc.last_error is err
        assert sub.pending_msgs == 5
        assert sub.dropped == 15
        got = [(await sub.next_msg(timeout=1)).data for _ in range(5)]
        assert got == [f"m{i}".encode() for i in range(5)], "the oldest are kept"
        for _ in range(3):
            await nc.publish("py.slow", b"again")
        await nc.flush()
        assert sub.pending_msgs == 3 and sub.dropped == 15
    finally:
        await nc.close()


async def test_pending_bytes_limit_counts_what_is_held():
    nc = await nats_wasm.connect(env().wsUrl, error_cb=_ignore)
    try:
        sub = await nc.subscribe("py.slow.bytes", pending_bytes_limit=2500)
        for _ in range(5):
            await nc.publish("py.slow.bytes", b"x" * 1000)
        await nc.flush()
        assert sub.pending_msgs == 2
        assert sub.dropped == 3
    finally:
        await nc.close()


async def test_a_callback_subscription_is_bounded_too():
    release = asyncio.Event()
    handled = []

    async def slow_handler(msg):
        await release.wait()
        handled.append(msg.data)

    nc = await nats_wasm.connect(env().wsUrl, error_cb=_ignore)
    try:
        sub = await nc.subscribe("py.slow.cb", cb=slow_handler, pending_msgs_limit=4)
        for i in range(10):
            await nc.publish("py.slow.cb", f"c{i}".encode())
        await nc.flush()
        assert sub.dropped > 0, "a handler that does not keep up loses messages, as in nats.py"
        release.set()
        await nc.flush()
        for _ in range(50):
            if len(handled) + sub.dropped == 10:
                break
            await asyncio.sleep(0.01)
        assert len(handled) + sub.dropped == 10
        assert handled[0] == b"c0"
    finally:
        await nc.close()


async def test_no_limit_keeps_everything():
    nc = await nats_wasm.connect(env().wsUrl)
    try:
        sub = await nc.subscribe("py.slow.none", pending_msgs_limit=0, pending_bytes_limit=0)
        for _ in range(300):
            await nc.publish("py.slow.none", b"k")
        await nc.flush()
        assert sub.pending_msgs == 300 and sub.dropped == 0
    finally:
        await nc.close()
