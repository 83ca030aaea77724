// JetStream from JavaScript against a real nats-server: publish with acks,
// streams, consumers, messages, the account, every error path, pipelining,
// partitions, and interop with nats.js in both directions.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { connect as natsJsConnect } from '@nats-io/transport-node';
import { jetstream as natsJsJetstream, jetstreamManager as natsJsManager } from '@nats-io/jetstream';

import { headers, InvalidNameError, InvalidArgumentError, TimeoutError, AbortError } from '../../js/src/index.mjs';
import {
  AdvisoryKind, ConsumerNotFoundError, JetStreamApiError, JetStreamNotEnabled, StreamNotFoundError, AckPolicy,
  createTopic, jetstream, jetstreamManager, partitionCount, partitionFor, topicProducer, topicSubjects,
} from '../../js/src/jetstream/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, assertNamedError } from './helpers.mjs';

let srv;
let nc;
let jsm;
let js;
const conns = new Connections();
let counter = 0;
const unique = (p) => `${p}_${process.pid}_${++counter}`;

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

async function stream(cfg = {}) {
  const name = unique('S');
  await jsm.streams.add({ name, subjects: [`${name}.>`], ...cfg });
  return name;
}

describe('publish', () => {
  test('PubAck, duplicate msgID within the window gives the first seq', async () => {
    const s = await stream();
    const a = await js.publish(`${s}.a`, 'one', { msgID: 'm1' });
    assert.deepEqual(a, { stream: s, seq: 1, duplicate: false });
    const d = await js.publish(`${s}.a`, 'again', { msgID: 'm1' });
    assert.deepEqual(d, { stream: s, seq: 1, duplicate: true });
    assert.equal((await jsm.streams.info(s)).state.messages, 1);
  });

  test('expectations: last sequence (10071), stream (10060), last subject sequence, last msg id', async () => {
    const s = await stream();
    await js.publish(`${s}.a`, 'x', { expect: { lastSequence: 0 } });
    await assert.rejects(js.publish(`${s}.a`, 'x', { expect: { lastSequence: 9 } }), (e) => {
      assertNamedError(e, JetStreamApiError);
      assert.equal(e.code, 10071);
      assert.equal(e.status, 400);
      assert.match(e.message, /wrong last sequence/);
      assert.deepEqual(e.apiError(), { code: 400, err_code: 10071, description: e.message });
      return true;
    });
    await assert.rejects(js.publish(`${s}.a`, 'x', { expect: { streamName: 'OTHER' } }),
      (e) => e instanceof JetStreamApiError && e.code === 10060);
    const ok = await js.publish(`${s}.a`, 'x', { expect: { lastSubjectSequence: 1, streamName: s } });
    assert.equal(ok.seq, 2);
    await js.publish(`${s}.b`, 'x', { msgID: 'id-b' });
    await assert.rejects(js.publish(`${s}.b`, 'x', { expect: { lastMsgID: 'nope' } }),
      (e) => e instanceof JetStreamApiError && e.code === 10070);
  });

  test('headers travel with the message; a subject without a stream is JetStreamNotEnabled', async () => {
    const s = await stream();
    const h = headers();
    h.set('Trace', '7');
    await js.publish(`${s}.h`, 'x', { headers: h });
    const m = await jsm.streams.getMessage(s, { last_by_subj: `${s}.h` });
    assert.equal(m.header.get('Trace'), '7');
    await assert.rejects(js.publish(unique('nostream'), 'x'), (e) => {
      assertNamedError(e, JetStreamNotEnabled);
      return true;
    });
  });

  test('retries: a publish racing its stream\'s creation is stored with retries, fails without', async () => {
    // The publish goes first and the server answers it before it creates the stream.
    const racing = async (opts) => {
      const name = unique('R');
      const published = js.publish(`${name}.a`, 'x', opts);
      published.catch(() => {});  // it may fail before the stream exists: awaited below
      await jsm.streams.add({ name, subjects: [`${name}.>`] });
      return published;
    };
    await assert.rejects(racing({}), (e) => assertNamedError(e, JetStreamNotEnabled));
    const ack = await racing({ retries: 3 });
    assert.equal(ack.seq, 1);
    assert.equal(js.publishAsyncPending(), 0);
    assert.equal(nc._engine.c.jsInFlight(), 0);
  });

  test('10,000 pipelined publishes: contiguous acks, window bound kept', async () => {
    const s = await stream();
    const win = jetstream(nc, { maxPending: 64 });
    const acks = [];
    for (let i = 0; i < 10000; i++) acks.push(win.publish(`${s}.p`, `m${i}`));
    assert.ok(nc._engine.c.jsPending ? true : true);
    assert.equal(win.publishAsyncPending(), 10000);
    const done = await Promise.all(acks);
    await win.publishAsyncCompleted();
    assert.equal(win.publishAsyncPending(), 0);
    done.forEach((a, i) => assert.equal(a.seq, i + 1));
    assert.equal((await jsm.streams.info(s)).state.messages, 10000);
    assert.equal(nc._engine.c.jsInFlight(), 0, 'nothing left in the engine');
  });

  test('publish timeout and AbortSignal leave nothing pending in the engine', async () => {
    // A subscriber that never answers stands in for a stream that is slow to ack.
    const subj = unique('slow');
    nc.subscribe(subj);
    await nc.flush();
    await assert.rejects(js.publish(subj, 'x', { timeout: 100 }), (e) => e instanceof TimeoutError);
    const ac = new AbortController();
    const p = js.publish(subj, 'x', { signal: ac.signal, timeout: 5000 });
    ac.abort();
    await assert.rejects(p, (e) => e instanceof AbortError);
    assert.equal(nc._engine.c.jsInFlight(), 0);
    assert.equal(js.publishAsyncPending(), 0);
  });

  test('bad input is refused before anything is sent', async () => {
    assert.throws(() => jetstream(nc, { apiPrefix: '' }), InvalidArgumentError);
    await assert.rejects(js.publish('bad subject', 'x'), (e) => e.errc === 'invalid_subject');
    await assert.rejects(js.publish('ok', 'x', { expect: { lastSequence: -1 } }), InvalidArgumentError);
  });
});

