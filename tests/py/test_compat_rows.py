"""Behaviour tests for compatibility rows (tests/compat/py.json) of the core
client, nats.errors, the nats.aio.errors aliases and nats.micro that no
other test exercised: each name used as a nats.py program uses it, against
a real server. nats.py's values are written out from nats.py 2.15's source
(nats/aio/client.py, nats/errors.py, nats/micro/*.py). JetStream rows are
in test_compat_rows_js.py."""

import asyncio
import inspect
import json
import time

import js
import nats_wasm
from helpers import expect, unique
from nats_wasm import _connect, errors
from nats_wasm.aio import client as aio_client
from nats_wasm.aio import errors as aio_errors
from nats_wasm.aio.subscription import DEFAULT_SUB_PENDING_BYTES_LIMIT
from nats_wasm.client import Client
from nats_wasm.micro import request as micro_request
from nats_wasm.micro import service as micro_service


def closed_event(**kw):
    """connect() keywords with a closed_cb, and the Event it sets."""
    done = asyncio.Event()

    async def closed_cb():
        done.set()

    return done, {**kw, "closed_cb": closed_cb}


async def test_default_constants_are_nats_py_values_and_what_connect_uses():
    assert (aio_client.DEFAULT_INBOX_PREFIX, aio_client.DEFAULT_RECONNECT_TIME_WAIT,
            aio_client.DEFAULT_MAX_RECONNECT_ATTEMPTS, aio_client.DEFAULT_MAX_OUTSTANDING_PINGS,
            aio_client.DEFAULT_FLUSH_TIMEOUT, aio_client.DEFAULT_CONNECT_TIMEOUT) == (b"_INBOX", 2, 60, 2, 10, 2)
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        # What connect() handed the engine when no keyword was given.
        opts = nc._nc._opts
        assert opts.reconnectTimeWait == aio_client.DEFAULT_RECONNECT_TIME_WAIT * 1000
        assert opts.maxReconnectAttempts == aio_client.DEFAULT_MAX_RECONNECT_ATTEMPTS
        assert opts.maxPingOut == aio_client.DEFAULT_MAX_OUTSTANDING_PINGS
        assert opts.timeout == aio_client.DEFAULT_CONNECT_TIMEOUT * 1000
        prefix = aio_client.DEFAULT_INBOX_PREFIX.decode() + "."
        assert nc.new_inbox().startswith(prefix)
        replies = []

        async def responder(msg):
            replies.append(msg.reply)
            await msg.respond(b"ok")

        await nc.subscribe("rows.inbox", cb=responder)
        assert (await nc.request("rows.inbox", b"", timeout=2)).data == b"ok"
        assert replies[0].startswith(prefix), replies
    finally:
        await nc.close()


async def test_default_connect_and_flush_timeouts_on_a_server_that_stopped_answering():
    server = await js.natsTestEnv.startServer()
    nc = await nats_wasm.connect(server.wsUrl, allow_reconnect=False)
    server.pause()
    saved = _connect.DEFAULT_FLUSH_TIMEOUT
    try:
        # connect(): DEFAULT_CONNECT_TIMEOUT (2 s) for the handshake that never comes.
        t0 = time.monotonic()
        await expect(errors.TimeoutError, nats_wasm.connect(server.wsUrl, allow_reconnect=False))
        assert aio_client.DEFAULT_CONNECT_TIMEOUT - 0.1 <= time.monotonic() - t0 < 10
        # flush() without a timeout (nor connect's flush_timeout) waits DEFAULT_FLUSH_TIMEOUT;
        # shortened here so the test does not wait 10 s for it.
        assert saved == aio_client.DEFAULT_FLUSH_TIMEOUT == 10
        _connect.DEFAULT_FLUSH_TIMEOUT = 0.3
        t0 = time.monotonic()
        e = await expect(errors.FlushTimeoutError, nc.flush())
        assert 0.25 <= time.monotonic() - t0 < 5
        assert isinstance(e, errors.TimeoutError) and isinstance(e, asyncio.TimeoutError)
        await expect(errors.FlushTimeoutError, nc.flush(timeout=0.2))
    finally:
        _connect.DEFAULT_FLUSH_TIMEOUT = saved
        server.resume()
        await nc.close()
        await server.stop()


