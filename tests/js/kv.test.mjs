// Key-value buckets from JavaScript against a real nats-server (nats.js v3
// @nats-io/kv names): buckets, writes with revisions, create over a
// tombstone, reads at a revision, keys, history, watches (every include
// mode, deletes ignored, resumed, across a server restart), typed errors,
// and interop with nats.js's own KV in both directions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { connect as natsJsConnect } from '@nats-io/transport-node';
import { Kvm as NatsJsKvm } from '@nats-io/kv';

import { InvalidArgumentError, InvalidNameError, InvalidOperationError, NatsError } from '../../js/src/index.mjs';
import {
  JetStreamApiError, JetStreamError, StreamNotFoundError, jetstreamManager,
} from '../../js/src/jetstream/index.mjs';
import { Base64KeyCodec, Kvm, KvWatchInclude, NoopKvCodecs } from '../../js/src/kv/index.mjs';
import { toBytes } from '../../js/src/bytes.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, assertNamedError, within } from './helpers.mjs';

let srv;
let nc;
let kvm;
const conns = new Connections();
let counter = 0;
const unique = (p) => `${p}_${process.pid}_${++counter}`;

before(async () => {
  srv = await startServer('default.conf');
  nc = await conns.connect(srv.wsUrl);
  kvm = new Kvm(nc);
});
after(async () => {
  await conns.closeAll();
  await srv?.stop();
});

/** Collects an iterator's items until it ends (bounded). */
async function all(iterable, ms = 10000) {
  const out = [];
  await within((async () => { for await (const x of iterable) out.push(x); })(), ms, 'iterator end');
  return out;
}

/** The first n items of a watch, then stops it. */
async function take(watch, n, ms = 10000) {
  const out = [];
  await within((async () => {
    for await (const e of watch) {
      out.push(e);
      if (out.length === n) break;
    }
  })(), ms, `${n} watch entries`);
  return out;
}