describe('streams', () => {
  test('add, info, update (merged), names, list, find, delete', async () => {
    const name = unique('ST');
    const si = await jsm.streams.add({ name, subjects: [`${name}.*`], max_msgs: 100, storage: 'memory' });
    assert.equal(si.config.name, name);
    assert.equal(si.config.deny_delete, false);
    const up = await jsm.streams.update(name, { max_msgs: 5, description: 'd' });
    assert.equal(up.config.max_msgs, 5);
    assert.deepEqual(up.config.subjects, [`${name}.*`], 'update keeps what it does not name');
    assert.ok((await jsm.streams.names().next()).includes(name));
    assert.ok((await jsm.streams.names(`${name}.x`).next()).includes(name));
    const infos = [];
    for await (const i of jsm.streams.list()) infos.push(i.config.name);
    assert.ok(infos.includes(name));
    assert.equal(await jsm.streams.find(`${name}.x`), name);
    await assert.rejects(jsm.streams.find(unique('none')), StreamNotFoundError);
    assert.equal(await jsm.streams.delete(name), true);
    await assert.rejects(jsm.streams.info(name), (e) => {
      assertNamedError(e, StreamNotFoundError);
      assert.equal(e.code, 10059);
      assert.equal(e.status, 404);
      assert.ok(e instanceof JetStreamApiError);
      return true;
    });
  });

  test('info with subjects_filter gathers every subject', async () => {
    const s = await stream();
    for (let i = 0; i < 30; i++) await js.publish(`${s}.k${i}`, 'x');
    const si = await jsm.streams.info(s, { subjects_filter: '>' });
    assert.equal(Object.keys(si.state.subjects).length, 30);
  });

  test('purge: filter, seq, keep; keep with seq is refused', async () => {
    const s = await stream();
    for (let i = 0; i < 10; i++) await js.publish(`${s}.${i % 2 ? 'odd' : 'even'}`, `${i}`);
    const type = 'io.nats.jetstream.api.v1.stream_purge_response'; // the server's reply, as nats.js
    assert.deepEqual(await jsm.streams.purge(s, { filter: `${s}.odd`, keep: 1 }), { type, success: true, purged: 4 });
    assert.deepEqual(await jsm.streams.purge(s, { seq: 5 }), { type, success: true, purged: 2 });
    await assert.rejects(jsm.streams.purge(s, { seq: 1, keep: 1 }), InvalidArgumentError);
    assert.deepEqual(await jsm.streams.purge(s), { type, success: true, purged: 4 });
  });

  test('errors: overlapping subjects (10065), name in use (10058), invalid names', async () => {
    const s = await stream();
    await assert.rejects(jsm.streams.add({ name: unique('O'), subjects: [`${s}.x`] }),
      (e) => e instanceof JetStreamApiError && e.code === 10065);
    await assert.rejects(jsm.streams.add({ name: s, subjects: ['other.>'] }),
      (e) => e instanceof JetStreamApiError && e.code === 10058);
    for (const bad of ['a.b', 'a b', 'a*', 'a>', 'a/b']) {
      await assert.rejects(jsm.streams.add({ name: bad, subjects: ['z'] }), (e) => {
        assertNamedError(e, InvalidNameError);
        return true;
      });
    }
  });

  test('messages: get by seq and last by subject, direct get, delete', async () => {
    const s = await stream({ allow_direct: true });
    await js.publish(`${s}.a`, 'first');
    await js.publish(`${s}.b`, new Uint8Array([0, 1, 255]));
    await js.publish(`${s}.a`, 'last');
    const bySeq = await jsm.streams.getMessage(s, { seq: 2 });
    assert.equal(bySeq.subject, `${s}.b`);
    assert.deepEqual(bySeq.data, new Uint8Array([0, 1, 255]));
    assert.ok(bySeq.time instanceof Date && !Number.isNaN(bySeq.time.getTime()));
    assert.equal((await jsm.streams.getMessage(s, { last_by_subj: `${s}.a` })).string(), 'last');
    const direct = await jsm.direct.getMessage(s, { last_by_subj: `${s}.a` });
    assert.equal(direct.seq, 3);
    assert.equal(direct.string(), 'last');
    assert.equal(direct.header.get('Nats-Stream'), s);
    assert.equal(await jsm.direct.getMessage(s, { seq: 99 }), null);
    assert.equal(await jsm.streams.getMessage(s, { seq: 99 }), null);
    assert.equal(await jsm.streams.deleteMessage(s, 1), true);
    assert.equal(await jsm.streams.getMessage(s, { seq: 1 }), null);
    await assert.rejects(jsm.streams.deleteMessage(s, 1), (e) => e instanceof JetStreamApiError && /no message|not found/.test(e.message));
  });
});

