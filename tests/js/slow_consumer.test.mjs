// Pending limits of iterated subscriptions against a real nats-server: the
// engine drops what does not fit, reports one slowConsumer status per
// episode, and counts what the iterator took.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { InvalidArgumentError } from '../../js/src/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, assertNamedError } from './helpers.mjs';

let srv;
const conns = new Connections();
before(async () => { srv = await startServer('default.conf'); });
after(async () => {
  await conns.closeAll();
  await srv?.stop();
});

/** Collects slowConsumer statuses of nc until it closes. */
function slowStatuses(nc) {
  const seen = [];
  (async () => {
    for await (const s of nc.status()) if (s.type === 'slowConsumer') seen.push(s);
  })();
  return seen;
}

test('a full subscription drops the newest messages, reports once, and recovers', async () => {
  const nc = await conns.connect(srv.wsUrl);
  const seen = slowStatuses(nc);
  const sub = nc.subscribe('slow.js', { maxPendingMsgs: 5 });
  for (let i = 0; i < 20; i++) nc.publish('slow.js', `m${i}`);
  await nc.flush(); // its PONG comes after the server sent all 20 back
  assert.equal(sub.getPending(), 5);
  assert.equal(sub.getDropped(), 15);
  assert.equal(seen.length, 1, 'one report per episode');
  assert.equal(seen[0].sub, sub);
  assert.equal(seen[0].dropping, true);
  assert.equal(seen[0].pending, 5);

  const got = [];
  for await (const m of sub) {
    got.push(m.string());
    if (got.length === 5) break;
  }
  assert.deepEqual(got, ['m0', 'm1', 'm2', 'm3', 'm4']);
});

test('after the iterator caught up, new messages fit again', async () => {
  const nc = await conns.connect(srv.wsUrl);
  const sub = nc.subscribe('slow.js2', { maxPendingMsgs: 3 });
  for (let i = 0; i < 6; i++) nc.publish('slow.js2', `a${i}`);
  await nc.flush();
  assert.equal(sub.getDropped(), 3);
  const it = sub[Symbol.asyncIterator]();
  for (let i = 0; i < 3; i++) assert.equal((await it.next()).value.string(), `a${i}`);
  for (let i = 0; i < 3; i++) nc.publish('slow.js2', `b${i}`);
  await nc.flush();
  assert.equal(sub.getPending(), 3, 'what the iterator took was reported to the engine');
  assert.equal(sub.getDropped(), 3);
});

test('maxPendingBytes bounds headers plus payload', async () => {
  const nc = await conns.connect(srv.wsUrl);
  const sub = nc.subscribe('slow.bytes', { maxPendingBytes: 2500 });
  for (let i = 0; i < 5; i++) nc.publish('slow.bytes', new Uint8Array(1000));
  await nc.flush();
  assert.equal(sub.getPending(), 2);
  assert.equal(sub.getDropped(), 3);
});

test("nats.js's slow option reports without dropping, once until caught up", async () => {
  const nc = await conns.connect(srv.wsUrl);
  const seen = slowStatuses(nc);
  const sub = nc.subscribe('slow.notify', { slow: 3 });
  for (let i = 0; i < 10; i++) nc.publish('slow.notify', 'x');
  await nc.flush();
  assert.equal(sub.getPending(), 10);
  assert.equal(sub.getDropped(), 0);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].dropping, false);
  assert.equal(seen[0].pending, 4, 'reported when pending first went over 3');
});

test('a callback subscription takes no slow option (as nats.js); bad limits are typed errors', async () => {
  const nc = await conns.connect(srv.wsUrl);
  assert.throws(() => nc.subscribe('slow.cb', { callback: () => {}, slow: 2 }), TypeError);
  for (const bad of [{ maxPendingMsgs: -1 }, { maxPendingBytes: Number.NaN }, { slow: 1.5 }]) {
    assert.throws(() => nc.subscribe('slow.bad', bad), (err) => assertNamedError(err, InvalidArgumentError));
  }
  assert.equal(nc.engineStats.subscriptions, 0, 'a refused subscription leaves nothing behind');
});
