// One program, two clients: each test runs the same core-API program against
// nats.js v3 (TCP, @nats-io/transport-node: Node 20 has no global WebSocket)
// and against nats-wasm (WebSocket) on one server, records what it observes
// into plain data, and compares the two records.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import * as natsCore from '@nats-io/nats-core';
import { connect as tcpConnect } from '@nats-io/transport-node';

import * as wasmLib from '../../js/src/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { within } from './helpers.mjs';

let srv;
const open = new Set();
const RUN = `parity${process.pid}`;

/** The error classes nats.js exports, by name. */
const NATSJS_ERRORS = new Set(Object.keys(natsCore.errors));

const LIBS = {
  natsjs: {
    name: 'natsjs', headers: natsCore.headers, Empty: natsCore.Empty, Match: natsCore.Match,
    connect: (opts) => tcpConnect({ servers: srv.tcpUrl, ...opts }),
  },
  wasm: {
    name: 'wasm', headers: wasmLib.headers, Empty: wasmLib.Empty, Match: wasmLib.Match,
    connect: (opts) => wasmLib.connect({ servers: srv.wsUrl, ...opts }),
  },
};

before(async () => {
  srv = await startServer('default.conf');
  await wasmLib.loadCore();
});

after(async () => {
  await Promise.all([...open].map((nc) => nc.close().catch(() => {})));
  await srv?.stop();
});

async function connectLib(lib, opts = {}) {
  const nc = await lib.connect(opts);
  open.add(nc);
  return nc;
}

/**
 * The nats.js class an error is: its own class if nats.js has one by that
 * name, else the nearest ancestor nats.js has (nats-wasm's MaxPayloadError
 * extends InvalidArgumentError, the class nats.js throws there).
 */
function errClass(err) {
  if (!(err instanceof Error)) return `not an Error: ${typeof err}`;
  for (let p = Object.getPrototypeOf(err); p; p = Object.getPrototypeOf(p)) {
    if (NATSJS_ERRORS.has(p.constructor.name)) return p.constructor.name;
    if (p === Error.prototype) break;
  }
  return err.constructor.name;
}

/**
 * 'ok' when fn succeeds; else the nats.js class of what it throws or rejects
 * with (and of its cause) and which of `words` its message names: the texts
 * are each library's own wording, so their shape is compared, not the text.
 */
async function outcome(fn, words = []) {
  try {
    await fn();
    return 'ok';
  } catch (err) {
    const text = String(err?.message ?? '');
    const r = { cls: errClass(err), hasMessage: text.length > 0, names: words.filter((w) => text.includes(w)) };
    if (err?.cause !== undefined) r.cause = errClass(err.cause);
    return r;
  }
}

/** A promise resolved by hit() once it has been called n times. */
function countdown(n) {
  let hit;
  const done = new Promise((resolve) => {
    let left = n;
    hit = () => { if (--left === 0) resolve(); };
    if (n === 0) resolve();
  });
  return { done, hit: () => hit() };
}

/** Collects an iterable's messages (bounded wait) into records. */
async function collect(iterable, rec, what) {
  const out = [];
  await within((async () => { for await (const m of iterable) out.push(rec(m)); })(), 5000, what);
  return out;
}

/** The record of a received message. */
function recordMsg(m) {
  const r = { subject: m.subject, reply: m.reply, data: [...m.data], string: m.string() };
  if (m.headers) {
    const h = m.headers;
    r.headers = {
      keys: [...h.keys()], iter: [...h], code: h.code, description: h.description,
      hasError: h.hasError, status: h.status,
      get: h.get('X-Multi'), values: h.values('X-Multi'), has: h.has('X-Id'), missing: h.get('Nope'),
    };
  } else {
    r.headers = m.headers;
  }
  return r;
}

/** Replaces what legitimately differs between the runs: prefix, inboxes, ports. */
function normalise(value, lib) {
  if (typeof value === 'string') {
    return value.split(`${lib.name}.${RUN}`).join('P')
      .replace(/_INBOX\.[0-9A-Za-z]+(\.[0-9A-Za-z]+)?/g, '_INBOX.*')
      .replace(new RegExp(`\\b(${srv.port}|${srv.wsPort})\\b`, 'g'), 'PORT');
  }
  if (Array.isArray(value)) return value.map((v) => normalise(v, lib));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, lib)]));
  }
  return value;
}