describe('buckets and entries', () => {
  test('put/get with revisions, delete and purge, create and update', async () => {
    const kv = await kvm.create(unique('B'), { history: 10 });
    assert.equal(await kv.put('a', 'one'), 1);
    assert.equal(await kv.put('a', 'two'), 2);
    const e = await kv.get('a');
    assert.equal(e.string(), 'two');
    assert.equal(e.revision, 2);
    assert.equal(e.operation, 'PUT');
    assert.equal(e.key, 'a');
    assert.ok(e.created instanceof Date && Math.abs(e.created - Date.now()) < 60000);
    assert.equal((await kv.get('a', { revision: 1 })).string(), 'one');
    assert.equal(await kv.get('missing'), null);
    assert.equal(await kv.get('a', { revision: 999 }), null);
    await kv.delete('a');
    assert.equal((await kv.get('a')).operation, 'DEL', 'a deleted key gives its DEL entry');
    assert.equal(await kv.create('a', 'again'), 4, 'create works over a deleted key');
    await assert.rejects(kv.create('a', 'dup'), (err) => {
      assertNamedError(err, JetStreamApiError);
      assert.equal(err.code, 10071);
      return true;
    });
    await assert.rejects(kv.update('a', 'x', 1), (err) => err.code === 10071);
    assert.equal(await kv.update('a', 'ok', 4), 5);
    await assert.rejects(kv.put('a', 'stale', { previousSeq: 1 }), (err) => err.code === 10071);
    await kv.purge('a');
    assert.equal((await kv.get('a')).operation, 'PURGE');
    assert.equal(await kv.create('a', 'fresh'), 7, 'create works over a purged key');
    const parallel = await Promise.all(Array.from({ length: 500 }, (_, i) => kv.put(`p.${i}`, `${i}`)));
    assert.equal(new Set(parallel).size, 500, 'many writes at once, each with its revision');
  });

  test('status, open, list and destroy; names and keys are checked', async () => {
    const name = unique('S');
    const kv = await kvm.create(name, { history: 3, ttl: 60000, description: 'settings' });
    await kv.put('x', 'y');
    const st = await kv.status();
    assert.equal(st.bucket, name);
    assert.equal(st.values, 1);
    assert.equal(st.history, 3);
    assert.equal(st.ttl, 60000);
    assert.equal(st.backingStore, 'file');
    const reopened = await kvm.create(name); // as nats.js: an existing bucket is opened
    assert.equal((await reopened.status()).history, 3, 'its settings stay');
    await assert.rejects(kv.update('x', 'z', 0), (e) => e instanceof InvalidArgumentError);
    assert.equal(st.description, 'settings');
    const again = await kvm.open(name);
    assert.equal((await again.get('x')).string(), 'y');
    const names = [];
    for await (const s of kvm.list()) names.push(s.bucket);
    assert.ok(names.includes(name));
    assert.equal(await kv.destroy(), true);
    await assert.rejects(kvm.open(name), (err) => err instanceof StreamNotFoundError);
    // A handle on a deleted bucket: writes that go to the key's subject and
    // watches fail typed, not as "JetStream not enabled" or an API error.
    await assert.rejects(kv.create('new', 'x'), (err) => err instanceof StreamNotFoundError && err.errc === 'bucket_not_found');
    await assert.rejects(kv.watch(), (err) => err instanceof StreamNotFoundError && err.errc === 'bucket_not_found');
    await assert.rejects(kvm.create('bad.name'), (err) => err instanceof InvalidNameError);
    await assert.rejects(kvm.create(unique('H'), { history: 65 }), (err) => err instanceof InvalidArgumentError);
    await assert.rejects(kv.put('bad key', 'x'), (err) => err instanceof NatsError && err.code === 'invalid_key');
    await assert.rejects(kv.get('.dot'), (err) => err.code === 'invalid_key');
    // A stream under a bucket's name that keeps no per-key history is not a bucket.
    const plain = unique('P');
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: `KV_${plain}`, subjects: [`$KV.${plain}.>`] });
    await assert.rejects(kvm.open(plain), (err) => err instanceof JetStreamError && err.errc === 'bad_bucket');
    await jsm.streams.delete(`KV_${plain}`);
  });

  test('the history limit is kept, and entries expire after the ttl', async () => {
    const kv = await kvm.create(unique('HL'), { history: 2 });
    for (const v of ['1', '2', '3']) await kv.put('a', v);
    assert.deepEqual((await all(await kv.history({ key: 'a' }))).map((e) => e.string()), ['2', '3']);
    const short = await kvm.create(unique('TTL'), { ttl: 1000 });
    await short.put('k', 'v');
    assert.equal((await short.get('k')).string(), 'v');
    // The server removes it on its own schedule: poll, bounded.
    const deadline = Date.now() + 10000;
    let e = await short.get('k');
    while (e !== null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      e = await short.get('k');
    }
    assert.equal(e, null, 'the entry outlived the bucket\'s ttl');
  });

  test('keys (with a filter) and history', async () => {
    const kv = await kvm.create(unique('K'), { history: 5 });
    for (const k of ['a.1', 'a.2', 'b.1']) await kv.put(k, k);
    await kv.put('a.1', 'again');
    await kv.delete('b.1');
    assert.deepEqual((await all(await kv.keys())).sort(), ['a.1', 'a.2'], 'deleted keys left out');
    assert.deepEqual((await all(await kv.keys('a.*'))).sort(), ['a.1', 'a.2']);
    assert.deepEqual(await all(await kv.keys('none.>')), []);
    const h = await all(await kv.history({ key: 'a.1' }));
    assert.deepEqual(h.map((e) => e.string()), ['a.1', 'again']);
    const empty = await kvm.create(unique('E'));
    assert.deepEqual(await all(await empty.keys()), [], 'an empty bucket ends at once');
  });
});

