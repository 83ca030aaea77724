// What the nats.js parity tests share: records of errors and outcomes that
// compare across the two libraries, and bounded collection of iterables.
import { within } from './helpers.mjs';

/**
 * The record of an error: its name (both libraries name errors after their
 * class), whether it is the library's JetStreamApiError (then the server's
 * api error: code, err_code, description), and the same for its cause.
 */
export function errRec(err, lib) {
  if (!(err instanceof Error)) return `not an Error: ${typeof err}`;
  const r = { name: err.name, api: err instanceof lib.js.JetStreamApiError, hasMessage: err.message.length > 0 };
  if (r.api) r.apiError = { ...err.apiError(), code: err.code, status: err.status };
  if (err.name === 'JetStreamStatusError') r.code = err.code;
  if (err.cause !== undefined) r.cause = errRec(err.cause, lib);
  return r;
}

/** 'ok' (or what fn resolves to, with keep) or the record of what it throws or rejects with. */
export async function outcome(fn, lib, keep = false) {
  try {
    const v = await fn();
    return keep ? { ok: v } : 'ok';
  } catch (err) {
    return errRec(err, lib);
  }
}

/** Collects an async iterable into records (bounded wait). */
export async function collect(iterable, rec, what, max = Infinity) {
  const out = [];
  await within((async () => {
    for await (const m of iterable) {
      out.push(await rec(m));
      if (out.length >= max) break;
    }
  })(), 10000, what);
  return out;
}

/** [key, value] pairs of a header set, sorted (or what headers is when absent). */
export function hdrs(h) {
  return h ? [...h.keys()].sort().map((k) => [k, h.get(k)]) : h;
}
