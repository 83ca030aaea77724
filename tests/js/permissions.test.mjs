// Permission violations (tests/config/permissions.conf): user "limited" may
// only publish/subscribe allowed.> and _INBOX.>; "admin" may do anything.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { NatsError, PermissionViolationError, RequestError } from '../../js/src/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, assertNamedError, drainIterable, sleep, within } from './helpers.mjs';

let srv;
let limited;
let admin;
const conns = new Connections();
/** Status events of the limited connection, collected for the whole file. */
const limitedStatus = [];

before(async () => {
  srv = await startServer('permissions.conf');
  [limited, admin] = await Promise.all([
    conns.connect(srv.wsUrl, { user: 'limited', pass: 'limited-pass' }),
    conns.connect(srv.wsUrl, { user: 'admin', pass: 'admin-pass' }),
  ]);
  (async () => { for await (const s of limited.status()) limitedStatus.push(s); })();
  admin.subscribe('secret.svc', { callback: (err, m) => m.respond('classified') });
  admin.subscribe('allowed.svc', { callback: (err, m) => m.respond('public') });
  await admin.flush();
});

after(async () => {
  await conns.closeAll();
  await srv?.stop();
});

/** Waits until the limited connection reported an error status matching pred. */
async function statusError(pred) {
  for (let i = 0; i < 100; i++) {
    const hit = limitedStatus.find((s) => s.type === 'error' && pred(s.error));
    if (hit) return hit.error;
    await sleep(10);
  }
  throw new Error(`no matching error status; saw ${limitedStatus.map((s) => s.error?.message).join(' | ')}`);
}

describe('permission violations', () => {
  test('allowed subjects work for the limited user', async () => {
    const sub = limited.subscribe('allowed.x', { max: 1 });
    limited.publish('allowed.x', 'fine');
    const { msgs, error } = await within(drainIterable(sub), 2000, 'allowed echo');
    assert.equal(error, null);
    assert.equal(msgs[0].string(), 'fine');
    const reply = await limited.request('allowed.svc', 'q');
    assert.equal(reply.string(), 'public');
  });

  test('subscribe to a denied subject: iteration ends with PermissionViolationError', async () => {
    const sub = limited.subscribe('secret.x');
    const { msgs, error } = await within(drainIterable(sub), 2000, 'denied subscription');
    assert.equal(msgs.length, 0);
    assertNamedError(error, PermissionViolationError);
    assert.ok(error instanceof NatsError);
    assert.equal(error.operation, 'subscription');
    assert.equal(error.subject, 'secret.x');
    assert.match(error.message, /Permissions Violation for Subscription to "secret\.x"/);
    assert.equal(await sub.closed, error);
    assert.equal(sub.isClosed(), true);
    assert.equal(limited.isClosed(), false);
  });

  test('a denied callback subscription gets callback(err, null)', async () => {
    const calls = [];
    const sub = limited.subscribe('secret.cb', { callback: (err, msg) => calls.push([err, msg]) });
    const closedWith = await within(sub.closed, 2000, 'denied callback sub');
    assertNamedError(closedWith, PermissionViolationError);
    assert.equal(calls.length, 1);
    assert.equal(calls[0][0], closedWith);
    assert.equal(calls[0][1], null);
    assert.equal(closedWith.subject, 'secret.cb');
  });

  test("the subscribe violation is also a status 'error'", async () => {
    limited.subscribe('secret.status');
    const err = await statusError((e) => e.subject === 'secret.status');
    assertNamedError(err, PermissionViolationError);
    assert.equal(err.operation, 'subscription');
  });

  test('request to a denied subject rejects with RequestError caused by PermissionViolationError', async () => {
    const t0 = performance.now();
    await assert.rejects(limited.request('secret.svc', 'q', { timeout: 3000 }), (err) => {
      assertNamedError(err, RequestError); // as nats.js
      assert.equal(err.code, 'permission_violation');
      assertNamedError(err.cause, PermissionViolationError);
      assert.equal(err.cause.operation, 'publish');
      assert.equal(err.cause.subject, 'secret.svc');
      return true;
    });
    assert.ok(performance.now() - t0 < 2000, 'must not wait for the timeout');
    assert.equal(limited.engineStats.pendingRequests, 0);
  });

  test("a denied publish is a status 'error' with operation 'publish'; the connection stays open", async () => {
    limited.publish('secret.pub', 'nope');
    await limited.flush();
    const err = await statusError((e) => e.subject === 'secret.pub');
    assertNamedError(err, PermissionViolationError);
    assert.equal(err.operation, 'publish');
    assert.equal(limited.isClosed(), false);
    const rtt = await limited.rtt();
    assert.ok(rtt > 0);
  });

  test('a denied publish is not delivered to a permitted subscriber', async () => {
    const watch = admin.subscribe('secret.watch');
    await admin.flush();
    limited.publish('secret.watch', 'leak?');
    limited.publish('allowed.marker', 'm');
    await limited.flush();
    await admin.flush();
    watch.unsubscribe();
    const { msgs } = await drainIterable(watch);
    assert.equal(msgs.length, 0);
  });

  test('admin may use the secret subjects', async () => {
    const reply = await admin.request('secret.svc', 'q');
    assert.equal(reply.string(), 'classified');
  });

  test('error text is intact when a callback re-enters the engine mid-batch', async () => {
    // The echoed message and the -ERR for the denied publish arrive in one
    // frame; the callback's unsubscribe() polls the engine in between.
    const c = await conns.connect(srv.wsUrl, { user: 'limited', pass: 'limited-pass' });
    const errors = [];
    (async () => { for await (const s of c.status()) if (s.type === 'error') errors.push(s.error); })();
    const other = c.subscribe('allowed.reent.other', { callback: () => {} });
    c.subscribe('allowed.reent', { max: 1, callback: () => other.unsubscribe() });
    await c.flush();
    c.publish('allowed.reent', 'x');
    c.publish('secret.reent', 'y');
    await c.flush();
    for (let i = 0; i < 50 && errors.length === 0; i++) await sleep(10);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].message, 'Permissions Violation for Publish to "secret.reent"');
    assert.equal(errors[0].subject, 'secret.reent');
    await c.close();
  });

  test('after all violations the limited connection is still open', async () => {
    assert.equal(limited.isClosed(), false);
    await limited.flush();
  });
});
