// Behaviour tests for compatibility rows (tests/compat/js.json) of
// jetstream, kv and obj that no other suite exercised: each name used as a
// nats.js program uses it against a real server, and compared with what
// nats.js (@nats-io/*, over TCP to the same server) gives for the same call.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import * as theirJs from '@nats-io/jetstream';
import { Base64KeyCodec as TheirBase64, Kvm as TheirKvm } from '@nats-io/kv';
import { Objm as TheirObjm, StorageType as TheirObjStorage } from '@nats-io/obj';
import { connect as natsJsConnect } from '@nats-io/transport-node';

import { createInbox, headers } from '../../js/src/index.mjs';
import {
  AckPolicy, DirectMsgHeaders, DiscardPolicy, JetStreamApiCodes, JetStreamApiError, JetStreamNotEnabled, JsHeaders,
  JsMsgImpl, PubHeaders, ReplayPolicy, RetentionPolicy, StorageType, StoreCompression, jetstream, jetstreamManager,
} from '../../js/src/jetstream/index.mjs';
import { Base64KeyCodec, Bucket, Kvm } from '../../js/src/kv/index.mjs';
import { Objm, StorageType as ObjStorage } from '../../js/src/obj/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, drainIterable, within } from './helpers.mjs';

const { parseInfo } = await import(new URL('../../node_modules/@nats-io/jetstream/lib/jsmsg.js', import.meta.url));

let srv;
let nc;
let js;
let jsm;
let theirs;
let tjsm;
const conns = new Connections();
let counter = 0;
const unique = (p) => `${p}_${process.pid}_${++counter}`;

before(async () => {
  srv = await startServer('default.conf');
  nc = await conns.connect(srv.wsUrl);
  js = jetstream(nc);
  jsm = await jetstreamManager(nc);
  theirs = await natsJsConnect({ servers: `127.0.0.1:${srv.port}` });
  tjsm = await theirJs.jetstreamManager(theirs);
});
after(async () => {
  await theirs?.close();
  await conns.closeAll();
  await srv?.stop();
});

async function stream(cfg = {}) {
  const name = unique('S');
  await jsm.streams.add({ name, subjects: [`${name}.>`], ...cfg });
  return name;
}

