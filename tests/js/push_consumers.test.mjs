// Push consumers from JavaScript against a real nats-server (nats.js v3
// names): js.consumers.getPushConsumer (by name, ordered), getBoundPushConsumer,
// Stream.getPushConsumer; deliver groups, flow control with a slow reader,
// idle heartbeats, a push-bound consumer, bad input, interop with nats.js.
// Every test checks that no session is left in the engine.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { connect as natsJsConnect } from '@nats-io/transport-node';
import { jetstreamManager as natsJsManager } from '@nats-io/jetstream';

import { InvalidArgumentError, InvalidOperationError, createInbox } from '../../js/src/index.mjs';
import {
  AckPolicy, isPullConsumer, isPushConsumer, jetstream, jetstreamManager, nanos,
} from '../../js/src/jetstream/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, assertNamedError, drainIterable, within } from './helpers.mjs';

let srv;
let nc;
let jsm;
let js;
const conns = new Connections();
let counter = 0;
const unique = (p) => `${p}_${process.pid}_${++counter}`;
const sessions = (c = nc) => c._engine.c.pullSessions();

before(async () => {
  srv = await startServer('default.conf');
  nc = await conns.connect(srv.wsUrl);
  jsm = await jetstreamManager(nc);
  js = jetstream(nc);
});
after(async () => {
  await conns.closeAll();
  await srv?.stop();
});

/** A stream with n messages "m0".."m{n-1}" on <name>.k. */
async function stream(n = 0, payload = (i) => `m${i}`) {
  const name = unique('P');
  await jsm.streams.add({ name, subjects: [`${name}.>`] });
  for (let i = 0; i < n; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, n - i) }, (_, j) => js.publish(`${name}.k`, payload(i + j))));
  }
  return name;
}

/** A durable push consumer delivering to a fresh inbox. */
async function pushConsumer(s, cfg = {}) {
  const name = unique('d');
  await jsm.consumers.add(s, {
    durable_name: name, ack_policy: AckPolicy.Explicit, deliver_subject: createInbox(), ...cfg,
  });
  return name;
}

