// With a browser User-Agent, nats-server 2.9 caps WebSocket frames at 4 KB
// and cuts ops mid-payload (see TOOLCHAIN.md). This file connects the way a
// browser would be treated and checks that large and many messages still
// arrive whole: the streaming parser on real traffic, not just on vectors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WS from 'ws';

import { headers } from '../../js/src/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, byteRamp, drainIterable, within } from './helpers.mjs';

/** Frames received by every socket of this process. */
let frames = 0;

// transport.mjs takes the global WebSocket when there is one; installed
// before the first connect() (and cached by it for the whole process, which
// node --test gives this file alone). isWsPackage makes connection.mjs pass
// its ws options (no permessage-deflate), which we extend with the User-Agent.
class BrowserLikeWebSocket extends WS {
  static isWsPackage = true;

  constructor(url, opts = {}) {
    super(url, { ...opts, headers: { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36' } });
    this.addEventListener('message', () => { frames++; });
  }
}
globalThis.WebSocket = BrowserLikeWebSocket;

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
  delete globalThis.WebSocket;
});

describe('4 KB frames (browser User-Agent)', () => {
  test('a max_payload message split over many frames arrives whole', async () => {
    const payload = byteRamp(65536);
    const sub = nc.subscribe('frames.big', { max: 1 });
    await nc.flush();
    const before = frames;
    nc.publish('frames.big', payload);
    const { msgs } = await within(drainIterable(sub), 3000, 'big message');
    assert.ok(frames - before >= 16, `only ${frames - before} frames: the server did not split`);
    assert.deepEqual(msgs[0].data, payload);
  });

  test('many messages with headers cut at arbitrary points all arrive intact', async () => {
    const N = 300;
    const sub = nc.subscribe('frames.many', { max: N });
    const h = headers();
    h.set('Seq', 'x');
    for (let i = 0; i < N; i++) {
      // Sizes vary so that frame cuts land in lines, CRLFs and payloads.
      const body = new TextEncoder().encode(`${i}:`.padEnd(1 + ((i * 37) % 700), '\r\n'[i % 2]));
      nc.publish('frames.many', body, { headers: i % 3 === 0 ? h : undefined });
    }
    const { msgs, error } = await within(drainIterable(sub), 5000, 'many messages');
    assert.equal(error, null);
    assert.equal(msgs.length, N);
    for (let i = 0; i < N; i++) {
      const text = msgs[i].string();
      assert.ok(text.startsWith(`${i}:`), `message ${i}: ${JSON.stringify(text.slice(0, 12))}`);
      assert.equal(text.length, Math.max(`${i}:`.length, 1 + ((i * 37) % 700)));
      assert.equal(msgs[i].headers?.get('Seq') ?? '', i % 3 === 0 ? 'x' : '');
    }
    assert.equal(nc.engineStats.receiveBuffered, 0);
  });

  test('request/reply works across split frames', async () => {
    nc.subscribe('frames.svc', { callback: (err, m) => m.respond(m.data) });
    const payload = byteRamp(20000);
    const reply = await nc.request('frames.svc', payload, { timeout: 3000 });
    assert.deepEqual(reply.data, payload);
  });
});