describe('jetstream constants', () => {
  test('DiscardPolicy, ReplayPolicy, RetentionPolicy, StorageType, StoreCompression, JetStreamApiCodes, DirectMsgHeaders are nats.js\'s', () => {
    const same = { DiscardPolicy, ReplayPolicy, RetentionPolicy, StorageType, StoreCompression, JetStreamApiCodes, DirectMsgHeaders };
    for (const [name, ours] of Object.entries(same)) assert.deepEqual({ ...ours }, { ...theirJs[name] }, name);
  });

  test('JsHeaders and PubHeaders: nats.js\'s keys and values', () => {
    assert.deepEqual({ ...JsHeaders }, { ...theirJs.JsHeaders });
    assert.deepEqual({ ...PubHeaders }, { ...theirJs.PubHeaders });
  });

  test('the policies and storage in use: Workqueue, Memory, DiscardPolicy.New', async () => {
    const s = await stream({ retention: RetentionPolicy.Workqueue, storage: StorageType.Memory,
      discard: DiscardPolicy.New, max_msgs: 1 });
    const info = await jsm.streams.info(s);
    assert.deepEqual([info.config.retention, info.config.storage, info.config.discard], ['workqueue', 'memory', 'new']);
    await js.publish(`${s}.a`, 'one');
    await assert.rejects(js.publish(`${s}.a`, 'two'), JetStreamApiError, 'discard new: the second is refused');
    await jsm.consumers.add(s, { durable_name: 'w', ack_policy: AckPolicy.Explicit });
    const m = await (await js.consumers.get(s, 'w')).next({ expires: 2000 });
    assert.equal(await m.ackAck(), true);
    assert.equal((await jsm.streams.info(s)).state.messages, 0, 'a work queue drops acknowledged messages');
  });

  test('JetStreamApiCodes match the err_code of real errors', async () => {
    const s = await stream();
    await assert.rejects(jsm.streams.info(unique('NONE')), (e) => e.code === JetStreamApiCodes.StreamNotFound);
    await assert.rejects(jsm.consumers.info(s, 'none'), (e) => e.code === JetStreamApiCodes.ConsumerNotFound);
    await assert.rejects(js.publish(`${s}.a`, 'x', { expect: { lastSequence: 5 } }),
      (e) => e.code === JetStreamApiCodes.StreamWrongLastSequence);
  });

  test('PubHeaders and JsHeaders on the wire: msg id, expectations, rollup, message size', async () => {
    const s = await stream({ allow_rollup_hdrs: true });
    const pub = (subject, pairs) => {
      const h = headers();
      for (const [k, v] of pairs) h.set(k, v);
      return js.publish(subject, 'x', { headers: h });
    };
    assert.equal((await pub(`${s}.a`, [[PubHeaders.MsgIdHdr, 'id1']])).seq, 1);
    assert.equal((await pub(`${s}.a`, [[PubHeaders.MsgIdHdr, 'id1']])).duplicate, true);
    for (const [k, v, code] of [[PubHeaders.ExpectedStreamHdr, 'OTHER', 10060], [PubHeaders.ExpectedLastSeqHdr, '9', 10071],
      [PubHeaders.ExpectedLastMsgIdHdr, 'nope', 10070], [PubHeaders.ExpectedLastSubjectSequenceHdr, '9', 10071]]) {
      await assert.rejects(pub(`${s}.a`, [[k, v]]), (e) => e.code === code, k);
    }
    await pub(`${s}.b`, []);
    await pub(`${s}.b`, [[JsHeaders.RollupHdr, JsHeaders.RollupValueSubject]]);
    const info = await jsm.streams.info(s, { subjects_filter: '>' });
    assert.deepEqual(info.state.subjects, { [`${s}.a`]: 1, [`${s}.b`]: 1 }, 'the rollup purged the subject');
    const c = await js.consumers.get(s, { headers_only: true });
    const m = await c.next({ expires: 2000 });
    assert.equal(m.headers.get(JsHeaders.MessageSizeHdr), '1');
  });
});

