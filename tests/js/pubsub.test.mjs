// publish/subscribe: payload kinds, wildcards, queue groups, subscription
// limits and lifecycle (max, unsubscribe, drain, break, AbortSignal), Msg.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { AbortError, Msg, NatsError, Subscription } from '../../js/src/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, assertNamedError, byteRamp, drainIterable, sleep, within } from './helpers.mjs';

let srv;
let nc; // shared connection for the simple cases
const conns = new Connections();

before(async () => {
  srv = await startServer('default.conf');
  nc = await conns.connect(srv.wsUrl);
});

after(async () => {
  await conns.closeAll();
  await srv?.stop();
});

/** Publishes each payload to subject on nc and returns the Msgs received back. */
async function roundTrip(subject, payloads) {
  const sub = nc.subscribe(subject, { max: payloads.length });
  for (const p of payloads) nc.publish(subject, p);
  const { msgs, error } = await within(drainIterable(sub), 3000, `round trip on ${subject}`);
  assert.equal(error, null);
  return msgs;
}

describe('payloads', () => {
  test('a long synchronous publish loop keeps the engine output bounded and loses nothing', async () => {
    const c = await conns.connect(srv.wsUrl);
    const sub = nc.subscribe('bulk.sync', { max: 20000 });
    await nc.flush();
    const payload = new Uint8Array(100);
    for (let i = 0; i < 20000; i++) c.publish('bulk.sync', payload);
    // Without a high-water mark all ~2.6 MB would wait for the microtask.
    assert.ok(c.engineStats.pendingOutput < 64 * 1024 + 200, `pending ${c.engineStats.pendingOutput} bytes`);
    await c.flush();
    let n = 0;
    for await (const m of sub) {
      assert.equal(m.data.length, 100);
      n++;
    }
    assert.equal(n, 20000);
  });

  test('string payloads arrive as UTF-8', async () => {
    const [m] = await roundTrip('pl.string', ['héllo wörld ✓']);
    assert.ok(m instanceof Msg);
    assert.ok(m.data instanceof Uint8Array);
    assert.equal(m.string(), 'héllo wörld ✓');
    assert.deepEqual(m.data, new TextEncoder().encode('héllo wörld ✓'));
  });

  test('Uint8Array payloads arrive byte for byte', async () => {
    const bytes = new Uint8Array([1, 2, 3, 250, 251]);
    const [m] = await roundTrip('pl.bytes', [bytes]);
    assert.deepEqual(m.data, bytes);
  });

  test('binary bytes 0..255 survive the trip', async () => {
    const ramp = byteRamp(256 * 4);
    const [m] = await roundTrip('pl.binary', [ramp]);
    assert.equal(m.data.length, 1024);
    assert.deepEqual(m.data, ramp);
  });

  test('empty payload: undefined, "" and an empty array', async () => {
    const msgs = await roundTrip('pl.empty', [undefined, '', new Uint8Array(0)]);
    assert.equal(msgs.length, 3);
    for (const m of msgs) {
      assert.equal(m.data.length, 0);
      assert.equal(m.string(), '');
      assert.equal(m.headers, undefined);
    }
  });

  test('payload containing CRLF and protocol-looking text', async () => {
    const text = 'line1\r\nMSG fake 1 3\r\nabc\r\n\r\nPING\r\n';
    const [m] = await roundTrip('pl.crlf', [text]);
    assert.equal(m.string(), text);
  });

  test('ArrayBuffer and other typed-array views are accepted', async () => {
    const u16 = new Uint16Array([0x0102, 0x0304]);
    const [a, b] = await roundTrip('pl.views', [u16.buffer, new DataView(u16.buffer, 2, 2)]);
    assert.deepEqual(a.data, new Uint8Array(u16.buffer));
    assert.deepEqual(b.data, new Uint8Array(u16.buffer, 2, 2));
  });

  test('many messages keep their order', async () => {
    const payloads = Array.from({ length: 500 }, (_, i) => `m${i}`);
    const msgs = await roundTrip('pl.order', payloads);
    assert.deepEqual(msgs.map((m) => m.string()), payloads);
  });
});

