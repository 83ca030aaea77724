// request() and requestMany(): replies, headers, timeouts, no responders,
// AbortSignal, and every requestMany strategy.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  AbortError, InvalidArgumentError, InvalidSubjectError, MaxPayloadError, Msg, NoRespondersError,
  RequestError, TimeoutError, headers,
} from '../../js/src/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, assertNamedError, drainIterable, within } from './helpers.mjs';

let srv;
let nc; // requester
let svc; // responders live on a second connection
const conns = new Connections();
let silentCount = 0;

before(async () => {
  srv = await startServer('default.conf');
  [nc, svc] = await Promise.all([conns.connect(srv.wsUrl), conns.connect(srv.wsUrl)]);
  // Echo service: replies with the payload upper-cased and the request's
  // headers reflected back plus one of its own.
  svc.subscribe('svc.echo', {
    callback: (err, m) => {
      const h = headers();
      for (const k of m.headers?.keys() ?? []) for (const v of m.headers.values(k)) h.append(`Echo-${k}`, v);
      h.set('Served-By', 'svc');
      m.respond(m.string().toUpperCase(), { headers: h });
    },
  });
  // Subscribed but never answers: for timeouts and aborts.
  svc.subscribe('svc.silent', { callback: () => { silentCount++; } });
  // Three responders for requestMany.
  for (let i = 0; i < 3; i++) svc.subscribe('svc.many', { callback: (err, m) => m.respond(`r${i}`) });
  // Streams parts then an empty sentinel.
  svc.subscribe('svc.stream', {
    callback: (err, m) => {
      for (let i = 0; i < 4; i++) m.respond(`part${i}`);
      m.respond('');
      m.respond('after-sentinel');
    },
  });
  // Two quick replies, then one after 400 ms (for 'stall').
  svc.subscribe('svc.slowtail', {
    callback: (err, m) => {
      m.respond('a');
      m.respond('b');
      setTimeout(() => { if (!svc.isClosed()) m.respond('late'); }, 1500);
    },
  });
  // A responder that answers with its own 503 status and a body.
  svc.subscribe('svc.busy', { callback: (err, m) => m.respond('try later', { headers: headers(503, 'Busy') }) });
  await svc.flush();
});

after(async () => {
  await conns.closeAll();
  await srv?.stop();
});