describe('watch', () => {
  test('last values then updates; initializedFn; isUpdate', async () => {
    const kv = await kvm.create(unique('W'), { history: 5 });
    await kv.put('a', '1');
    await kv.put('a', '2');
    await kv.put('b', '3');
    let initialized = 0;
    const w = await kv.watch({ initializedFn: () => { initialized++; } });
    // One iterator throughout: leaving a for-await loop stops a watch (as in nats.js).
    const it = w[Symbol.asyncIterator]();
    const next = async () => (await within(it.next(), 5000, 'watch entry')).value;
    const first = [await next(), await next()];
    assert.deepEqual(first.map((e) => `${e.key}=${e.string()}:${e.isUpdate}`), ['a=2:false', 'b=3:false']);
    await kv.put('c', '4');
    await kv.delete('a');
    const updates = [await next(), await next()];
    w.stop();
    assert.deepEqual(updates.map((e) => `${e.key}:${e.operation}:${e.isUpdate}`), ['c:PUT:true', 'a:DEL:true']);
    assert.equal(initialized, 1);
  });

  test('an AbortSignal ends a watch, with nothing left in the engine', async () => {
    const c = await conns.connect(srv.wsUrl);
    // history 2: with the default 1, the update would remove '1' before it is read.
    const kv = await new Kvm(c).create(unique('AB'), { history: 2 });
    await kv.put('a', '1');
    const ac = new AbortController();
    const w = await kv.watch({ signal: ac.signal });
    const seen = [];
    let second;
    const gotTwo = new Promise((r) => { second = r; });
    const reading = (async () => {
      for await (const e of w) {
        seen.push(e.string());
        if (seen.length === 2) second();
      }
    })();
    await kv.put('a', '2');
    await within(gotTwo, 5000, 'the initial value and the update');
    assert.equal(c._engine.c.pullSessions(), 1);
    ac.abort();
    await within(reading, 5000, 'the watch to end on abort');
    assert.deepEqual(seen, ['1', '2']);
    assert.equal(c._engine.c.pullSessions(), 0);
    // An already aborted signal: the watch ends at once.
    const done = await kv.watch({ signal: ac.signal });
    assert.deepEqual(await all(done, 5000), []);
    assert.equal(c._engine.c.pullSessions(), 0);
  });

  test('history, updates only, ignore deletes, a key filter, resume from a revision', async () => {
    const kv = await kvm.create(unique('M'), { history: 5 });
    await kv.put('k.a', '1');
    await kv.put('k.a', '2');
    await kv.delete('k.a');
    await kv.put('other', 'x');
    const hist = await take(await kv.watch({ key: 'k.*', include: KvWatchInclude.AllHistory }), 3);
    assert.deepEqual(hist.map((e) => e.operation), ['PUT', 'PUT', 'DEL']);
    const noDel = await kv.watch({ key: 'k.*', include: KvWatchInclude.AllHistory, ignoreDeletes: true });
    assert.deepEqual((await take(noDel, 2)).map((e) => e.string()), ['1', '2']);
    // As nats.js: ignoreDeletes skips DEL entries, not PURGE ones.
    // Each entry is awaited before the next write: a purge rolls up the key's
    // earlier values, so a PUT not yet delivered when it lands is gone for any
    // watcher (nats.js's too).
    const live = (await kv.watch({ key: 'p.*', include: KvWatchInclude.UpdatesOnly, ignoreDeletes: true }))[
      Symbol.asyncIterator
    ]();
    const seen = [];
    const nextEntry = async () => {
      const { value: e } = await within(live.next(), 10000, 'a watch entry');
      seen.push(`${e.key}:${e.operation}`);
    };
    await kv.put('p.a', '1');
    await nextEntry();
    await kv.delete('p.a');
    await kv.put('p.b', '2');
    await nextEntry(); // p.b's PUT, unless the DEL above came through
    await kv.purge('p.b');
    await nextEntry();
    assert.deepEqual(seen, ['p.a:PUT', 'p.b:PUT', 'p.b:PURGE']);
    const updatesOnly = await kv.watch({ include: KvWatchInclude.UpdatesOnly });
    const next = take(updatesOnly, 1);
    await kv.put('late', 'L');
    assert.deepEqual((await next).map((e) => e.key), ['late']);
    const keys = await kv.keys();
    assert.deepEqual((await all(keys)).sort(), ['late', 'other']);
    assert.deepEqual([keys.getProcessed(), keys.getPending(), keys.getReceived()], [2, 0, 2], 'nats.js counters');
    const resumed = await take(await kv.watch({ resumeFromRevision: 4 }), 2);
    assert.deepEqual(resumed.map((e) => e.revision), [4, 5]);
  });

  test('a watch resumes after a server restart with nothing missed or repeated', async () => {
    const own = await startServer('default.conf');
    try {
      const c = await conns.connect(own.wsUrl, { maxReconnectAttempts: -1, reconnectTimeWait: 500 });
      const kv = await new Kvm(c).create('RESTART', { history: 5 });
      await kv.put('a', '1');
      const w = await kv.watch();
      const seen = [];
      const reading = (async () => {
        for await (const e of w) {
          seen.push(e.revision);
          if (seen.length === 6) break;
        }
      })();
      await kv.put('a', '2');
      await own.kill();
      await own.restart();
      for (let i = 3; i <= 6; i++) {
        for (let t = 0; ; t++) {
          try {
            await kv.put(`k${i}`, `${i}`);
            break;
          } catch (err) {
            if (t > 100) throw err; // reconnecting: try again
          }
        }
      }
      await within(reading, 15000, 'watch after the restart');
      assert.deepEqual(seen, [1, 2, 3, 4, 5, 6]);
    } finally {
      await own.stop();
    }
  });
});

