// Micro services from JavaScript against a real nats-server (nats.js v3
// @nats-io/services names): discovery replies checked against schemas,
// groups and queue groups, stats, error replies, 100 concurrent async
// handlers, streamed replies, stop draining in-flight handlers, and interop
// with nats.js's own services in both directions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { connect as natsJsConnect } from '@nats-io/transport-node';
import { Svcm as NatsJsSvcm } from '@nats-io/services';

import { headers, InvalidArgumentError, InvalidNameError, NoRespondersError, TimeoutError } from '../../js/src/index.mjs';
import {
  ServiceError, ServiceErrorCodeHeader, ServiceErrorHeader, ServiceResponseType, Svcm, requestStream,
} from '../../js/src/services/index.mjs';
import { microSchemaErrors } from '../harness/micro-schemas.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, within } from './helpers.mjs';

function assertValid(verb, reply) {
  const why = microSchemaErrors(verb, reply);
  assert.equal(why, '', `${verb} reply invalid: ${why}\n${JSON.stringify(reply)}`);
}

let srv;
let nc;
let svcm;
const conns = new Connections();
let counter = 0;
const unique = (p) => `${p}_${process.pid}_${++counter}`;
const gate = () => { let open; const p = new Promise((r) => { open = r; }); return { p, open }; };

before(async () => {
  srv = await startServer('default.conf');
  nc = await conns.connect(srv.wsUrl);
  svcm = new Svcm(nc);
});
after(async () => {
  await conns.closeAll();
  await srv?.stop();
});

async function collect(iterable, ms = 10000) {
  const out = [];
  await within((async () => { for await (const x of iterable) out.push(x); })(), ms, 'iterator end');
  return out;
}

describe('services: discovery', () => {
  test('PING, INFO and STATS answer valid replies for all, by name and by id', async () => {
    const name = unique('disc');
    const svc = await svcm.add({ name, version: '1.2.3-rc.1', description: 'd', metadata: { team: 'x' } });
    svc.addEndpoint('echo', (err, m) => m.respond(m.data));
    svc.addGroup('math').addEndpoint('add', { handler: (err, m) => m.respond('3'), metadata: { unit: 'n' } });
    const client = svcm.client();
    for (const verb of ['PING', 'INFO', 'STATS']) {
      for (const args of [[], [name], [name, svc.id]]) {
        const replies = await collect(await client[verb.toLowerCase()](...args));
        const mine = replies.filter((r) => r.id === svc.id);
        assert.equal(mine.length, 1, `${verb} ${args.join('.')}`);
        assertValid(verb, mine[0]);
        assert.equal(mine[0].type, ServiceResponseType[verb]);
        assert.deepEqual(mine[0].metadata, { team: 'x' });
        if (args.length > 0) assert.equal(replies.length, 1, 'only the named service answers');
      }
    }
    const info = svc.info();
    assert.deepEqual(info.endpoints.map((e) => [e.name, e.subject, e.queue_group]),
      [['echo', 'echo', 'q'], ['add', 'math.add', 'q']]);
    assert.deepEqual(info.endpoints[1].metadata, { unit: 'n' });
    await svc.stop();
  });

  test('names, versions, subjects and groups are checked with typed errors', async () => {
    await assert.rejects(svcm.add({ name: 'a.b', version: '1.0.0' }), InvalidNameError);
    await assert.rejects(svcm.add({ name: 'ok', version: '1.0' }), InvalidArgumentError);
    const svc = await svcm.add({ name: unique('chk'), version: '0.0.1' });
    assert.throws(() => svc.addEndpoint('a b', () => {}), InvalidNameError);
    assert.throws(() => svc.addEndpoint('x', { subject: 'a..b', handler: () => {} }), InvalidArgumentError);
    assert.throws(() => svc.addGroup('g.>'), InvalidNameError);
    svc.addEndpoint('x', () => {});
    assert.throws(() => svc.addEndpoint('x', () => {}), InvalidArgumentError);
    await svc.stop();
    assert.throws(() => svc.addEndpoint('y', () => {}), /stopped/);
  });
});