describe('push consumers', () => {
  test('getPushConsumer by name delivers every message in order; acks reach the server', async () => {
    const s = await stream(20);
    const name = await pushConsumer(s);
    const c = await js.consumers.getPushConsumer(s, name);
    assert.equal(c.isPushConsumer(), true);
    assert.equal(isPushConsumer(c), true);
    assert.equal(isPullConsumer(c), false);
    const messages = await c.consume();
    const seen = [];
    for await (const m of messages) {
      seen.push(m.string());
      assert.equal(m.info.stream, s);
      assert.equal(m.info.consumer, name);
      assert.equal(m.seq, seen.length);
      await m.ackAck();
      if (seen.length === 20) break;
    }
    assert.deepEqual(seen, Array.from({ length: 20 }, (_, i) => `m${i}`));
    const info = await c.info();
    assert.equal(info.num_ack_pending, 0);
    assert.equal(info.delivered.stream_seq, 20);
    assert.equal(await messages.closed(), undefined);
    assert.equal(sessions(), 0);
  });

  test('a callback gets the messages; a second consume while one runs is InvalidOperationError', async () => {
    const s = await stream(5);
    const c = await js.consumers.getPushConsumer(s, await pushConsumer(s, { ack_policy: AckPolicy.None }));
    const got = [];
    let done;
    const all = new Promise((resolve) => { done = resolve; });
    const messages = await c.consume({ callback: (m) => { got.push(m.seq); if (got.length === 5) done(); } });
    await assert.rejects(c.consume(), (e) => assertNamedError(e, InvalidOperationError));
    await within(all, 10000, 'callback messages');
    assert.deepEqual(got, [1, 2, 3, 4, 5]);
    await messages.close();
    const again = await c.consume();  // stopped: it can start again
    await again.close();
    assert.equal(sessions(), 0);
  });

  test('a pull consumer is not a push consumer; a bad bound consumer is InvalidArgumentError', async () => {
    const s = await stream(0);
    await jsm.consumers.add(s, { durable_name: 'pull', ack_policy: AckPolicy.Explicit });
    await assert.rejects(js.consumers.getPushConsumer(s, 'pull'), (e) => assertNamedError(e, InvalidOperationError));
    await assert.rejects(js.consumers.getBoundPushConsumer({}), (e) => assertNamedError(e, InvalidArgumentError));
    const wild = await js.consumers.getBoundPushConsumer({ deliver_subject: 'a.*' });
    await assert.rejects(wild.consume(), (e) => /deliver_subject/.test(e.message));
    assert.equal(sessions(), 0);
  });

  test('a deliver group shares the messages between its members, each message once', async () => {
    const s = await stream(0);
    const name = await pushConsumer(s, { deliver_group: 'workers' });
    const other = await conns.connect(srv.wsUrl);
    const a = await (await js.consumers.getPushConsumer(s, name)).consume();
    const b = await (await jetstream(other).consumers.getPushConsumer(s, name)).consume();
    await Promise.all([nc.flush(), other.flush()]);  // both members subscribed
    await Promise.all(Array.from({ length: 60 }, (_, i) => js.publish(`${s}.k`, `m${i}`)));
    const seen = new Map();
    const counts = [0, 0];
    const take = async (messages, who) => {
      for await (const m of messages) {
        seen.set(m.seq, (seen.get(m.seq) ?? 0) + 1);
        counts[who]++;
        m.ack();
        if (seen.size === 60) break;
      }
    };
    // Whoever sees the 60th distinct message stops both.
    await within(Promise.race([take(a, 0), take(b, 1)]), 20000, 'group delivery');
    await a.close();
    await b.close();
    assert.equal(seen.size, 60);
    assert.ok([...seen.values()].every((n) => n === 1), 'no message twice');
    assert.ok(counts[0] > 0 && counts[1] > 0, `both members got some: ${counts}`);
    assert.equal(sessions(), 0);
    assert.equal(sessions(other), 0);
  });

  test('flow control: a slow reader gets everything, in order, with flow-control answered', async () => {
    const n = 3000;
    const s = await stream(n, () => 'x'.repeat(1024));
    const name = await pushConsumer(s, { ack_policy: AckPolicy.None, flow_control: true, idle_heartbeat: nanos(1000) });
    const messages = await (await js.consumers.getPushConsumer(s, name)).consume();
    let flowControls = 0;
    (async () => { for await (const st of messages.status()) if (st.type === 'flow_control') flowControls++; })();
    let expected = 1;
    let maxPending = 0;
    for await (const m of messages) {
      assert.equal(m.seq, expected++);
      maxPending = Math.max(maxPending, messages.getPending());
      // A slow reader: each message waits for a macrotask.
      await new Promise((resolve) => setImmediate(resolve));
      if (m.seq === n) break;
    }
    assert.ok(flowControls > 0, 'the server asked for flow control and got answers');
    assert.ok(maxPending < n, `held at most ${maxPending} of ${n}`);
    assert.equal(sessions(), 0);
  });

  test('idle heartbeats: heartbeat notifications while quiet', async () => {
    const s = await stream(0);
    const name = await pushConsumer(s, { idle_heartbeat: nanos(500), flow_control: true });
    const messages = await (await js.consumers.getPushConsumer(s, name)).consume();
    const st = messages.status();
    let heartbeat;
    for await (const n of st) if (n.type === 'heartbeat') { heartbeat = n; break; }
    assert.equal(typeof heartbeat.lastConsumerSequence, 'number');
    await messages.close();
    assert.equal(sessions(), 0);
  });

  test('a push-bound consumer without a group cannot be consumed twice', async () => {
    const s = await stream(1);
    const name = await pushConsumer(s);
    const first = await (await js.consumers.getPushConsumer(s, name)).consume();
    // The server marks the consumer bound from its own goroutine after the
    // SUB; a delivered message proves it did.
    const taken = await within(first[Symbol.asyncIterator]().next(), 5000, 'the first delivery');
    assert.equal(taken.done, false);
    const other = await conns.connect(srv.wsUrl);
    const c2 = await jetstream(other).consumers.getPushConsumer(s, name);
    await assert.rejects(c2.consume(), (e) => assertNamedError(e, InvalidOperationError) && /bound/.test(e.message));
    await first.close();
    assert.equal(sessions(other), 0);
  });

  test('a bound push consumer reads by deliver subject; info() and delete() refuse', async () => {
    const s = await stream(3);
    const deliver = createInbox();
    await jsm.consumers.add(s, { durable_name: 'b', ack_policy: AckPolicy.None, deliver_subject: deliver });
    const c = await js.consumers.getBoundPushConsumer({ deliver_subject: deliver });
    assert.equal(c.isPushConsumer(), true);
    await assert.rejects(c.info(), (e) => assertNamedError(e, InvalidOperationError));
    await assert.rejects(c.delete(), (e) => assertNamedError(e, InvalidOperationError));
    const { msgs } = await within(drainIterable(await c.consume(), 3), 10000, 'bound');
    assert.deepEqual(msgs.map((m) => m.string()), ['m0', 'm1', 'm2']);
    assert.equal(sessions(), 0);
  });

  test('an ordered push consumer (no name, or options) reads the stream once, in order', async () => {
    const s = await stream(10);
    const c = await js.consumers.getPushConsumer(s);
    assert.equal(c.isPushConsumer(), true);
    const { msgs } = await within(drainIterable(await c.consume(), 10), 10000, 'ordered');
    assert.deepEqual(msgs.map((m) => m.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const fromSeven = await (await js.streams.get(s)).getPushConsumer({ opt_start_seq: 7, deliver_policy: 'by_start_sequence' });
    const tail = await within(drainIterable(await fromSeven.consume(), 4), 10000, 'ordered from 7');
    assert.deepEqual(tail.msgs.map((m) => m.string()), ['m6', 'm7', 'm8', 'm9']);
    await c.delete();
    await fromSeven.delete();
    assert.equal(sessions(), 0);
  });

  test('a consumer deleted while consumed: its heartbeats stop and that is notified', async () => {
    const s = await stream(0);
    const name = await pushConsumer(s, { idle_heartbeat: nanos(500), flow_control: true });
    const messages = await (await js.consumers.getPushConsumer(s, name)).consume();
    let deleted = false;
    let missed;
    const watch = (async () => {
      for await (const n of messages.status()) {
        if (n.type === 'heartbeat' && !deleted) {
          deleted = true;  // it was alive: now delete it
          await jsm.consumers.delete(s, name);
        }
        if (n.type === 'heartbeats_missed' && deleted) { missed = n; break; }
      }
    })();
    await within(watch, 15000, 'heartbeats_missed after the delete');
    assert.ok(missed.count >= 2, `missed ${missed.count}`);
    assert.equal(sessions(), 1, 'a push session goes on (the consumer may come back)');
    await messages.close();
    assert.equal(sessions(), 0);
  });

  test('interop: a nats.js-made push consumer is read here', async () => {
    const s = await stream(4);
    const theirs = await natsJsConnect({ servers: `127.0.0.1:${srv.port}` });
    try {
      const deliver = `their.${unique('in')}`;
      await (await natsJsManager(theirs)).consumers.add(s, {
        durable_name: 'theirs', ack_policy: AckPolicy.Explicit, deliver_subject: deliver,
      });
      const c = await js.consumers.getPushConsumer(s, 'theirs');
      const { msgs } = await within(drainIterable(await c.consume(), 4), 10000, 'interop');
      assert.deepEqual(msgs.map((m) => m.string()), ['m0', 'm1', 'm2', 'm3']);
      for (const m of msgs) await m.ackAck();
      assert.equal((await c.info()).num_ack_pending, 0);
    } finally {
      await theirs.close();
    }
    assert.equal(sessions(), 0);
  });
});

describe('JsMsg.next', () => {
  test('acks and has the next messages delivered to the given inbox', async () => {
    const s = await stream(4);
    await jsm.consumers.add(s, { durable_name: 'nx', ack_policy: AckPolicy.Explicit });
    const c = await js.consumers.get(s, 'nx');
    const first = await c.next({ expires: 2000 });
    assert.equal(first.seq, 1);
    const inbox = createInbox();
    const sub = nc.subscribe(inbox);
    first.next(inbox, { batch: 2 });
    const got = [];
    for await (const m of sub) {
      got.push(m.string());
      if (got.length === 2) break;
    }
    assert.deepEqual(got, ['m1', 'm2']);
    const info = await c.info();
    assert.equal(info.ack_floor.stream_seq, 1, 'the first one is acknowledged');
    assert.equal(info.num_ack_pending, 2);
    first.next(inbox);  // already acknowledged: nothing is sent
    assert.throws(() => { const m = Object.create(first); m._didAck = false; m.next('bad subject'); },
      (e) => e.name === 'InvalidSubjectError');
  });
});

