// JetStream messages (nats.js JsMsg): the payload and headers of a
// delivered message, its place in the stream, and acknowledgements. The ack
// payloads and the ack-subject parsing are the engine's.
import { ACK_KIND } from '../../dist/abi.mjs';
import { MsgHdrsImpl } from '../headers.mjs';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** A message delivered by a consumer. */
export class JsMsgImpl {
  /**
   * `reply` is the ack subject as a string or as its bytes: a consume loop
   * acks from the bytes and most never read the string (decoding it was the
   * largest JS cost per message after the message itself).
   */
  constructor(nc, subject, reply, sid, data, rawHeaders, seq, deliveryCount, size) {
    this._nc = nc;
    this.subject = subject;
    this._reply = typeof reply === 'string' ? reply : undefined;
    this._replyBytes = typeof reply === 'string' ? null : reply;
    this.sid = sid;
    this.data = data;
    this._rawHeaders = rawHeaders;
    this._headers = undefined;
    /** The stream sequence. */
    this.seq = seq;
    this._deliveryCount = deliveryCount;
    this._size = size;
    this._info = undefined;
    this._didAck = false;
  }

  /** The ack subject. */
  get reply() {
    if (this._reply === undefined) this._reply = decoder.decode(this._replyBytes);
    return this._reply;
  }

  /** Parsed headers, or undefined. */
  get headers() {
    if (this._headers === undefined && this._rawHeaders) this._headers = MsgHdrsImpl.decode(this._rawHeaders);
    return this._headers;
  }
  /** True when the server delivered it before. */
  get redelivered() { return this._deliveryCount > 1; }
  /**
   * Where it sits: {domain, account_hash, stream, consumer, deliveryCount,
   * redelivered, streamSequence, deliverySequence, timestampNanos, pending}.
   */
  get info() {
    if (this._info === undefined) {
      const info = this._nc._engine ? this._nc._engine.M.parseAckReply(this.reply) : null;
      if (!info) throw new Error('unable to parse delivery info - not a jetstream message');
      this._info = info;
    }
    return this._info;
  }
  /** When it was stored (millisecond precision). */
  get time() { return new Date(Math.floor(this.info.timestampNanos / 1e6)); }
  /** time as an ISO string. */
  get timestamp() { return this.time.toISOString(); }
  /** The exact store time in nanoseconds. */
  get timestampNanos() { return BigInt(this.info.timestampNanosText); }

  string() { return decoder.decode(this.data); }
  json() { return JSON.parse(this.string()); }

  _ack(kind, delay = 0) {
    if (this._didAck) return;
    const nc = this._nc;
    nc._throwIfClosed();
    const engine = nc._engine;
    let n;
    if (this._replyBytes !== null) {
      n = this._replyBytes.length;
      const ptr = engine.stageArea(n);
      engine.M.HEAPU8.set(this._replyBytes, ptr);
    } else {
      const reply = String(this.reply);
      const ptr = engine.stageArea(reply.length * 3);
      n = encoder.encodeInto(reply, engine.M.HEAPU8.subarray(ptr, ptr + reply.length * 3)).written;
    }
    const rc = engine.M._nw_js_ack(engine.h, n, kind, delay);
    if (rc < 0) engine.check(-rc);
    if (kind !== ACK_KIND.working) this._didAck = true;
    nc._scheduleFlush();
  }

  /** Acknowledges. */
  ack() { this._ack(ACK_KIND.ack); }
  /** Asks for redelivery, after `millis` when given. */
  nak(millis) { this._ack(ACK_KIND.nak, millis > 0 ? millis : 0); }
  /** Still working on it: restarts the ack wait. */
  working() { this._ack(ACK_KIND.working); }
  /** Never redeliver. (The reason is not sent: 2.9 servers ignore "+TERM <reason>".) */
  term(_reason) { this._ack(ACK_KIND.term); }

  /**
   * Acknowledges and asks the consumer for the next messages (nats.js
   * next): they are delivered to `subj` (an inbox the caller subscribed
   * to). opts: {batch (default 1), expires (ms), no_wait}.
   */
  next(subj, opts = { batch: 1 }) {
    if (this._didAck) return;
    const nc = this._nc;
    nc._throwIfClosed();
    const engine = nc._engine;
    engine.check(engine.c.jsAckNext(String(this.reply), subj ? String(subj) : '',
      opts.batch || 1, opts.expires > 0 ? opts.expires : 0, !!opts.no_wait));
    this._didAck = true;
    nc._scheduleFlush();
  }

  /**
   * Acknowledges and waits for the server to confirm: true once confirmed,
   * false when already acknowledged (or not a JetStream message).
   */
  async ackAck(opts = {}) {
    if (this._didAck || !this.reply) return false;
    const nc = this._nc;
    nc._throwIfClosed();
    const reply = String(this.reply);
    const [rl] = nc._engine.stage([reply], []);
    const id = nc._engine.id(nc._engine.c.jsAckSync(rl, performance.now(), opts.timeout ?? 5000));
    this._didAck = true;
    const p = new Promise((resolve, reject) => nc._requests.set(id, { resolve: () => resolve(true), reject }));
    nc._scheduleFlush();
    nc._armTimer();
    return p;
  }
}