describe('services: requests', () => {
  test('two instances share the queue group: each request is answered once', async () => {
    const name = unique('q');
    const seen = [0, 0];
    const a = await svcm.add({ name, version: '1.0.0' });
    const b = await svcm.add({ name, version: '1.0.0' });
    const subject = unique('qsub');
    a.addEndpoint('e', { subject, handler: (err, m) => { seen[0]++; m.respond('a'); } });
    b.addEndpoint('e', { subject, handler: (err, m) => { seen[1]++; m.respond('b'); } });
    await nc.flush();
    for (let i = 0; i < 40; i++) await nc.request(subject, '', { timeout: 2000 });
    assert.equal(seen[0] + seen[1], 40);
    await a.stop();
    await b.stop();
  });

  test('stats count requests, time and errors (thrown and replied)', async () => {
    const svc = await svcm.add({ name: unique('stats'), version: '1.0.0', statsHandler: async (ep) => ({ ep: ep.name }) });
    const subject = unique('st');
    svc.addEndpoint('work', {
      subject,
      handler: async (err, m) => {
        const what = m.string();
        await new Promise((r) => setTimeout(r, 5));
        if (what === 'throw') throw new Error('boom');
        if (what === 'svc') throw new ServiceError(409, 'conflict');
        if (what === 'reply') return m.respondError(422, 'bad input', 'detail');
        m.respond('ok');
      },
    });
    const ok = await nc.request(subject, 'fine');
    assert.equal(ok.string(), 'ok');
    assert.equal(ServiceError.isServiceError(ok), false);
    const thrown = await nc.request(subject, 'throw');
    assert.equal(thrown.headers.get(ServiceErrorCodeHeader), '500');
    assert.equal(thrown.headers.get(ServiceErrorHeader), 'boom');
    const se = ServiceError.toServiceError(await nc.request(subject, 'svc'));
    assert.ok(se instanceof ServiceError);
    assert.equal(se.code, 409);
    assert.equal(se.message, 'conflict');
    const replied = await nc.request(subject, 'reply');
    assert.equal(replied.string(), 'detail');
    assert.equal(ServiceError.toServiceError(replied).code, 422);
    const stats = await svc.stats();
    assertValid('STATS', stats);
    const ep = stats.endpoints[0];
    assert.equal(ep.num_requests, 4);
    assert.equal(ep.num_errors, 3);
    assert.equal(ep.last_error, '422:bad input');
    assert.ok(ep.processing_time >= 4 * 4_000_000, `processing_time ${ep.processing_time} ns`);
    assert.equal(ep.average_processing_time, Math.floor(ep.processing_time / 4));
    assert.deepEqual(ep.data, { ep: 'work' });
    svc.reset();
    const after0 = await svc.stats();
    assert.equal(after0.endpoints[0].num_requests, 0);
    assert.equal(after0.endpoints[0].last_error, '');
    await svc.stop();
    assert.equal((await svc.stats()).endpoints[0].num_requests, 0, 'stats still answer after stop');
  });

  test('100 concurrent requests are all in flight at once in an async handler', async () => {
    const svc = await svcm.add({ name: unique('conc'), version: '1.0.0' });
    const subject = unique('conc');
    const g = gate();
    let inFlight = 0;
    let peak = 0;
    svc.addEndpoint('slow', {
      subject,
      handler: async (err, m) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        if (inFlight === 100) g.open();
        await g.p;
        inFlight--;
        m.respond(m.data);
      },
    });
    const replies = await within(Promise.all(Array.from({ length: 100 }, (_, i) => nc.request(subject, String(i), { timeout: 10000 }))), 15000, '100 replies');
    assert.equal(peak, 100);
    assert.deepEqual(replies.map((r) => r.string()), Array.from({ length: 100 }, (_, i) => String(i)));
    assert.equal((await svc.stats()).endpoints[0].num_requests, 100);
    await svc.stop();
  });

  test('iterator mode yields ServiceMsgs that can reply and fail', async () => {
    const svc = await svcm.add({ name: unique('iter'), version: '1.0.0' });
    const subject = unique('it');
    const iter = svc.addEndpoint('it', { subject });
    const served = (async () => {
      for await (const m of iter) {
        if (m.string() === 'bad') m.respondError(400, 'no');
        else m.respond(m.string().toUpperCase());
      }
    })();
    await nc.flush();
    assert.equal((await nc.request(subject, 'hi')).string(), 'HI');
    assert.equal(ServiceError.toServiceError(await nc.request(subject, 'bad')).code, 400);
    await svc.stop();
    await within(served, 5000, 'iterator ends at stop');
    const st = await svc.stats();
    assert.equal(st.endpoints[0].num_requests, 2);
    assert.equal(st.endpoints[0].num_errors, 1);
  });
});

