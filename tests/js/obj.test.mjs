// Object stores from JavaScript against a real nats-server (nats.js v3
// @nats-io/obj names): round trips at the chunk edges and of 64 MiB in
// bounded memory, digests checked against node:crypto, a corrupted chunk
// detected, replace/delete/list/watch/links/seal, typed errors, a failed put
// leaving no chunks behind, and interop with nats.js's object store.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';

import { connect as natsJsConnect } from '@nats-io/transport-node';
import { Objm as NatsJsObjm } from '@nats-io/obj';

import { ClosedConnectionError, InvalidArgumentError, InvalidNameError } from '../../js/src/index.mjs';
import { JetStreamError, StreamNotFoundError, jetstream, jetstreamManager } from '../../js/src/jetstream/index.mjs';
import { Objm } from '../../js/src/obj/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, assertNamedError, byteRamp, within } from './helpers.mjs';

// The 64 MiB test measures live memory: it needs gc() between samples.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

let srv;
let nc;
let objm;
const conns = new Connections();
let counter = 0;
const unique = (p) => `${p}_${process.pid}_${++counter}`;
const pulls = (c = nc) => c._engine.c.pullSessions();

before(async () => {
  srv = await startServer('default.conf');
  nc = await conns.connect(srv.wsUrl);
  objm = new Objm(nc);
});
after(async () => {
  await conns.closeAll();
  await srv?.stop();
});

/** "SHA-256=" + padded URL base64, computed here with node:crypto (not the code under test). */
function digestOf(bytes) {
  const b64 = createHash('sha256').update(bytes).digest('base64');
  return `SHA-256=${b64.replaceAll('+', '-').replaceAll('/', '_')}`;
}