describe('wildcards and queues', () => {
  test("'*' matches exactly one token", async () => {
    const sub = nc.subscribe('wc.*');
    nc.publish('wc.a', '1');
    nc.publish('wc.a.b', '2');
    nc.publish('wc', '3');
    nc.publish('wc.b', '4');
    await nc.flush();
    sub.unsubscribe();
    const { msgs } = await drainIterable(sub);
    assert.deepEqual(msgs.map((m) => `${m.subject}=${m.string()}`), ['wc.a=1', 'wc.b=4']);
  });

  test("'>' matches one or more trailing tokens", async () => {
    const sub = nc.subscribe('fw.>');
    nc.publish('fw', '0');
    nc.publish('fw.a', '1');
    nc.publish('fw.a.b.c', '2');
    await nc.flush();
    sub.unsubscribe();
    const { msgs } = await drainIterable(sub);
    assert.deepEqual(msgs.map((m) => m.subject), ['fw.a', 'fw.a.b.c']);
  });

  test('a queue group spreads work over two subscribers, total exact', async () => {
    const worker = await conns.connect(srv.wsUrl);
    const a = worker.subscribe('q.work', { queue: 'workers' });
    const b = worker.subscribe('q.work', { queue: 'workers' });
    const plain = worker.subscribe('q.work'); // not in the group: sees everything
    await worker.flush();
    const N = 200;
    for (let i = 0; i < N; i++) nc.publish('q.work', `${i}`);
    await nc.flush();
    await worker.flush();
    for (const s of [a, b, plain]) s.unsubscribe();
    const [ra, rb, rp] = await Promise.all([a, b, plain].map((s) => drainIterable(s)));
    assert.equal(ra.msgs.length + rb.msgs.length, N);
    assert.ok(ra.msgs.length > 0 && rb.msgs.length > 0, `split ${ra.msgs.length}/${rb.msgs.length}`);
    assert.equal(rp.msgs.length, N);
    const seen = new Set([...ra.msgs, ...rb.msgs].map((m) => m.string()));
    assert.equal(seen.size, N, 'each message went to exactly one member');
    await worker.close();
  });
});

