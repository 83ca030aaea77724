// Engine events → the connection's Promises, subscriptions and status
// stream. One batch of records per engine call (js/src/engine.mjs).
import { EV, REC } from '../dist/abi.mjs';
import { Msg } from './msg.mjs';
import { StoredMsgImpl } from './jetstream/stored_msg.mjs';
import { JsMsgImpl } from './jetstream/jsmsg.mjs';
import { RequestError, TimeoutError } from './errors.mjs';
import { onAuthNeeded, onSignNonce } from './auth.mjs';

/** @param {import('./engine.mjs').Batch} b @param {number} r */
function makeMsg(nc, b, r) {
  return new Msg(nc, b.subject(r), b.reply(r), b.word(r, REC.sid), b.payload(r), b.headers(r));
}

// One handler per event type; `nc` is the NatsConnection.
const HANDLERS = {
  [EV.message](nc, b, r) {
    const sub = nc._subs.get(b.word(r, REC.id));
    if (sub) sub._push(makeMsg(nc, b, r));
  },
  [EV.request_reply](nc, b, r) {
    const req = nc._requests.get(b.word(r, REC.id));
    if (!req) return;
    if (req.many) {
      req.many.push(makeMsg(nc, b, r));
      return;
    }
    nc._settleRequest(b.word(r, REC.id));
    req.resolve(makeMsg(nc, b, r));
  },
  [EV.request_done](nc, b, r) {
    const req = nc._requests.get(b.word(r, REC.id));
    if (!req) return;
    nc._settleRequest(b.word(r, REC.id));
    req.many?.end(null);
  },
  [EV.request_failed](nc, b, r) {
    const req = nc._requests.get(b.word(r, REC.id));
    if (!req) return;
    nc._settleRequest(b.word(r, REC.id));
    const err = b.error(r);
    if (req.many) {
      req.many.end(err);
    } else if (err instanceof TimeoutError) {
      req.reject(err);
    } else {
      // As nats.js: a request that fails for any reason but its timeout is a
      // RequestError caused by that reason (no responders, a closed
      // connection, a denied publish); `code` stays the cause's.
      req.reject(new RequestError(err.message, { code: err.errc, cause: err }));
    }
  },
  [EV.flush_done](nc, b, r) {
    const f = nc._flushes.get(b.word(r, REC.id));
    if (!f) return;
    nc._flushes.delete(b.word(r, REC.id));
    const err = b.error(r);
    if (err) f.reject(err);
    else f.resolve();
  },
  [EV.subscription_closed](nc, b, r) {
    const sub = nc._subs.get(b.word(r, REC.id));
    if (!sub) return;
    nc._subs.delete(b.word(r, REC.id));
    sub._end(b.error(r));
  },
  [EV.error](nc, b, r) {
    nc._emitStatus({ type: 'error', error: b.error(r) });
  },
  [EV.info](nc) {
    nc._info = JSON.parse(nc._engine.c.infoJson());
  },
  [EV.lame_duck](nc) {
    nc._emitStatus({ type: 'ldm', server: nc.getServer() });
  },
  [EV.connected](nc) {
    nc._info = JSON.parse(nc._engine.c.infoJson());
    nc._resolveConnected();
  },
  [EV.disconnected](nc, b, r) {
    const error = b.error(r);
    nc._lostReported = true;
    // nats.js gives the server as host:port (getServer()).
    nc._emitStatus({ type: 'disconnect', server: nc.getServer(), error });
    if (error?.errc === 'stale_connection') nc._emitStatus({ type: 'staleConnection' });
  },
  [EV.reconnecting](nc, b, r) {
    // error: why the previous attempt failed (an extension; none on the
    // first). A record with an error keeps its text (the URL) in slot 3.
    const error = b.error(r) ?? undefined;
    nc._emitStatus({
      type: 'reconnecting', server: b.textAt(r, error ? REC.text3Off : REC.textOff),
      attempt: b.u64(r, REC.numLo), error,
    });
  },
  [EV.reconnected](nc, b, r) {
    nc._info = JSON.parse(nc._engine.c.infoJson());
    nc._reconnects++;
    nc._lostReported = false;
    nc._emitStatus({ type: 'reconnect', server: nc.getServer() });
  },
  [EV.servers_changed](nc, b, r) {
    nc._emitStatus({
      type: 'update', added: JSON.parse(b.textAt(r, REC.textOff) || '[]'),
      deleted: JSON.parse(b.textAt(r, REC.text2Off) || '[]'),
    });
  },
  [EV.slow_consumer](nc, b, r) {
    const sub = nc._subs.get(b.word(r, REC.id));
    if (!sub) return;
    sub._dropped = b.u64(r, REC.num2Lo);
    // nats.js's SlowConsumerStatus, plus what was dropped (an extension).
    nc._emitStatus({
      type: 'slowConsumer', sub, pending: b.u64(r, REC.numLo), dropped: sub._dropped,
      dropping: (b.word(r, REC.flags) & 1) === 1,
    });
  },
  [EV.closed](nc, b, r) {
    nc._onClosed(b.error(r) ?? undefined);
  },
  [EV.js_result](nc, b, r) {
    const op = takeJsOp(nc, b, r);
    if (!op) return;
    const err = b.error(r);
    if (err) op.reject(err);
    else if (op.raw) op.resolve(b.textAt(r, REC.textOff));
    else op.resolve(JSON.parse(b.textAt(r, REC.textOff)));
  },
  [EV.js_stored_msg](nc, b, r) {
    const op = takeJsOp(nc, b, r);
    if (!op) return;
    const err = b.error(r);
    if (err) op.reject(err);
    else {
      const m = new StoredMsgImpl(b.textAt(r, REC.textOff), b.u64(r, REC.numLo), b.headers(r),
        b.payload(r), b.textAt(r, REC.text2Off), b.textAt(r, REC.text3Off));
      m._kvOperation = b.u64(r, REC.num2Lo); // key-value reads: 0 put, 1 del, 2 purge
      op.resolve(m);
    }
  },
  [EV.js_pub_ack](nc, b, r) {
    const op = takeJsOp(nc, b, r);
    if (!op) return;
    const err = b.error(r);
    if (err) op.reject(err);
    else op.resolve(b.pubAck(r));
    op.ctx?._settled();
  },
  [EV.js_msg](nc, b, r) {
    const session = nc._pulls.get(b.word(r, REC.id));
    if (!session) return;
    const size = b.word(r, REC.subjectLen) + b.word(r, REC.replyLen) + b.word(r, REC.headersLen)
      + b.word(r, REC.payloadLen);
    const m = new JsMsgImpl(nc, b.subject(r), b.replyBytes(r), b.word(r, REC.sid), b.payload(r), b.headers(r),
      b.u64(r, REC.numLo), b.word(r, REC.flags) >>> 8, size);
    // Watch entries: the subject is the key and num2 the operation (engine_kv.cpp).
    m._num2 = b.u64(r, REC.num2Lo);
    session._push(m);
  },
  [EV.pull_status](nc, b, r) {
    nc._pulls.get(b.word(r, REC.id))?._notify(b.textAt(r, REC.textOff), b.textAt(r, REC.text2Off),
      b.u64(r, REC.numLo), b.u64(r, REC.num2Lo));
  },
  [EV.pull_done](nc, b, r) {
    nc._pulls.get(b.word(r, REC.id))?._done(b.error(r));
  },
  [EV.auth_needed](nc, b, r) {
    onAuthNeeded(nc, b.textAt(r, REC.textOff));
  },
  [EV.sign_nonce](nc, b, r) {
    onSignNonce(nc, b.textAt(r, REC.textOff), b.payload(r).slice());
  },
  [EV.tls_upgrade](nc) {
    // Only TCP connections upgrade to TLS, and JS hosts open WebSockets
    // only (wss:// is the platform's TLS): the engine never asks here.
    nc._engine.c.authFailed('TLS upgrade of a WebSocket connection (use wss://)', performance.now());
  },
  [EV.transport_open](nc, b, r) {
    nc._openTransport(b.textAt(r, REC.textOff));
  },
  [EV.transport_close](nc) {
    nc._closeTransport();
  },
};

function takeJsOp(nc, b, r) {
  const id = b.word(r, REC.id);
  const op = nc._jsOps.get(id);
  if (op) nc._jsOps.delete(id);
  return op;
}

/** Every event type the engine can send has a handler (checked by a test). */
export const handledEvents = Object.keys(HANDLERS).map(Number);

/**
 * Hands out the n records the last engine call produced, then writes the
 * engine's output and re-arms its timer.
 * @param {import('./connection.mjs').NatsConnection} nc
 * @param {number} n
 */
export function processEvents(nc, n) {
  if (n > 0) {
    const b = nc._engine.readBatch(n);
    const W = REC.words;
    nc._dispatchDepth++;
    try {
      for (let i = 0, r = 0; i < b.count; i++, r += W) HANDLERS[b.recs[r]]?.(nc, b, r);
    } finally {
      nc._dispatchDepth--;
      b.release();
    }
  }
  nc._writeOutput();
  // The engine is freed only by the outermost call: an outer loop may still
  // be reading payloads from its receive buffer.
  if (!nc._isClosed) nc._armTimer();
  else if (nc._dispatchDepth === 0) nc._releaseEngine();
}
