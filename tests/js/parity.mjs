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

/**
 * Replaces what legitimately differs between the runs: the prefix of names
 * (of one length in both, so stored sizes compare), inboxes, ports, times.
 */
export function normalise(value, prefix, ports) {
  if (typeof value === 'string') {
    return value.split(prefix).join('P')
      .replace(/_INBOX\.[0-9A-Za-z]+(\.[0-9A-Za-z]+)?/g, '_INBOX.*')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'TIME')
      .replace(new RegExp(`\\b(${ports.join('|')})\\b`, 'g'), 'PORT');
  }
  if (Array.isArray(value)) return value.map((v) => normalise(v, prefix, ports));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value)
      .map(([k, v]) => [normalise(k, prefix, ports), normalise(v, prefix, ports)]));
  }
  return value;
}

/**
 * Runs program against each library of `libs` (one after the other, each on
 * a fresh connection with its JetStream manager and client) and returns
 * their normalised records by library name. `run` tags the names of one run.
 */
export async function runBoth(libs, run, ports, program) {
  const out = {};
  for (const lib of Object.values(libs)) {
    const nc = await lib.connect();
    try {
      const jsm = await lib.js.jetstreamManager(nc);
      const js = lib.js.jetstream(nc);
      const p = `${lib.tag}_${run}`;
      out[lib.name] = normalise(await program({ nc, lib, jsm, js, p }), p, ports);
    } finally {
      await nc.close().catch(() => {});
    }
  }
  return out;
}
