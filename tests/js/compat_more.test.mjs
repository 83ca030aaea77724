// More nats.js v3 names as nats.js programs use them: publishMessage,
// respondMessage, getServers, Subscription.isDraining/callback,
// QueuedIterator.stop, deadline, backoff, syncIterator, isPullConsumer,
// Stream.getConsumer, RepublishHeaders (each checked against nats.js where
// nats.js has the same helper).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import * as natsJs from '@nats-io/nats-core';

import { ClosedConnectionError, InvalidArgumentError, TimeoutError, backoff, deadline, headers, syncIterator } from '../../js/src/index.mjs';
import { connect as natsJsConnect } from '@nats-io/transport-node';
import { RepublishHeaders, isPullConsumer, isPushConsumer, jetstream, jetstreamManager } from '../../js/src/jetstream/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, within } from './helpers.mjs';

let srv;
let nc;
const conns = new Connections();
before(async () => {
  srv = await startServer('default.conf');
  nc = await conns.connect(srv.wsUrl);
});
after(async () => {
  await conns.closeAll();
  await srv?.stop();
});

test('publishMessage and respondMessage publish a Msg as it is', async () => {
  const sub = nc.subscribe('pm.>');
  const h = headers();
  h.set('K', 'v');
  nc.publishMessage({ subject: 'pm.a', data: new TextEncoder().encode('one'), headers: h, reply: 'pm.reply' });
  let got;
  for await (const m of sub) { got = m; break; }
  assert.equal(got.subject, 'pm.a');
  assert.equal(got.string(), 'one');
  assert.equal(got.headers.get('K'), 'v');
  assert.equal(got.reply, 'pm.reply');
  assert.equal(nc.respondMessage({ subject: 'x', data: new Uint8Array(0) }), false, 'no reply subject');
  const replies = nc.subscribe('pm.reply', { max: 1 });
  await nc.flush();
  assert.equal(nc.respondMessage(got), true);
  for await (const m of replies) assert.equal(m.string(), 'one');
  sub.unsubscribe();
});

test('getServers gives the pool as nats.js does; setServers replaces it for reconnects', async () => {
  const [only] = nc.getServers();
  const port = Number(new URL(srv.wsUrl).port);
  assert.deepEqual(only, {
    hostname: '127.0.0.1', port, listen: `127.0.0.1:${port}`, src: srv.wsUrl, tlsName: '', reconnects: 0,
    lastConnect: 0, gossiped: false, didConnect: true,
  });
  const theirs = await natsJsConnect({ servers: `127.0.0.1:${srv.port}` });
  assert.deepEqual(Object.keys(theirs.getServers()[0]).sort(), Object.keys(only).sort(), 'the same fields as nats.js');
  await theirs.close();

  // A second server; the pool is replaced and a reconnect goes there.
  const other = await startServer('default.conf');
  const own = await conns.connect(srv.wsUrl);
  assert.throws(() => own.setServers([]), InvalidArgumentError);
  assert.throws(() => own.setServers(['not a url at all']), InvalidArgumentError);
  own.setServers([other.wsUrl]);
  assert.equal(own.getServer(), new URL(srv.wsUrl).host, 'the live connection stays');
  assert.deepEqual(own.getServers().map((s) => s.src), [other.wsUrl]);
  // Listening before reconnect() starts: the status iterator sees only what comes after.
  const reconnected = within((async () => {
    for await (const s of own.status()) if (s.type === 'reconnect') return;
  })(), 10000, 'reconnect');
  await own.reconnect();
  await reconnected;
  assert.equal(own.getServer(), new URL(other.wsUrl).host);
  await own.close();
  assert.throws(() => own.setServers([srv.wsUrl]), ClosedConnectionError);
  await other.stop();
});

test('Subscription.isDraining once a drain starts (and after, as nats.js), and callback as given', async () => {
  const cb = () => {};
  const withCb = nc.subscribe('drain.cb', { callback: cb });
  assert.equal(withCb.callback, cb);
  const sub = nc.subscribe('drain.it');
  assert.equal(sub.callback, undefined);
  assert.equal(sub.isDraining(), false);
  const draining = sub.drain();
  assert.equal(sub.isDraining(), true);
  await draining;
  assert.equal(sub.isDraining(), true, 'nats.js keeps it true once drained');
  assert.equal(sub.isClosed(), true);
  withCb.unsubscribe();
});

