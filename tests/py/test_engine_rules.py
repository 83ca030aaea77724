"""Rules Python now takes from the engine instead of re-implementing them:
the error table, header decoding, requestMany strategies, timeouts."""

import asyncio
import importlib

import js
import nats_wasm
from helpers import expect
from nats_wasm import _loader, errors
from nats_wasm.js import errors as js_errors


def env():
    return js.natsTestEnv


async def test_every_engine_error_names_an_existing_python_class():
    nc = await nats_wasm.connect(env().wsUrl)
    await nc.close()
    table = _loader.error_classes()
    assert len(table) >= 30
    for name, path in table.items():
        module_path, _, cls_name = path.rpartition(".")
        cls = getattr(importlib.import_module(f"nats_wasm.{module_path}"), cls_name)
        assert issubclass(cls, errors.Error), (name, path)
    assert table["timeout"] == "errors.TimeoutError"
    assert table["no_servers"] == "errors.NoServersError"
    assert table["js_api_error"] == "js.errors.APIError"
    assert issubclass(js_errors.NotFoundError, js_errors.APIError)


async def test_connect_failure_is_no_servers_error():
    stopped = await env().startServer()
    url = stopped.wsUrl
    await stopped.stop()
    e = await expect(errors.NoServersError, nats_wasm.connect(url, connect_timeout=2,
                                                                    max_reconnect_attempts=1))
    assert "cannot connect" in str(e)


async def test_headers_are_decoded_by_the_engine_as_nats_py_reads_them():
    nc = await nats_wasm.connect(env().wsUrl)
    try:
        sub = await nc.subscribe("py.rules.hdr")
        await nc.flush()
        block = "NATS/1.0503 Odd\r\nA: 1\r\nA: 2\r\n\r\n"
        await env().rawSend(f"HPUB py.rules.hdr {len(block)} {len(block) + 4}\r\n{block}body\r\n")
        msg = await sub.next_msg(timeout=2)
        assert msg.data == b"body"
        # nats.py: status line as Status/Description, the last value of a repeated key.
        assert msg.headers == {"Status": "503", "Description": "Odd", "A": "2"}
        assert msg.header == msg.headers
    finally:
        await nc.close()


async def test_bad_header_block_is_delivered_and_reported_on_read():
    nc = await nats_wasm.connect(env().wsUrl)
    try:
        sub = await nc.subscribe("py.rules.bad")
        await nc.flush()
        await env().rawSend("HPUB py.rules.bad 12 17\r\nHTTP/1.1\r\n\r\nhello\r\n")
        msg = await sub.next_msg(timeout=2)
        assert msg.data == b"hello"
        try:
            msg.headers
        except errors.ProtocolError as e:
            assert e.code == "bad_header_block"
        else:
            raise AssertionError("reading a malformed header block must raise")
        assert nc.is_connected
        await nc.publish("py.rules.bad", b"next")
        assert (await sub.next_msg(timeout=2)).data == b"next"
    finally:
        await nc.close()


async def test_request_many_stall_is_the_engines():
    nc = await nats_wasm.connect(env().wsUrl)
    try:
        async def service(msg):
            for i in range(3):
                await msg.respond(str(i).encode())

        await nc.subscribe("py.rules.many", cb=service)
        await nc.flush()
        got = [m.data async for m in nc.request_many("py.rules.many", b"", timeout=5, stall=0.2)]
        assert got == [b"0", b"1", b"2"]
        assert nc._engine_stats()["pending_requests"] == 0
    finally:
        await nc.close()


async def test_cancelled_rtt_and_flush_leave_the_client_usable():
    nc = await nats_wasm.connect(env().wsUrl)
    try:
        for coro in (nc.rtt(), nc.flush()):
            task = asyncio.ensure_future(coro)
            await asyncio.sleep(0)
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
        await nc.flush(timeout=2)
        assert nc.is_connected
    finally:
        await nc.close()


async def test_second_drain_waits_for_the_first():
    nc = await nats_wasm.connect(env().wsUrl)
    await nc.subscribe("py.rules.drain")
    first = asyncio.ensure_future(nc.drain())
    await asyncio.sleep(0)
    await nc.drain()  # nats.py: no error; it returns once closed
    await first
    assert nc.is_closed