describe('jetstream clients', () => {
  let dsrv;
  let dnc;
  let tmp;
  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'nats-wasm-domain-'));
    const conf = path.join(tmp, 'domain.conf');
    await writeFile(conf, 'listen: "127.0.0.1:{{PORT}}"\nwebsocket { listen: "127.0.0.1:{{WS_PORT}}"\n no_tls: true }\n'
      + 'jetstream { store_dir: "{{STORE_DIR}}"\n domain: "hub" }\n');
    dsrv = await startServer(conf);
    dnc = await conns.connect(dsrv.wsUrl);
  });
  after(async () => {
    await dsrv?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  test('JetStreamOptions.domain, JetStreamManagerOptions.domain and JetStreamClient.apiPrefix: $JS.<domain>.API', async () => {
    assert.equal(js.apiPrefix, '$JS.API');
    assert.equal(js.apiPrefix, theirJs.jetstream(theirs).apiPrefix);
    const djs = jetstream(dnc, { domain: 'hub' });
    assert.equal(djs.apiPrefix, '$JS.hub.API');
    assert.equal(djs.apiPrefix, theirJs.jetstream(theirs, { domain: 'hub' }).apiPrefix);
    const djsm = await jetstreamManager(dnc, { domain: 'hub' });
    assert.equal((await djsm.getAccountInfo()).domain, 'hub');
    await djsm.streams.add({ name: 'D', subjects: ['d.>'] });
    assert.deepEqual(await djs.publish('d.a', 'x'), { stream: 'D', seq: 1, duplicate: false, domain: 'hub' });
    assert.equal((await (await djs.consumers.get('D')).next({ expires: 2000 })).string(), 'x');
    // On a server without that domain nothing answers $JS.hub.API.
    await assert.rejects(jetstreamManager(nc, { domain: 'hub', timeout: 2000 }), JetStreamNotEnabled);
  });

  test('JetStreamManagerOptions.checkAPI: true (default) checks at once; false leaves it to the first call', async () => {
    await assert.rejects(jetstreamManager(nc, { domain: 'nope' }), JetStreamNotEnabled);
    const unchecked = await jetstreamManager(nc, { domain: 'nope', checkAPI: false });
    await assert.rejects(unchecked.streams.names().next(), JetStreamNotEnabled);
    await assert.rejects(theirJs.jetstreamManager(theirs, { domain: 'nope' }), /not enabled/i, 'nats.js checks too');
    await theirJs.jetstreamManager(theirs, { domain: 'nope', checkAPI: false });
  });

  test('JetStreamClient.getOptions and JetStreamManager.getOptions give the options as nats.js\'s (no domain)', async () => {
    // With a domain both fold it into apiPrefix ($JS.hub.API), with no domain key.
    const strip = (o) => JSON.parse(JSON.stringify(o));
    assert.deepEqual(strip(js.getOptions()), strip(theirJs.jetstream(theirs).getOptions()));
    assert.deepEqual(strip(jsm.getOptions()), strip(tjsm.getOptions()));
    assert.deepEqual(strip(jetstream(nc, { timeout: 1234 }).getOptions()), { apiPrefix: '$JS.API', timeout: 1234 });
    const hub = { domain: 'hub', timeout: 4321 };
    assert.deepEqual(strip(jetstream(nc, hub).getOptions()), strip(theirJs.jetstream(theirs, hub).getOptions()));
    assert.deepEqual(strip(jetstream(nc, hub).getOptions()), { apiPrefix: '$JS.hub.API', timeout: 4321 });
  });

  test('Consumers.getConsumerFromInfo, Consumer.isPullConsumer and Consumer.isPushConsumer', async () => {
    const s = await stream();
    await js.publish(`${s}.a`, 'one');
    const ci = await jsm.consumers.add(s, { durable_name: 'pull', ack_policy: AckPolicy.Explicit });
    const pull = js.consumers.getConsumerFromInfo(ci);
    assert.equal(pull.name, 'pull');
    assert.equal((await pull.next({ expires: 2000 })).string(), 'one');
    assert.deepEqual([pull.isPullConsumer(), pull.isPushConsumer()], [true, false]);
    await jsm.consumers.add(s, { durable_name: 'push', ack_policy: AckPolicy.Explicit, deliver_subject: createInbox() });
    const push = await js.consumers.getPushConsumer(s, 'push');
    assert.deepEqual([push.isPullConsumer(), push.isPushConsumer()], [false, true]);
    const theirPull = await theirJs.jetstream(theirs).consumers.get(s, 'pull');
    assert.deepEqual([theirPull.isPullConsumer(), theirPull.isPushConsumer()], [true, false], 'as nats.js');
  });

  test('DeliveryInfo.domain and DeliveryInfo.account_hash: empty in the 9-token ack subject, read from the 12-token one', async () => {
    const s = await stream();
    await js.publish(`${s}.a`, 'x');
    const m = await (await js.consumers.get(s)).next({ expires: 2000 });
    const fields = (info) => Object.fromEntries(Object.keys(parseInfo(m.reply)).map((k) => [k, info[k]]));
    assert.deepEqual(fields(m.info), parseInfo(m.reply), 'as nats.js parses the same subject');
    assert.deepEqual([m.info.domain, m.info.account_hash], ['', '']);
    // nats-server 2.9 sends the 9-token form; the newer one carries both.
    const reply = '$JS.ACK.hub.ACCHASH.S.C.2.10.4.1700000000000000000.3.tok';
    const newer = new JsMsgImpl(nc, 'S.a', reply, 0, new Uint8Array(0), null, 10, 2, 0);
    assert.deepEqual([newer.info.domain, newer.info.account_hash, newer.info.stream, newer.info.streamSequence],
      ['hub', 'ACCHASH', 'S', 10]);
    const want = parseInfo(reply);
    assert.deepEqual(Object.fromEntries(Object.keys(want).map((k) => [k, newer.info[k]])), want);
  });

  test('ConsumeOptions.threshold_messages and threshold_bytes: when consume() pulls again, and for how much', async () => {
    const s = await stream();
    for (let i = 0; i < 24; i++) await js.publish(`${s}.a`, `m${String(i).padStart(2, '0')}`);
    const snoop = await conns.connect(srv.wsUrl);
    const pulls = async (name, opts) => {
      await jsm.consumers.add(s, { durable_name: name, ack_policy: AckPolicy.Explicit });
      const seen = [];
      const sub = snoop.subscribe(`$JS.API.CONSUMER.MSG.NEXT.${s}.${name}`, { callback: (err, r) => seen.push(r.json()) });
      await snoop.flush();
      const msgs = await (await js.consumers.get(s, name)).consume(opts);
      let n = 0;
      for await (const m of msgs) { m.ack(); if (++n === 24) break; }
      await nc.flush(); // its pulls reached the server (and so the snoop) ...
      await snoop.flush(); // ... and the snoop has them
      sub.unsubscribe();
      return seen;
    };
    // Re-pull once at most threshold_messages are outstanding, for the rest.
    const byCount = await pulls('m', { max_messages: 8, threshold_messages: 2 });
    assert.equal(byCount[0].batch, 8);
    assert.ok(byCount.length > 1 && byCount.slice(1).every((p) => p.batch >= 6), JSON.stringify(byCount));
    const byDefault = await pulls('d', { max_messages: 8 });
    assert.ok(byDefault.slice(1).some((p) => p.batch < 6), 'the default (75 %) pulls sooner, for less');
    const byBytes = await pulls('b', { max_bytes: 400, threshold_bytes: 100 });
    assert.equal(byBytes[0].max_bytes, 400);
    assert.ok(byBytes.length > 1 && byBytes.slice(1).every((p) => p.max_bytes >= 300), JSON.stringify(byBytes));
  });

  test('OrderedConsumerOptions: name_prefix, replay_policy, inactive_threshold, headers_only reach the server consumer', async () => {
    const s = await stream();
    await js.publish(`${s}.a`, 'abc');
    const c = await js.consumers.get(s, { name_prefix: 'rows', replay_policy: ReplayPolicy.Original,
      inactive_threshold: 7000, headers_only: true });
    const m = await c.next({ expires: 2000 });
    assert.equal(m.data.length, 0, 'headers_only: no payload');
    assert.equal(m.headers.get('Nats-Msg-Size'), '3');
    const ci = await c.info();
    assert.ok(ci.name.startsWith('rows'), ci.name);
    assert.deepEqual([ci.config.replay_policy, ci.config.inactive_threshold, ci.config.headers_only],
      ['original', 7000 * 1e6, true]);
  });

  test('StoredMsg.lastSequence and pending: 0 from nats-server 2.9, else from the direct get\'s headers', async () => {
    // As nats.js: read from Nats-Last-Sequence / Nats-Num-Pending of a
    // direct-get reply (newer servers' batched gets).
    const s = await stream({ allow_direct: true });
    await js.publish(`${s}.a`, 'x');
    assert.equal((await jsm.streams.getMessage(s, { seq: 1 })).lastSequence, 0);
    assert.equal((await tjsm.streams.getMessage(s, { seq: 1 })).lastSequence, 0);
    const direct = await jsm.direct.getMessage(s, { seq: 1 });
    assert.equal(direct.lastSequence, 0);
    assert.equal(direct.header.get(DirectMsgHeaders.LastSequence), '', 'the server did not send one');
    // A newer server's batched direct get sends them: read from the reply's headers.
    const fake = nc.subscribe('$JS.API.DIRECT.GET.FAKE', {
      callback: (_, m) => {
        const h = headers();
        for (const [k, v] of [['Nats-Stream', 'FAKE'], ['Nats-Subject', 'f.a'], ['Nats-Sequence', '9'],
          ['Nats-Time-Stamp', '2024-01-01T00:00:00.000000001Z'], ['Nats-Last-Sequence', '7'], ['Nats-Num-Pending', '3']]) {
          h.set(k, v);
        }
        m.respond('v', { headers: h });
      },
    });
    await nc.flush();
    const batched = await jsm.direct.getMessage('FAKE', { seq: 9 });
    assert.deepEqual([batched.seq, batched.lastSequence, batched.pending, batched.string()], [9, 7, 3, 'v']);
    fake.unsubscribe();
  });
});