describe('consumers and account', () => {
  test('add durable and ephemeral, info, update, list, names, delete', async () => {
    const s = await stream();
    const d = await jsm.consumers.add(s, { durable_name: 'work', ack_policy: AckPolicy.Explicit, max_deliver: 3 });
    assert.equal(d.name, 'work');
    const eph = await jsm.consumers.add(s, { ack_policy: AckPolicy.None });
    assert.ok(eph.name.length > 0);
    const named = await jsm.consumers.add(s, { name: 'f', filter_subject: `${s}.x.y` });
    assert.equal(named.config.filter_subject, `${s}.x.y`);
    const up = await jsm.consumers.update(s, 'work', { max_deliver: 5 });
    assert.equal(up.config.max_deliver, 5);
    assert.equal(up.config.ack_policy, 'explicit');
    assert.equal((await jsm.consumers.info(s, 'work')).config.max_deliver, 5);
    const names = await jsm.consumers.names(s).next();
    assert.deepEqual([...names].sort(), [eph.name, 'f', 'work'].sort());
    assert.equal((await jsm.consumers.list(s).next()).length, 3);
    assert.equal(await jsm.consumers.delete(s, 'work'), true);
    await assert.rejects(jsm.consumers.info(s, 'work'), (e) => {
      assertNamedError(e, ConsumerNotFoundError);
      assert.equal(e.code, 10014);
      return true;
    });
    await assert.rejects(jsm.consumers.add(s, { durable_name: 'x.y' }), InvalidNameError);
  });

  test('account info has usage, limits and API stats', async () => {
    const a = await jsm.getAccountInfo();
    assert.equal(typeof a.memory, 'number');
    assert.equal(typeof a.limits.max_streams, 'number');
    assert.ok(a.api.total > 0);
  });

  test('a server without JetStream: JetStreamNotEnabled', async () => {
    const plain = await startServer('no_jetstream.conf');
    try {
      const c = await conns.connect(plain.wsUrl);
      await assert.rejects(jetstreamManager(c), (e) => {
        assertNamedError(e, JetStreamNotEnabled);
        return true;
      });
      await assert.rejects(jetstream(c).publish('x', 'y'), JetStreamNotEnabled);
    } finally {
      await plain.stop();
    }
  });
});

