"""Micro services from Python in Pyodide (nats.py's nats.micro names)
against a real server: async handlers, 100 concurrent requests, errors as
replies, stats, streamed replies with async generators, stop draining
in-flight handlers, discovery replies checked against the schemas, and
interop with nats.js's services in both directions."""

import asyncio
import json

import js
import nats_wasm
from helpers import expect, unique
from nats_wasm import errors
from nats_wasm.micro import (
    EndpointConfig, ServiceClient, ServiceConfig, ServiceError, ServiceStats, add_service,
    request_stream,
)


def assert_schema(verb, reply):
    why = js.natsTestEnv.microSchemaErrors(verb, json.dumps(reply))
    assert why == "", f"{verb} reply invalid: {why}: {reply}"


async def test_async_handler_errors_and_stats():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        svc = await add_service(nc, name=unique("py"), version="1.0.0", description="d",
                                metadata={"lang": "python"},
                                stats_handler=lambda ep: {"seen": ep.num_requests})
        subject = unique("work")

        async def handler(req):
            what = req.data.decode()
            await asyncio.sleep(0.005)
            if what == "raise":
                raise ValueError("bad value")
            if what == "svc":
                raise ServiceError("409", "conflict")
            if what == "reply":
                await req.respond_error("422", "bad input", b"detail", headers={"X-Trace": "t"})
                return
            await req.respond(what.upper().encode())

        await svc.add_endpoint(name="work", subject=subject, handler=handler)
        assert (await nc.request(subject, b"ok", timeout=2)).data == b"OK"
        r = await nc.request(subject, b"raise", timeout=2)
        assert r.headers["Nats-Service-Error-Code"] == "500"
        assert r.headers["Nats-Service-Error"] == "ValueError('bad value')"
        r = await nc.request(subject, b"svc", timeout=2)
        assert (r.headers["Nats-Service-Error-Code"], r.headers["Nats-Service-Error"]) == ("409", "conflict")
        r = await nc.request(subject, b"reply", timeout=2)
        assert r.data == b"detail" and r.headers["X-Trace"] == "t"
        assert r.headers["Nats-Service-Error-Code"] == "422"
        stats = svc.stats()
        assert isinstance(stats, ServiceStats)
        ep = stats.endpoints[0]
        assert (ep.num_requests, ep.num_errors, ep.last_error) == (4, 3, "422:bad input")
        assert ep.processing_time >= 4 * 4_000_000, ep.processing_time
        assert ep.average_processing_time == ep.processing_time // 4
        assert ep.data == {"seen": 4}
        assert_schema("STATS", stats.to_dict())
        # Discovery from the network: by name and by id, each schema-valid.
        client = ServiceClient(nc)
        for verb in ("ping", "info", "stats"):
            found = await getattr(client, verb)(svc.name)
            assert [f.id for f in found] == [svc.id]
            assert found[0].metadata == {"lang": "python"}
            assert_schema(verb.upper(), found[0].to_dict())
        info = (await client.info(svc.name, svc.id))[0]
        assert [(e.name, e.subject, e.queue_group) for e in info.endpoints] == [("work", subject, "q")]
        assert (await client.stats(svc.name))[0].endpoints[0].data == {"seen": 4}
        await svc.reset()
        assert svc.stats().endpoints[0].num_requests == 0
        await svc.stop()
    finally:
        await nc.close()


async def test_one_hundred_concurrent_requests_to_an_awaiting_handler():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        svc = await add_service(nc, ServiceConfig(name=unique("conc"), version="0.1.0"))
        subject = unique("conc")
        gate = asyncio.Event()
        state = {"in": 0, "peak": 0}

        async def slow(req):
            state["in"] += 1
            state["peak"] = max(state["peak"], state["in"])
            if state["in"] == 100:
                gate.set()
            await gate.wait()
            state["in"] -= 1
            await req.respond(req.data)

        await svc.add_endpoint(EndpointConfig(name="slow", subject=subject, handler=slow))
        replies = await asyncio.gather(*(nc.request(subject, str(i).encode(), timeout=10)
                                         for i in range(100)))
        assert state["peak"] == 100
        assert [r.data for r in replies] == [str(i).encode() for i in range(100)]
        assert svc.stats().endpoints[0].num_requests == 100
        await svc.stop()
    finally:
        await nc.close()


