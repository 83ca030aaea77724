"""Error mapping: every JS error arrives as a nats_wasm.errors exception."""

import js
import nats_wasm
from helpers import expect as _expect
from nats_wasm import errors


async def test_bad_subjects():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        await _expect(errors.BadSubjectError, nc.publish("a b", b"x"))
        await _expect(errors.BadSubjectError, nc.publish("a.*", b"x"))
        await _expect(errors.BadSubjectError, nc.subscribe("a..b"))
        await _expect(errors.BadSubjectError, nc.request("", b"x"))
        await _expect(errors.InvalidArgumentError, nc.subscribe("ok", queue="bad queue"))
        assert nc.is_connected
    finally:
        await nc.close()


async def test_max_payload():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        e = await _expect(errors.MaxPayloadError, nc.publish("py.big", b"x" * 65537))
        assert isinstance(e, errors.InvalidArgumentError)
        sub = await nc.subscribe("py.big")
        await nc.publish("py.big", b"y" * 65536)
        assert len((await sub.next_msg(timeout=2)).data) == 65536
    finally:
        await nc.close()


async def test_request_timeout():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        await nc.subscribe("py.slow")
        await nc.flush()
        e = await _expect(errors.TimeoutError, nc.request("py.slow", b"", timeout=0.1))
        assert isinstance(e, TimeoutError)
        assert nc._engine_stats()["pending_requests"] == 0
    finally:
        await nc.close()


async def test_calls_after_close():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    await nc.close()
    await _expect(errors.ConnectionClosedError, nc.publish("x", b""))
    await _expect(errors.ConnectionClosedError, nc.subscribe("x"))
    await _expect(errors.ConnectionClosedError, nc.request("x", b""))
    await _expect(errors.ConnectionClosedError, nc.flush())


async def test_token_auth():
    nc = await nats_wasm.connect(js.natsTestEnv.tokenWsUrl, token="s3cr3t-token")
    await nc.flush()
    await nc.close()
    await _expect(errors.AuthorizationError,
                  nats_wasm.connect(js.natsTestEnv.tokenWsUrl, token="wrong"))


async def test_user_password_and_permission_violation():
    nc = await nats_wasm.connect(js.natsTestEnv.permsWsUrl, user="limited",
                                 password="limited-pass")
    try:
        sub = await nc.subscribe("secret.data")
        e = await _expect(errors.PermissionViolationError, sub.next_msg(timeout=3))
        assert e.subject == "secret.data"
        await _expect(errors.PermissionViolationError, nc.request("secret.svc", b"", timeout=3))
        assert nc.is_connected
    finally:
        await nc.close()


async def test_unreachable_server():
    await _expect(errors.NoServersError,
                  nats_wasm.connect("ws://127.0.0.1:1", connect_timeout=2,
                                    max_reconnect_attempts=1))


async def test_invalid_header_key():
    nc = await nats_wasm.connect(js.natsTestEnv.wsUrl)
    try:
        await _expect(errors.InvalidArgumentError,
                      nc.publish("py.h", b"", headers={"bad key": "v"}))
    finally:
        await nc.close()
