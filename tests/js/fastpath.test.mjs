// The hot paths added for speed (bench/): the publish fast path that keeps a
// subject encoded in the staging area, the received subject reused across
// messages, and payloads handed out as views of one copy per batch. Each
// test targets a way such a shortcut could deliver wrong bytes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../harness/nats-server.mjs';
import { Connections, drainIterable, within } from './helpers.mjs';

let srv;
const conns = new Connections();

before(async () => {
  srv = await startServer('default.conf');
});

after(async () => {
  await conns.closeAll();
  await srv?.stop();
});

const enc = new TextEncoder();
const dec = new TextDecoder();

test('publish keeps subjects right when other calls reuse the staging area between publishes', async () => {
  const nc = await conns.connect(srv.wsUrl);
  const sub = nc.subscribe('fp.stage.>', { max: 7 });
  await nc.flush();
  nc.publish('fp.stage.a', '1');
  nc.subscribe('fp.other.subject.that.is.longer'); // writes its subject over the staged one
  nc.publish('fp.stage.a', '2');
  nc.publish('fp.stage.a', '3', { reply: 'fp.reply' }); // general path, stages reply too
  nc.publish('fp.stage.a', '4');
  nc.publish('fp.stage.b', '5');
  nc.publish('fp.stage.a', new Uint8Array(20000).fill(54)); // grows the staging area
  nc.publish('fp.stage.a', '7');
  const { msgs, error } = await within(drainIterable(sub), 3000, 'staged publishes');
  assert.equal(error, null);
  assert.deepEqual(msgs.map((m) => m.subject),
    ['fp.stage.a', 'fp.stage.a', 'fp.stage.a', 'fp.stage.a', 'fp.stage.b', 'fp.stage.a', 'fp.stage.a']);
  assert.deepEqual(msgs.map((m) => (m.data.length > 100 ? `${m.data.length}` : m.string())),
    ['1', '2', '3', '4', '5', '20000', '7']);
  assert.equal(msgs[2].reply, 'fp.reply');
  assert.ok(msgs[5].data.every((b) => b === 54));
});

test('subjects of equal length are not mixed up, and non-ASCII subjects decode', async () => {
  const nc = await conns.connect(srv.wsUrl);
  const subjects = ['fp.s.ab', 'fp.s.ac', 'fp.s.ab', 'fp.s.é', 'fp.s.è', 'fp.s.é', 'fp.s.ab'];
  const sub = nc.subscribe('fp.s.*', { max: subjects.length });
  await nc.flush();
  for (const s of subjects) nc.publish(s, s);
  const { msgs } = await within(drainIterable(sub), 3000, 'subjects');
  assert.deepEqual(msgs.map((m) => m.subject), subjects);
  assert.deepEqual(msgs.map((m) => m.string()), subjects);
});

test('payloads and headers from one batch are separate and outlive later batches', async () => {
  const nc = await conns.connect(srv.wsUrl);
  const pub = await conns.connect(srv.wsUrl);
  const n = 300;
  const sub = nc.subscribe('fp.batch', { max: 2 * n });
  await nc.flush();
  const { headers } = await import('../../js/src/index.mjs');
  const body = (i) => enc.encode(`payload-${i}-${'x'.repeat(i % 17)}`);
  for (let i = 0; i < n; i++) {
    if (i % 3 === 0) {
      const h = headers();
      h.set('i', String(i));
      pub.publish('fp.batch', body(i), { headers: h });
    } else {
      pub.publish('fp.batch', body(i));
    }
  }
  const first = [];
  let i = 0;
  for await (const m of sub) {
    if (i < n) first.push(m);
    else if (i === 2 * n - 1) break;
    if (i === n - 1) for (let j = 0; j < n; j++) pub.publish('fp.batch', new Uint8Array(64).fill(255));
    i++;
  }
  // The second round went through the same receive buffer; the first
  // round's messages must still hold their own bytes.
  assert.equal(first.length, n);
  first.forEach((m, k) => {
    assert.equal(dec.decode(m.data), dec.decode(body(k)));
    if (k % 3 === 0) assert.equal(m.headers.get('i'), String(k));
    else assert.equal(m.headers, undefined);
  });
  // Writing into one message's data does not change another's.
  first[1].data[0] = 0;
  assert.equal(first[2].data[0], 'p'.charCodeAt(0));
});
