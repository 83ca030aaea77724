"""Python workloads for bench/py-worker.mjs, run inside Pyodide under Node.

Two clients, same workloads:
- ``nats-wasm``: the ``nats_wasm`` package (nats.py-style API);
- ``nats.js``: nats.js v3 called directly through Pyodide's JS FFI, which is
  what a Pyodide user can do without nats-wasm.
"""

import time

import js  # type: ignore[import-not-found]
from pyodide.ffi import to_js  # type: ignore[import-not-found]


def payload_of(size):
    return bytes(97 + (i % 26) for i in range(size))


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def js_obj(**fields):
    return to_js(fields, dict_converter=js.Object.fromEntries)


class NatsWasm:
    def __init__(self):
        import nats_wasm

        self.mod = nats_wasm

    async def connect(self, url):
        return await self.mod.connect(url)

    async def publish(self, nc, subject, payload):
        await nc.publish(subject, payload)

    async def subscribe_iter(self, nc, subject, n):
        sub = await nc.subscribe(subject, max_msgs=n)
        return sub.messages

    def data(self, msg):
        return msg.data

    async def respond_loop(self, nc, subject):
        sub = await nc.subscribe(subject)
        async for m in sub.messages:
            await m.respond(m.data)

    async def request(self, nc, subject, payload):
        return (await nc.request(subject, payload, timeout=5)).data

    async def flush(self, nc):
        await nc.flush()

    async def close(self, nc):
        await nc.close()

    async def js_pub_win(self, nc, stream, subject, payload, n, inflight):
        """publish_async within a window of `inflight`, then wait for every ack."""
        js = nc.jetstream(publish_async_max_pending=inflight)
        last = None
        for _ in range(n):
            last = await js.publish_async(subject, payload)
        await js.publish_async_completed()
        return last.result().seq

    async def add_stream(self, nc, name, subject, max_bytes=32 << 20):
        await nc.jetstream().add_stream(name=name, subjects=[subject], storage="memory",
                                        max_bytes=max_bytes)

    async def js_consume(self, nc, stream, n):
        """n stored messages through consumer.messages(); returns the bytes seen."""
        js = nc.jetstream()
        await js.add_consumer(stream, durable_name="bench", ack_policy="none")
        consumer = await js.get_consumer(stream, "bench")
        got = 0
        size = 0
        async with consumer.messages(max_messages=512) as msgs:
            async for m in msgs:
                size += len(m.data)
                got += 1
                if got == n:
                    break
        return size

    async def delete_stream(self, nc, name):
        await nc.jetstream().delete_stream(name)


class NatsJsFfi:
    def __init__(self):
        self.mod = js.natsjs  # set by bench/py-worker.mjs

    async def connect(self, url):
        return await self.mod.wsconnect(js_obj(servers=url))

    async def publish(self, nc, subject, payload):
        nc.publish(subject, to_js(payload))

    async def subscribe_iter(self, nc, subject, n):
        return nc.subscribe(subject, js_obj(max=n))

    def data(self, msg):
        return msg.data.to_bytes()

    async def respond_loop(self, nc, subject):
        async for m in nc.subscribe(subject):
            m.respond(m.data)

    async def request(self, nc, subject, payload):
        m = await nc.request(subject, to_js(payload), js_obj(timeout=5000))
        return m.data.to_bytes()

    async def flush(self, nc):
        await nc.flush()

    async def close(self, nc):
        await nc.close()

    async def js_pub_win(self, nc, stream, subject, payload, n, inflight):
        """nats.js publishes through the FFI, at most `inflight` promises unawaited."""
        js_client = js.natsjs_js.jetstream(nc)
        data = to_js(payload)
        pending = []
        last = 0
        for _ in range(n):
            if len(pending) >= inflight:
                last = (await pending.pop(0)).seq
            pending.append(js_client.publish(subject, data))
        for p in pending:
            last = (await p).seq
        return last

    async def add_stream(self, nc, name, subject, max_bytes=32 << 20):
        jsm = await js.natsjs_js.jetstreamManager(nc)
        await jsm.streams.add(js_obj(name=name, subjects=to_js([subject]), storage="memory",
                                     max_bytes=max_bytes))

    async def js_consume(self, nc, stream, n):
        """nats.js consume() iterated through the FFI; returns the bytes seen."""
        jsm = await js.natsjs_js.jetstreamManager(nc)
        await jsm.consumers.add(stream, js_obj(durable_name="bench", ack_policy="none"))
        consumer = await js.natsjs_js.jetstream(nc).consumers.get(stream, "bench")
        msgs = await consumer.consume(js_obj(max_messages=512))
        got = 0
        size = 0
        async for m in msgs:
            size += m.data.length
            got += 1
            if got == n:
                break
        msgs.stop()
        return size

    async def delete_stream(self, nc, name):
        jsm = await js.natsjs_js.jetstreamManager(nc)
        await jsm.streams.delete(name)


