// One program, two clients, for JetStream: each test runs the same program
// against nats.js v3 (@nats-io/jetstream over TCP) and against nats-wasm
// (nats-wasm/jetstream over WebSocket) on one server, records what it
// observes into plain data, and compares the two records field by field.
// KV and the object store: natsjs_parity_kv.test.mjs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import * as natsCore from '@nats-io/nats-core';
import * as natsJs from '@nats-io/jetstream';
import { connect as tcpConnect } from '@nats-io/transport-node';

import * as wasmLib from '../../js/src/index.mjs';
import * as wasmJs from '../../js/src/jetstream/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { collect, hdrs, outcome, runBoth as runBothLibs } from './parity.mjs';

let srv;
const RUN = `parity${process.pid}`;

const LIBS = {
  natsjs: {
    name: 'natsjs', tag: 'njs', headers: natsCore.headers, js: natsJs,
    connect: () => tcpConnect({ servers: srv.tcpUrl }),
  },
  wasm: {
    name: 'wasm', tag: 'nwa', headers: wasmLib.headers, js: wasmJs,
    connect: () => wasmLib.connect({ servers: srv.wsUrl }),
  },
};

before(async () => {
  srv = await startServer('default.conf');
  await wasmLib.loadCore();
});

after(async () => {
  await srv?.stop();
});

/** The record of a JsMsg; the consumer name only when named (ordered ones are generated). */
function recJs(m, named = true) {
  const i = m.info;
  return {
    subject: m.subject, seq: m.seq, data: m.string(), redelivered: m.redelivered,
    time: m.time instanceof Date, timestamp: typeof m.timestamp, headers: hdrs(m.headers),
    info: {
      stream: i.stream, consumer: named ? i.consumer : typeof i.consumer, deliveryCount: i.deliveryCount,
      streamSequence: i.streamSequence, deliverySequence: i.deliverySequence, pending: i.pending,
      redelivered: i.redelivered, domain: i.domain, timestampNanos: typeof i.timestampNanos,
    },
  };
}

/** The record of a StoredMsg. */
function recStored(m) {
  if (m === null || m === undefined) return m;
  return {
    subject: m.subject, seq: m.seq, data: [...m.data], string: m.string(), header: hdrs(m.header),
    time: m.time instanceof Date, timestamp: typeof m.timestamp,
  };
}

/** Runs program against both clients (one after the other) and returns both records. */
const runBoth = (program) => runBothLibs(LIBS, RUN, [srv.port, srv.wsPort], program);

/** The shape of a plain object: its keys, sorted, with the type of each value. */
function shape(o) {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k] === null ? 'null' : typeof o[k]]));
}

test('streams via jsm: add, update, info, list/names, purge, get/delete message, delete, account', async () => {
  const { natsjs, wasm } = await runBoth(async ({ lib, jsm, js, p }) => {
    const r = {};
    const name = `${p}_S`;
    const cfg = { name, subjects: [`${name}.>`], max_msgs: 100, storage: lib.js.StorageType.Memory };
    r.add = await jsm.streams.add(cfg);
    r.addSame = await outcome(async () => (await jsm.streams.add(cfg)).config, lib, true);
    r.addOther = await outcome(() => jsm.streams.add({ ...cfg, max_msgs: 7 }), lib);
    r.addOverlap = await outcome(() => jsm.streams.add({ name: `${p}_O`, subjects: [`${name}.x`] }), lib);
    r.addBadName = await outcome(() => jsm.streams.add({ name: 'a.b', subjects: [`${p}.bad`] }), lib);

    for (let i = 0; i < 10; i++) await js.publish(`${name}.${i % 2 ? 'odd' : 'even'}`, `m${i}`);
    r.info = await jsm.streams.info(name, { subjects_filter: '>' });
    r.update = await jsm.streams.update(name, { max_msgs: 50, description: 'updated' });
    r.names = [];
    for await (const n of jsm.streams.names()) if (n.startsWith(p)) r.names.push(n);
    r.namesBySubject = [];
    for await (const n of jsm.streams.names(`${name}.odd`)) r.namesBySubject.push(n);
    r.list = [];
    for await (const si of jsm.streams.list()) if (si.config.name.startsWith(p)) r.list.push(si.config.name);
    r.find = await jsm.streams.find(`${name}.even`);
    r.findNone = await outcome(() => jsm.streams.find(`${p}.none`), lib);

    r.getBySeq = recStored(await jsm.streams.getMessage(name, { seq: 2 }));
    r.getLast = recStored(await jsm.streams.getMessage(name, { last_by_subj: `${name}.even` }));
    r.getMissing = await outcome(async () => recStored(await jsm.streams.getMessage(name, { seq: 99 })), lib, true);
    r.deleteMessage = await jsm.streams.deleteMessage(name, 2);
    r.deleteMessageNoErase = await jsm.streams.deleteMessage(name, 3, false);
    r.getDeleted = await outcome(async () => recStored(await jsm.streams.getMessage(name, { seq: 2 })), lib, true);
    r.deleteMsgMissing = await outcome(() => jsm.streams.deleteMessage(name, 99), lib);
    r.afterDelete = (await jsm.streams.info(name)).state;

    r.purgeFilter = await jsm.streams.purge(name, { filter: `${name}.odd`, keep: 1 });
    r.purgeSeq = await jsm.streams.purge(name, { seq: 7 });
    r.purgeBoth = await outcome(() => jsm.streams.purge(name, { seq: 1, keep: 1 }), lib);
    r.purgeAll = await jsm.streams.purge(name);
    r.afterPurge = (await jsm.streams.info(name)).state;

    const acct = await jsm.getAccountInfo();
    r.account = { shape: shape(acct), api: shape(acct.api), limits: shape(acct.limits), streams: acct.streams >= 1 };
    r.delete = await jsm.streams.delete(name);
    r.infoMissing = await outcome(() => jsm.streams.info(name), lib);
    r.deleteMissing = await outcome(() => jsm.streams.delete(name), lib);
    return r;
  });
  assert.equal(natsjs.add.config.name, 'P_S');
  assert.equal(natsjs.addOther.apiError.err_code, 10058);
  assert.equal(natsjs.infoMissing.name, 'StreamNotFoundError');
  assert.equal(natsjs.infoMissing.apiError.err_code, 10059);
  assert.equal(natsjs.purgeFilter.purged, 3);
  assert.equal(natsjs.getBySeq.string, 'm1');
  assert.deepEqual(natsjs.info.state.subjects, { 'P_S.even': 5, 'P_S.odd': 5 });
  // streams.info(name, {subjects_filter}) answered in one page keeps the
  // server's paging fields in both; a purge resolves the server's reply.
  assert.deepEqual([natsjs.info.total, natsjs.info.offset], [2, 0]);
  assert.equal(natsjs.purgeAll.type, 'io.nats.jetstream.api.v1.stream_purge_response');
  assert.deepEqual(wasm, natsjs);
});