/** Runs program against both clients (one after the other) and returns both records. */
async function runBoth(program) {
  const out = {};
  for (const lib of Object.values(LIBS)) {
    const nc = await connectLib(lib);
    try {
      out[lib.name] = normalise(await program(nc, lib, `${lib.name}.${RUN}`), lib);
    } finally {
      await nc.close().catch(() => {});
      open.delete(nc);
    }
  }
  return out;
}

test('pub/sub: data, headers, max, unsubscribe(n), queue groups and subscription counters', async () => {
  const { natsjs, wasm } = await runBoth(async (nc, lib, p) => {
    const r = {};
    const sub = nc.subscribe(`${p}.ps`, { max: 3 });
    r.before = { subject: sub.getSubject(), max: sub.getMax(), closed: sub.isClosed(), received: sub.getReceived() };
    const h = lib.headers();
    h.append('X-Multi', 'a');
    h.append('X-Multi', 'b');
    h.set('X-Id', '42');
    h.set('content-type', 'text/plain');
    nc.publish(`${p}.ps`, 'hello', { headers: h });
    nc.publish(`${p}.ps`, new Uint8Array([0, 1, 255]), { reply: `${p}.reply.to` });
    nc.publish(`${p}.ps`, JSON.stringify({ a: [1, 'two'], b: null }));
    nc.publish(`${p}.ps`, 'over max 1');
    nc.publish(`${p}.ps`);
    await nc.flush();
    const msgs = [];
    await within((async () => { for await (const m of sub) msgs.push(m); })(), 5000, `${lib.name} max sub`);
    r.msgs = msgs.map(recordMsg);
    r.json = msgs[2].json();
    r.after = {
      processed: sub.getProcessed(), received: sub.getReceived(), pending: sub.getPending(),
      max: sub.getMax(), closed: sub.isClosed(), closedValue: await sub.closed,
    };

    // wildcards, an empty payload, and the counters of a callback subscription
    const wild = [];
    const gotWild = countdown(3);
    const ws = nc.subscribe(`${p}.w.*`, { callback: (err, m) => { wild.push([err, m.subject, m.data.length]); gotWild.hit(); } });
    const fwc = nc.subscribe(`${p}.w.>`, { max: 3 });
    await nc.flush();
    for (const s of ['w.a', 'w.b', 'w.c.d', 'w.e']) nc.publish(`${p}.${s}`);
    await within(gotWild.done, 5000, `${lib.name} wildcard`);
    r.wild = wild.sort();
    r.fwc = (await collect(fwc, (m) => m.subject, `${lib.name} fwc`)).sort();
    r.callbackSub = { processed: ws.getProcessed(), received: ws.getReceived(), pending: ws.getPending() };
    ws.unsubscribe();
    r.callbackSub.closedAfterUnsub = ws.isClosed();

    // unsubscribe(n): n more messages, then closed
    const un = nc.subscribe(`${p}.un`);
    r.noMax = un.getMax();
    un.unsubscribe(2);
    r.unsubMax = un.getMax();
    for (let i = 0; i < 4; i++) nc.publish(`${p}.un`, `m${i}`);
    r.unsub = await collect(un, (m) => m.string(), `${lib.name} unsubscribe(2)`);
    r.unsubState = { processed: un.getProcessed(), max: un.getMax(), closed: un.isClosed() };

    // queue groups: each message once to the group, and to every plain sub
    const N = 30;
    const counts = [0, 0, 0];
    let plain = 0;
    const all = countdown(2 * N);
    const qsubs = counts.map((_, i) => nc.subscribe(`${p}.q`, { queue: 'workers', callback: () => { counts[i]++; all.hit(); } }));
    const psub = nc.subscribe(`${p}.q`, { callback: () => { plain++; all.hit(); } });
    await nc.flush();
    for (let i = 0; i < N; i++) nc.publish(`${p}.q`, String(i));
    await nc.flush();
    await within(all.done, 5000, `${lib.name} queue`);
    await nc.flush(); // anything extra (a double delivery) would be in by now
    r.queue = { total: counts.reduce((a, b) => a + b, 0), plain };
    for (const s of [...qsubs, psub]) s.unsubscribe();
    return r;
  });
  assert.equal(natsjs.msgs.length, 3, 'nats.js got max messages');
  assert.equal(natsjs.queue.total, 30);
  // nats.js artefacts of a subscription closed by its max, not compared:
  // getPending() is 1 (its iterator counts the queued close callback as
  // in flight) and getMax() is undefined (its auto-unsubscribe resets max).
  // nats-wasm has nothing pending and keeps the limit.
  assert.deepEqual([wasm.after.pending, wasm.after.max], [0, 3]);
  // "no limit" is getMax() undefined in both; unsubscribe(2) makes it 2.
  assert.deepEqual([natsjs.noMax, wasm.noMax], [undefined, undefined]);
  assert.deepEqual([natsjs.unsubMax, wasm.unsubMax], [2, 2]);
  // After the close by that limit nats.js resets getMax() to undefined
  // (the same artefact as above); nats-wasm keeps 2.
  assert.equal(wasm.unsubState.max, 2);
  for (const r of [natsjs, wasm]) {
    delete r.after.pending; delete r.after.max; delete r.unsubState.max;
  }
  assert.deepEqual(wasm, natsjs);
});

