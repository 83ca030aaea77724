// Error classes: real Error objects named after their class, the hierarchy,
// the engine-code mapping, and the errors a live connection produces.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import * as api from '../../js/src/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, drainIterable } from './helpers.mjs';

const {
  AbortError, AuthorizationError, ClosedConnectionError, ConnectionError, DrainingConnectionError,
  InvalidArgumentError, InvalidOperationError, InvalidSubjectError, MaxPayloadError, NatsError, NoRespondersError,
  PermissionViolationError, ProtocolError, RequestError, TimeoutError, codeName, errorFromCode, errors, ERRC, abi,
} = api;

let srv;
const conns = new Connections();

before(async () => {
  srv = await startServer('default.conf');
});

after(async () => {
  await conns.closeAll();
  await srv?.stop();
});

describe('error classes', () => {
  test('every class in `errors` is exported, an Error, and named after itself', () => {
    const names = Object.keys(errors);
    assert.ok(names.length >= 15);
    for (const name of names) {
      const Cls = errors[name];
      assert.equal(api[name], Cls, `${name} exported`);
      assert.equal(Cls.name, name);
      const err = name === 'PermissionViolationError'
        ? new Cls('msg', { operation: 'publish', subject: 's' })
        : new Cls(name === 'NoRespondersError' ? 'subj' : 'msg');
      assert.ok(err instanceof Error, name);
      assert.ok(err instanceof NatsError, name);
      // nats.js names NoRespondersError 'NoResponders'; every other one is its class name.
      assert.equal(err.name, name === 'NoRespondersError' ? 'NoResponders' : name);
      assert.equal(typeof err.message, 'string');
      assert.equal(typeof err.stack, 'string');
      assert.equal(Object.prototype.toString.call(err), '[object Error]');
    }
  });

  test('hierarchy: subject and payload errors are InvalidArgumentErrors', () => {
    assert.ok(new InvalidSubjectError('x') instanceof InvalidArgumentError);
    assert.ok(new MaxPayloadError('x') instanceof InvalidArgumentError);
    assert.ok(!(new TimeoutError('x') instanceof InvalidArgumentError));
  });

  test('code and cause options', () => {
    const cause = new Error('root');
    const err = new ConnectionError('lost', { code: 'connection_lost', cause });
    assert.equal(err.code, 'connection_lost');
    assert.equal(err.cause, cause);
    assert.equal(new ProtocolError('x').code, 'error');
    assert.ok(!('cause' in new ProtocolError('x')));
  });

  test('RequestError.isNoResponders() looks at the cause', () => {
    assert.equal(new RequestError('x', { cause: new NoRespondersError('s') }).isNoResponders(), true);
    assert.equal(new RequestError('x', { cause: new TimeoutError('t') }).isNoResponders(), false);
    assert.equal(new RequestError('x').isNoResponders(), false);
    const nr = new NoRespondersError('svc.x');
    assert.equal(nr.subject, 'svc.x');
    assert.match(nr.message, /svc\.x/);
  });

  test('every engine error code maps to the class the C++ table names', () => {
    assert.ok(abi.ERRORS.length >= 30);
    for (const row of abi.ERRORS) {
      const Cls = errors[row.js];
      assert.ok(Cls, `${row.name}: JS class ${row.js} exists`);
      const err = errorFromCode(row.code, 'text');
      assert.ok(err instanceof Cls, `${row.name} → ${row.js}`);
      assert.equal(err.errc, row.name);
      assert.equal(codeName(row.code), row.name);
      assert.equal(ERRC[row.name], row.code);
    }
    assert.equal(codeName(9999), 'unknown');
    assert.equal(errorFromCode(9999, 'odd').name, 'NatsError');
  });

  test('engine errors become the nats.js classes (by name, not number)', () => {
    const cases = [
      ['invalid_subject', InvalidSubjectError], ['invalid_queue', InvalidArgumentError],
      ['max_payload_exceeded', MaxPayloadError], ['connection_closed', ClosedConnectionError],
      ['connection_draining', DrainingConnectionError], ['not_connected', ConnectionError],
      ['bad_subscription', InvalidOperationError], ['protocol_error', ProtocolError],
      ['authorization_violation', AuthorizationError], ['stale_connection', ConnectionError],
      ['connection_lost', ConnectionError], ['timeout', TimeoutError], ['no_servers', ConnectionError],
      ['cancelled', AbortError],
    ];
    for (const [name, Cls] of cases) {
      const err = errorFromCode(ERRC[name], 'text');
      assert.ok(err instanceof Cls, `${name} → ${Cls.name}`);
      assert.equal(err.name, Cls.name);
      assert.equal(err.code, name);
      assert.equal(err.message, 'text');
    }
    assertNoResponders(errorFromCode(ERRC.no_responders, 'no responders'));
  });

  test('errorFromCode takes permission details from the engine, not from the text', () => {
    const code = ERRC.permission_violation;
    const sub = errorFromCode(code, 'Permissions Violation for Subscription to "a.b" using queue "q1"',
      { operation: 'subscription', subject: 'a.b', queue: 'q1' });
    assert.ok(sub instanceof PermissionViolationError);
    assert.equal(sub.operation, 'subscription');
    assert.equal(sub.subject, 'a.b');
    assert.equal(sub.queue, 'q1');
    const pub = errorFromCode(code, 'anything', { operation: 'publish', subject: 'x.y' });
    assert.equal(pub.operation, 'publish');
    assert.equal(pub.subject, 'x.y');
    assert.equal(pub.queue, undefined);
  });
});

