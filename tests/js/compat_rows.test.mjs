// Behaviour tests for compatibility rows (tests/compat/js.json) of
// nats-core and services that no other suite exercised: each name as a
// nats.js program uses it, against a real server, compared with nats.js
// (@nats-io/*) where nats.js has the same thing. JetStream, KV and object
// store rows are in compat_rows_jetstream.test.mjs.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import * as natsJs from '@nats-io/nats-core';
import { connect as natsJsConnect } from '@nats-io/transport-node';
import { ServiceVerb as natsJsServiceVerb, Svcm as NatsJsSvcm } from '@nats-io/services';

import {
  AbortError, InvalidArgumentError, backoff, connect, deferred, delay, headers, wsconnect,
} from '../../js/src/index.mjs';
import { ServiceVerb, Svcm } from '../../js/src/services/index.mjs';
import { microSchemaErrors } from '../harness/micro-schemas.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, drainIterable, within } from './helpers.mjs';

let srv;
let nc;
let theirs; // nats.js over TCP to the same server
const conns = new Connections();
const tmp = await mkdtemp(path.join(os.tmpdir(), 'nats-wasm-rows-'));

before(async () => {
  srv = await startServer('default.conf');
  nc = await conns.connect(srv.wsUrl);
  theirs = await natsJsConnect({ servers: `127.0.0.1:${srv.port}` });
});
after(async () => {
  await theirs?.close();
  await conns.closeAll();
  await srv?.stop();
  await rm(tmp, { recursive: true, force: true });
});

/** A free loopback port (nothing listens on it once this resolves). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Resolves with the first status event of nc matching pred. */
function nextStatus(conn, pred, what) {
  return within((async () => {
    for await (const s of conn.status()) if (pred(s)) return s;
    throw new Error(`closed before ${what}`);
  })(), 10000, what);
}