test('publish: PubAck, msgID dedup, expectations, no stream, headers on stored messages', async () => {
  const { natsjs, wasm } = await runBoth(async ({ lib, jsm, js, p }) => {
    const r = {};
    const name = `${p}_PUB`;
    await jsm.streams.add({ name, subjects: [`${name}.>`] });
    r.ack = await js.publish(`${name}.a`, 'one');
    r.dedupFirst = await js.publish(`${name}.a`, 'two', { msgID: 'id-1' });
    r.dedupAgain = await js.publish(`${name}.a`, 'again', { msgID: 'id-1' });
    r.expectOk = await js.publish(`${name}.a`, 'x', {
      expect: { lastSequence: 2, lastMsgID: 'id-1', streamName: name, lastSubjectSequence: 2 },
    });
    r.wrongLastSeq = await outcome(() => js.publish(`${name}.a`, 'x', { expect: { lastSequence: 1 } }), lib);
    r.wrongLastMsgId = await outcome(() => js.publish(`${name}.a`, 'x', { expect: { lastMsgID: 'nope' } }), lib);
    r.wrongStream = await outcome(() => js.publish(`${name}.a`, 'x', { expect: { streamName: 'OTHER' } }), lib);
    r.wrongSubjSeq = await outcome(() => js.publish(`${name}.a`, 'x', { expect: { lastSubjectSequence: 1 } }), lib);
    r.noStream = await outcome(() => js.publish(`${p}.nostream`, 'x'), lib);
    r.badSubject = await outcome(() => js.publish('bad subject', 'x'), lib);

    const h = lib.headers();
    h.set('X-Trace', '7');
    h.append('X-Multi', 'a');
    r.withHeaders = await js.publish(`${name}.h`, 'hdr', { headers: h, msgID: 'id-h' });
    r.stored = recStored(await jsm.streams.getMessage(name, { last_by_subj: `${name}.h` }));
    r.storedMulti = (await jsm.streams.getMessage(name, { last_by_subj: `${name}.h` })).header.values('X-Multi');
    r.state = (await jsm.streams.info(name)).state;
    await jsm.streams.delete(name);
    return r;
  });
  assert.deepEqual(natsjs.ack, { stream: 'P_PUB', seq: 1, duplicate: false });
  assert.deepEqual(natsjs.dedupAgain, { stream: 'P_PUB', seq: 2, duplicate: true });
  assert.equal(natsjs.wrongLastSeq.apiError.err_code, 10071);
  assert.equal(natsjs.noStream.name, 'JetStreamNotEnabled');
  assert.equal(wasm.noStream.name, 'JetStreamNotEnabled');
  // A publish nobody stores: the cause is the request's RequestError, caused by NoResponders.
  assert.equal(natsjs.noStream.cause.name, 'RequestError');
  assert.equal(natsjs.noStream.cause.cause.name, 'NoResponders'); // nats.js's name for NoRespondersError
  assert.deepEqual(wasm, natsjs);
});