describe('advisories', () => {
  test('advisories() yields each with its AdvisoryKind; stop() unsubscribes', async () => {
    const advisories = jsm.advisories();
    await nc.flush();  // subscribed before the actions below
    const name = unique('ADV');
    await jsm.streams.add({ name, subjects: [`${name}.>`] });
    await jsm.consumers.add(name, { durable_name: 'watcher', ack_policy: AckPolicy.Explicit });
    const seen = new Set();
    for await (const a of advisories) {
      assert.ok(Object.values(AdvisoryKind).includes(a.kind), a.kind);
      assert.equal(typeof a.data.type, 'string');
      if (a.kind === AdvisoryKind.StreamAction && a.data.stream === name) seen.add(`stream:${a.data.action}`);
      if (a.kind === AdvisoryKind.ConsumerAction && a.data.stream === name) seen.add(`consumer:${a.data.action}`);
      if (seen.has('stream:create') && seen.has('consumer:create')) break;
    }
    assert.equal(AdvisoryKind.MaxDeliver, 'max_deliver');
    const subs = nc._engine.c.subscriptionCount();
    const again = jsm.advisories();
    assert.equal(nc._engine.c.subscriptionCount(), subs + 1);
    again.stop();
    assert.equal(nc._engine.c.subscriptionCount(), subs);
  });
});

describe('partitions', () => {
  test('the shared vectors: the same partition as C++ and Python', () => {
    const doc = JSON.parse(readFileSync(new URL('../vectors/jetstream/partitions.json', import.meta.url), 'utf8'));
    for (const c of doc.cases) assert.equal(partitionFor(c.key, c.partitions), c.partition, `${c.key} / ${c.partitions}`);
    assert.deepEqual(topicSubjects('t', 2), ['t.0', 't.1']);
    assert.throws(() => topicSubjects('a.b', 2), InvalidNameError);
  });

  test('a topic with partitions; keyed records keep their order within a partition', async () => {
    const topic = unique('T');
    const si = await createTopic(jsm, topic, 4);
    assert.equal(partitionCount(si), 4);
    const producer = await topicProducer(js, topic);
    const keys = ['alpha', 'beta', 'gamma'];
    for (let i = 0; i < 30; i++) await producer.send(keys[i % 3], `${keys[i % 3]}-${i}`);
    await producer.flush();
    for (const key of keys) {
      const p = partitionFor(key, 4);
      const info = await jsm.streams.info(topic, { subjects_filter: `${topic}.${p}` });
      assert.ok(info.state.subjects[`${topic}.${p}`] >= 10);
    }
  });
});

describe('interop with nats.js', () => {
  test('a stream created and written by nats.js is read and managed here, and the reverse', async () => {
    const theirs = await natsJsConnect({ servers: `127.0.0.1:${srv.port}` });
    try {
      const tjsm = await natsJsManager(theirs);
      const tjs = natsJsJetstream(theirs);
      const a = unique('NJ');
      await tjsm.streams.add({ name: a, subjects: [`${a}.>`] });
      await tjs.publish(`${a}.x`, 'from nats.js', { msgID: 'n1' });
      const info = await jsm.streams.info(a);
      assert.equal(info.state.messages, 1);
      assert.equal((await jsm.streams.getMessage(a, { seq: 1 })).string(), 'from nats.js');
      const dup = await js.publish(`${a}.x`, 'again', { msgID: 'n1' });
      assert.equal(dup.duplicate, true, 'dedupe spans clients');
      assert.equal(await jsm.streams.delete(a), true);

      const b = unique('NW');
      await jsm.streams.add({ name: b, subjects: [`${b}.>`] });
      const ours = await js.publish(`${b}.y`, 'from nats-wasm');
      const theirInfo = await tjsm.streams.info(b);
      assert.equal(theirInfo.state.last_seq, ours.seq);
      assert.equal((await tjsm.streams.getMessage(b, { seq: 1 })).string(), 'from nats-wasm');
      await tjsm.consumers.add(b, { durable_name: 'c', ack_policy: 'explicit' });
      assert.equal((await jsm.consumers.info(b, 'c')).name, 'c');
    } finally {
      await theirs.close();
    }
  });
});