async def test_ping_interval_and_max_outstanding_pings_declare_a_silent_server_stale():
    server = await js.natsTestEnv.startServer()
    url = server.wsUrl
    one_done, one_kw = closed_event(ping_interval=0.1, max_outstanding_pings=1, allow_reconnect=False)
    two_done, two_kw = closed_event(ping_interval=0.1, allow_reconnect=False)
    one = await nats_wasm.connect(url, **one_kw)
    two = await nats_wasm.connect(url, **two_kw)  # DEFAULT_MAX_OUTSTANDING_PINGS
    many = await nats_wasm.connect(url, ping_interval=0.1, max_outstanding_pings=50, allow_reconnect=False)
    rare = await nats_wasm.connect(url, max_outstanding_pings=1, allow_reconnect=False)  # ping_interval 120 s
    server.pause()
    try:
        await asyncio.wait_for(asyncio.gather(one_done.wait(), two_done.wait()), 10)
        for nc in (one, two):
            assert isinstance(nc.last_error, errors.StaleConnectionError), nc.last_error
            assert isinstance(nc.last_error, aio_errors.ErrStaleConnection)
        # The same silence, but 50 PINGs allowed, or none sent yet: still connected.
        assert many.is_connected and rare.is_connected
    finally:
        server.resume()
    await many.flush(timeout=5)
    for nc in (many, rare):
        await nc.close()
    await server.stop()


async def test_unexpected_eof_when_the_server_goes():
    server = await js.natsTestEnv.startServer()
    done, kw = closed_event(allow_reconnect=False)
    nc = await nats_wasm.connect(server.wsUrl, **kw)
    await server.kill()
    await asyncio.wait_for(done.wait(), 10)
    assert isinstance(nc.last_error, errors.UnexpectedEOF), nc.last_error
    assert issubclass(errors.UnexpectedEOF, errors.StaleConnectionError)  # as in nats.py
    await server.stop()


async def test_client_aenter_aexit_close_the_connection():
    done, kw = closed_event()
    client = Client()
    await client.connect(js.natsTestEnv.wsUrl, **kw)
    async with client as nc:
        assert nc is client  # __aenter__ returns the client
        sub = await nc.subscribe("rows.ctx")
        await nc.publish("rows.ctx", b"in")
        assert (await sub.next_msg(timeout=2)).data == b"in"
    assert client.is_closed and done.is_set()  # __aexit__ closed it, closed_cb ran
    try:
        async with await nats_wasm.connect(js.natsTestEnv.wsUrl) as nc:
            raise KeyError("body")
    except KeyError:
        pass  # __aexit__ does not swallow the body's exception
    assert nc.is_closed


async def test_is_draining_and_connection_draining_error():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    release = asyncio.Event()

    async def held(msg):
        await release.wait()

    await nc.subscribe("rows.drain", cb=held)
    await nc.publish("rows.drain", b"x")
    await nc.flush()
    assert not nc.is_draining
    draining = asyncio.ensure_future(nc.drain())
    for _ in range(100):  # drain() starts on its task's first step
        if nc.is_draining:
            break
        await asyncio.sleep(0)
    assert nc.is_draining
    await expect(errors.ConnectionDrainingError, nc.subscribe("rows.more"))
    try:
        await nc.request("rows.more", b"", timeout=1)
    except aio_errors.ErrConnectionDraining as e:
        assert e.__class__ is errors.ConnectionDrainingError
    else:
        raise AssertionError("a request while draining must fail")
    release.set()
    await asyncio.wait_for(draining, 5)
    assert nc.is_closed and not nc.is_draining