describe('jetstream shapes', () => {
  test('StreamInfo, StreamConfig and StreamState: what nats.js gets for the same stream', async () => {
    const s = await stream({ description: 'rows', max_msgs_per_subject: 5 });
    for (const sub of ['a', 'b', 'a']) await js.publish(`${s}.${sub}`, 'x');
    const info = await jsm.streams.info(s);
    assert.deepEqual(info, await tjsm.streams.info(s));
    assert.equal(info.config.name, s);
    assert.deepEqual([info.config.description, info.config.max_msgs_per_subject, info.config.subjects],
      ['rows', 5, [`${s}.>`]]);
    assert.deepEqual([info.state.messages, info.state.first_seq, info.state.last_seq, info.state.num_subjects,
      info.state.consumer_count], [3, 1, 3, 2, 0]);
    assert.ok(Math.abs(Date.parse(info.created) - Date.now()) < 60000);
    assert.ok(Date.parse(info.state.last_ts) >= Date.parse(info.state.first_ts));
  });

  test('ConsumerInfo and ConsumerConfig: what nats.js gets for the same consumer', async () => {
    const s = await stream();
    for (let i = 0; i < 3; i++) await js.publish(`${s}.a`, 'x');
    await jsm.consumers.add(s, { durable_name: 'c', ack_policy: AckPolicy.Explicit, max_deliver: 4, filter_subject: `${s}.a` });
    const m = await (await js.consumers.get(s, 'c')).next({ expires: 2000 });
    await m.ackAck();
    const info = await jsm.consumers.info(s, 'c');
    const their = await tjsm.consumers.info(s, 'c');
    assert.deepEqual(info, their);
    assert.deepEqual([info.stream_name, info.name, info.config.durable_name, info.config.max_deliver, info.config.filter_subject],
      [s, 'c', 'c', 4, `${s}.a`]);
    assert.deepEqual([info.delivered.stream_seq, info.ack_floor.stream_seq, info.num_pending, info.num_ack_pending], [1, 1, 2, 0]);
  });

  test('PurgeResponse and JetStreamAccountStats as nats.js\'s', async () => {
    const s = await stream();
    for (let i = 0; i < 4; i++) await js.publish(`${s}.a`, 'x');
    const type = 'io.nats.jetstream.api.v1.stream_purge_response';
    assert.deepEqual(await jsm.streams.purge(s, { keep: 1 }), { type, success: true, purged: 3 });
    const theirPurge = await tjsm.streams.purge(s); // the reply as it came: its `type` too
    assert.deepEqual(theirPurge, { type, success: true, purged: 1 });
    const acct = await jsm.getAccountInfo();
    const their = await tjsm.getAccountInfo();
    // consumers left out: an earlier test's ordered consumer may expire between the two reads
    assert.deepEqual({ ...acct, api: 0, consumers: 0 }, { ...their, api: 0, consumers: 0 });
    assert.deepEqual(Object.keys(acct.api).sort(), Object.keys(their.api).sort());
    assert.equal(acct.streams, (await jsm.streams.names().next()).length);
    assert.equal(typeof acct.limits.max_storage, 'number');
  });

  test('ConsumerNotification: consume().status() reports the consumer\'s deletion as nats.js does', async () => {
    const s = await stream();
    await js.publish(`${s}.a`, 'x');
    await jsm.consumers.add(s, { durable_name: 'gone', ack_policy: AckPolicy.Explicit });
    const msgs = await (await js.consumers.get(s, 'gone')).consume({ max_messages: 10 });
    const notified = within((async () => {
      for await (const n of msgs.status()) if (n.type === 'consumer_deleted') return n;
      return null;
    })(), 10000, 'consumer_deleted');
    const reading = (async () => {
      for await (const m of msgs) { m.ack(); await jsm.consumers.delete(s, 'gone'); }
    })();
    assert.deepEqual(await notified, { type: 'consumer_deleted', code: 409, description: 'Consumer Deleted' });
    msgs.stop();
    await reading.catch(() => {});
  });
});