describe('request', () => {
  test('resolves with the reply Msg', async () => {
    const m = await nc.request('svc.echo', 'hello');
    assert.ok(m instanceof Msg);
    assert.equal(m.string(), 'HELLO');
    assert.match(m.subject, /^_INBOX\./);
    assert.equal(nc.engineStats.pendingRequests, 0);
  });

  test('headers travel both ways', async () => {
    const h = headers();
    h.append('Trace', 't1');
    h.append('Trace', 't2');
    const m = await nc.request('svc.echo', 'x', { headers: h, timeout: 2000 });
    assert.deepEqual(m.headers.values('Echo-Trace'), ['t1', 't2']);
    assert.equal(m.headers.get('Served-By'), 'svc');
  });

  test('many concurrent requests each get their own reply', async () => {
    const words = Array.from({ length: 100 }, (_, i) => `word${i}`);
    const replies = await Promise.all(words.map((w) => nc.request('svc.echo', w, { timeout: 3000 })));
    assert.deepEqual(replies.map((m) => m.string()), words.map((w) => w.toUpperCase()));
    assert.equal(nc.engineStats.pendingRequests, 0);
  });

  test('timeout rejects with TimeoutError and clears the pending request', async () => {
    const t0 = performance.now();
    await assert.rejects(nc.request('svc.silent', 'x', { timeout: 100 }), (err) => assertNamedError(err, TimeoutError));
    const elapsed = performance.now() - t0;
    assert.ok(elapsed >= 90 && elapsed < 1000, `timed out after ${elapsed} ms`);
    assert.equal(nc.engineStats.pendingRequests, 0);
  });

  test('no responders rejects with RequestError caused by NoRespondersError', async () => {
    const t0 = performance.now();
    await assert.rejects(nc.request('svc.nobody.home', 'x', { timeout: 3000 }), (err) => {
      assertNamedError(err, RequestError);
      assert.equal(err.isNoResponders(), true);
      assertNamedError(err.cause, NoRespondersError);
      assert.equal(err.cause.subject, 'svc.nobody.home');
      return true;
    });
    assert.ok(performance.now() - t0 < 1000, 'no responders must not wait for the timeout');
    assert.equal(nc.engineStats.pendingRequests, 0);
  });

  test('AbortSignal: abort before the reply rejects with AbortError', async () => {
    const ac = new AbortController();
    const before = silentCount;
    const p = nc.request('svc.silent', 'x', { timeout: 5000, signal: ac.signal });
    await nc.flush();
    await svc.flush();
    assert.equal(nc.engineStats.pendingRequests, 1);
    ac.abort();
    await assert.rejects(within(p, 1000, 'aborted request'), (err) => assertNamedError(err, AbortError));
    assert.equal(nc.engineStats.pendingRequests, 0);
    assert.equal(silentCount, before + 1, 'the request was sent');
  });

  test('AbortSignal: an already-aborted signal rejects at once, nothing is sent', async () => {
    const before = silentCount;
    const t0 = performance.now();
    await assert.rejects(nc.request('svc.silent', 'x', { signal: AbortSignal.abort() }),
      (err) => assertNamedError(err, AbortError));
    assert.ok(performance.now() - t0 < 200, 'no round trip');
    assert.equal(nc.engineStats.pendingRequests, 0);
    await nc.flush();
    await svc.flush();
    assert.equal(silentCount, before);
  });

  test('AbortSignal: a custom Error reason is the rejection', async () => {
    const ac = new AbortController();
    const p = nc.request('svc.silent', 'x', { timeout: 5000, signal: ac.signal });
    const reason = new Error('user cancelled');
    ac.abort(reason);
    await assert.rejects(p, (err) => err === reason);
    assert.equal(nc.engineStats.pendingRequests, 0);
  });

  test('a reply arriving after the timeout is dropped; the next request works', async () => {
    const late = svc.subscribe('svc.late', { callback: (err, m) => setTimeout(() => m.respond('too late'), 150) });
    await svc.flush();
    await assert.rejects(nc.request('svc.late', 'x', { timeout: 50 }), (err) => assertNamedError(err, TimeoutError));
    await new Promise((resolve) => setTimeout(resolve, 200)); // the late reply comes and goes
    assert.equal(nc.isClosed(), false);
    assert.equal((await nc.request('svc.echo', 'next')).string(), 'NEXT');
    late.unsubscribe();
  });

  test('AbortSignal after the reply is harmless', async () => {
    const ac = new AbortController();
    const m = await nc.request('svc.echo', 'ok', { signal: ac.signal });
    ac.abort();
    assert.equal(m.string(), 'OK');
  });

  test('a 503 reply with a body is a reply, not no responders (as nats.js and nats.go)', async () => {
    const m = await nc.request('svc.busy', 'q', { timeout: 2000 });
    assert.equal(m.string(), 'try later');
    assert.equal(m.headers.code, 503);
    assert.equal(m.headers.description, 'Busy');
  });

  test('bad arguments reject (never throw synchronously)', async () => {
    let p;
    assert.doesNotThrow(() => { p = nc.request('bad subject', 'x'); });
    await assert.rejects(p, (err) => assertNamedError(err, InvalidSubjectError));
    await assert.rejects(nc.request('svc.echo', new Uint8Array(65537)), (err) => assertNamedError(err, MaxPayloadError));
    await assert.rejects(nc.request('svc.echo', 'x', { timeout: 0 }), (err) => assertNamedError(err, InvalidArgumentError));
    assert.equal(nc.engineStats.pendingRequests, 0);
  });
});

