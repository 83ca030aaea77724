"""Core NATS from Python in Pyodide: connect, pub/sub, headers, request/reply."""

import asyncio

import js
import nats_wasm
from helpers import expect
from nats_wasm import errors


def env():
    return js.natsTestEnv


async def test_connect_publish_subscribe():
    nc = await nats_wasm.connect(env().wsUrl, name="py-test")
    try:
        assert nc.is_connected and not nc.is_closed
        sub = await nc.subscribe("py.pubsub")
        await nc.publish("py.pubsub", b"hello")
        await nc.publish("py.pubsub", b"")
        msg = await sub.next_msg(timeout=2)
        assert msg.subject == "py.pubsub"
        assert msg.data == b"hello"
        assert (await sub.next_msg(timeout=2)).data == b""
        assert nc.max_payload == 65536
    finally:
        await nc.close()
    assert nc.is_closed


async def test_headers_round_trip():
    nc = await nats_wasm.connect(env().wsUrl)
    try:
        sub = await nc.subscribe("py.hdr")
        await nc.publish("py.hdr", b"body", headers={"Trace-Id": "42", "X-Other": "a b"})
        msg = await sub.next_msg(timeout=2)
        assert msg.data == b"body"
        assert msg.headers == {"Trace-Id": "42", "X-Other": "a b"}
    finally:
        await nc.close()


async def test_request_reply():
    nc = await nats_wasm.connect(env().wsUrl)
    try:
        async def handler(msg):
            await msg.respond(b"re:" + msg.data)

        await nc.subscribe("py.svc", cb=handler)
        reply = await nc.request("py.svc", b"q", timeout=2)
        assert reply.data == b"re:q" and reply.headers is None
        # As nats.py: respond() copies the request's headers onto the reply.
        reply = await nc.request("py.svc", b"h", timeout=2, headers={"Trace-Id": "7"})
        assert (reply.data, reply.headers) == (b"re:h", {"Trace-Id": "7"})

        async def bare(msg):
            await msg.respond(b"bare", headers={})

        await nc.subscribe("py.svc.bare", cb=bare)
        reply = await nc.request("py.svc.bare", b"", timeout=2, headers={"Trace-Id": "8"})
        assert reply.data == b"bare" and not reply.headers, "headers={}: an empty header block"
    finally:
        await nc.close()


async def test_no_responders():
    nc = await nats_wasm.connect(env().wsUrl)
    try:
        e = await expect(errors.NoRespondersError, nc.request("py.nobody", b"x", timeout=2))
        assert "no responders" in str(e)
        assert nc._engine_stats()["pending_requests"] == 0
    finally:
        await nc.close()


async def test_request_cancel_cancels_in_engine():
    nc = await nats_wasm.connect(env().wsUrl)
    try:
        await nc.subscribe("py.silent")  # a responder that never answers
        await nc.flush()
        task = asyncio.ensure_future(nc.request("py.silent", b"x", timeout=10))
        await asyncio.sleep(0.05)
        assert nc._engine_stats()["pending_requests"] == 1
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        assert nc._engine_stats()["pending_requests"] == 0
    finally:
        await nc.close()
