"""Subscriptions from Python: async for, next_msg, queues, limits, cancellation."""

import asyncio
import tracemalloc

import js
import nats_wasm
from helpers import expect
from nats_wasm import errors


async def _connect(**kw):
    return await nats_wasm.connect(js.natsTestEnv.wsUrl, **kw)


async def test_async_for_receives_in_order_and_in_batches():
    nc = await _connect()
    try:
        sub = await nc.subscribe("py.iter")
        await nc.flush()
        for i in range(500):
            await nc.publish("py.iter", str(i).encode())
        await nc.flush()
        seen = []
        async for msg in sub.messages:
            seen.append(int(msg.data))
            if len(seen) == 500:
                break
        assert seen == list(range(500))
        assert sub.delivered == 500
    finally:
        await nc.close()


async def test_wildcards_and_binary_payload():
    nc = await _connect()
    try:
        sub = await nc.subscribe("py.wild.>")
        payload = bytes(range(256)) + b"\r\nMSG x 1 2\r\n"
        await nc.publish("py.wild.a.b", payload)
        msg = await sub.next_msg(timeout=2)
        assert msg.subject == "py.wild.a.b"
        assert msg.data == payload
    finally:
        await nc.close()


async def test_one_batch_mixes_ascii_and_utf8_subjects_replies_and_headers():
    # A batch crosses from JavaScript as one text and one bytes blob
    # (msg.unpack_msgs): a non-ASCII subject or reply makes Python decode
    # each field instead of slicing, and every field must still line up.
    nc = await _connect()
    try:
        sub = await nc.subscribe("py.mix.>")
        await nc.flush()
        sent = [
            ("py.mix.a", "", b"one", None),
            ("py.mix.grüße", "py.réponse.1", b"two", {"X-K": "v"}),
            ("py.mix.b", "py.reply.2", b"", None),
            ("py.mix.\U0001F680", "", b"four", {"A": "1", "B": "2"}),
            ("py.mix.c", "py.reply.3", b"five", None),
        ]
        for subject, reply, data, headers in sent:
            await nc.publish(subject, data, reply=reply, headers=headers)
        await nc.flush()
        got = []
        async for msg in sub.messages:
            got.append((msg.subject, msg.reply, msg.data, msg.headers))
            if len(got) == len(sent):
                break
        assert got == sent
    finally:
        await nc.close()


async def test_queue_group_spreads_work():
    nc = await _connect()
    try:
        a = await nc.subscribe("py.work", queue="workers")
        b = await nc.subscribe("py.work", queue="workers")
        await nc.flush()
        for i in range(200):
            await nc.publish("py.work", b"job")
        await nc.flush()
        await nc.flush()
        got_a = got_b = 0
        for sub, counter in ((a, "a"), (b, "b")):
            while True:
                try:
                    await sub.next_msg(timeout=0.2)
                except errors.TimeoutError:
                    break
                if counter == "a":
                    got_a += 1
                else:
                    got_b += 1
        assert got_a + got_b == 200
        assert got_a > 0 and got_b > 0
    finally:
        await nc.close()


async def test_max_msgs_auto_unsubscribes():
    nc = await _connect()
    try:
        sub = await nc.subscribe("py.max", max_msgs=3)
        await nc.flush()
        for i in range(10):
            await nc.publish("py.max", str(i).encode())
        await nc.flush()
        got = [int(m.data) async for m in sub.messages]
        assert got == [0, 1, 2]
    finally:
        await nc.close()


async def test_a_callback_that_unsubscribes_mid_batch_gets_nothing_more():
    nc = await _connect()
    pub = await _connect()
    try:
        calls = []
        sub = None

        async def cb(msg):
            calls.append(msg.data)
            await sub.unsubscribe()

        sub = await nc.subscribe("py.unsub.cb", cb=cb)
        await nc.flush()
        for i in range(20):
            await pub.publish("py.unsub.cb", str(i).encode())
        await pub.flush()
        for _ in range(200):
            if calls:
                break
            await asyncio.sleep(0.01)
        await nc.flush()
        await nc.flush()
        assert calls == [b"0"], "nothing after unsubscribe(), as in nats.py"
    finally:
        await pub.close()
        await nc.close()


async def test_a_callback_that_closes_the_connection_mid_batch_gets_nothing_more():
    nc = await _connect()
    pub = await _connect()
    try:
        calls = []

        async def cb(msg):
            calls.append(msg.data)
            await nc.close()

        await nc.subscribe("py.close.cb", cb=cb)
        await nc.flush()
        for i in range(20):
            await pub.publish("py.close.cb", str(i).encode())
        await pub.flush()
        for _ in range(300):
            if nc.is_closed:
                break
            await asyncio.sleep(0.01)
        assert nc.is_closed
        await pub.flush()
        assert calls == [b"0"], "nothing after close(), as in nats.py"
    finally:
        await pub.close()
        await nc.close()


