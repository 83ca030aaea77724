// Interop with nats.js v3: nats.js over TCP and nats-wasm over WebSocket on
// the same server exchange messages, headers and request/reply both ways.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { headers as natsHeaders } from '@nats-io/nats-core';
import { connect as natsConnect } from '@nats-io/transport-node';

import { NoRespondersError, RequestError, headers } from '../../js/src/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, byteRamp, drainIterable, within } from './helpers.mjs';

let srv;
let js; // nats.js connection (TCP)
let wasm; // nats-wasm connection (WebSocket)
const conns = new Connections();

before(async () => {
  srv = await startServer('default.conf');
  js = await natsConnect({ servers: srv.tcpUrl, name: 'natsjs-peer' });
  wasm = await conns.connect(srv.wsUrl, { name: 'nats-wasm-peer' });
});

after(async () => {
  await js?.close().catch(() => {});
  await conns.closeAll();
  await srv?.stop();
});

/** Both sides have told the server everything they sent. */
async function settle() {
  await Promise.all([js.flush(), wasm.flush()]);
}

describe('nats.js → nats-wasm', () => {
  test('publish with headers: nats-wasm receives data and headers', async () => {
    const sub = wasm.subscribe('interop.to.wasm', { max: 2 });
    await wasm.flush();
    const h = natsHeaders();
    h.append('X-Multi', 'a');
    h.append('X-Multi', 'b');
    h.set('X-Id', '42');
    js.publish('interop.to.wasm', 'from nats.js', { headers: h });
    js.publish('interop.to.wasm', byteRamp(256), { reply: 'interop.reply.subject' });
    const { msgs, error } = await within(drainIterable(sub), 3000, 'wasm receive');
    assert.equal(error, null);
    assert.equal(msgs[0].string(), 'from nats.js');
    assert.deepEqual(msgs[0].headers.values('X-Multi'), ['a', 'b']);
    assert.equal(msgs[0].headers.get('X-Id'), '42');
    assert.deepEqual(msgs[1].data, byteRamp(256));
    assert.equal(msgs[1].reply, 'interop.reply.subject');
    assert.equal(msgs[1].headers, undefined);
  });

  test('nats.js requests, nats-wasm replies with headers', async () => {
    const svc = wasm.subscribe('interop.wasm.svc', {
      callback: (err, m) => {
        const h = headers();
        h.set('Replied-By', 'nats-wasm');
        h.set('Got', m.headers?.get('Asked-By') ?? '');
        m.respond(`echo:${m.string()}`, { headers: h });
      },
    });
    await wasm.flush();
    const h = natsHeaders();
    h.set('Asked-By', 'nats.js');
    const reply = await js.request('interop.wasm.svc', 'ping', { timeout: 3000, headers: h });
    assert.equal(reply.string(), 'echo:ping');
    assert.equal(reply.headers.get('Replied-By'), 'nats-wasm');
    assert.equal(reply.headers.get('Got'), 'nats.js');
    svc.unsubscribe();
  });

  test('nats.js requestMany collects replies from nats-wasm responders', async () => {
    const subs = [0, 1, 2].map((i) => wasm.subscribe('interop.wasm.many', { callback: (err, m) => m.respond(`w${i}`) }));
    await wasm.flush();
    const it = await js.requestMany('interop.wasm.many', 'q', { strategy: 'count', maxMessages: 3, maxWait: 3000 });
    const got = [];
    for await (const m of it) got.push(m.string());
    assert.deepEqual(got.sort(), ['w0', 'w1', 'w2']);
    for (const s of subs) s.unsubscribe();
  });
});

describe('nats-wasm → nats.js', () => {
  test('publish with headers: nats.js receives data and headers', async () => {
    const sub = js.subscribe('interop.to.js', { max: 2 });
    await js.flush();
    const h = headers();
    h.append('X-Multi', 'one');
    h.append('X-Multi', 'two');
    wasm.publish('interop.to.js', 'from nats-wasm', { headers: h });
    wasm.publish('interop.to.js', byteRamp(1000));
    const got = [];
    await within((async () => { for await (const m of sub) got.push(m); })(), 3000, 'nats.js receive');
    assert.equal(got[0].string(), 'from nats-wasm');
    assert.deepEqual(got[0].headers.values('X-Multi'), ['one', 'two']);
    assert.deepEqual(new Uint8Array(got[1].data), byteRamp(1000));
  });

  test('nats-wasm requests, nats.js replies with headers', async () => {
    const svc = js.subscribe('interop.js.svc', {
      callback: (err, m) => {
        const h = natsHeaders();
        h.set('Replied-By', 'nats.js');
        h.set('Got', m.headers?.get('Asked-By') ?? '');
        m.respond(`echo:${m.string()}`, { headers: h });
      },
    });
    await js.flush();
    const h = headers();
    h.set('Asked-By', 'nats-wasm');
    const reply = await wasm.request('interop.js.svc', 'ping', { timeout: 3000, headers: h });
    assert.equal(reply.string(), 'echo:ping');
    assert.equal(reply.headers.get('Replied-By'), 'nats.js');
    assert.equal(reply.headers.get('Got'), 'nats-wasm');
    svc.unsubscribe();
  });

  test('nats-wasm requestMany collects replies from nats.js responders', async () => {
    const subs = [0, 1, 2].map((i) => js.subscribe('interop.js.many', { callback: (err, m) => m.respond(`j${i}`) }));
    await js.flush();
    const it = await wasm.requestMany('interop.js.many', 'q', { strategy: 'count', maxMessages: 3, maxWait: 3000 });
    const { msgs } = await within(drainIterable(it), 3000, 'requestMany');
    assert.deepEqual(msgs.map((m) => m.string()).sort(), ['j0', 'j1', 'j2']);
    for (const s of subs) s.unsubscribe();
  });

  test('a queue group shared by both clients splits the work, total exact', async () => {
    const wsub = wasm.subscribe('interop.queue', { queue: 'mixed' });
    const jsub = js.subscribe('interop.queue', { queue: 'mixed' });
    await settle();
    const N = 200;
    for (let i = 0; i < N; i++) wasm.publish('interop.queue', `${i}`);
    await settle();
    await settle();
    const wasmCount = wsub.getReceived();
    const jsCount = jsub.getReceived();
    assert.equal(wasmCount + jsCount, N);
    assert.ok(wasmCount > 0 && jsCount > 0, `split ${wasmCount}/${jsCount}`);
    wsub.unsubscribe();
    jsub.unsubscribe();
  });

  test('no responders look the same on both clients', async () => {
    await assert.rejects(wasm.request('interop.nobody', 'x'), (err) => {
      assert.ok(err instanceof RequestError);
      assert.ok(err.cause instanceof NoRespondersError);
      return true;
    });
    await assert.rejects(js.request('interop.nobody', 'x'), (err) => {
      assert.equal(err.name, 'RequestError');
      assert.equal(err.isNoResponders(), true);
      return true;
    });
  });
});
