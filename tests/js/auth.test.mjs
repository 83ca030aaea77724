// nkey and JWT authentication (nats.js authenticators) against real
// nats-servers configured with keys the test makes: the engine asks for a
// signature, WebCrypto Ed25519 makes it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  AuthorizationError, InvalidArgumentError, credsAuthenticator, jwtAuthenticator, nkeyAuthenticator,
  tokenAuthenticator, usernamePasswordAuthenticator,
} from '../../js/src/index.mjs';
import { credsText, makeJwtSetup, makeKey, nkeyUsersConfig, signWith } from '../harness/auth_keys.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, assertNamedError, within } from './helpers.mjs';

const enc = new TextEncoder();
const user = makeKey('user');
const jwtSetup = makeJwtSetup();
let nkeySrv;
let jwtSrv;
let tokenSrv;
let permSrv;
const conns = new Connections();

before(async () => {
  [nkeySrv, jwtSrv, tokenSrv, permSrv] = await Promise.all([
    startServer('auth.conf', { extraConfig: nkeyUsersConfig(user.publicKey) }),
    startServer('auth.conf', { extraConfig: jwtSetup.serverConfig }),
    startServer('token.conf'),
    startServer('permissions.conf'),
  ]);
});

after(async () => {
  await conns.closeAll();
  await Promise.all([nkeySrv, jwtSrv, tokenSrv, permSrv].map((s) => s?.stop()));
});

/** Connected for real: a message makes the round trip. */
async function roundTrip(nc) {
  const sub = nc.subscribe('auth.check', { max: 1 });
  nc.publish('auth.check', 'signed in');
  for await (const m of sub) return m.string();
  return undefined;
}

const refused = (url, authenticator) => conns.connect(url, { authenticator, reconnect: false, timeout: 5000 });

describe('nkeys', () => {
  test('nkeyAuthenticator signs the nonce (seed as bytes, as nats.js takes it)', async () => {
    const nc = await conns.connect(nkeySrv.wsUrl, { authenticator: nkeyAuthenticator(enc.encode(user.seed)) });
    assert.ok(nc.info.nonce, 'the server sent a nonce');
    assert.equal(await roundTrip(nc), 'signed in');
  });

  test('a seed function is asked again on every connect (rotation)', async () => {
    let calls = 0;
    const nc = await conns.connect(nkeySrv.wsUrl, {
      authenticator: nkeyAuthenticator(() => { calls++; return user.seed; }),
    });
    assert.equal(calls, 1);
    const statuses = nc.status();
    await nc.reconnect();
    for await (const s of statuses) if (s.type === 'reconnect') break;
    assert.equal(calls, 2, 'the new connection signed its own nonce');
    assert.equal(await roundTrip(nc), 'signed in');
  });

  test('another seed is an AuthorizationError', async () => {
    await assert.rejects(refused(nkeySrv.wsUrl, nkeyAuthenticator(makeKey('user').seed)),
      (err) => assertNamedError(err, AuthorizationError));
  });

  test('no credentials at all are an AuthorizationError', async () => {
    await assert.rejects(conns.connect(nkeySrv.wsUrl, { reconnect: false }),
      (err) => assertNamedError(err, AuthorizationError));
  });

  test('a malformed seed is an InvalidArgumentError, before anything is sent', async () => {
    await assert.rejects(refused(nkeySrv.wsUrl, nkeyAuthenticator('SUNOTASEED')),
      (err) => assertNamedError(err, InvalidArgumentError) && /seed/.test(err.message));
  });

  test('a custom authenticator may sign by itself, asynchronously', async () => {
    let seenNonce;
    const nc = await conns.connect(nkeySrv.wsUrl, {
      authenticator: async (nonce) => {
        seenNonce = nonce;
        return { nkey: user.publicKey, sig: signWith(user, nonce) };
      },
    });
    assert.equal(seenNonce, nc.info.nonce);
    assert.equal(await roundTrip(nc), 'signed in');
  });

  test('an authenticator that throws closes the connect with an AuthorizationError', async () => {
    await assert.rejects(refused(nkeySrv.wsUrl, () => { throw new Error('vault unreachable'); }),
      (err) => assertNamedError(err, AuthorizationError) && /vault unreachable/.test(err.message));
  });
});

describe('JWT', () => {
  test('credsAuthenticator with a .creds file content', async () => {
    const nc = await conns.connect(jwtSrv.wsUrl, { authenticator: credsAuthenticator(enc.encode(jwtSetup.creds)) });
    assert.equal(await roundTrip(nc), 'signed in');
  });

  test('jwtAuthenticator with the JWT and the seed', async () => {
    const nc = await conns.connect(jwtSrv.wsUrl, {
      authenticator: jwtAuthenticator(jwtSetup.userJwt, enc.encode(jwtSetup.user.seed)),
    });
    assert.equal(await roundTrip(nc), 'signed in');
  });

  test('an expired user JWT is refused; the same user with a valid one gets in', async () => {
    const who = makeKey('user');
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    await assert.rejects(refused(jwtSrv.wsUrl, credsAuthenticator(credsText(jwtSetup.issueUser(who, hourAgo), who.seed))),
      (err) => assertNamedError(err, AuthorizationError));
    const nc = await conns.connect(jwtSrv.wsUrl, {
      authenticator: credsAuthenticator(credsText(jwtSetup.issueUser(who, hourAgo + 7200), who.seed)),
    });
    assert.equal(await roundTrip(nc), 'signed in');
  });

  test('the JWT with another seed is an AuthorizationError', async () => {
    await assert.rejects(refused(jwtSrv.wsUrl, jwtAuthenticator(jwtSetup.userJwt, makeKey('user').seed)),
      (err) => assertNamedError(err, AuthorizationError));
  });

  test('creds text without a seed is an InvalidArgumentError', async () => {
    const noSeed = `-----BEGIN NATS USER JWT-----\n${jwtSetup.userJwt}\n------END NATS USER JWT------\n`;
    await assert.rejects(refused(jwtSrv.wsUrl, credsAuthenticator(noSeed)),
      (err) => assertNamedError(err, InvalidArgumentError) && /seed/.test(err.message));
  });
});

describe('token and user/password authenticators', () => {
  test('tokenAuthenticator', async () => {
    const nc = await conns.connect(tokenSrv.wsUrl, { authenticator: tokenAuthenticator('s3cr3t-token') });
    assert.equal(await roundTrip(nc), 'signed in');
    await assert.rejects(refused(tokenSrv.wsUrl, tokenAuthenticator('wrong')),
      (err) => assertNamedError(err, AuthorizationError));
  });

  test('usernamePasswordAuthenticator, with functions for the values', async () => {
    const nc = await within(conns.connect(permSrv.wsUrl, {
      authenticator: usernamePasswordAuthenticator(() => 'admin', () => 'admin-pass'),
    }), 10000, 'connect');
    assert.equal(await roundTrip(nc), 'signed in');
  });

  test('several authenticators: their fields are merged, later ones win', async () => {
    const nc = await conns.connect(permSrv.wsUrl, {
      authenticator: [usernamePasswordAuthenticator('admin', 'wrong'), () => ({ pass: 'admin-pass' })],
    });
    assert.equal(await roundTrip(nc), 'signed in');
  });
});
