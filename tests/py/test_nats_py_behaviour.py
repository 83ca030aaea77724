"""Behaviour a nats.py program relies on, checked against a real server:
the callbacks connect() refuses, disconnected_cb then closed_cb on every
close, nats.py's stats keys, the refusals of unsubscribe()/drain()/
next_msg(), flush and rtt timeouts, request's old_style, what
max_reconnect_attempts=0 means, and KV/object-store error classes. nats.py's
behaviour is taken from its source (nats/aio/client.py, aio/subscription.py,
js/object_store.py, js/kv.py, js/errors.py)."""

import asyncio

import js
import nats_wasm
from helpers import connected, expect, unique
from nats_wasm import errors
from nats_wasm.js import api, errors as jse


def env():
    return js.natsTestEnv


async def test_connect_refuses_callbacks_that_are_not_coroutine_functions():
    for key in ("error_cb", "disconnected_cb", "closed_cb", "reconnected_cb",
                "discovered_server_cb", "lame_duck_mode_cb"):
        e = await expect(errors.InvalidCallbackTypeError,
                         nats_wasm.connect(env().wsUrl, **{key: lambda *a: None}))
        assert "coroutine" in str(e), key


async def test_close_calls_disconnected_cb_then_closed_cb_once_each():
    calls = []

    async def disconnected_cb():
        calls.append("disconnected")

    async def closed_cb():
        calls.append("closed")

    for how in ("close", "drain", "async with"):
        calls.clear()
        if how == "async with":
            async with await nats_wasm.connect(env().wsUrl, disconnected_cb=disconnected_cb,
                                               closed_cb=closed_cb) as nc:
                await nc.flush()
        else:
            nc = await nats_wasm.connect(env().wsUrl, disconnected_cb=disconnected_cb,
                                         closed_cb=closed_cb)
            await getattr(nc, how)()
        assert calls == ["disconnected", "closed"], (how, calls)


async def test_stats_have_nats_py_keys_and_count_buffered_publishes():
    seen = asyncio.Event()

    async def error_cb(e):
        if isinstance(e, errors.PermissionViolationError):
            seen.set()

    nc = await nats_wasm.connect(env().permsWsUrl, user="limited", password="limited-pass",
                                 error_cb=error_cb)
    try:
        await nc.publish("beh.stats", b"abc")  # buffered until the next step
        stats = nc.stats
        assert set(stats) == {"in_msgs", "out_msgs", "in_bytes", "out_bytes", "reconnects",
                              "errors_received"}
        assert (stats["out_msgs"], stats["out_bytes"]) == (1, 3), stats
        assert (stats["reconnects"], stats["errors_received"]) == (0, 0)
        await nc.subscribe("secret.x")  # the server answers -ERR: one error received
        await asyncio.wait_for(seen.wait(), 3)
        assert nc.stats["errors_received"] == 1
    finally:
        await nc.close()


async def test_unsubscribe_drain_and_next_msg_refuse_as_nats_py_does():
    nc = await nats_wasm.connect(env().wsUrl)
    sub = await nc.subscribe("beh.unsub")
    await sub.unsubscribe()
    await expect(errors.BadSubscriptionError, sub.unsubscribe())
    await expect(errors.BadSubscriptionError, sub.drain())

    async def cb(msg):
        pass

    with_cb = await nc.subscribe("beh.cb", cb=cb)
    e = await expect(errors.Error, with_cb.next_msg(timeout=0.1))
    assert "async subscriptions" in str(e)
    live = await nc.subscribe("beh.live")
    await nc.close()
    await expect(errors.ConnectionClosedError, live.next_msg(timeout=0.1))
    await expect(errors.ConnectionClosedError, live.unsubscribe())
    await expect(errors.ConnectionClosedError, live.drain())


async def test_flush_rtt_and_request_take_nats_py_arguments():
    nc = await nats_wasm.connect(env().wsUrl)
    try:
        for bad in (0, -1):
            await expect(errors.BadTimeoutError, nc.flush(timeout=bad))
        assert 0 < await nc.rtt(timeout=2) < 2

        async def echo(msg):
            await msg.respond(msg.data)

        await nc.subscribe("beh.echo", cb=echo)
        reply = await nc.request("beh.echo", b"hi", 2, True)  # old_style, positional
        assert reply.data == b"hi"
        reply = await nc.request("beh.echo", b"yo", timeout=2, old_style=True,
                                 headers={"k": "v"})
        assert reply.data == b"yo"
    finally:
        await nc.close()


async def test_max_reconnect_attempts_zero_means_no_limit_as_in_nats_py():
    nc = await nats_wasm.connect(env().wsUrl, max_reconnect_attempts=0)
    try:
        assert nc._nc._opts.maxReconnectAttempts == -1
    finally:
        await nc.close()


async def test_kv_and_object_store_errors_have_nats_py_classes():
    nc, jsx = await connected()
    try:
        e = await expect(jse.KeyHistoryTooLargeError,
                         jsx.create_key_value(bucket=unique("BEH"), history=65))
        assert isinstance(e, jse.KeyValueError) and isinstance(e, jse.APIError)
        assert isinstance(e, errors.InvalidArgumentError)
        kv = await jsx.create_key_value(bucket=unique("BEH"))
        assert (await kv.status()).ttl == 0.0, "no TTL is 0.0, as nats.py gives it"
        obs = await jsx.create_object_store(bucket=unique("BEHO"))
        await obs.put("gone", b"x")
        await obs.delete("gone")
        for name in ("gone", "never"):
            await expect(jse.ObjectDeletedError,
                         obs.update_meta(name, api.ObjectMeta(description="d")))
    finally:
        await nc.close()