test('QueuedIterator.stop ends a requestMany iteration and cancels the request', async () => {
  const svc = nc.subscribe('many', { callback: (err, m) => { m.respond('1'); m.respond('2'); } });
  await nc.flush();
  const it = await nc.requestMany('many', '', { strategy: 'timer', maxWait: 5000 });
  const got = [];
  await within((async () => {
    for await (const m of it) {
      got.push(m.string());
      it.stop();
    }
  })(), 2000, 'stop ends the loop long before maxWait');
  assert.deepEqual(got, ['1']);
  svc.unsubscribe();
});

test('deadline, backoff and syncIterator behave as nats.js\'s', async () => {
  assert.equal(await deadline(Promise.resolve(7), 100), 7);
  await assert.rejects(deadline(new Promise(() => {}), 20), TimeoutError);
  await assert.rejects(natsJs.deadline(new Promise(() => {}), 20));
  // nats.js adds jitter; ours gives the steps as they are, the last repeating.
  // nats.js's default policy (without its jitter), as JetStream publish retries use it.
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 9].map((a) => backoff().backoff(a)), [0, 250, 250, 500, 500, 3000, 5000, 5000]);
  const ours = backoff([0, 10, 100]);
  assert.deepEqual([0, 1, 2, 3, 10].map((a) => ours.backoff(a)), [0, 10, 100, 100, 100]);
  assert.equal(typeof natsJs.backoff([0, 10, 100]).backoff(3), 'number');
  const it = syncIterator((async function* () { yield 1; yield 2; })());
  assert.deepEqual([await it.next(), await it.next(), await it.next()], [1, 2, null]);
});

test('isPullConsumer, isPushConsumer, Stream.getConsumer, RepublishHeaders', async () => {
  const jsm = await jetstreamManager(nc);
  const name = `REPUB_${process.pid}`;
  await jsm.streams.add({ name, subjects: [`${name}.>`] });
  await jsm.consumers.add(name, { durable_name: 'd', ack_policy: 'explicit' });
  const js = jetstream(nc);
  await js.publish(`${name}.a`, 'x');
  const stream = await js.streams.get(name);
  const c = await stream.getConsumer('d');
  assert.equal(isPullConsumer(c), true);
  assert.equal(isPushConsumer(c), false);
  assert.equal((await c.next({ expires: 2000 })).string(), 'x');
  const ordered = await stream.getConsumer();
  assert.equal(isPullConsumer(ordered), true);
  assert.equal((await ordered.next({ expires: 2000 })).string(), 'x');
  assert.deepEqual(Object.values(RepublishHeaders), ['Nats-Stream', 'Nats-Subject', 'Nats-Sequence', 'Nats-Last-Sequence', 'Nats-Msg-Size']);
  await jsm.streams.delete(name);
});

test('SubOpts.timeout: no message in time ends the subscription with TimeoutError; one in time cancels it', async () => {
  const quiet = nc.subscribe('timeout.quiet', { timeout: 100 });
  await assert.rejects((async () => { for await (const m of quiet) assert.fail(`unexpected ${m.subject}`); })(), TimeoutError);
  assert.equal(quiet.isClosed(), true);
  let callbackError;
  const cb = nc.subscribe('timeout.cb', { timeout: 100, callback: (err) => { callbackError = err; } });
  await cb.closed;
  assert.ok(callbackError instanceof TimeoutError, 'the callback gets the TimeoutError');
  const busy = nc.subscribe('timeout.busy', { timeout: 1000 }); // plenty for its own message
  nc.publish('timeout.busy', 'in time');
  const got = [];
  await within((async () => {
    for await (const m of busy) {
      got.push(m.string());
      await new Promise((r) => setTimeout(r, 1200)); // past the timeout (a check, not a sync)
      assert.equal(busy.isClosed(), false, 'a message in time cancelled the timeout');
      busy.unsubscribe();
    }
  })(), 5000, 'busy iteration');
  assert.deepEqual(got, ['in time']);
  assert.throws(() => nc.subscribe('timeout.bad', { timeout: -1 }), InvalidArgumentError);
});
