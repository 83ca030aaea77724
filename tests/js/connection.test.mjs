// NatsConnection: flush, rtt, stats, info, status, closed, drain, close,
// errors after close, max_payload and argument validation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  ClosedConnectionError, ConnectionError, DrainingConnectionError, InvalidArgumentError, InvalidSubjectError,
  MaxPayloadError, NatsError, RequestError, headers,
} from '../../js/src/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, assertNamedError, byteRamp, drainIterable, sleep, within } from './helpers.mjs';

let srv;
let nc;
const conns = new Connections();

before(async () => {
  srv = await startServer('default.conf');
  nc = await conns.connect(srv.wsUrl);
});

after(async () => {
  await conns.closeAll();
  await srv?.stop();
});

describe('flush, rtt, stats, info', () => {
  test('flush: a publish before flush() is delivered by the time it resolves', async () => {
    for (let round = 0; round < 5; round++) {
      const sub = nc.subscribe(`flush.order.${round}`);
      nc.publish(`flush.order.${round}`, 'x');
      await nc.flush();
      assert.equal(sub.getReceived(), 1, `round ${round}`);
      sub.unsubscribe();
    }
  });

  test('rtt() is a positive number of milliseconds', async () => {
    const rtt = await nc.rtt();
    assert.equal(typeof rtt, 'number');
    assert.ok(rtt > 0 && rtt < 1000, `rtt ${rtt}`);
  });

  test('stats() counts messages and bytes both ways', async () => {
    const c = await conns.connect(srv.wsUrl);
    assert.deepEqual(c.stats(), { inMsgs: 0, outMsgs: 0, inBytes: 0, outBytes: 0 });
    const sub = c.subscribe('stats.count', { max: 3 });
    c.publish('stats.count', 'abc');
    c.publish('stats.count', new Uint8Array(10));
    c.publish('stats.count');
    await drainIterable(sub);
    const s = c.stats();
    assert.equal(s.outMsgs, 3);
    assert.equal(s.outBytes, 13);
    assert.equal(s.inMsgs, 3);
    assert.equal(s.inBytes, 13);
    await c.close();
    assert.deepEqual(c.stats(), s, 'stats stay readable after close');
  });

  test('info has the server fields', () => {
    const { info } = nc;
    assert.equal(info.max_payload, 65536);
    assert.equal(info.headers, true);
    assert.equal(typeof info.server_id, 'string');
    assert.equal(typeof info.version, 'string');
    assert.ok(info.proto >= 1);
    assert.equal(info.jetstream, true);
  });

  test('getServer() is the server in use as host:port (nats.js)', () => {
    assert.equal(nc.getServer(), new URL(srv.wsUrl).host);
  });
});