describe('services: streamed replies', () => {
  test('an async generator handler streams chunks in order, then the end', async () => {
    const svc = await svcm.add({ name: unique('stream'), version: '1.0.0' });
    const subject = unique('gen');
    svc.addEndpoint('gen', {
      subject,
      handler: async function* (err, m) {
        const n = Number(m.string());
        for (let i = 0; i < n; i++) {
          if (i % 50 === 0) await new Promise((r) => setTimeout(r, 1));
          yield `chunk-${i}`;
        }
      },
    });
    await nc.flush();
    const chunks = await collect(requestStream(nc, subject, '500'));
    assert.deepEqual(chunks.map((m) => m.string()), Array.from({ length: 500 }, (_, i) => `chunk-${i}`));
    assert.deepEqual(await collect(requestStream(nc, subject, '0')), [], 'an empty stream ends at once');
    assert.equal((await svc.stats()).endpoints[0].num_requests, 2);
    await svc.stop();
  });

  test('an error in the middle ends the stream with ServiceError; empty chunks are refused', async () => {
    const svc = await svcm.add({ name: unique('serr'), version: '1.0.0' });
    const subject = unique('serr');
    svc.addEndpoint('s', {
      subject,
      handler: async function* (err, m) {
        yield 'one';
        if (m.string() === 'empty') yield '';
        throw new ServiceError(503, 'backend gone');
      },
    });
    await nc.flush();
    const got = [];
    await assert.rejects((async () => { for await (const c of requestStream(nc, subject, 'x')) got.push(c.string()); })(),
      (e) => e instanceof ServiceError && e.code === 503 && e.message === 'backend gone');
    assert.deepEqual(got, ['one']);
    await assert.rejects(collect(requestStream(nc, subject, 'empty')), (e) => e instanceof ServiceError && e.code === 500 && /empty/.test(e.message));
    const st = (await svc.stats()).endpoints[0];
    assert.equal(st.num_errors, 2);
    await svc.stop();
  });

  test('a stream that never ends is a TimeoutError, and nobody listening is NoRespondersError', async () => {
    const subject = unique('noend');
    const sub = nc.subscribe(subject, { callback: (err, m) => m.respond('partial') });
    await nc.flush();
    const got = [];
    await assert.rejects((async () => { for await (const c of requestStream(nc, subject, '', { timeout: 300 })) got.push(c.string()); })(), TimeoutError);
    assert.deepEqual(got, ['partial']);
    sub.unsubscribe();
    await assert.rejects(collect(requestStream(nc, unique('nobody'), '')), NoRespondersError);
  });
});

describe('services: stop', () => {
  test('stop() waits for in-flight handlers, answers them, then nobody responds', async () => {
    const svc = await svcm.add({ name: unique('stop'), version: '1.0.0' });
    const subject = unique('stop');
    const g = gate();
    let started = 0;
    svc.addEndpoint('e', { subject, handler: async (err, m) => { started++; await g.p; m.respond('done'); } });
    await nc.flush();
    const pending = [nc.request(subject, '', { timeout: 5000 }), nc.request(subject, '', { timeout: 5000 })];
    await within((async () => { while (started < 2) await new Promise((r) => setTimeout(r, 5)); })(), 5000, 'handlers start');
    let stopped = false;
    const stopping = svc.stop().then(() => { stopped = true; });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(stopped, false, 'stop waits for running handlers');
    g.open();
    await within(stopping, 5000, 'stop');
    assert.deepEqual((await Promise.all(pending)).map((m) => m.string()), ['done', 'done']);
    assert.equal(await svc.stopped, null);
    assert.equal(svc.isStopped, true);
    await assert.rejects(nc.request(subject, '', { timeout: 1000 }), (e) => e.isNoResponders());
  });

  test('closing the connection stops the service with the close', async () => {
    const own = await conns.connect(srv.wsUrl);
    const svc = await new Svcm(own).add({ name: unique('close'), version: '1.0.0' });
    await own.close();
    assert.equal(await within(svc.stopped, 5000, 'stopped'), null);
  });
});

