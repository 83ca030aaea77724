"""Shared helpers for the Python tests (not a test module: no test_ prefix)."""

import os

_n = [0]


def unique(prefix):
    """A name no other test (or run) uses: <prefix>_<pid>_<n>."""
    _n[0] += 1
    return f"{prefix}_{os.getpid()}_{_n[0]}"


async def connected(url=None, **options):
    """A connection to the suite's server (or url) and its JetStream context."""
    import js
    import nats_wasm

    nc = await nats_wasm.connect(url or js.natsTestEnv.wsUrl, **options)
    return nc, nc.jetstream()


async def settled(ask, holds, timeout=3.0):
    """Asks again until holds(answer): for server state that settles after the
    message that changed it (JetStream applies plain acks from its own queue,
    so a flush does not wait for them). Returns the answer that holds; at the
    deadline fails with the last one."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        answer = await ask()
        if holds(answer):
            return answer
        assert loop.time() < deadline, f"never settled: {answer}"
        await asyncio.sleep(0.05)


async def when_cluster_ready(call, timeout=30.0):
    """call() until a fresh cluster's JetStream takes it: right after a start
    the meta leader may still be in election (requests time out) or the
    peers not known yet (10005 'no suitable peers for placement', at once).
    Fails at the deadline with the last error."""
    import asyncio

    from nats_wasm import errors
    from nats_wasm.js import errors as jse

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            return await call()
        except (errors.TimeoutError, jse.APIError):
            if loop.time() >= deadline:
                raise
            await asyncio.sleep(0.1)


async def expect(exc_type, awaitable, why=""):
    """Awaits and returns the exception of exc_type it must raise."""
    try:
        await awaitable
    except exc_type as e:
        assert str(e), "errors carry a message"
        return e
    raise AssertionError(why or f"expected {exc_type.__name__}")


def missing(seen, prefix, n):
    """How many of prefix-0 .. prefix-(n-1) (bytes) are not in `seen`. Tests
    wait on this, not on len(seen): a message stored while its PubAck was
    lost (so not counted) would end a wait for a count early, before a
    redelivery still due."""
    return sum(1 for i in range(n) if b"%s-%d" % (prefix, i) not in seen)