describe('nats-core', () => {
  test('MsgHdrs[Symbol.iterator] yields [key, values[]] as nats.js\'s, also on a received message', async () => {
    const ours = headers();
    const them = natsJs.headers();
    for (const h of [ours, them]) { h.append('A', '1'); h.append('B', '2'); h.append('A', '3'); }
    assert.deepEqual([...ours[Symbol.iterator]()], [...them[Symbol.iterator]()]);
    assert.deepEqual([...ours], [['A', ['1', '3']], ['B', ['2']]]);
    const sub = nc.subscribe('rows.hdr', { max: 1 });
    nc.publish('rows.hdr', 'x', { headers: ours });
    const { msgs: [m] } = await drainIterable(sub);
    assert.deepEqual([...m.headers], [['A', ['1', '3']], ['B', ['2']]]);
  });

  test('SubscriptionOptions: queue, max, callback and signal', async () => {
    const got = { q1: 0, q2: 0, all: 0 };
    const q1 = nc.subscribe('rows.sub', { queue: 'g', callback: () => { got.q1++; } });
    const q2 = nc.subscribe('rows.sub', { queue: 'g', callback: () => { got.q2++; } });
    const all = nc.subscribe('rows.sub', { callback: () => { got.all++; } });
    const two = nc.subscribe('rows.sub', { max: 2 });
    const ac = new AbortController();
    const aborted = nc.subscribe('rows.sub', { signal: ac.signal });
    await nc.flush();
    for (let i = 0; i < 20; i++) nc.publish('rows.sub', `${i}`);
    await nc.flush();
    const { msgs } = await drainIterable(two);
    assert.deepEqual(msgs.map((m) => m.string()), ['0', '1'], 'max: 2 then closed');
    assert.equal(two.isClosed(), true);
    ac.abort();
    const { error } = await drainIterable(aborted);
    assert.ok(error instanceof AbortError, `signal ends it: ${error}`);
    assert.equal(got.all, 20);
    assert.equal(got.q1 + got.q2, 20, 'a queue group gets each message once');
    for (const s of [q1, q2, all]) s.unsubscribe();
  });

  test('ServerInfo: nc.info has nats.js\'s ServerInfo fields and values for the same server', async () => {
    const info = nc.info;
    for (const k of ['server_id', 'server_name', 'version', 'go', 'host']) assert.equal(typeof info[k], 'string', k);
    for (const k of ['client_id', 'max_payload', 'port', 'proto']) assert.equal(typeof info[k], 'number', k);
    assert.equal(info.max_payload, 65536, 'tests/config/default.conf');
    assert.equal(info.headers, true);
    assert.equal(info.jetstream, true);
    assert.deepEqual({ ...info, client_id: 0 }, { ...theirs.info, client_id: 0 });
  });

  test('RequestStrategy: timer, count, stall and sentinel end a requestMany as nats.js\'s', async () => {
    const svc = nc.subscribe('rows.many', {
      callback: (err, m) => { m.respond('a'); m.respond('b'); m.respond('c'); m.respond(''); },
    });
    await nc.flush();
    const strings = async (opts) => (await drainIterable(await nc.requestMany('rows.many', '', opts))).msgs.map((m) => m.string());
    assert.deepEqual(await strings({ strategy: 'count', maxMessages: 2, maxWait: 5000 }), ['a', 'b']);
    assert.deepEqual(await strings({ strategy: 'sentinel', maxWait: 5000 }), ['a', 'b', 'c', '']);
    assert.deepEqual(await strings({ strategy: 'stall', stall: 200, maxWait: 5000 }), ['a', 'b', 'c', '']);
    assert.deepEqual(await strings({ strategy: 'timer', maxWait: 1000 }), ['a', 'b', 'c', '']);
    const t = await drainIterable(await theirs.requestMany('rows.many', '', { strategy: 'sentinel', maxWait: 5000 }));
    assert.deepEqual(t.msgs.map((m) => m.string()), ['a', 'b', 'c', ''], 'nats.js: the same strategy');
    await assert.rejects(nc.requestMany('rows.many', '', { strategy: 'count' }), InvalidArgumentError);
    svc.unsubscribe();
  });

  test('Deferred, Delay and Backoff (the types of deferred(), delay(), backoff()) behave as nats.js\'s', async () => {
    for (const make of [deferred, natsJs.deferred]) {
      const ok = make();
      ok.resolve(5);
      assert.equal(await ok, 5);
      const bad = make();
      bad.reject(new Error('no'));
      await assert.rejects(bad, /no/);
    }
    for (const make of [delay, natsJs.delay]) {
      const t0 = performance.now();
      await make(30);
      assert.ok(performance.now() - t0 >= 25, 'waits about ms');
      const long = make(60000);
      long.cancel();
      await within(long, 1000, 'cancel() resolves a Delay at once');
    }
    const b = backoff([10, 20]);
    assert.equal(typeof b.backoff, 'function');
    assert.deepEqual([0, 1, 5].map((a) => b.backoff(a)), [10, 20, 20]);
    assert.equal(typeof natsJs.backoff([10, 20]).backoff(1), 'number');
  });

  test('WsConnectionOptions: wsconnect() takes ConnectionOptions (noEcho, name) as nats.js\'s wsconnect', async () => {
    const quiet = await wsconnect({ servers: srv.wsUrl, noEcho: true, name: 'rows-ws' });
    conns.open.add(quiet);
    const own = quiet.subscribe('rows.echo');
    const other = nc.subscribe('rows.echo', { max: 1 });
    await quiet.flush();
    await nc.flush();
    quiet.publish('rows.echo', 'mine');
    await quiet.flush();
    nc.publish('rows.echo', 'theirs');
    const { msgs: [m] } = await drainIterable(own, 1);
    assert.equal(m.string(), 'theirs', 'noEcho: its own publish never came back');
    assert.equal((await drainIterable(other)).msgs[0].string(), 'mine');
    await quiet.close();
  });

  test('ConnectionOptions.waitOnFirstConnect: connect() waits for a server that starts later', async () => {
    const late = await startServer('default.conf');
    await late.kill(); // its ports are known; nothing listens there now
    let settled = false;
    const waiting = connect({ servers: late.wsUrl, waitOnFirstConnect: true, reconnectTimeWait: 50 })
      .finally(() => { settled = true; });
    await assert.rejects(connect({ servers: late.wsUrl }), { name: 'ConnectionError' }, 'without it: fails at once');
    assert.equal(settled, false, 'with it: still trying');
    await late.restart();
    const c = await within(waiting, 15000, 'waitOnFirstConnect');
    conns.open.add(c);
    await c.flush();
    assert.equal(c.info.port, late.port, 'connected to the late server');
    await c.close();
    await late.stop();
  });

  test('ConnectionOptions.reconnectJitterTLS: the jitter of wss:// servers (reconnectJitter is for ws://)', async () => {
    const port = await freePort();
    const hour = 3600000;
    // Nothing listens: each attempt fails, and the pause before the next one
    // is reconnectTimeWait plus up to the jitter. An hour of the wrong jitter
    // would keep these pending; both give up after 5 quick attempts.
    const tryAll = (url, jitter, jitterTLS) => connect({
      servers: url, waitOnFirstConnect: true, maxReconnectAttempts: 5, reconnectTimeWait: 20,
      reconnectJitter: jitter, reconnectJitterTLS: jitterTLS,
    });
    await within(Promise.all([
      assert.rejects(tryAll(`wss://127.0.0.1:${port}`, hour, 0), { name: 'ConnectionError' }),
      assert.rejects(tryAll(`ws://127.0.0.1:${port}`, 0, hour), { name: 'ConnectionError' }),
    ]), 20000, 'the jitter that applies is 0');
    await assert.rejects(connect({ servers: srv.wsUrl, reconnectJitterTLS: -1 }), InvalidArgumentError);
  });

  test('ConnectionOptions.debug: accepted; the connection works', async () => {
    // nats.js prints the protocol to the console with debug: true; nats-wasm
    // accepts the option and ignores it (js/index.d.ts), so all a client can
    // observe is that it is taken and changes nothing.
    const c = await conns.connect(srv.wsUrl, { debug: true });
    const sub = c.subscribe('rows.debug', { max: 1 });
    c.publish('rows.debug', 'ok');
    assert.equal((await drainIterable(sub)).msgs[0].string(), 'ok');
    await c.close();
  });
});

