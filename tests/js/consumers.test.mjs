// Consuming JetStream from JavaScript against a real nats-server (nats.js v3
// names): js.consumers.get() → next/fetch/consume, ordered consumers, acks
// and delivery info, recovery after lost heartbeats (SIGSTOP), a consumer
// deleted while consumed, consumer groups, aborting, and interop with
// nats.js both ways. Every test checks that no pull is left in the engine.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { connect as natsJsConnect } from '@nats-io/transport-node';
import { jetstream as natsJsJetstream, jetstreamManager as natsJsManager } from '@nats-io/jetstream';

import { AbortError, ClosedConnectionError } from '../../js/src/index.mjs';
import {
  AckPolicy, ConsumerNotFoundError, DeliverPolicy, Offset, StreamNotFoundError, consumerGroups,
  createConsumerGroup, createTopic, deleteConsumerGroup, jetstream, jetstreamManager,
  multiPartitionConsumer, partitionConsumer, partitionFor, topicProducer,
} from '../../js/src/jetstream/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, assertNamedError, drainIterable, within } from './helpers.mjs';

let srv;
let nc;
let jsm;
let js;
const conns = new Connections();
let counter = 0;
const unique = (p) => `${p}_${process.pid}_${++counter}`;
const pulls = (c = nc) => c._engine.c.pullSessions();

before(async () => {
  srv = await startServer('default.conf');
  nc = await conns.connect(srv.wsUrl);
  jsm = await jetstreamManager(nc);
  js = jetstream(nc);
});
after(async () => {
  await conns.closeAll();
  await srv?.stop();
});

/** A stream with n messages "m0".."m{n-1}" on <name>.k0 .. k2. */
async function stream(n = 0, cfg = {}, client = js, manager = jsm) {
  const name = unique('C');
  await manager.streams.add({ name, subjects: [`${name}.>`], ...cfg });
  await Promise.all(Array.from({ length: n }, (_, i) => client.publish(`${name}.k${i % 3}`, `m${i}`)));
  return name;
}

async function durable(s, name, cfg = {}) {
  await jsm.consumers.add(s, { durable_name: name, ack_policy: AckPolicy.Explicit, ...cfg });
  return js.consumers.get(s, name);
}

/** Resolves with the first notification of `type`. */
async function notified(messages, type) {
  for await (const n of messages.status()) if (n.type === type) return n;
  throw new Error(`no ${type} notification before the end`);
}

