"""Outbound backpressure: ``await nc.publish()`` waits while more than 1 MiB
is not yet on the wire, so a publish loop against a server that reads
nothing stops instead of queueing everything."""

import asyncio

import js
import nats_wasm


async def test_a_publish_loop_waits_while_the_server_reads_nothing():
    server = await js.natsTestEnv.startServer()
    nc = await nats_wasm.connect(server.wsUrl)
    published = 0
    peak = 0

    async def loop():
        nonlocal published, peak
        payload = b"p" * 1024
        for _ in range(32 * 1024):  # 32 MiB
            await nc.publish("bp.py", payload)
            published += 1
            if published % 256 == 0:
                peak = max(peak, int(nc._nc.pendingOutputBytes))

    try:
        server.pause()
        task = asyncio.ensure_future(loop())
        done, _ = await asyncio.wait([task], timeout=1.0)
        assert not done, "the loop must wait while the server reads nothing"
        assert published < 32 * 1024
        # What waits is bounded: the mark, one 64 KiB batch, and what the
        # kernel's socket buffers took before the server stopped reading.
        assert int(nc._nc.pendingOutputBytes) < 2 * 1024 * 1024 + 64 * 1024
        server.resume()
        await asyncio.wait_for(task, 20)
        assert published == 32 * 1024
        await nc.flush()
        assert peak < 2 * 1024 * 1024 + 64 * 1024, f"peak {peak}"
    finally:
        server.resume()
        await nc.close()
        await server.stop()


test_a_publish_loop_waits_while_the_server_reads_nothing.timeout = 60