test('headers API: get/has/values/keys/append/set/delete and iteration', async () => {
  const { natsjs, wasm } = await runBoth(async (nc, lib) => {
    const h = lib.headers();
    h.set('B-Key', '1');
    h.append('a-key', 'x');
    h.append('a-key', 'y');
    h.set('C', 'z');
    const r = { keys: [...h.keys()], iter: [...h], has: [h.has('B-Key'), h.has('b-key'), h.has('nope')] };
    r.values = h.values('a-key');
    r.get = [h.get('a-key'), h.get('nope')];
    h.set('a-key', 'only');
    r.afterSet = h.values('a-key');
    h.delete('B-Key');
    r.afterDelete = { keys: [...h.keys()], has: h.has('B-Key') };
    r.ignoreCase = [h.get('c', lib.Match.IgnoreCase), h.get('A-KEY', lib.Match.IgnoreCase)];
    r.status = { code: h.code, description: h.description, hasError: h.hasError };
    r.badKey = await outcome(() => h.set('bad key', 'v'), ['header']);
    r.badValue = await outcome(() => h.set('K', 'a\r\nb'), ['header']);
    return r;
  });
  assert.deepEqual(natsjs.values, ['x', 'y']);
  assert.deepEqual(wasm, natsjs);
});

test('request/reply: headers, respond(), no responders, timeout, requestMany', async () => {
  const { natsjs, wasm } = await runBoth(async (nc, lib, p) => {
    const r = { seen: [] };
    const svc = nc.subscribe(`${p}.svc`, {
      callback: (err, m) => {
        r.seen.push({ err, subject: m.subject, reply: m.reply, asked: m.headers?.get('Asked') ?? null });
        const h = lib.headers();
        h.set('Replied', 'client');
        h.set('Echo', m.headers?.get('Asked') ?? '');
        r.respond = m.respond(`echo:${m.string()}`, { headers: h });
      },
    });
    await nc.flush();
    const h = lib.headers();
    h.set('Asked', 'yes');
    const reply = await nc.request(`${p}.svc`, 'ping', { timeout: 3000, headers: h });
    r.reply = recordMsg(reply);
    r.replyEcho = [reply.headers.get('Replied'), reply.headers.get('Echo')];
    r.plainReply = (await nc.request(`${p}.svc`, 'x', { timeout: 3000 })).string();
    svc.unsubscribe();

    r.noResponders = await outcome(() => nc.request(`${p}.nobody`, 'x', { timeout: 3000 }), [`${p}.nobody`, 'no responders']);
    const silent = nc.subscribe(`${p}.silent`, { callback: () => {} });
    await nc.flush();
    r.timeout = await outcome(() => nc.request(`${p}.silent`, 'x', { timeout: 250 }), ['time']);
    silent.unsubscribe();

    // a publish with a reply subject nobody serves: the server's 503 status
    // arrives on the reply subscription as a message with status headers
    const status = nc.subscribe(`${p}.status`, { max: 1 });
    nc.publish(`${p}.nobody`, 'x', { reply: `${p}.status` });
    r.status = await collect(status, recordMsg, `${lib.name} 503 status`);

    // a message that is not a request: respond() without a reply subject
    const plainSub = nc.subscribe(`${p}.noreply`, { max: 1 });
    nc.publish(`${p}.noreply`, 'x');
    const [m] = await collect(plainSub, (x) => x, `${lib.name} noreply`);
    r.respondNoReply = m.respond('nope');

    // requestMany with maxMessages: three responders
    const many = [0, 1, 2].map((i) => nc.subscribe(`${p}.many`, { callback: (e, msg) => msg.respond(`r${i}`) }));
    await nc.flush();
    const it = await nc.requestMany(`${p}.many`, 'q', { strategy: 'count', maxMessages: 3, maxWait: 5000 });
    r.many = (await collect(it, (x) => x.string(), `${lib.name} requestMany count`)).sort();
    many.forEach((s) => s.unsubscribe());

    // requestMany with the sentinel strategy: an empty reply ends it
    const chunks = nc.subscribe(`${p}.chunks`, {
      callback: (e, msg) => {
        for (const c of ['c1', 'c2', 'c3']) msg.respond(c);
        msg.respond(lib.Empty);
      },
    });
    await nc.flush();
    const sit = await nc.requestMany(`${p}.chunks`, 'go', { strategy: 'sentinel', maxWait: 5000 });
    r.sentinel = await collect(sit, (x) => x.string(), `${lib.name} requestMany sentinel`);
    chunks.unsubscribe();

    // requestMany to nobody
    r.manyNobody = await outcome(async () => {
      const nit = await nc.requestMany(`${p}.nobody`, 'q', { strategy: 'count', maxMessages: 2, maxWait: 3000 });
      const got = await collect(nit, (x) => x.string(), `${lib.name} requestMany nobody`);
      if (got.length) throw new Error(`got ${got.length} replies`);
    }, [`${p}.nobody`, 'no responders']);
    return r;
  });
  assert.equal(natsjs.plainReply, 'echo:x');
  assert.deepEqual(natsjs.many, ['r0', 'r1', 'r2']);
  assert.deepEqual(natsjs.noResponders,
    { cls: 'RequestError', hasMessage: true, names: ['P.nobody', 'no responders'], cause: 'NoRespondersError' });
  assert.equal(natsjs.status[0].headers.code, 503);
  assert.deepEqual(wasm, natsjs);
});