function assertNoResponders(err) {
  assert.ok(err instanceof NoRespondersError);
  assert.equal(err.name, 'NoResponders', "nats.js's name");
}

describe('errors from a live connection', () => {
  test('each failure is an Error whose name is its class name', async () => {
    const nc = await conns.connect(srv.wsUrl);
    const seen = [];
    const grab = (fn) => { try { fn(); } catch (e) { seen.push(e); } };
    const grabAsync = async (p) => { try { await p; } catch (e) { seen.push(e); } };
    grab(() => nc.publish('a b'));
    grab(() => nc.subscribe('a..b'));
    grab(() => nc.subscribe('q', { queue: 'x y' }));
    grab(() => nc.publish('big', new Uint8Array(65537)));
    grab(() => nc.publish('x', 1));
    await grabAsync(nc.request('nobody.here', 'x'));
    nc.subscribe('silent', { callback: () => {} });
    await grabAsync(nc.request('silent', 'x', { timeout: 50 }));
    await grabAsync(nc.request('silent', 'x', { signal: AbortSignal.abort() }));
    const ac = new AbortController();
    const sub = nc.subscribe('aborted', { signal: ac.signal });
    ac.abort();
    const { error: subErr } = await drainIterable(sub);
    seen.push(subErr);
    await grabAsync((async () => { for await (const m of await nc.requestMany('nobody.many')) void m; })());
    await grabAsync(api.connect({ servers: 'nats://127.0.0.1:4222' }));
    await nc.close();
    grab(() => nc.publish('x'));
    const expected = [
      'InvalidSubjectError', 'InvalidSubjectError', 'InvalidArgumentError', 'MaxPayloadError', 'InvalidArgumentError',
      'RequestError', 'TimeoutError', 'AbortError', 'AbortError', 'NoResponders', 'InvalidArgumentError',
      'ClosedConnectionError',
    ];
    assert.deepEqual(seen.map((e) => e.name), expected);
    for (const err of seen) {
      assert.ok(err instanceof Error);
      assert.ok(err instanceof NatsError, err.name);
      if (!(err instanceof NoRespondersError)) assert.equal(err.name, err.constructor.name);
      assert.ok(err.message.length > 0, err.name);
    }
    assert.ok(seen[5].cause instanceof NoRespondersError);
  });
});