describe('requestMany', () => {
  test("strategy 'timer' collects every reply until maxWait", async () => {
    const t0 = performance.now();
    const it = await nc.requestMany('svc.many', 'q', { maxWait: 1000 });
    const { msgs, error } = await within(drainIterable(it), 3000, 'timer');
    const elapsed = performance.now() - t0;
    assert.equal(error, null);
    assert.deepEqual(msgs.map((m) => m.string()).sort(), ['r0', 'r1', 'r2']);
    assert.ok(elapsed >= 980, `ended after ${elapsed} ms, before maxWait`);
  });

  test("strategy 'count' stops at maxMessages", async () => {
    const t0 = performance.now();
    const before = nc.engineStats.subscriptions;
    const it = await nc.requestMany('svc.many', 'q', { strategy: 'count', maxMessages: 2, maxWait: 3000 });
    const { msgs, error } = await within(drainIterable(it), 2000, 'count');
    assert.equal(error, null);
    assert.equal(msgs.length, 2);
    assert.ok(performance.now() - t0 < 1000, 'count must not wait for maxWait');
    assert.equal(nc.engineStats.subscriptions, before);
  });

  test("strategy 'stall' is still bounded by maxWait", async () => {
    const t0 = performance.now();
    // Replies keep coming (the late one at 1500 ms), but maxWait ends it first.
    const it = await nc.requestMany('svc.slowtail', 'q', { strategy: 'stall', stall: 3000, maxWait: 200 });
    const { msgs } = await within(drainIterable(it), 3000, 'stall+maxWait');
    assert.deepEqual(msgs.map((m) => m.string()), ['a', 'b']);
    assert.ok(performance.now() - t0 < 1200);
  });

  test("strategy 'stall' stops when replies pause", async () => {
    const t0 = performance.now();
    const it = await nc.requestMany('svc.slowtail', 'q', { strategy: 'stall', stall: 100, maxWait: 3000 });
    const { msgs, error } = await within(drainIterable(it), 3000, 'stall');
    assert.equal(error, null);
    assert.deepEqual(msgs.map((m) => m.string()), ['a', 'b']);
    assert.ok(performance.now() - t0 < 1200, 'stall must end before the late reply');
  });

  test("strategy 'sentinel' ends at the empty reply (yielded last, as in nats.js)", async () => {
    const t0 = performance.now();
    const it = await nc.requestMany('svc.stream', 'q', { strategy: 'sentinel', maxWait: 3000 });
    const { msgs, error } = await within(drainIterable(it), 3000, 'sentinel');
    assert.equal(error, null);
    assert.deepEqual(msgs.map((m) => m.string()), ['part0', 'part1', 'part2', 'part3', '']);
    assert.ok(performance.now() - t0 < 1000, 'sentinel must not wait for maxWait');
  });

  test('no responders: the iterator throws NoRespondersError', async () => {
    const it = await nc.requestMany('svc.nobody', 'q', { maxWait: 2000 });
    const { msgs, error } = await within(drainIterable(it), 1500, 'no responders');
    assert.equal(msgs.length, 0);
    assertNamedError(error, NoRespondersError);
  });

  test('a 503 reply with a body is yielded like any reply', async () => {
    const it = await nc.requestMany('svc.busy', 'q', { strategy: 'count', maxMessages: 1, maxWait: 2000 });
    const { msgs, error } = await within(drainIterable(it), 2000, 'busy');
    assert.equal(error, null);
    assert.equal(msgs.length, 1);
    assert.equal(msgs[0].string(), 'try later');
    assert.equal(msgs[0].headers.code, 503);
  });

  test('AbortSignal ends the iterator with AbortError and cancels the request in the engine', async () => {
    const subs = nc.engineStats.subscriptions;
    const before = nc.engineStats.pendingRequests;
    const ac = new AbortController();
    const it = await nc.requestMany('svc.silent', 'q', { maxWait: 5000, signal: ac.signal });
    assert.equal(nc.engineStats.pendingRequests, before + 1);
    setTimeout(() => ac.abort(), 50);
    const { error } = await within(drainIterable(it), 1000, 'aborted requestMany');
    assertNamedError(error, AbortError);
    assert.equal(nc.engineStats.pendingRequests, before);
    assert.equal(nc.engineStats.subscriptions, subs, 'replies share the request mux: no subscription of its own');
  });

  test('an already-aborted signal rejects and leaves nothing behind', async () => {
    const before = nc.engineStats.pendingRequests;
    await assert.rejects(nc.requestMany('svc.many', 'q', { signal: AbortSignal.abort() }),
      (err) => assertNamedError(err, AbortError));
    assert.equal(nc.engineStats.pendingRequests, before);
  });

  test('breaking out early cancels the request in the engine', async () => {
    const before = nc.engineStats.pendingRequests;
    const it = await nc.requestMany('svc.many', 'q', { maxWait: 5000 });
    const { msgs } = await within(drainIterable(it, 1), 1000, 'first reply');
    assert.equal(msgs.length, 1);
    assert.equal(nc.engineStats.pendingRequests, before);
  });

  test('headers are sent with the request', async () => {
    const h = headers();
    h.set('Q', 'v');
    const it = await nc.requestMany('svc.echo', 'hi', { strategy: 'count', maxMessages: 1, headers: h });
    const { msgs } = await within(drainIterable(it), 2000, 'echo');
    assert.equal(msgs[0].headers.get('Echo-Q'), 'v');
    assert.equal(msgs[0].string(), 'HI');
  });

  test('bad options reject with InvalidArgumentError', async () => {
    await assert.rejects(nc.requestMany('svc.many', 'q', { strategy: 'jitter' }),
      (err) => assertNamedError(err, InvalidArgumentError));
    await assert.rejects(nc.requestMany('svc.many', 'q', { strategy: 'count' }),
      (err) => assertNamedError(err, InvalidArgumentError));
    const before = nc.engineStats.subscriptions;
    await assert.rejects(nc.requestMany('bad subject', 'q'), (err) => assertNamedError(err, InvalidSubjectError));
    await assert.rejects(nc.requestMany('svc.many', new Uint8Array(70000)), (err) => assertNamedError(err, MaxPayloadError));
    assert.equal(nc.engineStats.subscriptions, before, 'a failed publish leaves no inbox subscription');
  });
});
