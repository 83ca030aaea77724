// Staying connected, from JavaScript, against real nats-servers: restarts on
// the same ports (kill -9), the reconnect buffer, requests in flight, a
// JetStream producer/consumer pair across 20 restarts, and a 3-node cluster
// (discovery, killing the connected node and the stream leader, lame duck).
// Every wait is bounded; the figures the issue asks for are printed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ClosedConnectionError, ConnectionError, OutboundBufferLimitError, RequestError } from '../../js/src/index.mjs';
import { AckPolicy, jetstream, jetstreamManager } from '../../js/src/jetstream/index.mjs';
import { startCluster, startServer } from '../harness/nats-server.mjs';
import { Connections, assertNamedError, whenClusterReady, within } from './helpers.mjs';

const conns = new Connections();
after(() => conns.closeAll());

const FAST = { maxReconnectAttempts: -1, reconnectTimeWait: 500, reconnectJitter: 0, timeout: 2000 };

/** Statuses of a connection as they come; wait(type, n) resolves at the n-th of a type. */
function watch(nc) {
  const seen = [];
  const waiters = [];
  (async () => {
    for await (const s of nc.status()) {
      seen.push(s);
      for (const w of [...waiters]) {
        if (seen.filter((x) => x.type === w.type).length >= w.n) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(s);
        }
      }
    }
  })();
  return {
    seen,
    count: (type) => seen.filter((x) => x.type === type).length,
    wait(type, n = 1, ms = 10000) {
      if (seen.filter((x) => x.type === type).length >= n) return Promise.resolve(seen.findLast((x) => x.type === type));
      return within(new Promise((resolve) => waiters.push({ type, n, resolve })), ms, `status ${type} #${n}`);
    },
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// How many of `${prefix}-0` .. `${prefix}-${n - 1}` were not seen. The tests
// wait on this, not on seen.size: a message stored while its PubAck was
// lost (so not counted) would end a wait for a count early, before a
// redelivery still due.
function missing(seen, prefix, n) {
  let k = 0;
  for (let i = 0; i < n; i++) if (!seen.has(`${prefix}-${i}`)) k++;
  return k;
}

describe('restarts of one server', () => {
  let srv;
  before(async () => { srv = await startServer('default.conf'); });
  after(() => srv?.stop());

  test('a subscription keeps receiving across 10 kill -9 restarts; statuses in order', async () => {
    const nc = await conns.connect(srv.wsUrl, FAST);
    const st = watch(nc);
    const sub = nc.subscribe('restart.t');
    const it = sub[Symbol.asyncIterator]();
    for (let i = 1; i <= 10; i++) {
      await srv.kill();
      await srv.restart();
      await st.wait('reconnect', i);
      nc.publish('restart.t', `m${i}`);
      const { value } = await within(it.next(), 5000, `message after restart ${i}`);
      assert.equal(value.string(), `m${i}`);
    }
    const types = st.seen.map((s) => s.type).filter((t) => t !== 'reconnecting');
    assert.deepEqual(types.slice(0, 2), ['disconnect', 'reconnect']);
    assert.equal(st.count('disconnect'), 10);
    assert.equal(st.count('reconnect'), 10);
    assert.equal(st.seen.find((s) => s.type === 'reconnect').server, new URL(srv.wsUrl).host, 'host:port, as nats.js gives it');
    assert.equal(st.seen.find((s) => s.type === 'disconnect').server, new URL(srv.wsUrl).host);
    assert.equal(nc.isClosed(), false);
  });

  test('each reconnecting status after the first says why the attempt before failed', async () => {
    const nc = await conns.connect(srv.wsUrl, FAST);
    const st = watch(nc);
    await srv.kill();
    const third = await st.wait('reconnecting', 3);
    await srv.restart();
    await st.wait('reconnect');
    const attempts = st.seen.filter((s) => s.type === 'reconnecting');
    assert.equal(attempts[0].error, undefined, 'the disconnect said why');
    assert.equal(third.attempt, 3);
    assert.equal(new URL(third.server).port, new URL(srv.wsUrl).port, 'the URL tried');
    assert.ok(third.error instanceof ConnectionError || third.error?.errc === 'no_servers', `${third.error}`);
    assert.match(third.error.message, /cannot connect/);
  });

  test('publishes made while down arrive after the reconnect, in order; a full buffer throws', async () => {
    const nc = await conns.connect(srv.wsUrl, { ...FAST, reconnectBufferSize: 4096 });
    const st = watch(nc);
    const sub = nc.subscribe('buffered.t');
    await nc.flush();
    await srv.kill();
    await st.wait('disconnect');
    assert.equal(nc.isReconnecting(), true);
    let sent = 0;
    let overflow = null;
    for (let i = 0; i < 1000 && !overflow; i++) {
      try {
        nc.publish('buffered.t', `p${i}`);
        sent++;
      } catch (err) {
        overflow = err;
      }
    }
    assertNamedError(overflow, OutboundBufferLimitError);
    assert.equal(overflow.code, 'outbound_buffer_full');
    assert.ok(sent > 10);
    await srv.restart();
    await st.wait('reconnect');
    const it = sub[Symbol.asyncIterator]();
    for (let i = 0; i < sent; i++) {
      const { value } = await within(it.next(), 5000, `buffered ${i}`);
      assert.equal(value.string(), `p${i}`);
    }
  });

  test('requests in flight fail at the loss; flush waits for the reconnect; reconnect() forces one', async () => {
    const nc = await conns.connect(srv.wsUrl, FAST);
    const st = watch(nc);
    nc.subscribe('silent.svc', { callback: () => {} });
    const pending = nc.request('silent.svc', 'x', { timeout: 20000 }).then(() => null, (e) => e);
    await nc.flush();
    await srv.kill();
    const err = await within(pending, 5000, 'request rejected at the loss');
    assertNamedError(err, RequestError); // as nats.js: caused by the loss
    assertNamedError(err.cause, ConnectionError);
    assert.equal(err.code, 'connection_lost');
    const flushed = nc.flush();
    await srv.restart();
    await within(flushed, 10000, 'flush after the reconnect');
    assert.equal(st.count('reconnect'), 1);
    await nc.reconnect();
    await st.wait('reconnect', 2);
    assert.ok(st.count('forceReconnect') === 1 && st.count('disconnect') === 2);
  });

  test('reconnect: false and exhausted attempts close with a typed error', async () => {
    const own = await startServer('default.conf');
    try {
      const once = await conns.connect(own.wsUrl, { reconnect: false });
      const few = await conns.connect(own.wsUrl, { maxReconnectAttempts: 2, reconnectTimeWait: 50, reconnectJitter: 0 });
      await own.kill();
      assertNamedError(await within(once.closed(), 3000, 'closed'), ConnectionError);
      const err = await within(few.closed(), 5000, 'closed after the attempts');
      assertNamedError(err, ConnectionError);
      assert.equal(err.code, 'no_servers');
      assert.throws(() => few.publish('x'), (e) => e instanceof ClosedConnectionError);
    } finally {
      await own.stop();
    }
  });

  test('JetStream across 20 kill -9 restarts: nothing acknowledged is lost', async () => {
    const nc = await conns.connect(srv.wsUrl, FAST);
    const st = watch(nc);
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc, { timeout: 2000 });
    await jsm.streams.add({ name: 'RESTARTS', subjects: ['restarts.>'] });
    await jsm.consumers.add('RESTARTS', { durable_name: 'worker', ack_policy: AckPolicy.Explicit, ack_wait: 5e9 });
    const consumer = await js.consumers.get('RESTARTS', 'worker');
    const seen = new Set();
    let duplicates = 0;
    const messages = await consumer.consume({
      callback: (m) => {
        m.ack();
        if (seen.has(m.string())) duplicates++;
        seen.add(m.string());
      },
    });
    let stop = false;
    let acked = 0;
    let lastAck = 0;
    const producer = (async () => {
      for (let i = 0; !stop && i < 100000; i++) {
        // Until acknowledged: a message given up on would count as lost.
        while (!stop) {
          try {
            await js.publish('restarts.x', `m-${i}`, { msgID: `m-${i}` });
            acked++;
            lastAck = performance.now();
            break;
          } catch {
            // Retried with the same msgID (the server dedupes), a little
            // later: a failure that comes at once must not starve the loop.
            await new Promise((res) => setTimeout(res, 20));
          }
        }
      }
    })();
    const recovery = [];
    for (let r = 1; r <= 20; r++) {
      const before = acked;
      for (let i = 0; i < 500 && acked < before + 20; i++) await new Promise((res) => setTimeout(res, 10));
      await srv.kill();
      await srv.restart();
      const ready = performance.now();
      await st.wait('reconnect', st.count('reconnect') + 1 > r ? r : r);
      for (let i = 0; i < 1000 && lastAck < ready; i++) await new Promise((res) => setTimeout(res, 5));
      assert.ok(lastAck >= ready, `a PubAck after restart ${r}`);
      recovery.push(lastAck - ready);
    }
    stop = true;
    await producer;
    for (let i = 0; i < 600 && missing(seen, 'm', acked) > 0; i++) await new Promise((res) => setTimeout(res, 50));
    const lost = missing(seen, 'm', acked);
    console.log(`[restarts js] acked ${acked}, lost ${lost}, duplicates ${duplicates}, `
      + `ready->PubAck median ${median(recovery).toFixed(0)} ms, max ${Math.max(...recovery).toFixed(0)} ms`);
    assert.equal(lost, 0, 'every acknowledged message is delivered');
    assert.ok(acked > 100);
    await messages.close();
  });
});