describe('status, closed, close', () => {
  test("status() yields 'close' on close and then ends", async () => {
    const c = await conns.connect(srv.wsUrl);
    const seen = (async () => {
      const types = [];
      for await (const s of c.status()) types.push(s);
      return types;
    })();
    await c.close();
    const events = await within(seen, 2000, 'status end');
    assert.deepEqual(events.map((s) => s.type), ['close']);
    assert.equal(events[0].error, undefined);
  });

  test('status() after close ends at once', async () => {
    const c = await conns.connect(srv.wsUrl);
    await c.close();
    const { msgs } = await within(drainIterable(c.status()), 1000, 'status after close');
    assert.deepEqual(msgs, []);
  });

  test('closed() resolves undefined on a clean close; isClosed()', async () => {
    const c = await conns.connect(srv.wsUrl);
    assert.equal(c.isClosed(), false);
    await c.close();
    assert.equal(c.isClosed(), true);
    assert.equal(await within(c.closed(), 1000, 'closed()'), undefined);
    await c.close(); // idempotent
  });

  test('close() rejects a pending request with RequestError caused by ClosedConnectionError (nats.js)', async () => {
    const c = await conns.connect(srv.wsUrl);
    c.subscribe('close.silent', { callback: () => {} });
    const p = c.request('close.silent', 'x', { timeout: 5000 });
    await c.flush();
    const outcome = p.then(() => null, (err) => err);
    await c.close();
    const err = await within(outcome, 1000, 'pending request');
    assertNamedError(err, RequestError);
    assertNamedError(err.cause, ClosedConnectionError);
  });

  test('close() rejects a pending flush with ClosedConnectionError', async () => {
    const c = await conns.connect(srv.wsUrl);
    const outcome = c.flush().then(() => null, (err) => err);
    await c.close();
    assertNamedError(await within(outcome, 1000, 'pending flush'), ClosedConnectionError);
  });

  test('a request and a flush pending at close() are awaited after it: the error, and no unhandled rejection', async () => {
    const unhandled = [];
    const onUnhandled = (err) => unhandled.push(err);
    process.on('unhandledRejection', onUnhandled);
    try {
      const c = await conns.connect(srv.wsUrl);
      c.subscribe('close.later', { callback: () => {} });
      const p = c.request('close.later', 'x', { timeout: 5000 });
      const f = c.flush();
      await c.close();
      await new Promise((r) => setImmediate(r)); // Node reports unhandled rejections before this
      await assert.rejects(p, (err) => err instanceof RequestError && err.cause instanceof ClosedConnectionError);
      await assert.rejects(f, (err) => err instanceof ClosedConnectionError);
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test('every call after close throws or rejects ClosedConnectionError', async () => {
    const c = await conns.connect(srv.wsUrl);
    await c.close();
    const isClosedErr = (err) => assertNamedError(err, ClosedConnectionError);
    assert.throws(() => c.publish('x', 'y'), isClosedErr);
    assert.throws(() => c.subscribe('x'), isClosedErr);
    assert.throws(() => c.newInbox(), isClosedErr);
    await assert.rejects(c.request('x', 'y'), isClosedErr);
    await assert.rejects(c.requestMany('x', 'y'), isClosedErr);
    await assert.rejects(c.flush(), isClosedErr);
    await assert.rejects(c.rtt(), isClosedErr);
    await assert.rejects(c.drain(), isClosedErr);
    assert.equal(c.isDraining(), false);
    assert.equal(c.engineStats.pendingRequests, 0);
  });

  test('the server going away without reconnect: closed() resolves with ConnectionError, everything ends', async () => {
    const own = await startServer('default.conf');
    try {
      const c = await conns.connect(own.wsUrl, { reconnect: false });
      const sub = c.subscribe('gone.sub');
      const reading = drainIterable(sub);
      c.subscribe('gone.silent', { callback: () => {} });
      const pending = c.request('gone.silent', 'x', { timeout: 10000 }).then(() => null, (e) => e);
      const statuses = (async () => {
        const types = [];
        for await (const s of c.status()) types.push(s.type);
        return types;
      })();
      await c.flush();
      await own.stop();
      const err = await within(c.closed(), 3000, 'closed() after server stop');
      assertNamedError(err, ConnectionError);
      assert.ok(err instanceof NatsError);
      assert.equal(c.isClosed(), true);
      const { error } = await within(reading, 1000, 'subscription end');
      assertNamedError(error, ConnectionError);
      assert.ok((await pending) instanceof NatsError, 'pending request rejected');
      const types = await within(statuses, 1000, 'status end');
      assert.deepEqual(types.slice(-2), ['disconnect', 'close']);
      assert.throws(() => c.publish('x'), (e) => assertNamedError(e, ClosedConnectionError));
    } finally {
      await own.stop();
    }
  });

  test("lame duck mode: status() yields 'ldm' with the server; alone, the client stays", async () => {
    const own = await startServer('default.conf', { extraConfig: 'lame_duck_duration: "30s"\nlame_duck_grace_period: "1s"' });
    try {
      const c = await conns.connect(own.wsUrl);
      const events = [];
      let sawLdm;
      const ldmSeen = new Promise((resolve) => { sawLdm = resolve; });
      (async () => {
        for await (const s of c.status()) {
          events.push(s);
          if (s.type === 'ldm') sawLdm(s);
        }
      })();
      // SIGUSR2 puts nats-server into lame duck mode.
      process.kill(own.pid, 'SIGUSR2');
      const ldm = await within(ldmSeen, 5000, 'ldm status');
      assert.equal(ldm.server, new URL(own.wsUrl).host, 'host:port, as nats.js gives it');
      assert.equal(c.info.ldm, true);
      assert.equal(c.isClosed(), false, 'still open during the grace period');
      assert.ok(!events.some((s) => s.type === 'disconnect'), 'no other server to move to');
      await c.close();
    } finally {
      await own.stop();
    }
  });
});

describe('drain', () => {
  test('messages published before drain() are all delivered, then it closes', async () => {
    const sub1 = await conns.connect(srv.wsUrl);
    const pub = await conns.connect(srv.wsUrl);
    const sub = sub1.subscribe('drain.count');
    const reading = drainIterable(sub);
    await sub1.flush();
    const N = 1000;
    for (let i = 0; i < N; i++) pub.publish('drain.count', `${i}`);
    await pub.flush();
    await within(sub1.drain(), 5000, 'drain');
    const { msgs, error } = await reading;
    assert.equal(error, null);
    assert.equal(msgs.length, N);
    assert.equal(msgs[N - 1].string(), `${N - 1}`);
    assert.equal(sub1.isClosed(), true);
    assert.equal(await sub1.closed(), undefined);
    await pub.close();
  });

  test('own publishes right before drain() are flushed and delivered', async () => {
    const c = await conns.connect(srv.wsUrl);
    const sub = c.subscribe('drain.self');
    const reading = drainIterable(sub);
    for (let i = 0; i < 1000; i++) c.publish('drain.self', `${i}`);
    await within(c.drain(), 5000, 'drain');
    const { msgs } = await reading;
    assert.equal(msgs.length, 1000);
  });

  test('while draining: isDraining(); subscribe/request/drain fail with DrainingConnectionError', async () => {
    const c = await conns.connect(srv.wsUrl);
    c.subscribe('drain.busy', { callback: () => {} });
    const draining = c.drain();
    assert.equal(c.isDraining(), true);
    assert.throws(() => c.subscribe('drain.more'), (e) => assertNamedError(e, DrainingConnectionError));
    await assert.rejects(c.request('drain.busy', 'x'), (e) => assertNamedError(e, DrainingConnectionError));
    await assert.rejects(c.drain(), (e) => assertNamedError(e, DrainingConnectionError));
    await within(draining, 3000, 'drain');
    assert.equal(c.isDraining(), true, 'nats.js keeps it true once drained');
    assert.equal(c.isClosed(), true);
  });
});

describe('limits and validation', () => {
  test('a payload over max_payload throws MaxPayloadError (an InvalidArgumentError)', () => {
    assert.throws(() => nc.publish('big', new Uint8Array(65537)), (err) => {
      assertNamedError(err, MaxPayloadError);
      assert.ok(err instanceof InvalidArgumentError);
      assert.ok(err instanceof NatsError);
      return true;
    });
  });

  test('headers count toward max_payload', () => {
    const h = headers();
    h.set('K', 'v');
    assert.throws(() => nc.publish('big', new Uint8Array(65536 - 5), { headers: h }),
      (err) => assertNamedError(err, MaxPayloadError));
  });

  test('exactly max_payload bytes works and arrives whole', async () => {
    const payload = byteRamp(65536);
    const sub = nc.subscribe('big.exact', { max: 1 });
    nc.publish('big.exact', payload);
    const { msgs } = await within(drainIterable(sub), 3000, 'max payload message');
    assert.equal(msgs[0].data.length, 65536);
    assert.deepEqual(msgs[0].data, payload);
  });

  test('headers plus payload of exactly max_payload works and arrives whole', async () => {
    const h = headers();
    h.set('K', 'v');
    const hlen = h.encode().length;
    const payload = byteRamp(65536 - hlen);
    const sub = nc.subscribe('big.hdr', { max: 1 });
    nc.publish('big.hdr', payload, { headers: h });
    const { msgs } = await within(drainIterable(sub), 3000, 'max payload with headers');
    assert.deepEqual(msgs[0].data, payload);
    assert.equal(msgs[0].headers.get('K'), 'v');
  });

  test('invalid subjects throw InvalidSubjectError', () => {
    const isSubjectErr = (err) => {
      assertNamedError(err, InvalidSubjectError);
      assert.ok(err instanceof InvalidArgumentError);
      return true;
    };
    assert.throws(() => nc.publish('a b', 'x'), isSubjectErr);
    assert.throws(() => nc.publish('', 'x'), isSubjectErr);
    assert.throws(() => nc.publish('a\tb', 'x'), isSubjectErr);
    assert.throws(() => nc.subscribe('a..b'), isSubjectErr);
    assert.throws(() => nc.subscribe('a.>.b'), isSubjectErr);
    assert.throws(() => nc.subscribe('.a'), isSubjectErr);
    assert.throws(() => nc.subscribe(''), isSubjectErr);
    assert.throws(() => nc.publish('ok', 'x', { reply: 'bad reply' }), isSubjectErr);
  });

  test('an invalid queue group throws InvalidArgumentError', () => {
    assert.throws(() => nc.subscribe('q.ok', { queue: 'bad queue' }), (err) => assertNamedError(err, InvalidArgumentError));
  });

  test('a payload that is not bytes or a string throws InvalidArgumentError', () => {
    assert.throws(() => nc.publish('x', 42), (err) => assertNamedError(err, InvalidArgumentError));
    assert.throws(() => nc.publish('x', { a: 1 }), (err) => assertNamedError(err, InvalidArgumentError));
  });

  test('failed calls leave the connection usable', async () => {
    const before = nc.engineStats.subscriptions;
    try { nc.subscribe('a..b'); } catch { /* expected */ }
    try { nc.publish('x', new Uint8Array(70000)); } catch { /* expected */ }
    assert.equal(nc.engineStats.subscriptions, before);
    const sub = nc.subscribe('still.ok', { max: 1 });
    nc.publish('still.ok', 'yes');
    const { msgs } = await within(drainIterable(sub), 2000, 'after errors');
    assert.equal(msgs[0].string(), 'yes');
    assert.equal(nc.isClosed(), false);
  });

  test('engineStats reports the engine counters', async () => {
    const c = await conns.connect(srv.wsUrl);
    const s0 = c.engineStats;
    assert.deepEqual(Object.keys(s0).sort(), ['pendingOutput', 'pendingRequests', 'receiveBuffered', 'state', 'subscriptions']);
    assert.equal(s0.subscriptions, 0);
    c.subscribe('es.a');
    c.subscribe('es.b');
    assert.equal(c.engineStats.subscriptions, 2);
    await c.close();
    await sleep(0);
    assert.equal(c.engineStats.subscriptions, 0);
  });
});
