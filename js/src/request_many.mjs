// requestMany (nats.js): one request, many replies. The strategies (timer,
// count, stall, sentinel), the max wait and no-responders are the engine's
// (core/src/engine_requests.cpp); this file turns its events into an async
// iterable and maps aborts and early exits to a cancel in the engine.
import { STRATEGY } from '../dist/abi.mjs';
import { InvalidArgumentError } from './errors.mjs';
import { AsyncQueue, iterableOf } from './queue.mjs';

/**
 * @param {import('./connection.mjs').NatsConnection} nc
 * @param {string} subject
 * @param {Uint8Array} payload
 * @param {{strategy?: string, maxWait?: number, maxMessages?: number, stall?: number,
 *          headers?: any, signal?: AbortSignal}} opts
 * @returns {AsyncIterable<import('./msg.mjs').Msg>}
 */
export function startRequestMany(nc, subject, payload, opts) {
  const strategy = opts.strategy ?? 'timer';
  const code = STRATEGY[strategy];
  if (code === undefined) {
    throw new InvalidArgumentError(`unknown strategy '${strategy}'`, { code: 'invalid_argument' });
  }
  if (opts.signal?.aborted) throw nc._abortError(opts.signal, 'requestMany aborted');
  const out = new AsyncQueue();
  const id = nc._startRequestMany(subject, payload, code, opts, out);
  const cancel = (err) => {
    opts.signal?.removeEventListener('abort', onAbort);
    if (nc._requests.has(id)) nc._cancelRequest(id);
    out.end(err);
  };
  const onAbort = () => cancel(nc._abortError(opts.signal, 'requestMany aborted'));
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  out.onEnd = () => opts.signal?.removeEventListener('abort', onAbort);
  return iterableOf(out, () => cancel(null));
}