describe('kv and obj', () => {
  test('Bucket, KvEntry.delta, KvEntry.rawKey and KvWatchOptions.headers_only', async () => {
    const name = unique('kv');
    const kv = await new Kvm(nc).create(name, { codec: { key: Base64KeyCodec(), value: { encode: (v) => v, decode: (v) => v } } });
    assert.ok(kv instanceof Bucket);
    for (const k of ['a.b', 'c', 'd']) await kv.put(k, `v-${k}`);
    const e = await kv.get('a.b');
    assert.deepEqual([e.key, e.rawKey], ['a.b', 'YQ==.Yg==']);
    const theirKv = await new TheirKvm(theirs).open(name, { codec: { key: TheirBase64(), value: { encode: (v) => v, decode: (v) => v } } });
    assert.equal((await theirKv.get('a.b')).string(), 'v-a.b', 'nats.js reads the same encoded key');
    const read = async (opts) => (await drainIterable(await kv.watch(opts), 3)).msgs;
    const full = await read({});
    assert.deepEqual(full.map((x) => [x.key, x.delta, x.string()]), [['a.b', 2, 'v-a.b'], ['c', 1, 'v-c'], ['d', 0, 'v-d']]);
    const theirDeltas = (await drainIterable(await theirKv.watch(), 3)).msgs.map((x) => x.delta);
    assert.deepEqual(theirDeltas, [2, 1, 0], 'nats.js: the same deltas');
    const bare = await read({ headers_only: true });
    assert.deepEqual(bare.map((x) => [x.key, x.delta, x.value.length]), [['a.b', 2, 0], ['c', 1, 0], ['d', 0, 0]]);
    // length: the stored value's size (Nats-Msg-Size), as nats.js gives it.
    const theirBare = (await drainIterable(await theirKv.watch({ headers_only: true }), 3)).msgs;
    assert.deepEqual(bare.map((x) => x.length), [5, 3, 3]);
    assert.deepEqual(bare.map((x) => x.length), theirBare.map((x) => x.length));
  });

  test('KvOptions.maxValueSize refuses a larger value; KvOptions.placement reaches the stream', async () => {
    const kv = await new Kvm(nc).create(unique('kv'), { maxValueSize: 4, placement: { tags: ['rows'] } });
    assert.equal(await kv.put('k', '1234'), 1);
    await assert.rejects(kv.put('k', '12345'), (err) => err instanceof JetStreamApiError && err.code === 10054);
    const st = await kv.status();
    assert.equal(st.maxValueSize, 4);
    assert.deepEqual(st.streamInfo.config.placement, { tags: ['rows'] });
  });

  test('KvStatus: the fields nats.js\'s status() has, with its values', async () => {
    const name = unique('kv');
    const kv = await new Kvm(nc).create(name, { history: 3, description: 'd', maxValueSize: 64,
      placement: { tags: ['rows'] }, republish: { src: '>', dest: 'rows.rp.>' } });
    await kv.put('a', 'x');
    await kv.put('a', 'y');
    const plain = await new Kvm(nc).create(unique('kv'));
    for (const [bucket, theirBucket] of [[kv, name], [plain, plain.bucket]]) {
      const ours = await bucket.status();
      const them = await (await new TheirKvm(theirs).open(theirBucket)).status();
      for (const k of ['bucket', 'values', 'history', 'ttl', 'max_bytes', 'maxValueSize', 'storage', 'replicas',
        'description', 'size', 'backingStore', 'markerTTL', 'placement', 'republish', 'metadata', 'compression']) {
        assert.deepEqual(ours[k], them[k], k);
      }
      assert.deepEqual(ours.streamInfo, them.streamInfo);
    }
    const ours = await kv.status();
    assert.deepEqual([ours.bucket, ours.values, ours.history, ours.placement.tags], [name, 2, 3, ['rows']]);
  });

  test('obj StorageType, ObjectStoreOptions.placement and ObjectStoreStatus as nats.js\'s', async () => {
    assert.deepEqual({ ...ObjStorage }, { ...TheirObjStorage });
    const name = unique('ob');
    const os = await new Objm(nc).create(name, { storage: ObjStorage.Memory, description: 'd', placement: { tags: ['rows'] } });
    await os.putBlob({ name: 'f' }, new Uint8Array(10));
    const st = await os.status();
    const them = await (await new TheirObjm(theirs).open(name)).status();
    for (const k of ['bucket', 'description', 'ttl', 'storage', 'replicas', 'sealed', 'size', 'backingStore', 'compression']) {
      assert.deepEqual(st[k], them[k], k);
    }
    assert.deepEqual([st.storage, st.sealed, st.streamInfo.config.placement], ['memory', false, { tags: ['rows'] }]);
    assert.ok(st.size > 10);
  });

  test('ObjectStoreMetaOptions, ObjectInfo.mtime, ObjectResult, ObjectStoreLink and ObjectWatchInfo', async () => {
    const name = unique('ob');
    const os = await new Objm(nc).create(name);
    const t0 = Date.now();
    const info = await os.putBlob({ name: 'f', options: { max_chunk_size: 4 } }, new Uint8Array(10).fill(7));
    assert.deepEqual([info.chunks, info.size, info.options], [3, 10, { max_chunk_size: 4 }]);
    const theirStore = await new TheirObjm(theirs).open(name);
    const theirInfo = await theirStore.info('f');
    assert.equal(info.mtime, theirInfo.mtime);
    assert.ok(Math.abs(Date.parse(info.mtime) - t0) < 60000, info.mtime);
    const r = await os.get('f');
    assert.equal(r.info.name, 'f');
    const chunks = [];
    for await (const c of r.data) chunks.push(c.length);
    assert.deepEqual(chunks, [4, 4, 2]);
    assert.equal(await r.error, null);
    const watch = await os.watch({ includeHistory: true });
    const link = await os.link('l', info);
    assert.deepEqual(link.options.link, { bucket: name, name: 'f' });
    assert.deepEqual((await theirStore.info('l')).options.link, { bucket: name, name: 'f' });
    assert.deepEqual((await os.linkStore('all', os)).options.link, { bucket: name });
    assert.deepEqual(await os.getBlob('l'), new Uint8Array(10).fill(7), 'a link to an object reads it');
    const seen = [];
    for await (const w of watch) {
      seen.push([w.name, w.isUpdate, w.deleted]);
      if (w.name === 'all') break;
    }
    assert.deepEqual(seen, [['f', false, false], ['l', true, false], ['all', true, false]]);
  });
});
