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


async def test_more_nats_py_names_behave_as_in_nats_py():
    import inspect

    from nats_wasm import NATS as TopLevelNATS
    from nats_wasm._connect import connect_into
    from nats_wasm.aio import client as aio_client
    from nats_wasm.aio.errors import ErrTimeout, NatsError
    from nats_wasm.aio.subscription import DEFAULT_SUB_PENDING_MSGS_LIMIT
    from nats_wasm.js.client import JetStreamContext
    from nats_wasm.js.subscriptions import PullSubscription
    from nats_wasm.micro import ServiceVerb, control_subject

    assert TopLevelNATS is NATS
    # The DEFAULT_* constants are connect()'s defaults, not copies of nats.py's.
    params = inspect.signature(connect_into).parameters
    assert params["ping_interval"].default == aio_client.DEFAULT_PING_INTERVAL
    assert params["drain_timeout"].default == aio_client.DEFAULT_DRAIN_TIMEOUT
    assert params["pending_size"].default == aio_client.DEFAULT_PENDING_SIZE
    assert DEFAULT_SUB_PENDING_MSGS_LIMIT == 512 * 1024
    assert JetStreamContext.PullSubscription is PullSubscription
    assert issubclass(errors.TimeoutError, NatsError)
    nc = NATS()
    await nc.connect(servers=[js.natsTestEnv.wsUrl], reconnect_to_server_handler=None)
    try:
        try:
            await nc.request("compat.nobody.there", b"", timeout=0.001)
        except ErrTimeout:
            pass  # the legacy name catches the new class
        except errors.NoRespondersError:
            pass
        assert nc.client_ip == "127.0.0.1"
        version = nc.connected_server_version
        assert (version.major, version.minor) >= (2, 9) and str(version) == nc.server_info["version"]
        await nc.publish("compat.pending", b"first")  # a new subject goes out at once
        await nc.publish("compat.pending", b"x" * 100)
        assert nc.pending_data_size >= 100, "batched until the event loop runs"
        await nc.flush()
        assert nc.pending_data_size == 0
        await nc.force_reconnect()
        await nc.flush()
        assert nc.is_connected

        def not_async(msg):
            pass

        await expect(errors.InvalidCallbackTypeError, nc.subscribe("compat.cb", cb=not_async))
        assert control_subject(ServiceVerb.STATS, "svc", "ID") == "$SRV.STATS.svc.ID"
        await expect(errors.InvalidArgumentError,
                     nats_wasm.connect(js.natsTestEnv.wsUrl, reconnect_to_server_handler=lambda: 0))
    finally:
        await nc.close()


async def test_set_server_pool_moves_the_next_reconnect():
    other = await js.natsTestEnv.startServer()
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        await expect(errors.InvalidArgumentError, _call(nc.set_server_pool, []))
        nc.set_server_pool([other.wsUrl])
        assert [s.geturl() for s in nc.servers] == [other.wsUrl]
        assert nc.connected_url.geturl() == js.natsTestEnv.wsUrl
        await nc.force_reconnect()
        await nc.flush(timeout=10)
        assert nc.connected_url.geturl() == other.wsUrl
    finally:
        await nc.close()
        await other.stop()
    await expect(errors.ConnectionClosedError, _call(nc.set_server_pool, [other.wsUrl]))


async def _call(fn, *args):
    return fn(*args)


async def test_nats_py_constants_are_the_cores():
    from nats_wasm.js.client import (DEFAULT_JS_SUB_PENDING_BYTES_LIMIT, DEFAULT_JS_SUB_PENDING_MSGS_LIMIT,
                                     KV_MAX_HISTORY)
    from nats_wasm.js.object_store import OBJ_DEFAULT_CHUNK_SIZE

    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        limits = nc._mod.abi.LIMITS
        assert (KV_MAX_HISTORY, OBJ_DEFAULT_CHUNK_SIZE) == (limits.kvMaxHistory, limits.objChunkSize)
        assert (DEFAULT_JS_SUB_PENDING_MSGS_LIMIT, DEFAULT_JS_SUB_PENDING_BYTES_LIMIT) == \
            (limits.pushPendingMsgs, limits.pushPendingBytes)
        from nats_wasm.micro import INFO_RESPONSE, PING_RESPONSE, STATS_RESPONSE, ServiceVerb, control_subject
        types = nc._mod.abi.MICRO_RESPONSE_TYPE
        assert (PING_RESPONSE, INFO_RESPONSE, STATS_RESPONSE) == (types.PING, types.INFO, types.STATS)
        assert control_subject(ServiceVerb.PING, "svc", prefix="custom.srv") == "custom.srv.PING.svc"
        await expect(nats_wasm.errors.InvalidArgumentError,
                     _call(control_subject, ServiceVerb.INFO, None, None, "bad.*"))
        jsx = nc.jetstream()
        from nats_wasm.js import errors as jse
        await expect(jse.KeyHistoryTooLargeError,
                     jsx.create_key_value(bucket="compat_hist", history=KV_MAX_HISTORY + 1))
    finally:
        await nc.close()
