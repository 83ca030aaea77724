// Reading through an engine-made ordered consumer (KV watches, object
// chunks and infos): wait for its creation, start one consume session, and
// stop both together. What the consumer reads and where it starts are the
// engine's (engine_kv.cpp, engine_obj.cpp).
import { PULL_MODE } from '../../dist/abi.mjs';
import { AsyncQueue, iterableOf } from '../queue.mjs';
import { ConsumerMessagesImpl } from './consumer_messages.mjs';

const now = () => performance.now();

/**
 * The messages of the ordered consumer `id` (an engine id whose js_result
 * says it exists). `pull` limits what the engine holds at once
 * ({max_messages, max_bytes}). Returns {messages, stop}; the caller
 * attaches its listeners, then runs nc._processNow() for what is queued.
 * @param {import('../connection.mjs').NatsConnection} nc
 */
export async function orderedRead(nc, id, pull = {}) {
  const created = new Promise((resolve, reject) => nc._jsOps.set(id, { resolve, reject }));
  nc._scheduleFlush();
  nc._armTimer();
  await created;
  const session = nc._engine.id(nc._engine.c.orderedPull(id, { mode: PULL_MODE.consume, ...pull }, now()));
  const messages = new ConsumerMessagesImpl(nc, session, {});
  const stop = () => {
    messages.stop();
    if (!nc._isClosed && nc._engine) nc._engine.c.orderedDelete(id);
    nc._processNow();
  };
  nc._writeOutput();
  nc._armTimer();
  return { messages, stop };
}

/**
 * An ordered read's messages as items, for watches: map(m, isUpdate) makes
 * each one (undefined leaves it out); isUpdate is false for what was there
 * when the read began. Options: marker (a null between those and the
 * updates, as nats.py), endWhenCaughtUp (stop there: lists, keys,
 * history), onCaughtUp (called once), signal (an AbortSignal: aborting
 * stops the read and ends the iteration). An async iterable with stop() and
 * closed(); breaking out of it stops the read.
 */
export function orderedItems(nc, { messages, stop }, { map, marker = false, endWhenCaughtUp = false, onCaughtUp, signal }) {
  const notes = messages.status(); // listening before anything is handed out
  const out = new AsyncQueue();
  let index = 0;
  let markerSent = !marker;
  const sendMarker = () => {
    if (!markerSent && messages._caughtUpAt !== undefined && index >= messages._caughtUpAt) {
      markerSent = true;
      out.push(null);
    }
  };
  (async () => {
    for await (const n of notes) {
      if (n.type !== 'caught_up') continue;
      sendMarker();
      onCaughtUp?.();
      if (endWhenCaughtUp) {
        stop();
        break;
      }
    }
  })();
  (async () => {
    try {
      for await (const m of messages) {
        const at = messages._caughtUpAt;
        sendMarker();
        const item = map(m, at !== undefined && index >= at);
        index++;
        if (item !== undefined) out.push(item);
        sendMarker(); // right after the last initial one
      }
      out.end(await messages.closed() ?? null);
    } catch (err) {
      out.end(err);
    }
  })();
  if (signal) {
    if (signal.aborted) stop();
    else {
      signal.addEventListener('abort', stop, { once: true });
      messages.closed().finally(() => signal.removeEventListener('abort', stop));
    }
  }
  nc._processNow();
  const iterable = iterableOf(out, stop);
  iterable.stop = stop;
  iterable.closed = () => messages.closed();
  return iterable;
}