describe('interop with nats.js', () => {
  test('nats.js writes, nats-wasm reads and watches; nats-wasm writes, nats.js reads', async () => {
    const ref = await natsJsConnect({ servers: `127.0.0.1:${srv.port}` });
    try {
      const name = unique('I');
      const theirs = await new NatsJsKvm(ref).create(name, { history: 3 });
      await theirs.put('t', 'from nats.js');
      await theirs.delete('gone');
      const ours = await kvm.open(name);
      assert.equal((await ours.get('t')).string(), 'from nats.js');
      await ours.put('o', 'from nats-wasm');
      await ours.purge('t');
      assert.equal((await theirs.get('o')).string(), 'from nats-wasm');
      assert.equal((await theirs.get('t')).operation, 'PURGE');
      const keys = [];
      for await (const k of await theirs.keys()) keys.push(k);
      assert.deepEqual(keys.sort(), ['o']);
    } finally {
      await ref.close();
    }
  });
});

describe('kv: bucket options', () => {
  test('republish sends each write on to another subject; unsupported options are errors, not dropped', async () => {
    const name = unique('repub');
    const sub = nc.subscribe(`repub.${name}.>`);
    const kv = await kvm.create(name, { republish: { src: '>', dest: `repub.${name}.>` } });
    await nc.flush();
    await kv.put('k', 'v1');
    let got;
    for await (const m of sub) { got = m; break; }
    assert.equal(got.string(), 'v1');
    assert.equal(got.headers.get('Nats-Subject'), `$KV.${name}.k`);
    await assert.rejects(kvm.create(unique('mirror'), { mirror: { name: 'other', domain: 'hub' } }), InvalidArgumentError);
    await assert.rejects(kvm.create(unique('comp'), { compression: true }), InvalidArgumentError);
  });

  test('bindOnly binds without a round trip; timeout bounds the bucket\'s calls', async () => {
    const name = unique('bound');
    const made = await kvm.create(name);
    await made.put('k', 'v');
    const bound = await kvm.open(name, { bindOnly: true });
    assert.equal(bound.stream, `KV_${name}`);
    assert.equal((await bound.get('k')).string(), 'v');
    await assert.rejects(kvm.open('bad.name', { bindOnly: true }), (e) => assertNamedError(e, InvalidNameError));
    // A direct get of a missing bucket is never answered (nats-server 2.9):
    // it fails once the bucket's own timeout passes, not the context's 5 s.
    const missing = await kvm.create(unique('nothere'), { bindOnly: true, allow_direct: true, timeout: 1000 });
    await within(assert.rejects(missing.get('k'), (e) => assertNamedError(e, StreamNotFoundError)), 4000, 'bucket timeout');
  });

  test('purgeDeletes clears delete and purge markers and never a value', async () => {
    const kv = await kvm.create(unique('pd'), { history: 5 });
    for (const key of ['gone', 'wiped', 'kept']) {
      await kv.put(key, '1');
      await kv.put(key, '2');
    }
    await kv.delete('gone');
    await kv.purge('wiped');
    assert.equal((await kv.status()).values, 6);
    assert.deepEqual(await kv.purgeDeletes(), { success: true, purged: 2 }, 'recent markers stay alone');
    assert.equal((await kv.status()).values, 4);
    assert.deepEqual(await kv.purgeDeletes(0), { success: true, purged: 2 }, 'then they go too');
    assert.equal((await kv.status()).values, 2);
    assert.equal((await kv.get('kept')).string(), '2');
    assert.equal(await kv.get('gone'), null);
  });

  test('codecs: keys stored base64 token by token, values through the value codec', async () => {
    const name = unique('codec');
    const flip = (b) => Uint8Array.from(b, (x) => x ^ 0xff);
    const codec = { key: Base64KeyCodec(), value: { encode: (v) => flip(toBytes(v)), decode: flip } };
    const kv = await kvm.create(name, { codec, history: 3 });
    await kv.put('users.john', 'profile');
    assert.equal((await kv.get('users.john')).string(), 'profile');
    const plain = await kvm.open(name);  // the same bucket without the codec sees what is stored
    const stored = [];
    for await (const k of await plain.keys()) stored.push(k);
    assert.deepEqual(stored, [`${btoa('users')}.${btoa('john')}`]);
    assert.deepEqual((await plain.get(stored[0])).value, flip(new TextEncoder().encode('profile')));
    const watched = await take(await kv.watch({ key: 'users.*' }), 1);
    assert.equal(watched[0].key, 'users.john');
    assert.equal(watched[0].string(), 'profile');
    const keys = [];
    for await (const k of await kv.keys('users.>')) keys.push(k);
    assert.deepEqual(keys, ['users.john']);
    await kv.delete('users.john');
    assert.equal((await kv.get('users.john')).operation, 'DEL');
    // A strict value codec (it throws on an empty value) is applied only when
    // a value is read: headers-only listings and markers never call it.
    const strict = { key: Base64KeyCodec(), value: { encode: toBytes, decode: (d) => { if (!d.length) throw new Error('empty'); return d; } } };
    const kv2 = await kvm.open(name, { codec: strict });
    await kv2.put('a', 'x');
    const listed = [];
    for await (const k of await kv2.keys()) listed.push(k);
    assert.deepEqual(listed, ['a']);
    assert.deepEqual(await kv2.purgeDeletes(0), { success: true, purged: 2 }, 'users.john: its value and its DEL marker');
    const noop = NoopKvCodecs();
    assert.deepEqual(noop.value.encode('a'), new TextEncoder().encode('a'));
    assert.equal(noop.key.decode('k'), 'k');
  });

  test('a mirrored bucket is a read replica: the source\'s keys, and writes refused', async () => {
    const name = unique('msrc');
    const source = await kvm.create(name, { history: 5 });
    await source.put('a.b', 'one');
    const mirror = await kvm.create(unique('mirror'), { mirror: { name } });
    const st = await mirror.status();
    assert.equal(st.streamInfo.config.mirror.name, `KV_${name}`);
    assert.equal(st.streamInfo.config.mirror_direct, true);
    const [first] = await take(await mirror.watch({ key: 'a.>' }), 1);  // mirrored by now
    assert.equal(first.key, 'a.b');
    assert.equal(first.string(), 'one');
    assert.equal((await mirror.get('a.b')).string(), 'one');
    const keys = [];
    for await (const k of await mirror.keys()) keys.push(k);
    assert.deepEqual(keys, ['a.b']);
    for (const write of [() => mirror.put('a.b', 'x'), () => mirror.delete('a.b'), () => mirror.create('n', 'x')]) {
      await assert.rejects(write(), (e) => assertNamedError(e, InvalidOperationError) && e.message.includes(name));
    }
    const reopened = await kvm.open(mirror.bucket);  // the engine learns it from the info
    await assert.rejects(reopened.put('z', 'x'), (e) => assertNamedError(e, InvalidOperationError));
    await source.put('a.c', 'two');
    const [later] = await take(await reopened.watch({ key: 'a.c' }), 1);
    assert.equal(later.string(), 'two');
  });
});
