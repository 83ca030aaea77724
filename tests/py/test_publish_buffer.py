"""Buffered publishes (nats_wasm.client: _push_pubs): they keep their order
with every other operation, errors still reach the caller, and none is lost
on close."""

import asyncio

import js
import nats_wasm
from helpers import expect
from nats_wasm import errors


def env():
    return js.natsTestEnv


async def _collect(sub, n):
    return [await sub.next_msg(timeout=2) for _ in range(n)]


async def test_buffered_publishes_keep_order_with_other_operations():
    nc = await nats_wasm.connect(env().wsUrl)
    try:
        sub = await nc.subscribe("py.buf.>")
        await nc.flush()
        await nc.publish("py.buf.a", b"1")  # first use of the subject: straight through
        await nc.publish("py.buf.a", b"2")  # buffered from here on
        await nc.publish("py.buf.a", b"3", reply="py.buf.reply")  # options: straight through
        await nc.publish("py.buf.a", b"4")
        await nc.publish("py.buf.b", b"5")
        await nc.publish("py.buf.b", b"6")
        second = await nc.subscribe("py.buf.b")  # pushes what is buffered first
        await nc.publish("py.buf.b", b"7")
        got = await _collect(sub, 7)
        assert [m.data for m in got] == [b"1", b"2", b"3", b"4", b"5", b"6", b"7"]
        assert got[2].reply == "py.buf.reply"
        assert [m.data for m in await _collect(second, 1)] == [b"7"]
    finally:
        await nc.close()


async def test_a_large_burst_arrives_whole_and_in_order():
    pub = await nats_wasm.connect(env().wsUrl)
    sub_nc = await nats_wasm.connect(env().wsUrl)
    try:
        n = 5000
        sub = await sub_nc.subscribe("py.buf.burst", max_msgs=n)
        await sub_nc.flush()
        for i in range(n):  # > 64 KiB: several packed batches
            await pub.publish("py.buf.burst", b"%d" % i + b"x" * 100)
        got = [m.data for m in await _collect(sub, n)]
        assert got == [b"%d" % i + b"x" * 100 for i in range(n)]
    finally:
        await pub.close()
        await sub_nc.close()


async def test_close_sends_what_is_buffered():
    pub = await nats_wasm.connect(env().wsUrl)
    sub_nc = await nats_wasm.connect(env().wsUrl)
    try:
        sub = await sub_nc.subscribe("py.buf.close", max_msgs=51)
        await sub_nc.flush()
        for i in range(51):
            await pub.publish("py.buf.close", b"%d" % i)
        await pub.close()  # in the same step as the publishes
        got = [m.data for m in await _collect(sub, 51)]
        assert got == [b"%d" % i for i in range(51)]
    finally:
        await sub_nc.close()


async def test_errors_still_raise_at_the_call():
    nc = await nats_wasm.connect(env().wsUrl)
    try:
        await nc.publish("py.buf.ok", b"x")  # the subject is now known
        await expect(errors.MaxPayloadError, nc.publish("py.buf.ok", b"x" * (nc.max_payload + 1)))
        await expect(errors.BadSubjectError, nc.publish("py.buf bad", b"x"))
        await expect(errors.BadSubjectError, nc.publish("py.buf bad", b"x"), "not cached as valid")
        await expect(errors.InvalidArgumentError, nc.publish("py.buf.ok", 12))
    finally:
        await nc.close()
    await expect(errors.ConnectionClosedError, nc.publish("py.buf.ok", b"x"))


async def test_publish_raises_once_the_server_closed_the_connection():
    srv = await env().startServer()
    nc = await nats_wasm.connect(srv.wsUrl, allow_reconnect=False)
    try:
        await nc.publish("py.buf.gone", b"x")
        await srv.stop()
        for _ in range(100):
            if nc.is_closed:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.05)  # the status task sees the close
        await expect(errors.ConnectionClosedError, nc.publish("py.buf.gone", b"x"))
    finally:
        await nc.close()


async def test_a_batch_that_fails_later_reaches_error_cb():
    seen = []

    async def error_cb(e):
        seen.append(e)

    nc = await nats_wasm.connect(env().wsUrl, error_cb=error_cb)
    await nc.publish("py.buf.late", b"x")
    await nc.publish("py.buf.late", b"y")  # buffered...
    nc._nc.close()  # ...and the JS connection closes under it in the same step
    for _ in range(50):
        if seen:
            break
        await asyncio.sleep(0.02)
    assert seen and isinstance(seen[0], errors.ConnectionClosedError), seen
    await nc.close()