async def test_async_generator_streams_in_order_and_errors_end_the_stream():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        svc = await add_service(nc, name=unique("gen"), version="1.0.0")
        grp = svc.add_group(name=unique("llm"))

        async def tokens(req):
            n = int(req.data)
            for i in range(n):
                if i % 50 == 0:
                    await asyncio.sleep(0)
                yield f"tok-{i}".encode()
            if req.headers and req.headers.get("Fail") == "1":
                raise ServiceError("503", "model unloaded")

        async def empty_chunk(req):
            yield b"one"
            yield b""

        await grp.add_endpoint(name="tokens", handler=tokens)
        await grp.add_endpoint(name="empty", handler=empty_chunk)
        subject = svc.info().endpoints[0].subject
        got = [m.data async for m in request_stream(nc, subject, b"300")]
        assert got == [f"tok-{i}".encode() for i in range(300)]
        assert [m async for m in request_stream(nc, subject, b"0")] == []
        seen = []
        err = None
        try:
            async for m in request_stream(nc, subject, b"2", headers={"Fail": "1"}):
                seen.append(m.data)
        except ServiceError as e:
            err = e
        assert seen == [b"tok-0", b"tok-1"]
        assert err is not None and (err.code, err.description) == ("503", "model unloaded")
        err = await expect(ServiceError, _drain(request_stream(nc, svc.info().endpoints[1].subject)))
        assert err.code == "500" and "empty" in err.description
        assert svc.stats().endpoints[0].num_requests == 3
        # Nobody serving: NoRespondersError; a stream that never ends: TimeoutError.
        await expect(errors.NoRespondersError, _drain(request_stream(nc, unique("nobody"))))
        half = unique("half")

        async def partial(msg):
            await msg.respond(b"partial")

        sub = await nc.subscribe(half, cb=partial)
        await expect(errors.TimeoutError, _drain(request_stream(nc, half, timeout=0.3)))
        await sub.unsubscribe()
        await svc.stop()
    finally:
        await nc.close()


async def _drain(stream):
    async for _ in stream:
        pass


async def test_stop_waits_for_running_handlers_and_then_nobody_responds():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        svc = await add_service(nc, name=unique("stop"), version="1.0.0")
        subject = unique("stop")
        gate = asyncio.Event()
        started = asyncio.Event()

        async def held(req):
            started.set()
            await gate.wait()
            await req.respond(b"done")

        await svc.add_endpoint(name="held", subject=subject, handler=held)
        pending = asyncio.ensure_future(nc.request(subject, b"", timeout=5))
        await started.wait()
        stopping = asyncio.ensure_future(svc.stop())
        await asyncio.sleep(0.05)
        assert not stopping.done(), "stop waits for the running handler"
        gate.set()
        await stopping
        assert (await pending).data == b"done"
        assert svc.stopped.is_set()
        await expect(errors.NoRespondersError, nc.request(subject, b"", timeout=1))
        await expect(errors.Error, svc.add_endpoint(name="late", handler=held))
    finally:
        await nc.close()


async def test_bad_names_and_versions_are_typed_errors():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        await expect(errors.InvalidArgumentError, add_service(nc, name="a.b", version="1.0.0"))
        await expect(errors.InvalidArgumentError, add_service(nc, name="ok", version="1.0"))
        svc = await add_service(nc, name=unique("names"), version="1.0.0")

        async def h(req):
            await req.respond(b"")

        await expect(errors.InvalidArgumentError, svc.add_endpoint(name="a b", handler=h))
        await expect(errors.InvalidArgumentError, svc.add_endpoint(name="x", subject="a..b", handler=h))
        await svc.stop()
    finally:
        await nc.close()


async def test_interop_with_nats_js_services():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    env = js.natsTestEnv
    try:
        theirs_name, theirs_subject = unique("natsjs"), unique("theirs")
        theirs = await env.serviceStart(theirs_name, theirs_subject)
        assert (await nc.request(theirs_subject, b"abc", timeout=2)).data == b"ABC"
        found = await ServiceClient(nc).info(theirs_name)
        assert [f.id for f in found] == [theirs.id]
        await theirs.stop()

        svc = await add_service(nc, name=unique("mine"), version="1.0.0")
        mine = unique("mine")

        async def rev(req):
            await req.respond(req.data[::-1])

        await svc.add_endpoint(name="rev", subject=mine, handler=rev)
        assert await env.request(mine, "abc") == "cba"
        pings = json.loads(await env.serviceDiscover("ping", svc.name))
        assert [p["id"] for p in pings] == [svc.id]
        stats = json.loads(await env.serviceDiscover("stats", svc.name, svc.id))
        assert stats[0]["endpoints"][0]["num_requests"] == 1
        assert_schema("STATS", stats[0])
        await svc.stop()
    finally:
        await nc.close()


async def test_an_answered_request_stays_answered_and_sync_generators_are_refused():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        svc = await add_service(nc, name=unique("once"), version="1.0.0")
        answered, sync_gen = unique("answered"), unique("syncgen")

        async def respond_then_raise(req):
            await req.respond(b"ok")
            raise ValueError("after the answer")

        def not_async(req):
            yield b"x"

        await svc.add_endpoint(name="a", subject=answered, handler=respond_then_raise)
        await svc.add_endpoint(name="g", subject=sync_gen, handler=not_async)
        r = await nc.request(answered, b"", timeout=2)
        assert r.data == b"ok" and not r.headers
        r = await nc.request(sync_gen, b"", timeout=2)
        assert r.headers["Nats-Service-Error-Code"] == "500"
        stats = {e.name: e for e in svc.stats().endpoints}
        assert (stats["a"].num_requests, stats["a"].num_errors) == (1, 0)
        assert (stats["g"].num_requests, stats["g"].num_errors) == (1, 1)
        await svc.stop()
    finally:
        await nc.close()