async def test_drain_timeout_error_goes_to_error_cb_as_in_nats_py():
    seen = []

    async def error_cb(e):
        seen.append(e)

    done, kw = closed_event(drain_timeout=0.2, error_cb=error_cb)
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl, **kw)
    release = asyncio.Event()

    async def held(msg):
        await release.wait()

    await nc.subscribe("rows.stuck", cb=held)
    await nc.publish("rows.stuck", b"x")
    await nc.flush()
    try:
        await asyncio.wait_for(nc.drain(), 5)  # nats.py: drain() returns; error_cb hears why
        await asyncio.wait_for(done.wait(), 5)
        assert nc.is_closed, "the connection is closed after the timeout"
        timeouts = [e for e in seen if isinstance(e, errors.DrainTimeoutError)]
        assert len(timeouts) == 1, seen
        assert isinstance(timeouts[0], aio_errors.ErrDrainTimeout)
        assert isinstance(timeouts[0], errors.TimeoutError)
        assert isinstance(nc.last_error, errors.DrainTimeoutError)
    finally:
        release.set()


async def test_bad_timeout_and_bad_subscription_errors():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        # nats.py: flush() with a timeout that is not > 0.
        for bad in (0, -1):
            e = await expect(errors.BadTimeoutError, nc.flush(timeout=bad))
            assert isinstance(e, aio_errors.ErrBadTimeout)
        await nc.flush(timeout=2)
        # nats.py: unsubscribe() or drain() of a subscription that already ended.
        sub = await nc.subscribe("rows.twice")
        await sub.unsubscribe()
        await expect(errors.BadSubscriptionError, sub.unsubscribe())
        await expect(aio_errors.ErrBadSubscription, sub.drain())
        drained = await nc.subscribe("rows.drained")
        await drained.drain()
        await expect(errors.BadSubscriptionError, drained.unsubscribe())
    finally:
        await nc.close()


async def test_inbox_prefix_and_tls_handshake_first():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl, inbox_prefix="rows_inbox",
                                 tls_handshake_first=False)
    try:
        assert nc.new_inbox().startswith("rows_inbox.")
        seen = []

        async def responder(msg):
            seen.append(msg.reply)
            await msg.respond(b"ok")

        await nc.subscribe("rows.prefixed", cb=responder)
        assert (await nc.request("rows.prefixed", b"", timeout=2)).data == b"ok"
        assert seen[0].startswith("rows_inbox."), seen
    finally:
        await nc.close()
    other = await nats_wasm.connect(js.natsTestEnv.wsUrl, inbox_prefix=b"rows_bytes")
    assert other.new_inbox().startswith("rows_bytes.")
    await other.close()
    # tls_handshake_first=True cannot apply: TLS is the platform's wss://.
    await expect(errors.InvalidArgumentError,
                 nats_wasm.connect(js.natsTestEnv.wsUrl, tls_handshake_first=True))


async def test_default_sub_pending_bytes_limit_is_subscribes_default():
    assert DEFAULT_SUB_PENDING_BYTES_LIMIT == 128 * 1024 * 1024  # nats.py's
    params = inspect.signature(Client.subscribe).parameters
    assert params["pending_bytes_limit"].default == DEFAULT_SUB_PENDING_BYTES_LIMIT
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        # What the limit does, at a size a test can reach: bytes beyond it are dropped.
        small = await nc.subscribe("rows.bytes", pending_bytes_limit=250)
        full = await nc.subscribe("rows.bytes")
        for _ in range(10):
            await nc.publish("rows.bytes", b"x" * 100)
        await nc.flush()
        got = [await full.next_msg(timeout=2) for _ in range(10)]
        assert len(got) == 10 and full.dropped == 0
        assert 0 < small.dropped < 10 and small.pending_bytes <= 250
    finally:
        await nc.close()