describe('subscription lifecycle', () => {
  test('max: auto-unsubscribes; closed resolves; counters and getters', async () => {
    const before = nc.engineStats.subscriptions;
    const sub = nc.subscribe('life.max', { max: 3 });
    assert.ok(sub instanceof Subscription);
    assert.equal(sub.getSubject(), 'life.max');
    assert.equal(sub.getMax(), 3);
    assert.equal(typeof sub.getID(), 'number');
    assert.equal(nc.engineStats.subscriptions, before + 1);
    for (let i = 0; i < 5; i++) nc.publish('life.max', `${i}`);
    await nc.flush();
    assert.equal(sub.getPending(), 3);
    assert.equal(sub.getReceived(), 3);
    assert.equal(sub.getProcessed(), 0);
    const { msgs, error } = await drainIterable(sub);
    assert.equal(error, null);
    assert.deepEqual(msgs.map((m) => m.string()), ['0', '1', '2']);
    assert.equal(await within(sub.closed, 1000, 'sub.closed'), undefined);
    assert.equal(sub.isClosed(), true);
    assert.equal(sub.getProcessed(), 3);
    assert.equal(sub.getReceived(), 3);
    assert.equal(sub.getPending(), 0);
    assert.equal(nc.engineStats.subscriptions, before);
    for (const m of msgs) assert.equal(m.sid, sub.getID());
  });

  test('unsubscribe(max) stops after max messages in total', async () => {
    const sub = nc.subscribe('life.unsubmax');
    sub.unsubscribe(2);
    for (let i = 0; i < 6; i++) nc.publish('life.unsubmax', `${i}`);
    const { msgs } = await within(drainIterable(sub), 2000, 'unsubscribe(2)');
    assert.deepEqual(msgs.map((m) => m.string()), ['0', '1']);
    assert.equal(sub.isClosed(), true);
  });

  test('unsubscribe() stops delivery; queued messages are still handed out', async () => {
    const sub = nc.subscribe('life.unsub');
    nc.publish('life.unsub', 'before');
    await nc.flush();
    sub.unsubscribe();
    nc.publish('life.unsub', 'after');
    await nc.flush();
    const { msgs } = await within(drainIterable(sub), 2000, 'unsubscribe()');
    assert.deepEqual(msgs.map((m) => m.string()), ['before']);
    assert.equal(await sub.closed, undefined);
    sub.unsubscribe(); // again: a no-op, not an error
  });

  test('sub.drain() delivers what is in flight, then closes', async () => {
    const sub = nc.subscribe('life.drain');
    const reading = drainIterable(sub);
    for (let i = 0; i < 50; i++) nc.publish('life.drain', `${i}`);
    await within(sub.drain(), 2000, 'sub.drain()');
    const { msgs, error } = await reading;
    assert.equal(error, null);
    assert.equal(msgs.length, 50);
    assert.equal(sub.isClosed(), true);
  });

  test('callback subscriptions get callback(null, msg)', async () => {
    const got = [];
    const sub = nc.subscribe('life.cb', {
      max: 3,
      callback: (err, msg) => got.push([err, msg.string()]),
    });
    for (let i = 0; i < 3; i++) nc.publish('life.cb', `c${i}`);
    await within(sub.closed, 2000, 'callback sub closed');
    assert.deepEqual(got, [[null, 'c0'], [null, 'c1'], [null, 'c2']]);
    assert.equal(sub.getProcessed(), 3);
    assert.equal(sub.getPending(), 0);
    assert.throws(() => sub[Symbol.asyncIterator](), TypeError);
  });

  test('a callback that throws does not break the connection (status gets the error)', async () => {
    const statuses = nc.status();
    const it = statuses[Symbol.asyncIterator]();
    const boom = new Error('user bug');
    const sub = nc.subscribe('life.cbthrow', { max: 2, callback: () => { throw boom; } });
    nc.publish('life.cbthrow', '1');
    nc.publish('life.cbthrow', '2');
    await within(sub.closed, 2000, 'throwing callback sub closed');
    const { value } = await within(it.next(), 1000, 'status');
    assert.equal(value.type, 'error');
    assert.equal(value.error, boom);
    await it.return();
    assert.equal(sub.getReceived(), 2);
    await nc.flush();
  });

  test('a callback that throws a non-Error: status gets an Error wrapping it', async () => {
    const it = nc.status()[Symbol.asyncIterator]();
    const sub = nc.subscribe('life.cbstring', { max: 1, callback: () => { throw 'plain string'; } });
    nc.publish('life.cbstring', '1');
    await within(sub.closed, 2000, 'sub closed');
    const { value } = await within(it.next(), 1000, 'status');
    await it.return();
    assert.equal(value.type, 'error');
    assert.ok(value.error instanceof NatsError);
    assert.equal(value.error.cause, 'plain string');
    assert.equal(nc.isClosed(), false);
  });

  test('a subscription can be iterated only once', () => {
    const sub = nc.subscribe('life.once');
    sub[Symbol.asyncIterator]();
    assert.throws(() => sub[Symbol.asyncIterator](), TypeError);
    sub.unsubscribe();
  });

  test('breaking out of for-await unsubscribes', async () => {
    const before = nc.engineStats.subscriptions;
    const sub = nc.subscribe('life.break');
    assert.equal(nc.engineStats.subscriptions, before + 1);
    for (let i = 0; i < 3; i++) nc.publish('life.break', `${i}`);
    for await (const m of sub) {
      assert.equal(m.string(), '0');
      break;
    }
    assert.equal(nc.engineStats.subscriptions, before);
    assert.equal(sub.isClosed(), true);
    assert.equal(await sub.closed, undefined);
    // The server no longer sends it: a later publish does not reach it.
    const received = sub.getReceived();
    const probe = nc.subscribe('life.break', { max: 1 });
    nc.publish('life.break', 'later');
    const { msgs } = await within(drainIterable(probe), 2000, 'probe');
    assert.equal(msgs[0].string(), 'later');
    assert.equal(sub.getReceived(), received);
  });

  test('unsubscribe(max) below the count already received closes at once', async () => {
    const sub = nc.subscribe('life.pastmax');
    for (let i = 0; i < 3; i++) nc.publish('life.pastmax', `${i}`);
    await nc.flush();
    sub.unsubscribe(2);
    assert.equal(await within(sub.closed, 1000, 'closed'), undefined);
    nc.publish('life.pastmax', 'more');
    await nc.flush();
    assert.equal(sub.getReceived(), 3);
    const { msgs } = await drainIterable(sub);
    assert.equal(msgs.length, 3, 'what was queued is still handed out');
  });

  test('AbortSignal ends iteration with AbortError and unsubscribes', async () => {
    const before = nc.engineStats.subscriptions;
    const ac = new AbortController();
    const sub = nc.subscribe('life.abort', { signal: ac.signal });
    assert.equal(nc.engineStats.subscriptions, before + 1);
    nc.publish('life.abort', 'one');
    await nc.flush();
    setTimeout(() => ac.abort(), 30);
    const { msgs, error } = await within(drainIterable(sub), 2000, 'aborted iteration');
    assert.deepEqual(msgs.map((m) => m.string()), ['one']);
    assertNamedError(error, AbortError);
    assert.ok(error instanceof NatsError);
    assert.equal(nc.engineStats.subscriptions, before);
    assert.equal(await sub.closed, error);
  });

  test('an already-aborted signal closes the subscription at once', async () => {
    const before = nc.engineStats.subscriptions;
    const sub = nc.subscribe('life.preabort', { signal: AbortSignal.abort() });
    const { msgs, error } = await within(drainIterable(sub), 1000, 'pre-aborted');
    assert.equal(msgs.length, 0);
    assertNamedError(error, AbortError);
    assert.equal(nc.engineStats.subscriptions, before);
  });

  test('an abort reason that is an Error is kept', async () => {
    const ac = new AbortController();
    const sub = nc.subscribe('life.reason', { signal: ac.signal });
    const reason = new RangeError('enough');
    ac.abort(reason);
    const { error } = await drainIterable(sub);
    assert.equal(error, reason);
  });

  test('nextBatch() hands out everything queued at once', async () => {
    const sub = nc.subscribe('life.batch', { max: 5 });
    for (let i = 0; i < 5; i++) nc.publish('life.batch', `${i}`);
    await nc.flush();
    const batch = await sub.nextBatch();
    assert.deepEqual(batch.map((m) => m.string()), ['0', '1', '2', '3', '4']);
    assert.equal(sub.getProcessed(), 5);
    assert.deepEqual(await within(sub.nextBatch(), 1000, 'end batch'), []);
  });

  test('closing the connection ends subscriptions without an error', async () => {
    const c = await conns.connect(srv.wsUrl);
    const sub = c.subscribe('life.close');
    const cbErrors = [];
    const cb = c.subscribe('life.close.cb', { callback: (err) => cbErrors.push(err) });
    const reading = drainIterable(sub);
    await c.flush();
    await c.close();
    const { error } = await within(reading, 2000, 'iteration after close');
    assert.equal(error, null);
    assert.equal(await sub.closed, undefined);
    assert.equal(await cb.closed, undefined);
    assert.deepEqual(cbErrors, []);
  });
});