/** Every chunk of a ReadableStream, concatenated. */
async function readAll(rs) {
  const parts = [];
  for (const reader = rs.getReader(); ;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  return Buffer.concat(parts);
}

/** The store's stream state (messages left, e.g. after purges). */
async function streamState(store) {
  const jsm = await jetstreamManager(nc);
  return (await jsm.streams.info(store.stream)).state;
}

describe('round trips', () => {
  test('0 B, 1 B, exactly one chunk, one byte over, several chunks: bytes, size, chunks and digest', async () => {
    const os = await objm.create(unique('RT'));
    const chunk = 1024;
    for (const [n, chunks] of [[0, 0], [1, 1], [chunk, 1], [chunk + 1, 2], [5 * chunk + 7, 6]]) {
      const data = byteRamp(n);
      const info = await os.putBlob({ name: `o${n}`, options: { max_chunk_size: chunk } }, data);
      assert.equal(info.size, n);
      assert.equal(info.chunks, chunks, `chunks of ${n} bytes`);
      assert.equal(info.digest, digestOf(data));
      assert.equal(info.deleted, false);
      assert.ok(info.revision > 0);
      const r = await os.get(`o${n}`);
      assert.equal(r.info.nuid, info.nuid);
      assert.deepEqual(await readAll(r.data), Buffer.from(data));
      assert.equal(await r.error, null);
      assert.deepEqual(await os.getBlob(`o${n}`), data);
    }
    assert.equal(pulls(), 0, 'readers leave nothing in the engine');
  });

  test('put from a ReadableStream and from an async iterable of uneven pieces', async () => {
    const os = await objm.create(unique('SRC'));
    const pieces = [byteRamp(10), byteRamp(70000), new Uint8Array(0), byteRamp(3)];
    const whole = Buffer.concat(pieces);
    const rs = new ReadableStream({
      start(c) {
        for (const p of pieces) c.enqueue(p);
        c.close();
      },
    });
    const a = await os.put({ name: 'from-stream', description: 'd', headers: { 'X-A': ['1'] } }, rs);
    assert.equal(a.size, whole.length);
    assert.equal(a.digest, digestOf(whole));
    async function* gen() { for (const p of pieces) yield p; }
    const b = await os.put({ name: 'from-iterable' }, gen());
    assert.equal(b.digest, a.digest);
    const info = await os.info('from-stream');
    assert.equal(info.description, 'd');
    assert.equal(info.headers.get('X-A'), '1');
    assert.deepEqual(Buffer.from(await os.getBlob('from-iterable')), whole);
  });

  test('64 MiB goes in and comes out intact with peak extra memory well under its size', async () => {
    const os = await objm.create(unique('BIG'));
    const total = 64 * 1024 * 1024;
    const piece = 1024 * 1024;
    const expected = createHash('sha256');
    const block = (i) => new Uint8Array(piece).fill(i & 0xff);
    for (let i = 0; i < total / piece; i++) expected.update(block(i));
    const want = `SHA-256=${expected.digest('base64').replaceAll('+', '-').replaceAll('/', '_')}`;

    // Live memory, not garbage waiting for a collection: collect, then measure
    // (the JS heap plus buffers, which hold the wasm engine's memory too),
    // every 2 MiB that passes in either direction.
    const wasm = () => nc._engine.M.HEAPU8.length;
    const wasmBefore = wasm();
    gc();
    const base = process.memoryUsage();
    let peak = 0;
    let passed = 0;
    const sample = (n) => {
      passed += n;
      if (passed < 2 * 1024 * 1024) return;
      passed = 0;
      gc();
      const m = process.memoryUsage();
      peak = Math.max(peak, (m.heapUsed + m.arrayBuffers) - (base.heapUsed + base.arrayBuffers));
    };
    {
      let i = 0;
      const source = new ReadableStream({
        pull(c) {
          sample(piece);
          if (i === total / piece) c.close();
          else c.enqueue(block(i++));
        },
      }, { highWaterMark: 1 });
      const info = await os.put({ name: 'big' }, source);
      assert.equal(info.size, total);
      assert.equal(info.digest, want);
      const r = await os.get('big');
      const got = createHash('sha256');
      let size = 0;
      for (const reader = r.data.getReader(); ;) {
        const { done, value } = await reader.read();
        if (done) break;
        got.update(value);
        size += value.length;
        sample(value.length);
      }
      assert.equal(await r.error, null);
      assert.equal(size, total);
      assert.equal(`SHA-256=${got.digest('base64').replaceAll('+', '-').replaceAll('/', '_')}`, want);
    }
    const grown = wasm() - wasmBefore;
    console.log(`64 MiB object round trip: peak extra live memory ${(peak / 2 ** 20).toFixed(1)} MiB` +
      ` (wasm memory grew ${(grown / 2 ** 20).toFixed(1)} MiB)`);
    assert.ok(grown < total / 8, `the engine's memory grew by ${grown} bytes`);
    assert.ok(peak < total / 4, `peak extra memory ${peak} bytes for a ${total}-byte object`);
  });
});

describe('integrity', () => {
  test('a corrupted chunk is detected: the data errors and error() says digest mismatch', async () => {
    const os = await objm.create(unique('BAD'));
    const data = byteRamp(3000);
    const info = await os.putBlob({ name: 'x', options: { max_chunk_size: 1000 } }, data);
    // Replace the last chunk with different bytes of the same length, in place.
    const jsm = await jetstreamManager(nc);
    const subject = `$O.${os.name}.C.${info.nuid}`;
    const last = await jsm.streams.getMessage(os.stream, { last_by_subj: subject });
    await jsm.streams.deleteMessage(os.stream, last.seq);
    const bad = new Uint8Array(1000).fill(7);
    await jetstream(nc).publish(subject, bad);

    const r = await os.get('x');
    await assert.rejects(readAll(r.data), (err) => assertNamedError(err, JetStreamError) && err.code === 'digest_mismatch');
    const err = await r.error;
    assert.equal(err.code, 'digest_mismatch');
    await assert.rejects(os.getBlob('x'), (e) => e.code === 'digest_mismatch');
    assert.equal(pulls(), 0);
  });

  test('an object whose chunks are gone is an error, not a hang', async () => {
    const os = await objm.create(unique('GONE'));
    const info = await os.putBlob({ name: 'x' }, byteRamp(100));
    const jsm = await jetstreamManager(nc);
    await jsm.streams.purge(os.stream, { filter: `$O.${os.name}.C.${info.nuid}` });
    await assert.rejects(within(os.getBlob('x'), 5000, 'getBlob'), (e) => e.code === 'digest_mismatch');
  });
});

describe('store operations', () => {
  test('replace purges the old chunks; delete marks, purges, and hides; list and info', async () => {
    const os = await objm.create(unique('OPS'));
    const first = await os.putBlob({ name: 'a', options: { max_chunk_size: 100 } }, byteRamp(250));
    await os.putBlob({ name: 'b' }, byteRamp(5));
    const second = await os.putBlob({ name: 'a', options: { max_chunk_size: 100 } }, byteRamp(120));
    assert.notEqual(second.nuid, first.nuid);
    assert.ok(second.revision > first.revision);
    // a: 2 chunks + 1 info; b: 1 chunk + 1 info; the first a's 3 chunks and info are gone.
    assert.equal((await streamState(os)).messages, 5);
    assert.deepEqual((await os.list()).map((i) => i.name).sort(), ['a', 'b']);

    const purge = await os.delete('a');
    assert.deepEqual([purge.success, purge.purged], [true, 2]);
    assert.equal(await os.get('a'), null);
    const gone = await os.info('a');
    assert.equal(gone.deleted, true);
    assert.equal(gone.size, 0);
    assert.deepEqual((await os.list()).map((i) => i.name), ['b']);
    assert.deepEqual(await os.delete('a'), { success: true, purged: 0 }, 'as nats.js');
    assert.deepEqual(await os.delete('never'), { purged: 0, success: false }, 'as nats.js');
    assert.equal(await os.info('never'), null);
    assert.equal(await os.get('never'), null);
    assert.deepEqual(await (await objm.create(unique('EMPTY'))).list(), []);
  });

  test('previousRevision guards a put; Objm.create of an existing store opens it', async () => {
    const name = unique('PREV');
    const os = await objm.create(name, { description: 'first' });
    const one = await os.putBlob({ name: 'a' }, byteRamp(10));
    const before = (await streamState(os)).messages;
    await assert.rejects(os.putBlob({ name: 'a' }, byteRamp(20), { previousRevision: one.revision + 100 }),
      (e) => e.code === 10071);
    assert.equal((await streamState(os)).messages, before, 'the refused put left no chunks');
    const two = await os.putBlob({ name: 'a' }, byteRamp(30), { previousRevision: one.revision, timeout: 4000 });
    assert.equal(two.size, 30);
    const again = await objm.create(name, { description: 'other settings' });
    assert.deepEqual(await again.getBlob('a'), byteRamp(30));
    assert.equal((await again.status()).description, 'first', 'its settings stay');
  });

  test('status, seal (then writes fail), Objm.list and open, destroy', async () => {
    const name = unique('ST');
    const os = await objm.create(name, { description: 'store', storage: 'memory' });
    await os.putBlob({ name: 'x' }, byteRamp(10));
    const st = await os.status();
    assert.equal(st.bucket, name);
    assert.equal(st.description, 'store');
    assert.equal(st.storage, 'memory');
    assert.equal(st.sealed, false);
    assert.ok(st.size > 0);
    const listed = [];
    for await (const s of objm.list()) listed.push(s.bucket);
    assert.ok(listed.includes(name));
    assert.equal((await objm.open(name)).name, name);

    assert.equal((await os.seal()).sealed, true);
    await assert.rejects(os.putBlob({ name: 'y' }, byteRamp(10)));
    assert.deepEqual(await os.getBlob('x'), byteRamp(10));
    assert.equal(await os.destroy(), true);
    await assert.rejects(objm.open(name), (e) => assertNamedError(e, StreamNotFoundError));
  });

  test('a put whose source fails leaves no chunks behind', async () => {
    const os = await objm.create(unique('FAIL'));
    async function* failing() {
      yield byteRamp(60000);
      yield byteRamp(60000);
      throw new Error('source broke');
    }
    await assert.rejects(os.put({ name: 'x', options: { max_chunk_size: 10000 } }, failing()), /source broke/);
    assert.equal((await streamState(os)).messages, 0);
    assert.equal(await os.info('x'), null);
  });
});

describe('watch and links', () => {
  test('watch: updates by default, includeHistory first gives what is there; deletes; ignoreDeletes; stop', async () => {
    const os = await objm.create(unique('W'));
    await os.putBlob({ name: 'before' }, byteRamp(3));
    const updates = await os.watch();
    const withHistory = (await os.watch({ includeHistory: true, ignoreDeletes: true }))[Symbol.asyncIterator]();
    const hist = [];
    const nextOfHistory = async () => {
      const { value: i } = await within(withHistory.next(), 10000, 'history');
      hist.push(`${i.name}:${i.isUpdate}`);
    };
    // 'before' is taken before it is deleted: the delete rolls its record up,
    // so a watch not yet given it would never see it.
    await nextOfHistory();
    await os.putBlob({ name: 'after' }, byteRamp(4));
    await os.delete('before');
    const seen = [];
    await within((async () => {
      for await (const i of updates) {
        seen.push(`${i.name}:${i.deleted}:${i.isUpdate}`);
        if (seen.length === 2) break;
      }
    })(), 10000, 'updates');
    assert.deepEqual(seen, ['after:false:true', 'before:true:true']);
    await nextOfHistory();
    await withHistory.return();
    assert.deepEqual(hist, ['before:false', 'after:true']);
    assert.equal(pulls(), 0, 'a watch that ends leaves nothing in the engine');
  });

  test('links to an object (read through) and to a store; a link never replaces a live object', async () => {
    const os = await objm.create(unique('L'));
    const other = await objm.create(unique('L2'));
    const target = await other.putBlob({ name: 'target' }, byteRamp(500));
    const link = await os.link('ln', target);
    assert.equal(link.isLink(), true);
    assert.deepEqual(link.options.link, { bucket: other.name, name: 'target' });
    assert.deepEqual(await os.getBlob('ln'), byteRamp(500));
    const whole = await os.linkStore('all', other);
    assert.deepEqual(whole.options.link, { bucket: other.name });
    await assert.rejects(os.get('all'), (e) => assertNamedError(e, JetStreamError) && e.code === 'link_is_bucket');
    await os.putBlob({ name: 'live' }, byteRamp(1));
    await assert.rejects(os.link('live', target), (e) => e.code === 'object_exists');
    await assert.rejects(os.put({ name: 'z', options: { link: { bucket: 'x' } } }, null),
      (e) => assertNamedError(e, InvalidArgumentError) && /link cannot be set/.test(e.message));
    assert.equal(await os.info('z'), null, 'nothing was written');
    // nats.js refuses a link to a link or to a deleted object (the engine's rule).
    await assert.rejects(os.link('ln2', link),
      (e) => assertNamedError(e, InvalidArgumentError) && e.message.includes('src object is a link'));
    await other.delete('target');
    const gone = await other.info('target');
    await assert.rejects(os.link('ln3', gone),
      (e) => assertNamedError(e, InvalidArgumentError) && e.message.includes('src object is deleted'));
    assert.equal(await os.info('ln2'), null);
  });

  test('update renames and re-describes without rewriting the data (nats.js update)', async () => {
    const os = await objm.create(unique('U'));
    const before = await os.putBlob({ name: 'old', description: 'first' }, byteRamp(300));
    await os.putBlob({ name: 'taken' }, byteRamp(1));
    await assert.rejects(os.update('old', { name: 'taken' }), (e) => e.code === 'object_exists');
    await assert.rejects(os.update('never', { description: 'x' }), (e) => e.code === 'object_not_found');
    const ack = await os.update('old', { name: 'new', description: 'renamed' });
    assert.equal(ack.stream, os.stream);
    const info = await os.info('new');
    assert.equal(ack.seq, info.revision);
    assert.equal(info.description, 'renamed');
    assert.equal(info.nuid, before.nuid, 'the same chunks');
    assert.equal(await os.info('old'), null, 'the old name is gone');
    assert.deepEqual(await os.getBlob('new'), byteRamp(300));
    assert.deepEqual((await os.list()).map((i) => i.name).sort(), ['new', 'taken']);
  });
});

describe('errors', () => {
  test('bad names, a missing store, and calls after close are typed errors', async () => {
    await assert.rejects(objm.create('bad.name'), (e) => assertNamedError(e, InvalidNameError));
    const os = await objm.create(unique('E'));
    await assert.rejects(os.putBlob({ name: '' }, byteRamp(1)), (e) => assertNamedError(e, InvalidNameError));
    assert.equal((await streamState(os)).messages, 0, 'nothing written for a bad name');
    const missing = await objm.open(unique('NOPE'), false);
    await assert.rejects(missing.putBlob({ name: 'x' }, byteRamp(1)), (e) => assertNamedError(e, StreamNotFoundError));
    await assert.rejects(objm.open(unique('NOPE')), (e) => assertNamedError(e, StreamNotFoundError));
    const c = await conns.connect(srv.wsUrl);
    const store = await new Objm(c).open(os.name);
    await c.close();
    await assert.rejects(store.putBlob({ name: 'x' }, byteRamp(1)), (e) => assertNamedError(e, ClosedConnectionError));
    await assert.rejects(store.get('x'), (e) => assertNamedError(e, ClosedConnectionError));
  });
});

describe('interop with nats.js', () => {
  // Names are ASCII here: nats.js encodes a name's subject token with btoa(),
  // i.e. Latin-1, where nats.go, nats.py and nats-wasm use UTF-8.
  test('nats.js puts, nats-wasm gets the same bytes and info; and the reverse', async () => {
    const ref = await natsJsConnect({ servers: `127.0.0.1:${srv.port}` });
    try {
      const name = unique('I');
      const theirs = await new NatsJsObjm(ref).create(name);
      const data = byteRamp(200000);
      const put = await theirs.putBlob({ name: 'from nats.js/~~~?' }, data);
      const ours = await objm.open(name);
      const info = await ours.info('from nats.js/~~~?');
      for (const k of ['nuid', 'size', 'chunks', 'digest', 'revision']) assert.equal(info[k], put[k], k);
      assert.deepEqual(await ours.getBlob('from nats.js/~~~?'), data);

      const mine = await ours.putBlob({ name: 'from nats-wasm' }, byteRamp(150001));
      const back = await theirs.info('from nats-wasm');
      for (const k of ['nuid', 'size', 'chunks', 'digest', 'revision']) assert.equal(back[k], mine[k], k);
      assert.deepEqual(await theirs.getBlob('from nats-wasm'), byteRamp(150001));
      await ours.delete('from nats.js/~~~?');
      assert.equal(await theirs.get('from nats.js/~~~?'), null);
      assert.deepEqual((await theirs.list()).map((i) => i.name), ['from nats-wasm']);
    } finally {
      await ref.close();
    }
  });
});

test('object stores refuse settings they cannot honour instead of dropping them', async () => {
  await assert.rejects(new Objm(nc).create(`meta_${process.pid}`, { metadata: { a: 'b' } }), InvalidArgumentError);
});