async def test_delivered_counts_messages_as_they_arrive():
    nc = await nats_wasm.connect(env().wsUrl)
    try:
        sub = await nc.subscribe("beh.delivered")
        for i in range(3):
            await nc.publish("beh.delivered", b"%d" % i)
        await nc.flush()  # our messages come before the flush's PONG
        assert (sub.delivered, sub.pending_msgs) == (3, 3), "counted before any is taken"
        assert (await sub.next_msg()).data == b"0"
        assert (sub.delivered, sub.pending_msgs) == (3, 2)
    finally:
        await nc.close()


async def test_a_callable_token_is_asked_on_connect():
    asked = []

    def token():
        asked.append(1)
        return "s3cr3t-token"

    nc = await nats_wasm.connect(env().tokenWsUrl, token=token)
    try:
        await nc.flush()
        assert asked, "the callable was asked for the token"
    finally:
        await nc.close()

    def wrong():
        return "wrong"

    await expect(errors.AuthorizationError, nats_wasm.connect(env().tokenWsUrl, token=wrong,
                                                              allow_reconnect=False))


async def test_is_connecting_while_the_first_connect_runs():
    c = nats_wasm.Client()
    assert not c.is_connecting
    task = asyncio.ensure_future(c.connect(env().wsUrl))
    await asyncio.sleep(0)  # the task runs up to its first await
    assert c.is_connecting
    await task
    assert not c.is_connecting and c.is_connected
    await c.close()


async def test_drain_while_reconnecting_is_refused_as_in_nats_py():
    server = await env().startServer()
    lost = asyncio.Event()

    async def disconnected_cb():
        lost.set()

    nc = await nats_wasm.connect(server.wsUrl, disconnected_cb=disconnected_cb,
                                 max_reconnect_attempts=-1, reconnect_time_wait=0.1)
    try:
        await server.kill()
        await asyncio.wait_for(lost.wait(), 5)
        assert nc.is_reconnecting
        await expect(errors.ConnectionReconnectingError, nc.drain())
        assert not nc.is_closed, "the refusal leaves the connection as it was"
    finally:
        await nc.close()
        await server.stop()


async def test_a_stream_that_keeps_no_history_is_not_a_bucket():
    nc, jsx = await connected()
    try:
        name = unique("NOTKV")
        await jsx.add_stream(name=f"KV_{name}", subjects=[f"$KV.{name}.>"])
        await expect(jse.BadBucketError, jsx.key_value(name))
        await jsx.delete_stream(f"KV_{name}")
    finally:
        await nc.close()


async def test_an_object_info_that_cannot_be_read_is_bad_object_meta():
    nc, jsx = await connected()
    try:
        bucket = unique("BADMETA")
        obs = await jsx.create_object_store(bucket=bucket)
        # "bad" in URL-safe base64 is "YmFk": its meta subject, with no JSON in it.
        await jsx.publish(f"$O.{bucket}.M.YmFk", b"not json")
        await expect(jse.BadObjectMetaError, obs.get_info("bad"))
        await expect(jse.BadObjectMetaError, obs.get("bad"))
    finally:
        await nc.close()


async def test_errors_without_a_message_say_what_nats_py_says():
    from nats_wasm.aio import errors as aio_errors

    for cls, text in ((errors.TimeoutError, "nats: timeout"),
                      (errors.BadTimeoutError, "nats: timeout invalid"),
                      (errors.NoServersError, "nats: no servers available for connection"),
                      (errors.ConnectionClosedError, "nats: connection closed"),
                      (aio_errors.ErrDrainTimeout, "nats: draining connection timed out")):
        assert str(cls()) == text, cls
    assert str(errors.TimeoutError("request to a.b timed out")) == \
        "nats: request to a.b timed out", "the engine's message, when there is one, stays"


async def test_msg_takes_the_client_first_as_nats_py_does():
    from nats_wasm.msg import Msg

    nc = await nats_wasm.connect(env().wsUrl)
    try:
        inbox = nc.new_inbox()
        sub = await nc.subscribe(inbox)
        m = Msg(nc, subject="s", reply=inbox, data=b"d")
        assert (m.subject, m.reply, m.data) == ("s", inbox, b"d")
        await m.respond(b"answer")
        assert (await sub.next_msg(timeout=2)).data == b"answer"
    finally:
        await nc.close()


async def test_pull_subscribe_makes_its_consumer_as_nats_py_does():
    nc, jsx = await connected()
    try:
        s = unique("PULLCFG")
        await jsx.add_stream(name=s, subjects=[f"{s}.>"])
        given = api.ConsumerConfig(description="mine", max_deliver=3, filter_subject="ignored")
        durable = await jsx.pull_subscribe(f"{s}.a", durable="d", config=given)
        c = (await durable.consumer_info()).config
        assert (c.name, c.durable_name, c.filter_subject) == ("d", "d", f"{s}.a")
        assert (c.description, c.max_deliver) == ("mine", 3), "the config's own fields stay"
        ephemeral = await jsx.pull_subscribe(f"{s}.b")
        info = await ephemeral.consumer_info()
        assert info.config.durable_name is None and len(info.name) == 22, info.name
        assert info.config.filter_subject == f"{s}.b"
        await expect(errors.BadSubjectError, jsx.pull_subscribe("bad subject", stream=s))
    finally:
        await nc.close()
