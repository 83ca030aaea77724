// One program, two clients, for KV buckets and object stores: each test runs
// the same program against nats.js v3 (@nats-io/kv and @nats-io/obj over TCP)
// and against nats-wasm (nats-wasm/kv and nats-wasm/obj over WebSocket) on
// one server, records what it observes into plain data, and compares the two
// records field by field. Streams, publish, consumers:
// natsjs_parity_jetstream.test.mjs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import * as natsCore from '@nats-io/nats-core';
import * as natsJs from '@nats-io/jetstream';
import { Kvm as NatsJsKvm } from '@nats-io/kv';
import { Objm as NatsJsObjm } from '@nats-io/obj';
import { connect as tcpConnect } from '@nats-io/transport-node';

import * as wasmLib from '../../js/src/index.mjs';
import * as wasmJs from '../../js/src/jetstream/index.mjs';
import { Kvm as WasmKvm } from '../../js/src/kv/index.mjs';
import { Objm as WasmObjm } from '../../js/src/obj/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { within } from './helpers.mjs';
import { collect, hdrs, outcome, runBoth as runBothLibs } from './parity.mjs';

let srv;
const RUN = `parity${process.pid}`;

const LIBS = {
  natsjs: {
    name: 'natsjs', tag: 'njs', headers: natsCore.headers, js: natsJs, Kvm: NatsJsKvm, Objm: NatsJsObjm,
    connect: () => tcpConnect({ servers: srv.tcpUrl }),
  },
  wasm: {
    name: 'wasm', tag: 'nwa', headers: wasmLib.headers, js: wasmJs, Kvm: WasmKvm, Objm: WasmObjm,
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

/** Runs program against both clients (one after the other) and returns both records. */
const runBoth = (program) => runBothLibs(LIBS, RUN, [srv.port, srv.wsPort], program);


/**
 * nats.js throws a plain Error for an invalid key, bucket, object or store
 * name and for a link to a link; nats-wasm throws InvalidArgumentError
 * (InvalidNameError for names), subclasses of Error. Not in docs/compat.md:
 * these records of nats-wasm's are compared as the plain Error they extend.
 */
function asPlainErrors(rec, fields, lists = []) {
  const plain = (e) => (['InvalidArgumentError', 'InvalidNameError'].includes(e?.name) ? { ...e, name: 'Error' } : e);
  for (const f of fields) rec[f] = plain(rec[f]);
  for (const l of lists) rec[l] = rec[l].map(([what, e]) => [what, plain(e)]);
}

/** The record of a KvEntry (null and undefined kept as they are). */
function recEntry(e) {
  if (!e) return e;
  return {
    bucket: e.bucket, key: e.key, rawKey: e.rawKey, value: e.string(), length: e.length, revision: e.revision,
    delta: e.delta, operation: e.operation, created: e.created instanceof Date,
  };
}

const KV_STATUS = ['bucket', 'values', 'history', 'ttl', 'backingStore', 'storage', 'replicas', 'description',
  'size', 'max_bytes', 'maxValueSize', 'placement', 'republish', 'mirror', 'sources', 'compression', 'metadata'];

test('kv: create, put/get/create/update, delete/purge, history, keys, watch, status, errors, destroy', async () => {
  const { natsjs, wasm } = await runBoth(async ({ nc, lib, jsm, p }) => {
    const r = {};
    const kvm = new lib.Kvm(nc);
    const bucket = `${p}_KV`;
    const kv = await kvm.create(bucket, { history: 5, description: 'parity' });
    r.put = [await kv.put('a', 'one'), await kv.put('a', 'two'), await kv.put('b.c', '{"x":[1]}')];
    r.get = recEntry(await kv.get('a'));
    r.getJson = (await kv.get('b.c')).json();
    r.getRevision = recEntry(await kv.get('a', { revision: 1 }));
    r.getRevisionOfOther = recEntry(await kv.get('a', { revision: 3 }));
    r.getMissing = recEntry(await kv.get('nope'));
    r.create = await outcome(() => kv.create('new', 'n'), lib, true);
    r.createExisting = await outcome(() => kv.create('a', 'x'), lib);
    r.update = await outcome(() => kv.update('a', 'three', 2), lib, true);
    r.updateStale = await outcome(() => kv.update('a', 'x', 2), lib);
    r.putPrevious = await outcome(() => kv.put('a', 'x', { previousSeq: 1 }), lib);
    r.delete = await kv.delete('b.c');
    r.getDeleted = recEntry(await kv.get('b.c'));
    r.createOverDelete = await outcome(() => kv.create('b.c', 'again'), lib, true);
    r.purge = await kv.purge('new');
    r.getPurged = recEntry(await kv.get('new'));
    r.deletePrevious = await outcome(() => kv.delete('a', { previousSeq: 1 }), lib);

    r.history = await collect(await kv.history({ key: 'a' }), recEntry, `${lib.name} history`);
    r.historyAll = await collect(await kv.history(), (e) => [e.key, e.revision, e.operation],
      `${lib.name} history all`);
    r.keys = (await collect(await kv.keys(), (k) => k, `${lib.name} keys`)).sort();
    r.keysFilter = (await collect(await kv.keys('b.>'), (k) => k, `${lib.name} keys filter`)).sort();

    // watch: the current values first, then what changes
    await kv.put('w.1', 'w1');
    await kv.put('w.2', 'w2');
    const w = await kv.watch({ key: 'w.>' });
    r.watch = [];
    await within((async () => {
      for await (const e of w) {
        r.watch.push(recEntry(e));
        // One write per entry taken: an entry's delta is what the consumer
        // still had pending when it was delivered, so a second write stored
        // before the first is delivered would make it 1 instead of 0.
        if (r.watch.length === 2) await kv.put('w.3', 'w3');
        if (r.watch.length === 3) await kv.delete('w.1');
        if (r.watch.length === 4) break;
      }
    })(), 10000, `${lib.name} watch`);

    const st = await kv.status();
    r.status = Object.fromEntries(KV_STATUS.map((k) => [k, st[k]]));
    r.status.streamInfo = st.streamInfo.config.name;
    r.stream = (await jsm.streams.info(`KV_${bucket}`)).config;

    r.badKeys = [];
    for (const k of ['a b', '.a', 'a.', 'a*', '>', '']) r.badKeys.push([k, await outcome(() => kv.put(k, 'x'), lib)]);
    r.getWildcard = await outcome(() => kv.get('a.*'), lib);
    r.badBuckets = [];
    for (const b of ['bad.name', 'bad name', '']) r.badBuckets.push([b, await outcome(() => kvm.create(b), lib)]);
    r.destroy = await kv.destroy();
    r.afterDestroy = await outcome(() => jsm.streams.info(`KV_${bucket}`), lib);
    return r;
  });
  assert.deepEqual(natsjs.put, [1, 2, 3]);
  assert.equal(natsjs.get.value, 'two');
  assert.equal(natsjs.getMissing, null);
  assert.equal(natsjs.updateStale.apiError.err_code, 10071);
  assert.equal(natsjs.getDeleted.operation, 'DEL');
  assert.equal(natsjs.getPurged.operation, 'PURGE');
  assert.deepEqual(natsjs.watch.map((e) => [e.key, e.operation]),
    [['w.1', 'PUT'], ['w.2', 'PUT'], ['w.3', 'PUT'], ['w.1', 'DEL']]);
  assert.equal(natsjs.status.bucket, 'P_KV');
  assert.equal(natsjs.badKeys[0][1].name, 'Error');
  asPlainErrors(wasm, ['getWildcard'], ['badKeys', 'badBuckets']);
  // kv.status() of a bucket whose stream config has none of them: nats.js's
  // defaults in both.
  const { placement, republish, compression, metadata } = wasm.status;
  assert.deepEqual([placement, republish, compression, metadata],
    [{ cluster: '', tags: [] }, { src: '', dest: '' }, false, {}]);
  // Not compared: the bucket's stream has deny_delete true in nats-wasm, as
  // ADR-8 and nats.go create it; nats.js leaves it false.
  assert.equal(wasm.stream.deny_delete, true);
  for (const x of [natsjs, wasm]) {
    delete x.stream.deny_delete;
  }
  assert.deepEqual(wasm, natsjs);
});

/** The record of an ObjectInfo (the nuid is the client's: its type only). */
function recInfo(i) {
  if (!i) return i;
  return {
    name: i.name, description: i.description, bucket: i.bucket, size: i.size, chunks: i.chunks, digest: i.digest,
    deleted: i.deleted, mtime: i.mtime, revision: i.revision, nuid: typeof i.nuid, options: i.options,
    metadata: i.metadata, headers: hdrs(i.headers),
  };
}

/** Every chunk of a ReadableStream, concatenated. */
async function readAll(rs) {
  const parts = [];
  for (const reader = rs.getReader(); ;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(parts);
    parts.push(value);
  }
}

const OBJ_STATUS = ['bucket', 'description', 'ttl', 'storage', 'replicas', 'sealed', 'size', 'backingStore',
  'metadata', 'compression'];

test('object store: put/putBlob, get/getBlob, info, delete, list, links, status, seal, destroy', async () => {
  const { natsjs, wasm } = await runBoth(async ({ nc, lib, p }) => {
    const r = {};
    const objm = new lib.Objm(nc);
    const os = await objm.create(`${p}_OS`, { description: 'parity' });
    const big = new Uint8Array(300 * 1024).map((_, i) => (i * 7) % 251);
    r.putBlob = recInfo(await os.putBlob({ name: 'big', description: 'a blob', metadata: { k: 'v' } }, big));
    const small = new TextEncoder().encode('hello object');
    const rs = new ReadableStream({ start(c) { c.enqueue(small.slice(0, 5)); c.enqueue(small.slice(5)); c.close(); } });
    r.put = recInfo(await os.put({ name: 'dir/small.txt' }, rs));
    r.putEmpty = recInfo(await os.putBlob({ name: 'empty' }, new Uint8Array(0)));

    const got = await os.get('big');
    const gotData = await within(readAll(got.data), 10000, `${lib.name} get`);
    r.get = { info: recInfo(got.info), same: Buffer.compare(gotData, Buffer.from(big)) === 0, error: await got.error };
    const blob = await os.getBlob('dir/small.txt');
    // (nats.js's is a Buffer in node, a Uint8Array too)
    r.getBlob = { type: blob instanceof Uint8Array, text: new TextDecoder().decode(blob) };
    r.getBlobEmpty = [...await os.getBlob('empty')];
    r.info = recInfo(await os.info('big'));
    r.infoMissing = recInfo(await os.info('nope'));
    r.getMissing = await os.get('nope');
    r.getBlobMissing = await os.getBlob('nope');

    r.sizeBeforeLinks = (await os.status()).size;
    r.link = recInfo(await os.link('lnk', await os.info('big')));
    r.getViaLink = Buffer.compare(Buffer.from(await os.getBlob('lnk')), Buffer.from(big)) === 0;
    const other = await objm.create(`${p}_OS2`);
    r.linkStore = recInfo(await os.linkStore('other', other));
    r.linkToLink = await outcome(async () => os.link('lnk2', await os.info('lnk')), lib);

    r.delete = await os.delete('dir/small.txt');
    r.infoDeleted = recInfo(await os.info('dir/small.txt'));
    r.getDeleted = await os.get('dir/small.txt');
    r.deleteAgain = await outcome(() => os.delete('dir/small.txt'), lib, true);
    r.deleteMissing = await outcome(() => os.delete('nope'), lib, true);
    r.list = (await os.list()).map((i) => [i.name, i.size, i.deleted]).sort();
    r.badName = await outcome(() => os.putBlob({ name: '' }, small), lib);

    const st = await os.status();
    r.status = Object.fromEntries(OBJ_STATUS.map((k) => [k, st[k]]));
    r.status.streamInfo = st.streamInfo.config.name;
    const sealed = await os.seal();
    r.sealed = [sealed.sealed, (await os.status()).sealed];
    r.putSealed = await outcome(() => os.putBlob({ name: 'late' }, small), lib);
    r.destroy = [await os.destroy(), await other.destroy()];
    r.badStore = await outcome(() => objm.create('bad.name'), lib);
    return r;
  });
  assert.equal(natsjs.putBlob.chunks, 5); // 64 KiB chunks
  assert.match(natsjs.putBlob.digest, /^SHA-256=[A-Za-z0-9_-]{43}=$/);
  assert.equal(natsjs.get.same, true);
  assert.equal(natsjs.getBlob.text, 'hello object');
  assert.equal(natsjs.infoMissing, null);
  assert.equal(natsjs.infoDeleted.deleted, true);
  assert.deepEqual(natsjs.sealed, [true, true]);
  asPlainErrors(wasm, ['linkToLink', 'badName', 'badStore']);
  // nats.js resolves ObjectResult.error with undefined after a good read (its
  // type says Error | null, and it is null for an empty object); nats-wasm null.
  assert.equal(natsjs.get.error, undefined);
  natsjs.get.error = null;
  // TODO-DIFF: the ObjectInfo of os.link(): nats.js's has no nuid, size,
  // chunks, digest or mtime (it stores only name, bucket and options.link);
  // nats-wasm's has nuid '', size 0, chunks 0, digest '' and an mtime, so
  // list() differs for it too (size undefined vs 0, deleted undefined vs
  // false), and so does the store's size (status.size).
  assert.deepEqual([natsjs.link.size, natsjs.link.digest, natsjs.link.nuid], [undefined, undefined, 'undefined']);
  // TODO-DIFF: the ObjectInfo of os.linkStore(): nats.js's has the digest of
  // no data ('SHA-256=47DEQ...') and options.max_chunk_size 65536, as any put;
  // nats-wasm's has digest '' and no max_chunk_size.
  // os.status().metadata of a store whose stream has none: undefined in both.
  assert.equal(wasm.status.metadata, undefined);
  // os.delete() of a name never stored: {purged: 0, success: false} in both.
  assert.deepEqual(wasm.deleteMissing, { ok: { purged: 0, success: false } });
  // TODO-DIFF: os.delete() of an object deleted before: nats.js stores the
  // deleted meta again and resolves the stream purge's reply, with its type
  // ('io.nats.jetstream.api.v1.stream_purge_response'); nats-wasm resolves
  // {success: true, purged: 0} without type (the first delete has it in both).
  for (const x of [natsjs, wasm]) {
    delete x.deleteAgain.ok.type;
    for (const k of ['nuid', 'size', 'chunks', 'digest', 'mtime']) delete x.link[k];
    delete x.linkStore.digest; delete x.linkStore.options.max_chunk_size;
    delete x.status.size;
    x.list = x.list.map(([n, ...rest]) => (n === 'lnk' ? [n] : [n, ...rest]));
  }
  assert.deepEqual(wasm, natsjs);
});