test('consumers: add/info/list/delete, fetch, consume, next, ack/nak/term, ordered, missing', async () => {
  const { natsjs, wasm } = await runBoth(async ({ nc, lib, jsm, js, p }) => {
    const r = {};
    const name = `${p}_C`;
    await jsm.streams.add({ name, subjects: [`${name}.>`] });
    const h = lib.headers();
    h.set('X-Id', 'first');
    await js.publish(`${name}.a`, 'm0', { headers: h });
    for (let i = 1; i < 6; i++) await js.publish(`${name}.${i % 2 ? 'b' : 'a'}`, `m${i}`);

    const { AckPolicy, DeliverPolicy } = lib.js;
    r.add = await jsm.consumers.add(name, { durable_name: 'dur', ack_policy: AckPolicy.Explicit });
    await jsm.consumers.add(name, {
      durable_name: 'filtered', ack_policy: AckPolicy.Explicit, filter_subject: `${name}.b`,
      deliver_policy: DeliverPolicy.All, ack_wait: 30e9,
    });
    r.info = await jsm.consumers.info(name, 'filtered');
    r.list = [];
    for await (const ci of jsm.consumers.list(name)) r.list.push(ci.name);
    r.list.sort();

    // fetch: three messages, in order, with their delivery info
    const c = await js.consumers.get(name, 'dur');
    const batch = await c.fetch({ max_messages: 3, expires: 5000 });
    r.fetch = await collect(batch, (m) => { m.ack(); return recJs(m); }, `${lib.name} fetch`);

    // next(), then nak: redelivered (deliveryCount 2). The nak and the next
    // pull race in the server, so the rest is fetched at once and sorted.
    const n1 = await c.next({ expires: 5000 });
    r.nak = recJs(n1);
    n1.nak();
    await nc.flush();
    const rest = (await collect(await c.fetch({ max_messages: 3, expires: 5000 }), (m) => m, `${lib.name} rest`))
      .sort((a, b) => a.seq - b.seq);
    r.restDeliverySeqs = rest.map((m) => m.info.deliverySequence).sort((a, b) => a - b);
    r.rest = rest.map((m) => {
      const x = recJs(m);
      delete x.info.deliverySequence;
      delete x.info.pending;
      return x;
    });
    rest[0].working();
    r.ackAck = await rest[0].ackAck();
    r.ackAckTwice = await rest[0].ackAck();
    rest[1].term();
    r.ackAckTerm = await rest[2].ackAck();

    // consume(): two more, acked with ackAck: once it is answered, the
    // server has handled the acks and the term sent before it
    for (const d of ['m6', 'm7']) await js.publish(`${name}.c`, d);
    const msgs = await c.consume({ max_messages: 10 });
    r.consume = await collect(msgs, async (m) => ({ ...recJs(m), ackAck: await m.ackAck() }), `${lib.name} consume`, 2);
    msgs.stop();
    r.nextEmpty = await c.next({ expires: 1000 });
    r.consumerAfter = await c.info();

    // a filtered consumer and an empty fetch
    const f = await js.consumers.get(name, 'filtered');
    r.filtered = await collect(await f.fetch({ max_messages: 3, expires: 5000 }),
      (m) => { m.ack(); return [m.subject, m.seq]; }, `${lib.name} filtered`);
    r.emptyFetch = await outcome(async () => collect(await f.fetch({ max_messages: 5, expires: 1000 }),
      (m) => m.seq, `${lib.name} empty fetch`), lib, true);

    // ordered consumers: everything in order, then from a sequence
    const o = await js.consumers.get(name);
    r.ordered = await collect(await o.consume(), (m) => recJs(m, false), `${lib.name} ordered`, 8);
    // (filter_subjects: nats.js refuses it below nats-server 2.10)
    const o2 = await js.consumers.get(name, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: 4 });
    r.orderedFromSeq = await collect(await o2.fetch({ max_messages: 5, expires: 5000 }),
      (m) => [m.subject, m.seq, m.info.deliverySequence], `${lib.name} ordered fetch`);

    r.getMissing = await outcome(() => js.consumers.get(name, 'nope'), lib);
    r.getMissingStream = await outcome(() => js.consumers.get(`${p}_NONE`, 'dur'), lib);
    r.infoMissing = await outcome(() => jsm.consumers.info(name, 'nope'), lib);
    r.delete = await jsm.consumers.delete(name, 'filtered');
    r.deleteMissing = await outcome(() => jsm.consumers.delete(name, 'filtered'), lib);
    await jsm.streams.delete(name);
    return r;
  });
  assert.deepEqual(natsjs.fetch.map((m) => m.seq), [1, 2, 3]);
  assert.deepEqual(natsjs.rest.map((m) => [m.seq, m.info.deliveryCount, m.redelivered]),
    [[4, 2, true], [5, 1, false], [6, 1, false]]);
  assert.equal(natsjs.consumerAfter.num_ack_pending, 0);
  assert.deepEqual(natsjs.ordered.map((m) => m.data), ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
  assert.equal(natsjs.getMissing.apiError.err_code, 10014);
  assert.deepEqual(natsjs.emptyFetch, { ok: [] });
  assert.deepEqual(wasm, natsjs);
});