describe('pull consumers', () => {
  test('next() one at a time, null when none arrives by expires', async () => {
    const s = await stream(2);
    const c = await durable(s, 'one');
    assert.equal(c.name, 'one');
    const m = await c.next({ expires: 2000 });
    assert.equal(m.string(), 'm0');
    assert.equal(m.seq, 1);
    assert.equal(m.redelivered, false);
    assert.equal(m.info.stream, s);
    assert.equal(m.info.consumer, 'one');
    assert.equal(m.info.deliveryCount, 1);
    assert.equal(m.info.streamSequence, 1);
    assert.equal(m.info.deliverySequence, 1);
    assert.equal(m.info.pending, 1);
    assert.ok(Math.abs(m.time.getTime() - Date.now()) < 60000);
    assert.equal(typeof m.timestampNanos, 'bigint');
    m.ack();
    (await c.next({ expires: 2000 })).ack();
    const started = Date.now();
    assert.equal(await c.next({ expires: 1000 }), null);
    assert.ok(Date.now() - started >= 900, 'waits for the expiry');
    assert.equal(pulls(), 0);
  });

  test('fetch: a batch; an empty stream gives an empty batch, not an error', async () => {
    const s = await stream(10);
    const c = await durable(s, 'f');
    const batch = await c.fetch({ max_messages: 4, expires: 2000 });
    const { msgs, error } = await drainIterable(batch);
    assert.equal(error, null);
    assert.deepEqual(msgs.map((m) => m.string()), ['m0', 'm1', 'm2', 'm3']);
    for (const m of msgs) m.ack();
    assert.equal(await batch.closed(), undefined);
    assert.equal(batch.getProcessed(), 4);
    const bytes = await drainIterable(await c.fetch({ max_bytes: 1024, expires: 1000 }));
    assert.ok(bytes.msgs.length >= 1 && bytes.msgs.length <= 6, 'max_bytes bounds the batch');
    const e = await durable(await stream(), 'empty');
    const empty = await drainIterable(await e.fetch({ max_messages: 10, expires: 1000 }));
    assert.deepEqual(empty, { msgs: [], error: null });
    await assert.rejects(c.fetch({ max_messages: 1, max_bytes: 10 }), (err) => err.name === 'InvalidArgumentError');
    assert.equal(pulls(), 0);
  });

  test('consume: 5000 messages with ackAck, then nothing pending', async () => {
    const s = await stream(5000);
    const c = await durable(s, 'bulk');
    const messages = await c.consume({ max_messages: 256 });
    let n = 0;
    let sawPending = 0;
    for await (const m of messages) {
      assert.equal(m.string(), `m${n}`);
      // What waits behind this one: m<n+1> .. m<n+pending>, and their bytes.
      const pending = messages.getPending();
      if (pending > 0) {
        let bytes = 0;
        for (let k = n + 1; k <= n + pending; k++) bytes += `m${k}`.length;
        assert.equal(messages.getPendingBytes(), bytes, `pending bytes behind m${n}`);
        sawPending++;
      }
      // The last ack is confirmed too: the server answers it after applying
      // every plain ack before it (a flush would not wait for them).
      if (n % 500 === 0 || n === 4999) assert.equal(await m.ackAck(), true);
      else m.ack();
      if (++n === 5000) break;
    }
    assert.equal(await messages.closed(), undefined);
    assert.ok(sawPending > 0, 'batches of 256 wait behind the one handed out');
    const info = await c.info();
    assert.equal(info.num_pending, 0);
    assert.equal(info.num_ack_pending, 0);
    assert.equal(info.ack_floor.stream_seq, 5000);
    assert.equal(pulls(), 0);
  });

  test('consume with a callback, then stop(): in-flight messages finish', async () => {
    const s = await stream(50);
    const c = await durable(s, 'cb');
    const got = [];
    let resolve;
    const fifty = new Promise((r) => { resolve = r; });
    const messages = await c.consume({
      max_messages: 10,
      callback: (m) => {
        got.push(m.seq);
        m.ack();
        if (got.length === 50) resolve();
      },
    });
    await within(fifty, 10000, 'callback');
    await messages.close();
    assert.deepEqual(got, Array.from({ length: 50 }, (_, i) => i + 1));
    assert.throws(() => messages[Symbol.asyncIterator](), /callback/);
    assert.equal(pulls(), 0);
  });

  test('nak(delay) redelivers with deliveryCount 2; term never redelivers; ackAck confirms', async () => {
    const s = await stream(2);
    const c = await durable(s, 'redo', { ack_wait: 30_000_000_000 });
    const a = await c.next({ expires: 2000 });
    const b = await c.next({ expires: 2000 });
    a.nak(300);
    b.term();
    const again = await c.next({ expires: 5000 });
    assert.equal(again.string(), 'm0');
    assert.equal(again.info.deliveryCount, 2);
    assert.equal(again.redelivered, true);
    assert.equal(await again.ackAck(), true);
    assert.equal(await again.ackAck(), false, 'a second ack is not sent');
    assert.equal(await c.next({ expires: 1000 }), null, 'term is not redelivered');
    const info = await c.info();
    assert.equal(info.num_ack_pending, 0);
    assert.equal(info.num_redelivered, 0);
  });

  test('working() extends the ack wait', async () => {
    const s = await stream(1);
    const c = await durable(s, 'slow', { ack_wait: 2_000_000_000 });
    const m = await c.next({ expires: 2000 });
    const seen = [];
    // next() waits its whole expiry when nothing comes: 5 s in all, over
    // twice the ack wait, with working() every second.
    for (let i = 0; i < 5; i++) {
      m.working();
      const more = await c.next({ expires: 1000 });
      if (more) seen.push(more.seq);
    }
    assert.deepEqual(seen, [], 'never redelivered while in progress');
    assert.equal(await m.ackAck(), true);
  });

  test('ack after close rejects with a typed error', async () => {
    const c2 = await conns.connect(srv.wsUrl);
    const s = await stream(1);
    await durable(s, 'late');
    const c = await jetstream(c2).consumers.get(s, 'late');
    const m = await c.next({ expires: 2000 });
    await c2.close();
    assert.throws(() => m.ack(), (e) => assertNamedError(e, ClosedConnectionError));
    await assert.rejects(m.ackAck(), (e) => e instanceof ClosedConnectionError);
  });

  test('a consumer deleted while consumed: notification (default) or error (abort_on_missing_resource); fetch fails typed', async () => {
    const s = await stream();
    const c = await durable(s, 'doomed');
    const waiting = await c.consume({ expires: 2000 });
    const strict = await c.consume({ expires: 2000, abort_on_missing_resource: true });
    const fetching = await c.fetch({ max_messages: 5, expires: 5000 });
    const deletedNote = notified(waiting, 'consumer_deleted');
    await nc.flush(); // the pull requests are waiting at the server
    await jsm.consumers.delete(s, 'doomed');
    const note = await within(deletedNote, 5000, 'consumer_deleted');
    assert.equal(note.code, 409);
    const strictEnd = await within(drainIterable(strict), 5000, 'strict consume');
    assertNamedError(strictEnd.error, ConsumerNotFoundError);
    const fetchEnd = await within(fetching.closed(), 5000, 'fetch');
    assertNamedError(fetchEnd, ConsumerNotFoundError);
    assert.equal(fetchEnd.status, 409);
    assert.equal(pulls() >= 1, true, 'the default consume waits for the consumer to return');
    await waiting.close();
    assert.equal(pulls(), 0);
  });

  test('heartbeats missed (server frozen with SIGSTOP): consume recovers with nothing lost; fetch fails typed', async () => {
    const frozen = await startServer('default.conf');
    try {
      const c2 = await conns.connect(frozen.wsUrl);
      const js2 = jetstream(c2);
      const jsm2 = await jetstreamManager(c2);
      const s = await stream(5, {}, js2, jsm2);
      await jsm2.consumers.add(s, { durable_name: 'hb', ack_policy: AckPolicy.Explicit });
      // The fetch reads another consumer (starting at the end): the five
      // messages all go to the consume.
      await jsm2.consumers.add(s, { durable_name: 'hbf', ack_policy: AckPolicy.Explicit, deliver_policy: 'new' });
      const c = await js2.consumers.get(s, 'hb');
      const messages = await c.consume({ max_messages: 10, expires: 2000, idle_heartbeat: 500 });
      const fetching = await (await js2.consumers.get(s, 'hbf')).fetch({ max_messages: 100, expires: 10000, idle_heartbeat: 1000 });
      const got = [];
      const it = messages[Symbol.asyncIterator]();
      while (got.length < 5) {
        const { value } = await within(it.next(), 5000, 'the first five');
        got.push(value.string());
        value.ack();
      }
      const missed = notified(messages, 'heartbeats_missed');
      frozen.pause();
      const note = await within(missed, 10000, 'heartbeats_missed');
      const fetchErr = await within(fetching.closed(), 10000, 'fetch end');
      frozen.resume();
      assert.ok(note.count >= 2);
      assert.ok(fetchErr && fetchErr.code === 'heartbeats_missed', String(fetchErr));
      for (let i = 5; i < 10; i++) await js2.publish(`${s}.k`, `m${i}`);
      while (got.length < 10) {
        const { value } = await within(it.next(), 15000, 'after recovery');
        got.push(value.string());
        value.ack();
      }
      assert.deepEqual(got, Array.from({ length: 10 }, (_, i) => `m${i}`), 'nothing lost or repeated');
      await messages.close();
      assert.equal(pulls(c2), 0);
    } finally {
      await frozen.stop();
    }
  });

  test('aborting the signal stops the pull', async () => {
    const s = await stream();
    const c = await durable(s, 'abort');
    const ctl = new AbortController();
    const messages = await c.consume({ signal: ctl.signal });
    assert.equal(pulls(), 1);
    ctl.abort();
    const { error } = await drainIterable(messages);
    assertNamedError(error, AbortError);
    assert.equal(pulls(), 0);
    const ctl2 = new AbortController();
    const next = c.next({ expires: 10000, signal: ctl2.signal });
    ctl2.abort();
    await assert.rejects(next, (e) => e instanceof AbortError);
    assert.equal(pulls(), 0);
  });

  test('a group of 3 workers shares 3000 messages, each processed exactly once', async () => {
    const s = await stream(3000);
    await durable(s, 'group', { max_ack_pending: 10000 });
    const workers = await Promise.all([0, 1, 2].map(() => js.consumers.get(s, 'group')));
    const seen = [[], [], []];
    let total = 0;
    let resolve;
    const all = new Promise((r) => { resolve = r; });
    const sessions = await Promise.all(workers.map((w, i) => w.consume({
      max_messages: 50,
      callback: (m) => {
        seen[i].push(m.seq);
        // The last one's ack is confirmed once the server applied all before it.
        if (++total === 3000) m.ackAck().then(resolve);
        else m.ack();
      },
    })));
    await within(all, 20000, '3000 messages');
    for (const ms of sessions) await ms.close();
    const every = [...seen[0], ...seen[1], ...seen[2]].sort((a, b) => a - b);
    assert.deepEqual(every, Array.from({ length: 3000 }, (_, i) => i + 1));
    assert.ok(seen.every((x) => x.length > 0), seen.map((x) => x.length).join(','));
    const info = await jsm.consumers.info(s, 'group');
    assert.equal(info.num_ack_pending, 0);
    assert.equal(info.num_pending, 0);
    assert.equal(pulls(), 0);
  });
});