async def test_core_errors_from_real_behaviour_and_their_aio_aliases():
    url = js.natsTestEnv.wsUrl
    nc = await nats_wasm.connect(url)
    try:
        await expect(aio_errors.ErrBadSubject, nc.publish("a b", b""))
        await expect(aio_errors.ErrMaxPayload, nc.publish("rows.big", b"x" * (nc.max_payload + 1)))

        def not_async(msg):
            pass

        await expect(aio_errors.ErrInvalidCallbackType, nc.subscribe("rows.cb", cb=not_async))
        sub = await nc.subscribe("rows.gone")
        await sub.unsubscribe()
        e = await expect(aio_errors.ErrBadSubscription, sub.next_msg(timeout=1))
        assert type(e) is errors.BadSubscriptionError
    finally:
        await nc.close()
    await expect(aio_errors.ErrConnectionClosed, nc.publish("rows.x", b""))
    await expect(aio_errors.ErrAuthorization, nats_wasm.connect(js.natsTestEnv.tokenWsUrl, token="wrong"))
    await expect(aio_errors.ErrNoServers, nats_wasm.connect("ws://127.0.0.1:1", connect_timeout=2,
                                                                  max_reconnect_attempts=1))
    # Credentials that cannot be used (nats.py defines the class but never raises it).
    e = await expect(aio_errors.ErrInvalidUserCredentials,
                     nats_wasm.connect(url, user_credentials=("a", "b", "c")))
    assert type(e) is errors.InvalidUserCredentialsError
    assert isinstance(e, errors.InvalidArgumentError)
    await expect(errors.InvalidUserCredentialsError, nats_wasm.connect(url, user_jwt_cb=lambda: 42))


async def test_slow_consumer_and_json_parse_aliases_from_real_events():
    seen = []

    async def error_cb(e):
        seen.append(e)

    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl, error_cb=error_cb)
    try:
        sub = await nc.subscribe("rows.slow", pending_msgs_limit=2)
        for _ in range(10):
            await nc.publish("rows.slow", b"x")
        await nc.flush()
        for _ in range(200):
            if seen:
                break
            await asyncio.sleep(0.01)
        assert isinstance(seen[0], aio_errors.ErrSlowConsumer), seen
        assert seen[0].subject == "rows.slow" and sub.dropped > 0
    finally:
        await nc.close()
    # A peer that breaks the protocol: nats.py's ErrJsonParse name is the ProtocolError.
    peer = await js.natsTestEnv.hostilePeer("garbage\r\n", 1)
    done, kw = closed_event(allow_reconnect=False, error_cb=error_cb)
    try:
        bad = await nats_wasm.connect(peer.url, **kw)
        await asyncio.wait_for(done.wait(), 5)
        assert isinstance(bad.last_error, aio_errors.ErrJsonParse), bad.last_error
    finally:
        await peer.close()


async def test_alias_of_a_class_a_healthy_server_does_not_trigger():
    # nats.py raises it from drain() while (re)connecting; ErrX is the class itself.
    alias, cls = aio_errors.ErrConnectionReconnecting, errors.ConnectionReconnectingError
    assert alias is cls and issubclass(cls, errors.Error)
    try:
        raise cls("why")
    except alias as e:
        assert str(e) == "nats: why"


