// Streams in a 3-node cluster (real nats-servers on loopback): a stream's
// alternates (itself and its mirrors, as the server ranks them) and best().
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { jetstreamManager } from '../../js/src/jetstream/index.mjs';
import { startCluster } from '../harness/nats-server.mjs';
import { Connections, whenClusterReady } from './helpers.mjs';

const conns = new Connections();
let cluster;
let jsm;

before(async () => {
  cluster = await startCluster(3);
  const nc = await conns.connect(cluster.nodes[0].wsUrl);
  // Until the cluster elected its JetStream meta leader, API requests go
  // unanswered: retry with a short timeout.
  await whenClusterReady(async () => {
    const m = await jetstreamManager(nc, { timeout: 1000 });
    await m.streams.add({ name: 'ORIG', subjects: ['orig.>'] });
  });
  jsm = await jetstreamManager(nc); // the default timeout once the cluster answers
});
after(async () => {
  await conns.closeAll();
  await cluster?.stop();
});

test('alternates are the stream and its mirrors; best() is one of them', async () => {
  const orig = await jsm.streams.get('ORIG');
  assert.deepEqual(await orig.alternates(), [], 'no mirror yet: none');
  assert.equal(await orig.best(), orig, 'no alternates: itself');
  await jsm.streams.add({ name: 'MIRROR', mirror: { name: 'ORIG' } });
  // ORIG's leader answers from its copy of the cluster's metadata, which
  // may not have the new mirror yet: asked again until it has.
  const alternates = await whenClusterReady(async () => {
    const found = await orig.alternates();
    assert.equal(found.length, 2, JSON.stringify(found));
    return found;
  }, 10000);
  assert.deepEqual(alternates.map((a) => a.name).sort(), ['MIRROR', 'ORIG']);
  assert.ok(alternates.every((a) => a.cluster === 'wasm-test'), JSON.stringify(alternates));
  // The server ranks equally near alternates in no fixed order: best() is
  // one of them, as a handle on that stream.
  const best = await orig.best();
  assert.ok(['MIRROR', 'ORIG'].includes(best.name), best.name);
  assert.equal((await best.info(true)).config.name, best.name);
  const mirror = await jsm.streams.get('MIRROR');
  assert.deepEqual((await mirror.alternates()).map((a) => a.name), [], 'a mirror has no alternates of its own');
});
