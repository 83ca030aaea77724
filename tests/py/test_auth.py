"""nkey and JWT authentication with nats.py's options, against nats-servers
configured with keys the harness made (tests/harness/auth_keys.mjs)."""

import js
import nats_wasm
from helpers import expect
from nats_wasm import errors
from nats_wasm.aio.client import RawCredentials


def env():
    return js.natsTestEnv


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


async def round_trip(nc):
    sub = await nc.subscribe("py.auth.check")
    await nc.publish("py.auth.check", b"signed in")
    return (await sub.next_msg(timeout=5)).data


async def test_nkeys_seed_str_signs_the_nonce():
    nc = await nats_wasm.connect(env().nkeyWsUrl, nkeys_seed_str=env().nkeySeed)
    try:
        assert nc.is_connected
        assert await round_trip(nc) == b"signed in"
    finally:
        await nc.close()


async def test_nkeys_seed_reads_a_seed_file():
    path = write("/tmp/py-user.nk", env().nkeySeed + "\n")
    nc = await nats_wasm.connect(env().nkeyWsUrl, nkeys_seed=path)
    try:
        assert await round_trip(nc) == b"signed in"
    finally:
        await nc.close()


async def test_another_seed_is_an_authorization_error():
    await expect(errors.AuthorizationError,
                 nats_wasm.connect(env().nkeyWsUrl, nkeys_seed_str=env().otherSeed,
                                   allow_reconnect=False))


async def test_a_malformed_seed_is_an_invalid_argument():
    e = await expect(errors.InvalidArgumentError,
                     nats_wasm.connect(env().nkeyWsUrl, nkeys_seed_str="SUNOTASEED",
                                       allow_reconnect=False))
    assert "seed" in str(e)


async def test_user_credentials_file():
    path = write("/tmp/py-user.creds", env().jwtCreds)
    nc = await nats_wasm.connect(env().jwtWsUrl, user_credentials=path)
    try:
        assert await round_trip(nc) == b"signed in"
    finally:
        await nc.close()


async def test_user_credentials_raw_text():
    nc = await nats_wasm.connect(env().jwtWsUrl, user_credentials=RawCredentials(env().jwtCreds))
    try:
        assert await round_trip(nc) == b"signed in"
    finally:
        await nc.close()


async def test_user_credentials_jwt_and_seed_files():
    jwt = write("/tmp/py-user.jwt", env().jwtUser)
    seed = write("/tmp/py-user.seed", env().jwtUserSeed)
    nc = await nats_wasm.connect(env().jwtWsUrl, user_credentials=(jwt, seed))
    try:
        assert await round_trip(nc) == b"signed in"
    finally:
        await nc.close()


async def test_user_jwt_cb_and_signature_cb():
    nonces = []

    def user_jwt_cb():
        return env().jwtForNkeyUser.encode()

    def signature_cb(nonce):
        nonces.append(nonce)
        return env().signAsNkeyUser(nonce).encode()

    nc = await nats_wasm.connect(env().jwtWsUrl, user_jwt_cb=user_jwt_cb,
                                 signature_cb=signature_cb)
    try:
        assert nonces == [nc._nc.info.nonce], "the callback signed this connection's nonce"
        assert await round_trip(nc) == b"signed in"
    finally:
        await nc.close()


async def test_an_expired_jwt_is_refused_and_a_valid_one_is_not():
    await expect(errors.AuthorizationError,
                 nats_wasm.connect(env().jwtWsUrl, allow_reconnect=False,
                                   user_credentials=RawCredentials(env().issueCreds(-3600))))
    nc = await nats_wasm.connect(env().jwtWsUrl,
                                 user_credentials=RawCredentials(env().issueCreds(3600)))
    await nc.close()


async def test_a_missing_creds_file_raises_before_connecting():
    await expect(FileNotFoundError,
                 nats_wasm.connect(env().jwtWsUrl, user_credentials="/tmp/no-such.creds"))


async def test_creds_without_a_seed_are_an_invalid_argument():
    jwt_only = f"-----BEGIN NATS USER JWT-----\n{env().jwtUser}\n------END NATS USER JWT------\n"
    e = await expect(errors.InvalidArgumentError,
                     nats_wasm.connect(env().jwtWsUrl, allow_reconnect=False,
                                       user_credentials=RawCredentials(jwt_only)))
    assert "seed" in str(e)
