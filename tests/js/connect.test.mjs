// connect() options against real nats-servers over WebSocket: servers,
// name, auth (token, user/pass), timeout, noEcho, pings, inboxPrefix.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { WebSocketServer } from 'ws';

import {
  AuthorizationError, ConnectionError, InvalidArgumentError, NatsError, ProtocolError, TimeoutError, connect,
} from '../../js/src/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, assertNamedError, sleep, within } from './helpers.mjs';

let srv;
let tokenSrv;
let permSrv;
const conns = new Connections();

before(async () => {
  [srv, tokenSrv, permSrv] = await Promise.all([
    startServer('default.conf'), startServer('token.conf'), startServer('permissions.conf'),
  ]);
});

after(async () => {
  await conns.closeAll();
  await Promise.all([srv?.stop(), tokenSrv?.stop(), permSrv?.stop()]);
});

/** A port that refuses connections: bound, then closed again. */
async function deadPort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

describe('servers', () => {
  test('a ws:// URL string connects and INFO is there', async () => {
    const nc = await conns.connect(srv.wsUrl);
    assert.equal(typeof nc.info, 'object');
    assert.equal(typeof nc.info.server_id, 'string');
    assert.ok(nc.info.server_id.length > 0);
    assert.equal(nc.getServer(), new URL(srv.wsUrl).host, 'host:port, as nats.js gives it');
    assert.equal(nc.isClosed(), false);
    await nc.close();
  });

  test('a bare host:port becomes ws://host:port', async () => {
    const hostport = srv.wsUrl.slice('ws://'.length);
    const nc = await conns.connect(hostport);
    assert.equal(nc.getServers()[0].src, `ws://${hostport}`);
    assert.equal(nc.getServer(), hostport);
    await nc.flush();
    await nc.close();
  });

  test('an array of servers is accepted', async () => {
    const nc = await conns.connect([srv.wsUrl]);
    assert.equal(nc.getServer(), new URL(srv.wsUrl).host);
    assert.equal(nc.info.max_payload, 65536);
    await nc.close();
  });

  test('name is accepted and the connection works', async () => {
    const nc = await conns.connect(srv.wsUrl, { name: 'nats-wasm-test-client' });
    assert.ok(nc.info);
    const sub = nc.subscribe('named.echo', { max: 1 });
    nc.publish('named.echo', 'hi');
    for await (const m of sub) assert.equal(m.string(), 'hi');
    await nc.close();
  });

  test("a nats:// URL rejects with InvalidArgumentError (WebSocket only)", async () => {
    await assert.rejects(connect({ servers: srv.tcpUrl }), (err) => {
      assertNamedError(err, InvalidArgumentError);
      assert.ok(err instanceof NatsError);
      assert.match(err.message, /ws:\/\//);
      return true;
    });
  });

  test('an empty server list rejects with InvalidArgumentError', async () => {
    await assert.rejects(connect({ servers: [] }), (err) => assertNamedError(err, InvalidArgumentError));
  });

  test('a port nobody listens on rejects quickly with ConnectionError', async () => {
    const port = await deadPort();
    const t0 = performance.now();
    await assert.rejects(connect({ servers: `127.0.0.1:${port}`, timeout: 5000 }),
      (err) => assertNamedError(err, ConnectionError));
    assert.ok(performance.now() - t0 < 2000, 'refused connection must not wait for the timeout');
  });

  test('timeout: a server that never answers rejects with TimeoutError', async () => {
    // Accepts TCP but never completes the WebSocket upgrade.
    const sockets = new Set();
    const silent = net.createServer((s) => sockets.add(s));
    await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const t0 = performance.now();
      await assert.rejects(
        within(connect({ servers: `127.0.0.1:${silent.address().port}`, timeout: 200 }), 5000, 'connect'),
        (err) => assertNamedError(err, TimeoutError));
      const elapsed = performance.now() - t0;
      assert.ok(elapsed >= 150 && elapsed < 2000, `timed out after ${elapsed} ms`);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('auth', () => {
  test('token: the right token connects', async () => {
    const nc = await conns.connect(tokenSrv.wsUrl, { token: 's3cr3t-token' });
    assert.equal(nc.info.auth_required, true);
    await nc.flush();
    await nc.close();
  });

  test('token: a wrong token rejects with AuthorizationError', async () => {
    await assert.rejects(connect({ servers: tokenSrv.wsUrl, token: 'wrong' }),
      (err) => assertNamedError(err, AuthorizationError));
  });

  test('token: no token rejects with AuthorizationError', async () => {
    await assert.rejects(connect({ servers: tokenSrv.wsUrl }), (err) => assertNamedError(err, AuthorizationError));
  });

  test('user/pass: right credentials connect', async () => {
    const nc = await conns.connect(permSrv.wsUrl, { user: 'admin', pass: 'admin-pass' });
    const sub = nc.subscribe('anything.at.all', { max: 1 });
    nc.publish('anything.at.all', 'ok');
    const { value } = await within(sub[Symbol.asyncIterator]().next(), 2000, 'admin echo');
    assert.equal(value.string(), 'ok');
    await nc.close();
  });

  test('user/pass: a wrong password rejects with AuthorizationError', async () => {
    await assert.rejects(connect({ servers: permSrv.wsUrl, user: 'limited', pass: 'nope' }),
      (err) => assertNamedError(err, AuthorizationError));
  });
});

describe('connection behaviour options', () => {
  test('noEcho: own messages are not delivered, others are', async () => {
    const quiet = await conns.connect(srv.wsUrl, { noEcho: true });
    const other = await conns.connect(srv.wsUrl);
    const sub = quiet.subscribe('echo.test');
    await quiet.flush();
    quiet.publish('echo.test', 'mine');
    await quiet.flush();
    other.publish('echo.test', 'theirs');
    await other.flush();
    await quiet.flush();
    sub.unsubscribe(); // ends iteration after what is queued
    const got = [];
    for await (const m of sub) got.push(m.string());
    assert.deepEqual(got, ['theirs']);
    await Promise.all([quiet.close(), other.close()]);
  });

  test('echo is on by default', async () => {
    const nc = await conns.connect(srv.wsUrl);
    const sub = nc.subscribe('echo.default', { max: 1 });
    nc.publish('echo.default', 'me');
    const { value } = await within(sub[Symbol.asyncIterator]().next(), 2000, 'echo');
    assert.equal(value.string(), 'me');
    await nc.close();
  });

  test('pingInterval 50 ms: PONGs keep the connection open', async () => {
    // maxPingOut 5: a PONG late by ~100 ms on a loaded machine is no failure here.
    const nc = await conns.connect(srv.wsUrl, { pingInterval: 50, maxPingOut: 5 });
    const statuses = [];
    (async () => { for await (const s of nc.status()) statuses.push(s.type); })();
    await sleep(600);
    // Unanswered pings would have closed it as stale after ~300 ms.
    assert.equal(nc.isClosed(), false);
    assert.ok(!statuses.includes('staleConnection'), statuses.join(','));
    await nc.flush();
    await nc.close();
  });

  test('maxPingOut: a server that stops answering PINGs makes the connection stale (closed without reconnect)', async () => {
    // A fake server: INFO, a PONG for the handshake PING, then silence.
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => wss.once('listening', resolve));
    wss.on('connection', (ws) => {
      let pongs = 0;
      ws.send(Buffer.from('INFO {"server_id":"FAKE","version":"2.9.10","proto":1,"headers":true,"max_payload":1048576}\r\n'));
      ws.on('message', (data) => {
        if (data.toString().includes('PING\r\n') && pongs++ === 0) ws.send(Buffer.from('PONG\r\n'));
      });
    });
    try {
      const nc = await conns.connect(`127.0.0.1:${wss.address().port}`, { pingInterval: 40, maxPingOut: 2, reconnect: false });
      const types = [];
      const statuses = (async () => { for await (const s of nc.status()) types.push(s.type); })();
      const err = await within(nc.closed(), 3000, 'stale close');
      await within(statuses, 1000, 'the status stream to end after close');
      assertNamedError(err, ConnectionError);
      assert.equal(err.code, 'stale_connection');
      assert.ok(types.includes('staleConnection'), types.join(','));
      assert.ok(types.includes('close'), types.join(','));
    } finally {
      for (const c of wss.clients) c.terminate();
      await new Promise((resolve) => wss.close(resolve));
    }
  });

  test('inboxPrefix: newInbox() and request reply subjects use it', async () => {
    const nc = await conns.connect(srv.wsUrl, { inboxPrefix: 'MYBOX.app' });
    assert.match(nc.newInbox(), /^MYBOX\.app\.[A-Za-z0-9]+$/);
    assert.notEqual(nc.newInbox(), nc.newInbox());
    let seenReply = '';
    nc.subscribe('prefix.svc', { callback: (err, m) => { seenReply = m.reply; m.respond('pong'); } });
    const reply = await nc.request('prefix.svc', 'ping');
    assert.equal(reply.string(), 'pong');
    assert.ok(seenReply.startsWith('MYBOX.app.'), seenReply);
    await nc.close();
  });

  test('an invalid inboxPrefix or server URL rejects with InvalidArgumentError', async () => {
    await assert.rejects(connect({ servers: srv.wsUrl, inboxPrefix: 'my inbox' }),
      (err) => err instanceof InvalidArgumentError && /inbox prefix/.test(err.message));
    await assert.rejects(connect({ servers: 'ws://exa mple:1' }), InvalidArgumentError);
  });

  test('default inbox prefix is _INBOX', async () => {
    const nc = await conns.connect(srv.wsUrl);
    assert.match(nc.newInbox(), /^_INBOX\./);
    await nc.close();
  });
});

describe('handshake failures (fake WebSocket servers)', () => {
  /** Runs fn(port) against a WebSocket server whose connections get onConnection(ws). */
  async function withFake(onConnection, fn) {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => wss.once('listening', resolve));
    wss.on('connection', onConnection);
    try {
      await fn(wss.address().port);
    } finally {
      for (const c of wss.clients) c.terminate();
      await new Promise((resolve) => wss.close(resolve));
    }
  }

  test('WebSocket open but no INFO: TimeoutError after timeout', async () => {
    await withFake(() => {}, async (port) => {
      const t0 = performance.now();
      await assert.rejects(within(connect({ servers: `127.0.0.1:${port}`, timeout: 200 }), 3000, 'connect'),
        (err) => assertNamedError(err, TimeoutError));
      assert.ok(performance.now() - t0 >= 150);
    });
  });

  test('INFO but no PONG: TimeoutError after timeout', async () => {
    const info = 'INFO {"server_id":"FAKE","version":"2.9.10","proto":1,"headers":true,"max_payload":1048576}\r\n';
    await withFake((ws) => ws.send(Buffer.from(info)), async (port) => {
      await assert.rejects(within(connect({ servers: `127.0.0.1:${port}`, timeout: 200 }), 3000, 'connect'),
        (err) => assertNamedError(err, TimeoutError));
    });
  });

  test('garbage instead of INFO: ProtocolError', async () => {
    await withFake((ws) => ws.send(Buffer.from('HELLO WORLD\r\n')), async (port) => {
      await assert.rejects(within(connect({ servers: `127.0.0.1:${port}`, timeout: 2000 }), 3000, 'connect'),
        (err) => assertNamedError(err, ProtocolError));
    });
  });

  test('-ERR during the handshake: ProtocolError with the server text', async () => {
    const info = 'INFO {"server_id":"FAKE","proto":1,"max_payload":1048576}\r\n';
    await withFake((ws) => {
      ws.send(Buffer.from(info));
      ws.on('message', () => ws.send(Buffer.from("-ERR 'Unknown Protocol Operation'\r\n")));
    }, async (port) => {
      await assert.rejects(within(connect({ servers: `127.0.0.1:${port}`, timeout: 2000 }), 3000, 'connect'),
        (err) => assertNamedError(err, ProtocolError) && err.message === 'Unknown Protocol Operation');
    });
  });

  test('wss:// to a plain WebSocket port: ConnectionError', async () => {
    await withFake(() => {}, async (port) => {
      await assert.rejects(within(connect({ servers: `wss://127.0.0.1:${port}`, timeout: 2000 }), 3000, 'connect'),
        (err) => assertNamedError(err, ConnectionError));
    });
  });
});