async def test_micro_constants_and_headers():
    assert (micro_service.DEFAULT_QUEUE_GROUP, micro_service.DEFAULT_PREFIX) == ("q", "$SRV")
    assert (micro_service.PING_RESPONSE_TYPE, micro_service.INFO_RESPONSE_TYPE,
            micro_service.STATS_RESPONSE_TYPE) == ("io.nats.micro.v1.ping_response",
                                                   "io.nats.micro.v1.info_response",
                                                   "io.nats.micro.v1.stats_response")
    assert (micro_request.ERROR_HEADER, micro_request.ERROR_CODE_HEADER) == \
        ("Nats-Service-Error", "Nats-Service-Error-Code")
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    name = unique("rows")
    try:
        async def fail(req):
            await req.respond_error("503", "down")

        async with await micro_service.add_service(nc, name=name, version="1.0.0") as svc:
            await svc.add_endpoint(name="fail", subject=f"{name}.fail", handler=fail)
            reply = await nc.request(f"{name}.fail", b"", timeout=2)
            assert reply.headers[micro_request.ERROR_HEADER] == "down"
            assert reply.headers[micro_request.ERROR_CODE_HEADER] == "503"
            for verb, kind in (("PING", micro_service.PING_RESPONSE_TYPE),
                               ("INFO", micro_service.INFO_RESPONSE_TYPE),
                               ("STATS", micro_service.STATS_RESPONSE_TYPE)):
                r = await nc.request(f"{micro_service.DEFAULT_PREFIX}.{verb}.{name}", b"", timeout=2)
                assert json.loads(r.data)["type"] == kind
            info = svc.info()
            assert info.endpoints[0].queue_group == micro_service.DEFAULT_QUEUE_GROUP
            assert not svc.stopped.is_set()
        # Service.__aenter__ gave the service; Service.__aexit__ stopped it.
        assert svc.stopped.is_set()
        await expect(errors.NoRespondersError, nc.request(f"{name}.fail", b"", timeout=2))
    finally:
        await nc.close()


async def test_micro_dataclasses_from_a_live_service():
    from nats_wasm.micro import ServiceClient
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    name = unique("rows")
    try:
        svc = await micro_service.add_service(nc, name=name, version="2.0.0", metadata={"a": "b"})

        async def ok(req):
            await req.respond(b"ok")

        group = svc.add_group(micro_service.GroupConfig(name=f"{name}.g", queue_group="gq"))
        assert isinstance(group, micro_service.Group)
        await group.add_endpoint(name="e", handler=ok, metadata={"k": "v"})
        sub = group.add_group(name="sub")
        await sub.add_endpoint(name="f", handler=ok)
        assert (await nc.request(f"{name}.g.e", b"", timeout=2)).data == b"ok"
        assert (await nc.request(f"{name}.g.sub.f", b"", timeout=2)).data == b"ok"
        info = svc.info()
        assert isinstance(info, micro_service.ServiceInfo)
        assert [(e.name, e.subject, e.queue_group, e.metadata) for e in info.endpoints] == \
            [("e", f"{name}.g.e", "gq", {"k": "v"}), ("f", f"{name}.g.sub.f", "gq", {})]
        assert all(isinstance(e, micro_service.EndpointInfo) for e in info.endpoints)
        ping = svc.ping()
        assert isinstance(ping, micro_service.ServicePing)
        identity = (ping.id, ping.name, ping.version, ping.metadata)
        assert identity == (svc.id, name, "2.0.0", {"a": "b"})
        assert (info.id, info.name, info.version, info.metadata) == identity  # ServiceIdentity fields
        stats = svc.stats()
        assert [(e.name, e.num_requests, e.num_errors) for e in stats.endpoints] == [("e", 1, 0), ("f", 1, 0)]
        assert all(isinstance(e, micro_service.EndpointStats) for e in stats.endpoints)
        # The same dataclasses from discovery replies, and their dict forms round trip.
        client = ServiceClient(nc)
        found = await client.info(name, svc.id)
        assert found == [info]
        assert micro_service.ServiceInfo.from_dict(info.to_dict()) == info
        assert micro_service.ServicePing.from_dict(ping.to_dict()) == ping
        ep_stats = stats.endpoints[0]
        assert micro_service.EndpointStats.from_dict(ep_stats.to_dict()) == ep_stats
        assert micro_service.EndpointInfo.from_dict(info.endpoints[0].to_dict()) == info.endpoints[0]
        assert micro_service.ServiceIdentity(id=ping.id, name=ping.name, version=ping.version,
                                             metadata=ping.metadata) == \
            micro_service.ServiceIdentity(id=svc.id, name=name, version="2.0.0", metadata={"a": "b"})
        await svc.stop()
    finally:
        await nc.close()