def warm_count(n):
    """The untimed round before a measurement: both clients are JIT-compiled
    (V8's tiers, the engine's WebAssembly from Liftoff to TurboFan), and a
    cold first round measures compilation (docs/benchmarks.md, Warm-up)."""
    return min(n // 5, 20_000)


async def pubsub(c, url, size, n, window):
    sub_nc = await c.connect(url)
    pub_nc = await c.connect(url)
    payload = payload_of(size)
    await pubsub_round(c, sub_nc, pub_nc, "bench.pypubsub.warm", payload, warm_count(n), window)
    secs = await pubsub_round(c, sub_nc, pub_nc, "bench.pypubsub", payload, n, window)
    await c.close(sub_nc)
    await c.close(pub_nc)
    return {"msgs_per_sec": n / secs, "secs": secs}


async def pubsub_round(c, sub_nc, pub_nc, subject, payload, n, window):
    """n messages from pub_nc to a subscriber on sub_nc; returns the seconds."""
    import asyncio

    size = len(payload)
    messages = await c.subscribe_iter(sub_nc, subject, n)
    await c.flush(sub_nc)
    state = {"received": 0, "bytes": 0, "wake": None, "wake_at": 0}

    async def consume():
        async for m in messages:
            state["received"] += 1
            state["bytes"] += len(c.data(m))
            w = state["wake"]
            if w is not None and state["received"] >= state["wake_at"]:
                state["wake"] = None
                w.set_result(None)

    t0 = time.perf_counter()
    task = asyncio.ensure_future(consume())
    loop = asyncio.get_running_loop()
    for i in range(n):
        if i - state["received"] >= window:
            state["wake_at"] = i - window // 2
            state["wake"] = loop.create_future()
            await state["wake"]
        await c.publish(pub_nc, subject, payload)
    await task
    secs = time.perf_counter() - t0
    if state["received"] != n or state["bytes"] != n * size:
        raise AssertionError(f"received {state['received']}/{n}")
    return secs


async def req(c, url, size, n):
    import asyncio

    res_nc = await c.connect(url)
    req_nc = await c.connect(url)
    responder = asyncio.ensure_future(c.respond_loop(res_nc, "bench.pyreq"))
    await c.flush(res_nc)
    await asyncio.sleep(0)
    payload = payload_of(size)
    for _ in range(min(100, n)):
        await c.request(req_nc, "bench.pyreq", payload)
    lat = []
    t0 = time.perf_counter()
    for _ in range(n):
        s = time.perf_counter()
        data = await c.request(req_nc, "bench.pyreq", payload)
        lat.append((time.perf_counter() - s) * 1e6)
        if len(data) != size:
            raise AssertionError(f"reply of {len(data)} bytes")
    secs = time.perf_counter() - t0
    await c.close(req_nc)
    await c.close(res_nc)
    responder.cancel()
    return {"p50_us": percentile(lat, 0.5), "p99_us": percentile(lat, 0.99),
            "msgs_per_sec": n / secs, "secs": secs}


async def js_pub_win(c, url, size, n, inflight=256):
    nc = await c.connect(url)
    name = f"PYBENCH_{int(time.time() * 1000)}"
    subject = f"{name}.x"
    try:
        await c.add_stream(nc, name, subject)
        payload = payload_of(size)
        warm = warm_count(n)
        await c.js_pub_win(nc, name, subject, payload, warm, inflight)
        t0 = time.perf_counter()
        last = await c.js_pub_win(nc, name, subject, payload, n, inflight)
        secs = time.perf_counter() - t0
        if last != warm + n:
            raise AssertionError(f"last ack seq {last}, expected {warm + n}")
    finally:
        # Even after a failure: a stream left behind fills the server's
        # memory store for every later row.
        await delete_quietly(c, nc, name)
    return {"msgs_per_sec": n / secs, "secs": secs}


async def js_consume(c, url, size, n):
    nc = await c.connect(url)
    warm = f"PYWARM_{int(time.time() * 1000)}"
    name = f"PYBENCH_{int(time.time() * 1000)}"
    try:
        # The untimed round reads a stream of its own the same way.
        await js_consume_round(c, nc, warm, size, warm_count(n))
        secs = await js_consume_round(c, nc, name, size, n)
    finally:
        try:
            await c.delete_stream(nc, warm)
        except Exception:
            pass
        await delete_quietly(c, nc, name)
    return {"msgs_per_sec": n / secs, "secs": secs}


async def js_consume_round(c, nc, name, size, n):
    """Stores n messages in stream `name` (not timed), then reads them; returns the seconds."""
    subject = f"{name}.x"
    await c.add_stream(nc, name, subject, max(32 << 20, n * (size + 256)))
    # Filled before timing, with whichever client is measured.
    await c.js_pub_win(nc, name, subject, payload_of(size), n, 256)
    t0 = time.perf_counter()
    seen = await c.js_consume(nc, name, n)
    secs = time.perf_counter() - t0
    if seen != n * size:
        raise AssertionError(f"consumed {seen} bytes, expected {n * size}")
    return secs


async def delete_quietly(c, nc, name):
    """Deletes the stream (if it was made) and closes the connection."""
    try:
        await c.delete_stream(nc, name)
    except Exception:
        pass
    await c.close(nc)


async def run(client, test, url, size, n, window):
    c = NatsWasm() if client == "nats-wasm" else NatsJsFfi()
    if test == "pubsub":
        return await pubsub(c, url, size, n, window)
    if test == "js_pub_win":
        return await js_pub_win(c, url, size, n)
    if test == "js_consume":
        return await js_consume(c, url, size, n)
    return await req(c, url, size, n)
