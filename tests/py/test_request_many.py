"""request_many strategies from Python."""

import js
import nats_wasm
from helpers import expect
from nats_wasm import errors


async def _with_responders(nc, subject, count, replies_each=1, sentinel=False):
    for i in range(count):
        async def cb(msg, i=i):
            for j in range(replies_each):
                await msg.respond(f"r{i}.{j}".encode())
            if sentinel:
                await msg.respond(b"")

        await nc.subscribe(subject, cb=cb)
    await nc.flush()


async def test_timer_collects_all_replies():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        await _with_responders(nc, "py.many.timer", 3)
        got = [m.data async for m in nc.request_many("py.many.timer", b"q", timeout=1)]
        assert sorted(got) == [b"r0.0", b"r1.0", b"r2.0"]
    finally:
        await nc.close()


async def test_max_msgs_stops_early():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        await _with_responders(nc, "py.many.count", 3)
        got = [m async for m in nc.request_many("py.many.count", b"q", timeout=5, max_msgs=2)]
        assert len(got) == 2
    finally:
        await nc.close()


async def test_sentinel_ends_the_stream():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        await _with_responders(nc, "py.many.sentinel", 1, replies_each=3, sentinel=True)
        got = [m.data async for m in nc.request_many("py.many.sentinel", b"q", timeout=5,
                                                      sentinel=True)]
        assert got[:3] == [b"r0.0", b"r0.1", b"r0.2"]
        assert all(d != b"" for d in got[:3])
    finally:
        await nc.close()


async def test_no_responders():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        async def consume():
            async for _ in nc.request_many("py.many.none", b"q", timeout=2):
                pass

        await expect(errors.NoRespondersError, consume())
        assert nc._engine_stats()["subscriptions"] == 0
    finally:
        await nc.close()


async def test_max_msgs_holds_with_stall():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        await _with_responders(nc, "py.many.stall", 4)
        got = [m async for m in nc.request_many("py.many.stall", b"q", timeout=5, stall=0.5,
                                                  max_msgs=2)]
        assert len(got) == 2
    finally:
        await nc.close()