test('errors: bad subjects, max_payload, bad json, calls after close', async () => {
  const { natsjs, wasm } = await runBoth(async (nc, lib, p) => {
    const r = {};
    r.pubBadSubject = [];
    r.subBadSubject = [];
    for (const s of ['', 'a b', 'a\tb']) {
      r.pubBadSubject.push(await outcome(() => nc.publish(s, 'x'), [s || 'subject']));
      r.subBadSubject.push(await outcome(() => nc.subscribe(s).unsubscribe(), [s || 'subject']));
    }
    r.reqBadSubject = await outcome(() => nc.request('a b', 'x', { timeout: 1000 }), ['a b']);
    r.maxPayload = nc.info.max_payload;
    r.overMax = await outcome(() => nc.publish(`${p}.big`, new Uint8Array(nc.info.max_payload + 1)), ['max_payload']);
    r.atMax = await outcome(() => nc.publish(`${p}.big`, new Uint8Array(nc.info.max_payload)));
    r.reqOverMax = await outcome(() => nc.request(`${p}.big`, new Uint8Array(nc.info.max_payload + 1), { timeout: 1000 }),
      ['max_payload']);
    await nc.flush();
    r.closedByErrors = nc.isClosed();

    const sub = nc.subscribe(`${p}.json`, { max: 1 });
    nc.publish(`${p}.json`, 'not json');
    const [m] = await collect(sub, (x) => x, `${lib.name} json`);
    r.badJson = await outcome(() => m.json());

    await nc.close();
    r.afterClose = {
      isClosed: nc.isClosed(), isDraining: nc.isDraining(),
      publish: await outcome(() => nc.publish(`${p}.x`, 'x'), ['closed']),
      subscribe: await outcome(() => nc.subscribe(`${p}.x`), ['closed']),
      request: await outcome(() => nc.request(`${p}.x`, 'x'), ['closed']),
      requestMany: await outcome(() => nc.requestMany(`${p}.x`, 'x', { maxMessages: 1 }), ['closed']),
      flush: await outcome(() => nc.flush(), ['closed']),
      drain: await outcome(() => nc.drain(), ['closed']),
      close: await outcome(() => nc.close()),
      closedValue: await nc.closed(),
    };
    return r;
  });
  assert.equal(natsjs.overMax.cls, 'InvalidArgumentError');
  assert.equal(natsjs.afterClose.publish.cls, 'ClosedConnectionError');
  assert.deepEqual(wasm, natsjs);
});