async def test_unsubscribe_with_limit():
    nc = await _connect()
    try:
        sub = await nc.subscribe("py.limit")
        await sub.unsubscribe(limit=2)
        await nc.flush()
        for _ in range(5):
            await nc.publish("py.limit", b"x")
        await nc.flush()
        got = [m async for m in sub.messages]
        assert len(got) == 2
    finally:
        await nc.close()


async def test_subscription_drain_delivers_in_flight():
    nc = await _connect()
    try:
        sub = await nc.subscribe("py.subdrain")
        await nc.flush()
        for _ in range(20):
            await nc.publish("py.subdrain", b"m")
        await sub.drain()
        got = [m async for m in sub.messages]
        assert len(got) == 20
        assert nc.is_connected
    finally:
        await nc.close()


async def test_next_msg_timeout_then_message_is_not_lost():
    nc = await _connect()
    try:
        sub = await nc.subscribe("py.timeout")
        await expect(errors.TimeoutError, sub.next_msg(timeout=0.1))
        await nc.publish("py.timeout", b"late")
        msg = await sub.next_msg(timeout=2)
        assert msg.data == b"late"
    finally:
        await nc.close()


async def test_idle_polling_stays_flat_and_every_timeout_is_a_timeout_error():
    """A loop of next_msg(timeout=0.001) on an idle subject: each poll is a
    TimeoutError (never Pyodide's "Can't schedule in the past"), nothing
    piles up per poll on either side, and a message that finally comes is
    seen at once."""
    nc = await _connect()
    try:
        sub = await nc.subscribe("py.idle.poll")

        async def poll(n):
            timeouts = 0
            for _ in range(n):
                try:
                    await sub.next_msg(timeout=0.001)
                except errors.TimeoutError:
                    timeouts += 1
            return timeouts

        assert await poll(200) == 200  # warm up
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            assert await poll(3000) == 3000
            grown = tracemalloc.get_traced_memory()[0] - base
        finally:
            tracemalloc.stop()
        assert grown < 64 * 1024, f"{grown} bytes kept by 3000 polls"
        queue = sub._js_sub._queue
        assert queue._ready is not None and not hasattr(queue._ready, "length"), \
            "one JS waiter, not one per poll"
        loop = asyncio.get_running_loop()
        await nc.publish("py.idle.poll", b"finally")
        t0 = loop.time()
        assert (await sub.next_msg(timeout=2)).data == b"finally"
        assert loop.time() - t0 < 1.5, "the message waited behind piled-up pollers"
    finally:
        await nc.close()

test_idle_polling_stays_flat_and_every_timeout_is_a_timeout_error.timeout = 90


async def test_cancelled_next_msg_keeps_subscription_and_message():
    nc = await _connect()
    try:
        sub = await nc.subscribe("py.cancelnext")
        task = asyncio.ensure_future(sub.next_msg(timeout=None))
        await asyncio.sleep(0.05)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        assert nc._engine_stats()["subscriptions"] == 1
        await nc.publish("py.cancelnext", b"kept")
        assert (await sub.next_msg(timeout=2)).data == b"kept"
    finally:
        await nc.close()


async def test_cancelling_an_iterating_task_unsubscribes():
    nc = await _connect()
    try:
        before = nc._engine_stats()["subscriptions"]
        sub = await nc.subscribe("py.cancel.iter")
        assert nc._engine_stats()["subscriptions"] == before + 1
        seen = []
        got_one = asyncio.Event()

        async def consume():
            async for msg in sub.messages:
                seen.append(msg.data)
                got_one.set()

        task = asyncio.ensure_future(consume())
        await nc.publish("py.cancel.iter", b"one")
        await asyncio.wait_for(got_one.wait(), 5)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        assert seen == [b"one"]
        assert nc._engine_stats()["subscriptions"] == before
    finally:
        await nc.close()


async def test_callback_subscription_awaits_each_message_in_order():
    nc = await _connect()
    try:
        got = []
        done = asyncio.Event()

        async def cb(msg):
            got.append(msg.data)
            if len(got) == 5:
                done.set()

        await nc.subscribe("py.cb", cb=cb)
        for i in range(5):
            await nc.publish("py.cb", str(i).encode())
        await asyncio.wait_for(done.wait(), 2)
        assert got == [b"0", b"1", b"2", b"3", b"4"]
    finally:
        await nc.close()


async def test_no_echo():
    nc = await _connect(no_echo=True)
    other = await _connect()
    try:
        sub = await nc.subscribe("py.echo")
        await nc.flush()
        await nc.publish("py.echo", b"mine")
        await other.publish("py.echo", b"theirs")
        await other.flush()
        assert (await sub.next_msg(timeout=2)).data == b"theirs"
        await expect(errors.TimeoutError, sub.next_msg(timeout=0.2),
                     "received own message despite no_echo")
    finally:
        await nc.close()
        await other.close()
