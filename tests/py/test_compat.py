"""nats.py programs as written: the module path, Client() then connect()
with nats.py's keywords, and the names they read (last_error,
pending_bytes, msg.header)."""

import js
import nats_wasm
from helpers import expect
from nats_wasm import errors
from nats_wasm.aio.client import Client as NATS


async def test_a_nats_py_program_runs_as_written():
    nc = NATS()
    reconnected = []

    async def reconnected_cb():
        reconnected.append(True)

    await nc.connect(servers=[js.natsTestEnv.wsUrl], name="compat", verbose=False, pedantic=False,
                     flush_timeout=2, drain_timeout=5, flusher_queue_size=1024,
                     reconnected_cb=reconnected_cb, tls=None, user_credentials=None)
    try:
        assert nc.is_connected and nc.last_error is None
        sub = await nc.subscribe("compat.>")
        await nc.publish("compat.a", b"1")
        await nc.publish("compat.b", b"22")
        await nc.flush()  # connect's flush_timeout
        assert (sub.pending_msgs, sub.pending_bytes) == (2, 3)
        msg = await sub.next_msg()
        assert (msg.subject, msg.header) == ("compat.a", None)
        assert (sub.pending_msgs, sub.pending_bytes) == (1, 2)
        await expect(errors.Error, nc.connect(js.natsTestEnv.wsUrl))  # already connected
    finally:
        await nc.drain()
    assert nc.is_closed and reconnected == []


async def test_options_that_cannot_apply_are_typed_errors():
    url = js.natsTestEnv.wsUrl
    for bad in ({"verbose": True}, {"pedantic": True}, {"tls_hostname": "example.com"},
                {"ws_connection_headers": {"A": ["b"]}}):
        await expect(errors.InvalidArgumentError, nats_wasm.connect(url, **bad))
    try:
        await nats_wasm.connect(url, no_such_option=1)
    except TypeError as e:
        assert "no_such_option" in str(e)
    else:
        raise AssertionError("an unknown keyword must be a TypeError, as in nats.py")
    await expect(errors.InvalidArgumentError, nats_wasm.connect(url, drain_timeout=-1))