describe('services: interop with nats.js', () => {
  test('a nats.js service is discovered and called from nats-wasm, and the reverse', async () => {
    const jsnc = await natsJsConnect({ servers: `127.0.0.1:${srv.port}` });
    try {
      const theirs = await new NatsJsSvcm(jsnc).add({ name: unique('natsjs'), version: '2.0.0' });
      const theirSubject = unique('theirs');
      theirs.addEndpoint('up', { subject: theirSubject, handler: (err, m) => m.respond(m.string().toUpperCase()) });
      theirs.addEndpoint('fail', { subject: `${theirSubject}.fail`, handler: (err, m) => m.respondError(418, 'teapot') });
      await jsnc.flush();
      assert.equal((await nc.request(theirSubject, 'abc')).string(), 'ABC');
      const se = ServiceError.toServiceError(await nc.request(`${theirSubject}.fail`, ''));
      assert.equal(se.code, 418);
      const found = await collect(await svcm.client().info(theirs.info().name));
      assert.equal(found.length, 1);
      assertValid('INFO', found[0]);

      const mine = await svcm.add({ name: unique('ours'), version: '1.0.0', metadata: { k: 'v' } });
      const mySubject = unique('mine');
      mine.addEndpoint('rev', { subject: mySubject, handler: (err, m) => m.respond([...m.string()].reverse().join('')) });
      await nc.flush();
      assert.equal((await jsnc.request(mySubject, 'abc')).string(), 'cba');
      const pings = [];
      for await (const p of await new NatsJsSvcm(jsnc).client().ping(mine.info().name)) pings.push(p);
      assert.equal(pings.length, 1);
      assert.equal(pings[0].id, mine.id);
      const stats = [];
      for await (const s of await new NatsJsSvcm(jsnc).client().stats(mine.info().name, mine.id)) stats.push(s);
      assert.equal(stats[0].endpoints[0].num_requests, 1);
      await mine.stop();
      await theirs.stop();
    } finally {
      await jsnc.close();
    }
  });
});

test('ServiceClient with another discovery prefix asks there; a wildcard prefix is refused', async () => {
  const nc = await conns.connect(srv.wsUrl);
  const sub = nc.subscribe('my.srv.PING', { callback: (_e, m) => m.respond(JSON.stringify({ type: ServiceResponseType.PING, name: 'x' })) });
  await nc.flush();
  const replies = [];
  for await (const r of await new Svcm(nc).client({ strategy: 'stall', maxWait: 2000 }, 'my.srv').ping()) replies.push(r);
  assert.deepEqual(replies.map((r) => r.name), ['x']);
  assert.equal(ServiceResponseType.PING, 'io.nats.micro.v1.ping_response');
  await assert.rejects(async () => { for await (const _ of await new Svcm(nc).client(undefined, 'my.*').info()); },
    (e) => e instanceof InvalidArgumentError);
  sub.unsubscribe();
});

test('error replies keep the caller\'s own headers', async () => {
  const svc = await svcm.add({ name: unique('hdr'), version: '1.0.0' });
  const subject = unique('hdr');
  svc.addEndpoint('h', { subject, handler: (err, m) => { const h = headers(); h.set('X-Trace', 't1'); m.respondError(400, 'bad', '', { headers: h }); } });
  await nc.flush();
  const r = await nc.request(subject, '');
  assert.equal(r.headers.get('X-Trace'), 't1');
  assert.equal(r.headers.get(ServiceErrorCodeHeader), '400');
  await svc.stop();
});

test('the schema check rejects a reply that breaks the schema (so the checks above can fail)', () => {
  const good = { type: ServiceResponseType.PING, name: 'a', id: 'x', version: '1.0.0' };
  assert.equal(microSchemaErrors('PING', good), '');
  assert.notEqual(microSchemaErrors('PING', { ...good, type: 'other' }), '');
  const ep = { name: 'e', subject: 'e', num_requests: 0, num_errors: 0, processing_time: 0, average_processing_time: 0 };
  const stats = { ...good, type: ServiceResponseType.STATS, started: '2026-01-01T00:00:00.000Z', endpoints: [ep] };
  assert.match(microSchemaErrors('STATS', stats), /last_error/);
});

test('closing the connection under a streaming handler reports, never an unhandled rejection', async () => {
  const own = await conns.connect(srv.wsUrl);
  const svc = await new Svcm(own).add({ name: unique('closing'), version: '1.0.0' });
  const subject = unique('closing');
  const started = gate();
  const release = gate();
  svc.addEndpoint('s', {
    subject,
    handler: async function* () {
      yield 'first';
      started.open();
      await release.p;
      yield 'after the close';
    },
  });
  await own.flush();
  const unhandled = [];
  const onUnhandled = (err) => unhandled.push(err);
  process.on('unhandledRejection', onUnhandled);
  try {
    const reading = (async () => { for await (const m of requestStream(nc, subject, '', { timeout: 2000 })) void m; })();
    reading.catch(() => {});
    await within(started.p, 5000, 'the stream started');
    await own.close();
    release.open();
    await within(svc.stopped, 5000, 'the service stopped');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