describe('ordered consumers', () => {
  test('deliver policies: all, last, new, by_start_sequence, by_start_time, last_per_subject', async () => {
    const s = await stream(9);
    const first = async (opts) => {
      const oc = await js.consumers.get(s, opts);
      try {
        return (await oc.next({ expires: 2000 }))?.string() ?? null;
      } finally {
        await oc.delete();
      }
    };
    assert.equal(await first({}), 'm0');
    assert.equal(await first({ deliver_policy: DeliverPolicy.Last }), 'm8');
    assert.equal(await first({ deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: 4 }), 'm3');
    assert.equal(await first({ deliver_policy: DeliverPolicy.LastPerSubject, filter_subjects: `${s}.k1` }), 'm7');
    assert.equal(await first({ filter_subjects: [`${s}.k2`] }), 'm2');
    assert.equal(await first({ deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(Date.now() - 3600_000) }), 'm0');
    const oc = await js.consumers.get(s, { deliver_policy: DeliverPolicy.New });
    assert.equal(await oc.next({ expires: 1000 }), null);
    await js.publish(`${s}.k`, 'later');
    assert.equal((await oc.next({ expires: 2000 })).string(), 'later');
    await oc.delete();
    assert.equal(pulls(), 0);
  });

  test('reset after its server consumer is deleted: each message once, in order', async () => {
    const s = await stream(5);
    const oc = await js.consumers.get(s);
    const messages = await oc.consume();
    const reset = notified(messages, 'ordered_consumer_recreated');
    const it = messages[Symbol.asyncIterator]();
    const seqs = [];
    while (seqs.length < 3) seqs.push((await it.next()).value.seq);
    const firstName = oc.name;
    await jsm.consumers.delete(s, firstName);
    for (let i = 5; i < 8; i++) await js.publish(`${s}.k`, `m${i}`);
    while (seqs.length < 8) seqs.push((await within(it.next(), 10000, 'after reset')).value.seq);
    assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.notEqual(oc.name, firstName);
    assert.ok((await within(reset, 1000, 'recreated note')).name);
    await messages.close();
    await oc.delete();
    assert.equal(pulls(), 0);
  });
});

