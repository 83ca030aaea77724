// Credentials refused after the connection was up (the server restarted with
// another token), against real nats-servers: one refusal is one failed
// reconnect attempt; the same refusal twice in a row closes with an
// AuthorizationError (nats.js), unless ignoreAuthErrorAbort: then it keeps
// trying and gets back in once the credentials work again.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { AuthorizationError, tokenAuthenticator } from '../../js/src/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, assertNamedError, within } from './helpers.mjs';

const conns = new Connections();
const servers = [];
after(async () => {
  await conns.closeAll();
  await Promise.all(servers.map((s) => s.stop()));
});

/** A token server, and a way to restart it with another token on the same ports. */
async function tokenServer() {
  const srv = await startServer('token.conf');
  servers.push(srv);
  srv.restartWithToken = (token) => srv.restartWithConfig((text) => text.replace(/token: "[^"]*"/, `token: "${token}"`));
  return srv;
}

const options = (extra = {}) => ({
  authenticator: tokenAuthenticator('s3cr3t-token'), reconnectTimeWait: 50, reconnectJitter: 0,
  maxReconnectAttempts: -1, ...extra,
});

test('the same refusal twice in a row closes with an AuthorizationError', async () => {
  const srv = await tokenServer();
  const nc = await conns.connect(srv.wsUrl, options());
  const refusals = [];
  (async () => {
    for await (const s of nc.status()) if (s.type === 'error' && s.error instanceof AuthorizationError) refusals.push(s);
  })();
  await srv.restartWithToken('another-token');
  const err = await within(nc.closed(), 20000, 'closed after two refusals');
  assertNamedError(err, AuthorizationError);
  assert.equal(refusals.length, 1, 'the first refusal was one failed attempt; the second closed');
});

test('ignoreAuthErrorAbort keeps trying and gets back in once the token works again', async () => {
  const srv = await tokenServer();
  const nc = await conns.connect(srv.wsUrl, options({ ignoreAuthErrorAbort: true }));
  const status = nc.status()[Symbol.asyncIterator]();
  await srv.restartWithToken('another-token');
  let refusals = 0;
  while (refusals < 3) {
    const { value } = await within(status.next(), 20000, 'refused reconnects');
    if (value.type === 'reconnecting' && value.attempt >= 2) refusals++;
  }
  assert.equal(nc.isClosed(), false, 'still trying after three refusals');
  await srv.restartWithToken('s3cr3t-token');
  for (;;) {
    const { value } = await within(status.next(), 20000, 'back in');
    if (value.type === 'reconnect') break;
  }
  assert.equal(nc.isClosed(), false);
  await nc.flush();
});
