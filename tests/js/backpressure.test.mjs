// Outbound backpressure in JS: writeReady() (an extension; nats.js has none)
// resolves only once the bytes not yet on the wire are under its limit, so
// a publish loop that awaits it cannot queue without bound.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../harness/nats-server.mjs';
import { Connections, within } from './helpers.mjs';

let srv;
const conns = new Connections();
before(async () => { srv = await startServer('default.conf'); });
after(async () => {
  await conns.closeAll();
  await srv?.stop();
});

test('while the server reads nothing, writeReady() waits; once it reads again, it resolves', async () => {
  const nc = await conns.connect(srv.wsUrl);
  await srv.pause(); // SIGSTOP: the socket fills, then Node's write queue
  let resumed = false;
  try {
    const payload = new Uint8Array(1024);
    for (let i = 0; i < 32 * 1024; i++) nc.publish('bp.paused', payload);
    const waiting = nc.pendingOutputBytes;
    assert.ok(waiting > 8 * 1024 * 1024, `only ${waiting} bytes waiting with the server stopped`);
    let ready = false;
    const whenReady = nc.writeReady().then(() => { ready = true; });
    await new Promise((resolve) => { setTimeout(resolve, 300); });
    assert.equal(ready, false, 'nothing drained while the server is stopped');
    await srv.resume();
    resumed = true;
    await within(whenReady, 15000, 'writeReady after the server resumed');
    assert.ok(nc.pendingOutputBytes <= 1024 * 1024, `${nc.pendingOutputBytes} bytes still waiting`);
    await nc.flush();
  } finally {
    if (!resumed) await srv.resume();
  }
});

test('a publish loop that awaits writeReady() every 1000 messages loses nothing', async () => {
  const nc = await conns.connect(srv.wsUrl);
  const counter = await conns.connect(srv.wsUrl);
  let received = 0;
  counter.subscribe('bp.loop', { callback: () => { received++; } });
  await counter.flush();
  const payload = new Uint8Array(1024);
  const total = 50_000;
  let peak = 0;
  for (let i = 0; i < total; i++) {
    nc.publish('bp.loop', payload);
    if (i % 1000 === 999) {
      await nc.writeReady();
      peak = Math.max(peak, nc.pendingOutputBytes);
    }
  }
  await nc.flush();
  while (received < total) await counter.flush();
  assert.equal(received, total);
  assert.ok(peak <= 1024 * 1024, `after writeReady() ${peak} bytes were waiting`);
});