describe('offsets and topics', () => {
  /** The data of the first `n` messages of an ordered consumer (then deletes it). */
  async function firstOf(oc, n, expires = 2000) {
    const got = [];
    try {
      while (got.length < n) {
        const m = await oc.next({ expires });
        if (!m) break;
        got.push(m.string());
      }
      return got;
    } finally {
      await oc.delete();
    }
  }

  test('Offset.beginning/end/absolute/fromEnd/fromTime on an ordered consumer', async () => {
    const s = await stream(10);
    const get = (offset) => js.consumers.get(s, { offset });
    assert.deepEqual(await firstOf(await get(Offset.beginning()), 2), ['m0', 'm1']);
    assert.deepEqual(await firstOf(await get(Offset.absolute(4)), 2), ['m3', 'm4']);
    assert.deepEqual(await firstOf(await get(Offset.fromEnd(3)), 4, 1000), ['m7', 'm8', 'm9']);
    assert.deepEqual(await firstOf(await get(Offset.fromEnd(50)), 1), ['m0'], 'more than there are: all');
    assert.deepEqual(await firstOf(await get(Offset.fromTime(new Date(Date.now() - 60_000))), 1), ['m0']);
    assert.deepEqual(await firstOf(await get(Offset.fromTime(new Date(Date.now() + 60_000))), 1, 1000), []);
    const end = await get(Offset.end());
    assert.equal(await end.next({ expires: 1000 }), null);
    await js.publish(`${s}.k`, 'fresh');
    assert.deepEqual(await firstOf(end, 1), ['fresh']);
    await assert.rejects(get(Offset.absolute(0)), (e) => e.name === 'InvalidArgumentError');
    await assert.rejects(js.consumers.get(unique('none'), { offset: Offset.end() }), (e) => e instanceof StreamNotFoundError);
    assert.equal(pulls(), 0);
  });

  test('a partition: fromEnd(n) counts its own records; keyed order holds; all partitions in stream order', async () => {
    const topic = unique('T');
    await createTopic(jsm, topic, 3);
    const producer = await topicProducer(js, topic);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (let i = 0; i < 60; i++) await producer.send(keys[i % keys.length], `${keys[i % keys.length]}-${i}`);
    await producer.flush();
    const p = partitionFor('a', 3);
    const inP = Array.from({ length: 60 }, (_, i) => i).filter((i) => partitionFor(keys[i % 6], 3) === p)
      .map((i) => `${keys[i % 6]}-${i}`);
    const all = await firstOf(await partitionConsumer(js, topic, p), inP.length);
    assert.deepEqual(all, inP, 'a partition in the order produced');
    const last3 = await firstOf(await partitionConsumer(js, topic, p, Offset.fromEnd(3)), 4, 1000);
    assert.deepEqual(last3, inP.slice(-3), 'the last 3 of this partition, not of the stream');
    const every = await firstOf(await multiPartitionConsumer(js, topic), 60);
    assert.equal(every.length, 60);
    for (const k of keys) {
      const ofKey = every.filter((x) => x.startsWith(`${k}-`)).map((x) => Number(x.split('-')[1]));
      assert.deepEqual(ofKey, [...ofKey].sort((a, b) => a - b), `order of key ${k}`);
    }
    assert.equal(pulls(), 0);
  });

  test('consumer groups: created at an offset, listed with committed offset and lag, deleted', async () => {
    const topic = unique('G');
    await createTopic(jsm, topic, 2);
    const producer = await topicProducer(js, topic);
    for (let i = 0; i < 20; i++) await producer.send(`k${i}`, `v${i}`);
    await createConsumerGroup(jsm, topic, 'all', { offset: Offset.beginning() });
    await createConsumerGroup(jsm, topic, 'tail', { offset: Offset.fromEnd(5) });
    await createConsumerGroup(jsm, topic, 'p1', { partition: 1 });
    const worker = await js.consumers.get(topic, 'all');
    const { msgs } = await drainIterable(await worker.fetch({ max_messages: 8, expires: 2000 }));
    for (const m of msgs) await m.ackAck();
    const groups = Object.fromEntries((await consumerGroups(jsm, topic)).map((g) => [g.name, g]));
    assert.deepEqual(Object.keys(groups).sort(), ['all', 'p1', 'tail']);
    assert.equal(groups.all.committed, 8);
    assert.equal(groups.all.lag, 12);
    assert.equal(groups.tail.pending, 5);
    assert.equal(groups.p1.filter, `${topic}.1`);
    assert.equal(await deleteConsumerGroup(jsm, topic, 'tail'), true);
    assert.deepEqual((await consumerGroups(jsm, topic)).map((g) => g.name).sort(), ['all', 'p1']);
  });
});