describe('a 3-node cluster', () => {
  let cluster;
  before(async () => { cluster = await startCluster(3); });
  after(() => cluster?.stop());

  test('one URL given, the others discovered; killing the connected node, then the stream leader: nothing acknowledged lost; lame duck moves the client', async () => {
    const [n1] = cluster.nodes;
    const nc = await conns.connect(n1.wsUrl, { ...FAST, noRandomize: true });
    const st = watch(nc);
    for (let i = 0; i < 200 && nc.servers().length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(nc.servers().length, 3, JSON.stringify(nc.servers()));
    // Until the cluster elected its JetStream meta leader, API requests go
    // unanswered: retry with a short timeout.
    const jsm = await whenClusterReady(async () => {
      const m = await jetstreamManager(nc, { timeout: 1000 });
      await m.streams.add({ name: 'R3', subjects: ['r3.>'], num_replicas: 3 });
      // The same for the R3 durable (adding it again with the same config is no change).
      await m.consumers.add('R3', { durable_name: 'w', ack_policy: AckPolicy.Explicit, num_replicas: 3 });
      return m;
    });
    const js = jetstream(nc, { timeout: 2000 });
    const consumer = await js.consumers.get('R3', 'w');
    const seen = new Set();
    const messages = await consumer.consume({ callback: (m) => { m.ack(); seen.add(m.string()); } });
    let acked = 0;
    let stop = false;
    const produce = (async () => {
      for (let i = 0; !stop; i++) {
        // Until acknowledged: a message given up on would count as lost.
        while (!stop) {
          try {
            await js.publish('r3.x', `c-${i}`, { msgID: `c-${i}` });
            acked++;
            break;
          } catch {
            await new Promise((r) => setTimeout(r, 20));
          }
        }
      }
    })();
    const progress = async (n) => {
      const from = acked;
      // Up to 20 s: a leader election takes seconds.
      for (let i = 0; i < 2000 && acked < from + n; i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(acked >= from + n, `${n} more PubAcks`);
    };
    await progress(20);
    // The connected node goes: the client moves to another.
    const connected = cluster.nodes.find((n) => new URL(n.wsUrl).host === nc.getServer());
    let t0 = performance.now();
    await connected.kill();
    await st.wait('reconnect', 1, 15000);
    await progress(1);
    const nodeLoss = performance.now() - t0;
    await progress(20);
    // Back to three nodes (a quorum survives the next loss), then the stream leader goes.
    await connected.restart();
    // Asked while the restarted node rejoins: retried until answered.
    const info = await whenClusterReady(() => jsm.streams.info('R3'));
    const leader = cluster.nodes.find((n) => n.name === info.cluster?.leader);
    assert.ok(leader, JSON.stringify(info.cluster));
    t0 = performance.now();
    await leader.kill();
    await progress(1);
    const leaderLoss = performance.now() - t0;
    await progress(20);
    stop = true;
    await produce;
    for (let i = 0; i < 600 && missing(seen, 'c', acked) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    const lost = missing(seen, 'c', acked);
    console.log(`[cluster js] acked ${acked}, lost ${lost}, connected node killed: ${nodeLoss.toFixed(0)} ms `
      + `to the next PubAck, stream leader killed: ${leaderLoss.toFixed(0)} ms`);
    assert.equal(lost, 0);
    await messages.close();
    // Only the killed leader is down (the first killed node came back above):
    // restarting a running node too would move the client again, and the
    // lame duck below could go to a node it had just left.
    await leader.restart();
    await nc.flush(); // connected to a node now, so getServer() names it
    // Lame duck: the client leaves the server for another, without an error.
    const before = st.count('reconnect');
    const here = cluster.nodes.find((n) => new URL(n.wsUrl).host === nc.getServer());
    process.kill(here.pid, 'SIGUSR2');
    await st.wait('ldm');
    await st.wait('reconnect', before + 1, 15000);
    assert.notEqual(nc.getServer(), new URL(here.wsUrl).host);
    assert.equal(nc.isClosed(), false);
    await nc.flush();
  });
});