describe('a cluster announcing a server', () => {
  let a;
  let b;
  let clusterPort;
  const conf = (name, cluster) => {
    const file = path.join(tmp, name);
    return writeFile(file, `listen: "127.0.0.1:{{PORT}}"\nwebsocket { listen: "127.0.0.1:{{WS_PORT}}"\n no_tls: true }\n`
      + `cluster { name: "rows"\n ${cluster} }\n`).then(() => file);
  };
  before(async () => {
    clusterPort = await freePort();
    a = await startServer(await conf('a.conf', `listen: "127.0.0.1:${clusterPort}"`));
  });
  after(async () => {
    await b?.stop();
    await a?.stop();
  });

  test('status:update with ServersChanged (added, deleted); ConnectionOptions.ignoreClusterUpdates keeps the pool', async () => {
    const c = await conns.connect(a.wsUrl);
    const ignoring = await conns.connect(a.wsUrl, { ignoreClusterUpdates: true });
    const them = await natsJsConnect({ servers: `127.0.0.1:${a.port}` });
    try {
      const updates = [];
      const watcher = (async () => { for await (const s of ignoring.status()) updates.push(s.type); })();
      const added = nextStatus(c, (s) => s.type === 'update', 'update (added)');
      const theirAdded = nextStatus(them, (s) => s.type === 'update', 'nats.js update');
      b = await startServer(await conf('b.conf', `listen: "127.0.0.1:-1"\n routes: ["nats-route://127.0.0.1:${clusterPort}"]`));
      const up = await added;
      assert.deepEqual(up, { type: 'update', added: [`127.0.0.1:${b.wsPort}`], deleted: [] });
      const theirUp = await theirAdded;
      assert.deepEqual(Object.keys(up).sort(), Object.keys(theirUp).sort(), 'nats.js\'s ServersChanged fields');
      assert.deepEqual(theirUp.added, [`127.0.0.1:${b.port}`], 'nats.js over TCP: the TCP URL');
      assert.deepEqual(c.servers().map((s) => [s.hostport, s.implicit]),
        [[`127.0.0.1:${a.wsPort}`, false], [`127.0.0.1:${b.wsPort}`, true]]);
      // The server sent the same INFO to both connections before this PONG.
      await ignoring.flush();
      assert.deepEqual(ignoring.servers().map((s) => s.hostport), [`127.0.0.1:${a.wsPort}`]);
      const deleted = nextStatus(c, (s) => s.type === 'update', 'update (deleted)');
      await b.stop();
      assert.deepEqual(await deleted, { type: 'update', added: [], deleted: [`127.0.0.1:${b.wsPort}`] });
      assert.deepEqual(c.servers().map((s) => s.hostport), [`127.0.0.1:${a.wsPort}`]);
      await ignoring.flush();
      await ignoring.close();
      await watcher;
      assert.deepEqual(updates, ['close'], 'ignoreClusterUpdates: no update events');
    } finally {
      await them.close();
    }
  });
});