describe('interop with nats.js', () => {
  test('nats.js produces, nats-wasm consumes and acks; nats-wasm produces, nats.js consumes', async () => {
    const ref = await natsJsConnect({ servers: `127.0.0.1:${srv.port}` });
    try {
      const refJs = natsJsJetstream(ref);
      const refJsm = await natsJsManager(ref);
      const s = unique('IO');
      await refJsm.streams.add({ name: s, subjects: [`${s}.>`] });
      for (let i = 0; i < 20; i++) await refJs.publish(`${s}.a`, `r${i}`, { headers: undefined });
      const c = await durable(s, 'ours');
      const { msgs } = await drainIterable(await c.fetch({ max_messages: 20, expires: 2000 }));
      assert.deepEqual(msgs.map((m) => m.string()), Array.from({ length: 20 }, (_, i) => `r${i}`));
      for (const m of msgs.slice(0, -1)) m.ack();
      // The server applies plain acks from its own queue: the last one is
      // confirmed, which it answers after those before it.
      assert.equal(await msgs.at(-1).ackAck(), true);
      assert.equal((await refJsm.consumers.info(s, 'ours')).num_ack_pending, 0);

      for (let i = 0; i < 20; i++) await js.publish(`${s}.b`, `w${i}`);
      await refJsm.consumers.add(s, { durable_name: 'theirs', ack_policy: AckPolicy.Explicit, filter_subject: `${s}.b` });
      const theirs = await refJs.consumers.get(s, 'theirs');
      const got = [];
      for await (const m of await theirs.fetch({ max_messages: 20, expires: 2000 })) {
        got.push(m.string());
        m.ack();
      }
      assert.deepEqual(got, Array.from({ length: 20 }, (_, i) => `w${i}`));
    } finally {
      await ref.close();
    }
  });
});