test('lifecycle: info, getServer, rtt, stats, subscription drain, connection drain, closed()', async () => {
  const { natsjs, wasm } = await runBoth(async (nc, lib, p) => {
    const r = {};
    const info = nc.info;
    r.info = {
      serverId: typeof info.server_id, maxPayload: info.max_payload, headers: info.headers, proto: info.proto,
      version: typeof info.version, clientId: typeof info.client_id,
    };
    r.server = nc.getServer();
    const rtt = await nc.rtt();
    r.rtt = [typeof rtt, rtt >= 0];
    r.flush = await nc.flush();
    r.state = [nc.isClosed(), nc.isDraining()];

    // stats of a connection that only exchanged these messages with itself
    const echo = nc.subscribe(`${p}.stats`, { max: 3 });
    for (let i = 0; i < 3; i++) nc.publish(`${p}.stats`, '0123456789');
    await collect(echo, (x) => x, `${lib.name} stats`);
    const st = nc.stats();
    r.stats = { inMsgs: st.inMsgs, outMsgs: st.outMsgs, inBytes: st.inBytes, outBytes: st.outBytes };

    // drain() of a subscription delivers what is pending, then closes it
    const sub = nc.subscribe(`${p}.drain`);
    await nc.flush();
    for (let i = 0; i < 5; i++) nc.publish(`${p}.drain`, `d${i}`);
    await nc.flush();
    r.pendingBeforeDrain = sub.getPending();
    const drained = sub.drain();
    r.subDraining = sub.isDraining();
    nc.publish(`${p}.drain`, 'late');
    r.subDrain = await collect(sub, (x) => x.string(), `${lib.name} sub drain`);
    r.subDrainValue = await within(drained, 5000, `${lib.name} sub drain promise`);
    r.subAfterDrain = { closed: sub.isClosed(), draining: sub.isDraining(), processed: sub.getProcessed() };

    // drain() of the connection: subscriptions finish, then it closes
    const nc2 = await connectLib(lib);
    const got = [];
    const done = countdown(3);
    nc2.subscribe(`${p}.cdrain`, { callback: (err, m) => { got.push(m.string()); done.hit(); } });
    await nc2.flush();
    for (let i = 0; i < 3; i++) nc.publish(`${p}.cdrain`, `c${i}`);
    await nc.flush();
    await within(done.done, 5000, `${lib.name} cdrain`);
    const closed = nc2.closed();
    const draining = nc2.drain();
    r.connDraining = nc2.isDraining();
    r.secondDrain = await outcome(() => nc2.drain(), ['draining']);
    r.connDrainValue = await within(draining, 5000, `${lib.name} conn drain`);
    r.connAfterDrain = { closed: nc2.isClosed(), draining: nc2.isDraining(), got };
    r.closedValue = await within(closed, 5000, `${lib.name} closed()`);
    open.delete(nc2);

    // close(): closed() resolves undefined
    const nc3 = await connectLib(lib);
    const c3 = nc3.closed();
    r.closeValue = await nc3.close();
    r.closed3 = await within(c3, 5000, `${lib.name} closed() after close`);
    r.closed3State = [nc3.isClosed(), nc3.isDraining()];
    open.delete(nc3);
    return r;
  });
  assert.equal(natsjs.info.maxPayload, 65536);
  // getServer() is "host:port" in both (nats.js too over a ws:// URL).
  assert.equal(natsjs.server, '127.0.0.1:PORT');
  // Once a drain has finished, isDraining() stays true in both.
  assert.deepEqual([natsjs.subAfterDrain.draining, natsjs.connAfterDrain.draining], [true, true]);
  assert.deepEqual(natsjs.subDrain, ['d0', 'd1', 'd2', 'd3', 'd4']);
  assert.deepEqual(wasm, natsjs);
});