describe('services', () => {
  let svc;
  let ep;
  const handler = (err, m) => m.respond('ok');
  before(async () => {
    svc = await new Svcm(nc).add({ name: 'rows', version: '1.2.3', description: 'd', metadata: { lang: 'js' } });
    ep = svc.addEndpoint('work', { subject: 'rows.svc.work', handler, metadata: { k: 'v' } });
    svc.addGroup('rows.svc').addEndpoint('fail', (err, m) => m.respondError(503, 'down'));
    await nc.flush();
    assert.equal((await theirs.request('rows.svc.work', '')).string(), 'ok');
    await theirs.request('rows.svc.fail', '');
  });
  after(() => svc?.stop());

  test('ServiceVerb is nats.js\'s; each verb is a discovery subject our service answers', async () => {
    assert.deepEqual({ ...ServiceVerb }, { ...natsJsServiceVerb });
    for (const verb of Object.values(ServiceVerb)) {
      const r = await nc.request(`$SRV.${verb}.rows.${svc.id}`, '');
      assert.equal(r.json().type, `io.nats.micro.v1.${verb.toLowerCase()}_response`);
      assert.equal(microSchemaErrors(verb, r.json()), '');
    }
  });

  test('Endpoint.handler is the handler given, and it answers requests', async () => {
    assert.equal(ep.handler, handler);
    assert.equal((await nc.request('rows.svc.work', '')).string(), 'ok');
  });

  // The replies as nats.js's client finds them (and ours, the same JSON).
  const ONE = { strategy: 'count', maxMessages: 1, maxWait: 5000 };
  const discover = async (client, verb) => {
    const out = [];
    for await (const r of await client[verb]('rows', svc.id)) out.push(r);
    assert.equal(out.length, 1);
    return out[0];
  };

  test('ServiceIdentity and ServiceMetadata: name, id, version, metadata in every reply', async () => {
    for (const verb of ['ping', 'info', 'stats']) {
      const r = await discover(new NatsJsSvcm(theirs).client(ONE), verb);
      assert.deepEqual({ name: r.name, id: r.id, version: r.version, metadata: r.metadata },
        { name: 'rows', id: svc.id, version: '1.2.3', metadata: { lang: 'js' } }, verb);
      assert.deepEqual(await discover(new Svcm(nc).client(ONE), verb), r, `${verb}: our client reads the same`);
    }
    assert.deepEqual(svc.ping(), await discover(new NatsJsSvcm(theirs).client(ONE), 'ping'));
  });

  test('ServiceInfo and EndpointInfo: description and endpoints {name, subject, queue_group, metadata}', async () => {
    const info = await discover(new NatsJsSvcm(theirs).client(ONE), 'info');
    assert.equal(info.type, 'io.nats.micro.v1.info_response');
    assert.equal(info.description, 'd');
    assert.deepEqual(info.endpoints, [
      { name: 'work', subject: 'rows.svc.work', queue_group: 'q', metadata: { k: 'v' } },
      { name: 'fail', subject: 'rows.svc.fail', queue_group: 'q', metadata: {} },
    ]);
    assert.deepEqual(svc.info(), info);
  });

  test('ServiceStats, EndpointStats and NamedEndpointStats: started, endpoints with counters', async () => {
    const stats = await discover(new NatsJsSvcm(theirs).client(ONE), 'stats');
    assert.equal(stats.type, 'io.nats.micro.v1.stats_response');
    // nats.js EndpointStats: the identity plus started and endpoints.
    assert.ok(Math.abs(Date.parse(stats.started) - Date.now()) < 60000, stats.started);
    const [work, fail] = stats.endpoints; // NamedEndpointStats
    assert.deepEqual(Object.keys(work).sort(), ['average_processing_time', 'data', 'last_error', 'name', 'num_errors',
      'num_requests', 'processing_time', 'queue_group', 'subject']);
    assert.ok(work.num_requests >= 1 && work.num_errors === 0 && work.last_error === '');
    assert.deepEqual([fail.name, fail.num_requests, fail.num_errors, fail.last_error], ['fail', 1, 1, '503:down']);
    for (const e of stats.endpoints) {
      assert.ok(Number.isInteger(e.processing_time) && e.processing_time > 0);
      assert.equal(e.average_processing_time, Math.floor(e.processing_time / e.num_requests));
    }
    assert.equal(microSchemaErrors('STATS', stats), '');
  });
});
