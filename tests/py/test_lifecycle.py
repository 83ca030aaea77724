"""Connection lifecycle: flush, rtt, stats, drain, context manager, status and callbacks."""

import asyncio

import js
import nats_wasm
from helpers import expect
from nats_wasm import errors


async def test_flush_rtt_stats_info():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl, name="py-life")
    try:
        await nc.publish("py.stats", b"12345")
        await nc.flush(timeout=2)
        rtt = await nc.rtt()
        assert 0 < rtt < 2
        stats = nc.stats
        assert stats["out_msgs"] == 1 and stats["out_bytes"] == 5
        assert nc.server_info["headers"] is True
        assert nc.client_id > 0
        # A ParseResult, as nats.py gives it; None once closed.
        url = nc.connected_url
        assert url.scheme == "ws" and url.hostname == "127.0.0.1" and url.port > 0
        assert url.geturl() == js.natsTestEnv.wsUrl and url.netloc == f"127.0.0.1:{url.port}"
        assert [s.geturl() for s in nc.servers] == [js.natsTestEnv.wsUrl] and nc.discovered_servers == []
        assert nc.new_inbox().startswith("_INBOX.")
    finally:
        await nc.close()
    assert nc.connected_url is None and not nc.is_draining


async def test_drain_delivers_everything_then_closes():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    pub = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    got = []

    async def cb(msg):
        got.append(msg.data)

    await nc.subscribe("py.drain", cb=cb)
    await nc.flush()
    for _ in range(300):
        await pub.publish("py.drain", b"m")
    await pub.flush()
    await nc.drain()
    assert nc.is_closed
    assert len(got) == 300
    await pub.close()


async def test_async_with_drains_on_exit():
    async with await nats_wasm.connect(js.natsTestEnv.wsUrl) as nc:
        sub = await nc.subscribe("py.ctx")
        await nc.publish("py.ctx", b"in-context")
        assert (await sub.next_msg(timeout=2)).data == b"in-context"
    assert nc.is_closed


async def test_status_events_and_callbacks():
    events = []
    errors_seen = []
    closed = asyncio.Event()

    denied = asyncio.Event()

    async def error_cb(e):
        errors_seen.append(e)
        denied.set()

    async def closed_cb():
        closed.set()

    nc = await nats_wasm.connect(js.natsTestEnv.permsWsUrl, user="limited",
                                 password="limited-pass", error_cb=error_cb,
                                 closed_cb=closed_cb)

    async def watch():
        async for status in nc.status():
            events.append(status.type)

    watcher = asyncio.ensure_future(watch())
    await asyncio.sleep(0)
    await nc.subscribe("secret.x")
    await asyncio.wait_for(denied.wait(), 5)
    await nc.close()
    await asyncio.wait_for(closed.wait(), 2)
    await asyncio.wait_for(watcher, 2)
    assert "error" in events and events[-1] == "close"
    assert any(isinstance(e, errors.PermissionViolationError) for e in errors_seen)


async def test_server_loss_calls_disconnected_cb():
    server = await js.natsTestEnv.startServer()
    disconnected = asyncio.Event()

    async def disconnected_cb():
        disconnected.set()

    nc = await nats_wasm.connect(server.wsUrl, disconnected_cb=disconnected_cb,
                                 allow_reconnect=False)
    await server.stop()
    await asyncio.wait_for(disconnected.wait(), 5)
    assert nc.is_closed
    await expect(errors.ConnectionClosedError, nc.publish("x", b""),
                 "publish after loss must fail")


async def test_close_from_error_cb_does_not_hang():
    closed = asyncio.Event()
    holder = {}

    async def error_cb(e):
        await holder["nc"].close()  # runs inside the status task
        closed.set()

    nc = await nats_wasm.connect(js.natsTestEnv.permsWsUrl, user="limited",
                                 password="limited-pass", error_cb=error_cb)
    holder["nc"] = nc
    await nc.subscribe("secret.y")
    await asyncio.wait_for(closed.wait(), 3)
    await asyncio.wait_for(nc.close(), 3)  # and later calls return too
    assert nc.is_closed


async def test_drain_waits_for_slow_callbacks():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    got = []

    async def slow(msg):
        await asyncio.sleep(0.002)
        got.append(msg.data)

    await nc.subscribe("py.slowcb", cb=slow)
    await nc.flush()
    for i in range(50):
        await nc.publish("py.slowcb", str(i).encode())
    await nc.drain()
    assert len(got) == 50


async def test_closed_cb_runs_for_an_immediate_close():
    called = asyncio.Event()

    async def closed_cb():
        called.set()

    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl, closed_cb=closed_cb)
    await nc.close()
    await asyncio.wait_for(called.wait(), 2)