describe('Msg', () => {
  test('subject, reply, sid, data, headers, string(), json()', async () => {
    const sub = nc.subscribe('msg.fields', { max: 1 });
    nc.publish('msg.fields', JSON.stringify({ a: 1, b: [true, null] }), { reply: 'msg.reply.here' });
    const { msgs: [m] } = await drainIterable(sub);
    assert.equal(m.subject, 'msg.fields');
    assert.equal(m.reply, 'msg.reply.here');
    assert.equal(m.sid, sub.getID());
    assert.equal(m.headers, undefined);
    assert.deepEqual(m.json(), { a: 1, b: [true, null] });
    assert.throws(() => new Msg(nc, 's', '', 1, new TextEncoder().encode('{'), null).json(), SyntaxError);
  });

  test('respond() publishes to reply and returns true; false without reply', async () => {
    const replies = nc.subscribe('msg.respond.inbox', { max: 1 });
    const sub = nc.subscribe('msg.respond', { max: 2 });
    nc.publish('msg.respond', 'with', { reply: 'msg.respond.inbox' });
    nc.publish('msg.respond', 'without');
    const { msgs } = await drainIterable(sub);
    assert.equal(msgs[0].respond('answer'), true);
    assert.equal(msgs[1].reply, '');
    assert.equal(msgs[1].respond('lost'), false);
    const { msgs: [r] } = await within(drainIterable(replies), 2000, 'reply');
    assert.equal(r.string(), 'answer');
  });

  test('the data of a received message is a copy (stable after more traffic)', async () => {
    const sub = nc.subscribe('msg.copy', { max: 2 });
    nc.publish('msg.copy', 'first-payload');
    nc.publish('msg.copy', 'XXXXX-XXXXXXX');
    const { msgs } = await drainIterable(sub);
    await roundTrip('msg.copy.more', Array.from({ length: 20 }, () => byteRamp(300)));
    assert.equal(msgs[0].string(), 'first-payload');
  });

  test('a callback that unsubscribes its own subscription mid-batch gets nothing more', async () => {
    const c = await conns.connect(srv.wsUrl);
    let calls = 0;
    const sub = c.subscribe('reent.unsub', { callback: () => { calls++; sub.unsubscribe(); } });
    await c.flush();
    const pub = await conns.connect(srv.wsUrl);
    for (let i = 0; i < 20; i++) pub.publish('reent.unsub', `${i}`); // one frame
    await pub.flush();
    await within(sub.closed, 2000, 'closed');
    await c.flush();
    assert.equal(calls, 1);
    await pub.close();
    await c.close();
  });

  test('a callback that closes the connection mid-batch is safe', async () => {
    const c = await conns.connect(srv.wsUrl);
    const other = c.subscribe('reent.other');
    const reading = drainIterable(other);
    let calls = 0;
    c.subscribe('reent.stop', { callback: () => { calls++; c.close(); } });
    const pub = await conns.connect(srv.wsUrl);
    await c.flush();
    // One frame: the stop message, then more for both subjects.
    pub.publish('reent.stop', 'x');
    for (let i = 0; i < 20; i++) {
      pub.publish('reent.other', `${i}`);
      pub.publish('reent.stop', 'again');
    }
    await pub.flush();
    assert.equal(await within(c.closed(), 2000, 'closed'), undefined);
    const { error } = await within(reading, 2000, 'other sub ended');
    assert.equal(error, null);
    assert.equal(calls, 1);
    await sleep(20);
    assert.equal(c.isClosed(), true);
    await pub.close();
  });
});
