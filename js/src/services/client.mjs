// Calling services: discovery (nats.js ServiceClient) and streamed replies
// (requestStream). Subjects and how a reply reads are the core's.
import { toBytes } from '../bytes.mjs';
import { coreIfLoaded } from '../core.mjs';
import { ProtocolError, TimeoutError } from '../errors.mjs';
import { throwIfFailure } from '../failure.mjs';
import { REPLY, ServiceError, classifyReply } from './service_msg.mjs';

const VERB_CODES = { PING: 0, INFO: 1, STATS: 2 };

/** Discovery of running services (nats.js ServiceClient). */
export class ServiceClient {
  /**
   * @param {import('../connection.mjs').NatsConnection} nc
   * @param {object} [opts] requestMany options; default {strategy: 'stall', maxWait: 2000} (nats.js)
   * @param {string} [prefix] the discovery subjects' prefix ($SRV); the core checks it
   */
  constructor(nc, opts, prefix = '$SRV') {
    this.nc = nc;
    this.opts = opts ?? { strategy: 'stall', maxWait: 2000 };
    this.prefix = String(prefix);
  }
  /** Every service (or those named, or one instance) answering PING. */
  ping(name = '', id = '') { return this._q('PING', name, id); }
  /** Their info replies. */
  info(name = '', id = '') { return this._q('INFO', name, id); }
  /** Their stats replies. */
  stats(name = '', id = '') { return this._q('STATS', name, id); }

  async _q(verb, name, id) {
    const subject = coreIfLoaded().microControlSubject(VERB_CODES[verb], String(name), String(id), this.prefix);
    throwIfFailure(subject);
    const replies = await this.nc.requestMany(subject, undefined, this.opts);
    return (async function* parsed() {
      for await (const m of replies) {
        try {
          yield m.json();
        } catch {
          throw new ProtocolError(`a ${verb} reply is not JSON`, { code: 'protocol_error' });
        }
      }
    })();
  }
}

/**
 * Calls an endpoint that streams its reply: yields each chunk (a Msg) in
 * order and ends at the empty end-of-stream reply. An error reply throws
 * ServiceError; a stream not ended within `timeout` ms (default 30 s)
 * throws TimeoutError, so a cut-off stream never looks complete.
 * @param {import('../connection.mjs').NatsConnection} nc
 * @param {string} subject @param {Uint8Array|string} [data]
 * @param {{timeout?: number, headers?: any, signal?: AbortSignal}} [opts]
 */
export async function* requestStream(nc, subject, data, opts = {}) {
  const timeout = opts.timeout ?? 30_000;
  const replies = await nc.requestMany(subject, toBytes(data), {
    strategy: 'sentinel', maxWait: timeout, headers: opts.headers, signal: opts.signal,
  });
  for await (const m of replies) {
    const [kind, code, description] = classifyReply(m);
    if (kind === REPLY.end) return;
    if (kind === REPLY.error) {
      const n = Number.parseInt(code, 10);
      throw new ServiceError(Number.isFinite(n) ? n : 400, description);
    }
    yield m;
  }
  throw new TimeoutError(`the stream from '${subject}' did not end within ${timeout} ms`, { code: 'timeout' });
}
