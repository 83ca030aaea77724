// A request to a service endpoint (nats.js ServiceMsg) and the error a
// service answers with (ServiceError). The error headers and how a reply
// reads are the core's (core/include/nats/micro/service.hpp).
import { coreIfLoaded } from '../core.mjs';
import { throwIfFailure } from '../failure.mjs';
import { MsgHdrsImpl } from '../headers.mjs';
import { Msg } from '../msg.mjs';

/** Header names of an error reply. */
export const ServiceErrorHeader = 'Nats-Service-Error';
export const ServiceErrorCodeHeader = 'Nats-Service-Error-Code';

/** How a reply reads (micro::Reply::Kind). */
export const REPLY = Object.freeze({ data: 0, end: 1, error: 2 });

/** [kind, code, description] of a received reply. */
export function classifyReply(msg) {
  return coreIfLoaded().microClassify(msg.rawHeaders ?? '', msg.data.length);
}

/** An error a service replied with: `code` (a number, as in nats.js) and `message`. */
export class ServiceError extends Error {
  /** @param {number} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
  }
  /** True when the message is an error reply. */
  static isServiceError(msg) {
    return classifyReply(msg)[0] === REPLY.error;
  }
  /** The ServiceError a reply carries, or null. A code that is not a number reads as 400 (nats.js). */
  static toServiceError(msg) {
    const [kind, code, description] = classifyReply(msg);
    if (kind !== REPLY.error) return null;
    const n = Number.parseInt(code, 10);
    return new ServiceError(Number.isFinite(n) ? n : 400, description);
  }
}

/** The headers of an error reply, with the caller's own headers kept. */
export function errorHeaders(code, description, extra) {
  const raw = coreIfLoaded().microErrorHeaders(String(code), String(description ?? ''));
  throwIfFailure(raw);
  const h = MsgHdrsImpl.decode(raw);
  if (extra) {
    for (const [k, vs] of extra._map) if (!h.has(k)) for (const v of vs) h.append(k, v);
  }
  return h;
}

/**
 * A request received by an endpoint: a Msg with respondError(). The first
 * reply (respond or respondError) ends the request for the stats.
 */
export class ServiceMsg extends Msg {
  /** @param {Msg} msg @param {{_done: Function}} endpoint @param {number} start performance.now() */
  constructor(msg, endpoint, start) {
    super(msg._nc, msg.subject, msg.reply, msg.sid, msg.data, msg._rawHeaders);
    this._endpoint = endpoint;
    this._start = start;
    this._recorded = false;
  }
  respond(data, opts) {
    const sent = super.respond(data, opts);
    this._record(null);
    return sent;
  }
  /**
   * Replies with an error: the Nats-Service-Error(-Code) headers, and data.
   * @param {number|string} code @param {string} description @param {Uint8Array|string} [data]
   * @param {{headers?: MsgHdrsImpl}} [opts]
   */
  respondError(code, description, data, opts = {}) {
    const headers = errorHeaders(code, description, opts.headers);
    const sent = super.respond(data, { ...opts, headers });
    this._record([String(code), String(description ?? '')]);
    return sent;
  }
  // A chunk of a streamed reply (no stats: the stream's end records).
  _chunk(data) { return super.respond(data); }
  // Counts the request once: when it is answered or its handler finished.
  _record(error) {
    if (this._recorded) return;
    this._recorded = true;
    this._endpoint._done(performance.now() - this._start, error);
  }
}
