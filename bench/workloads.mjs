// The three workloads, written once against the nats.js v3 API that both
// clients share (connect/publish/subscribe/request/flush/close). Used by the
// Node worker and by the browser page.

/** Payload of `size` bytes (not all zero, so nothing special-cases it). */
export function makePayload(size) {
  const p = new Uint8Array(size);
  for (let i = 0; i < size; i++) p[i] = 97 + (i % 26);
  return p;
}

/**
 * Untimed rounds before the timed one: both clients are JIT-compiled code
 * (V8's, and the engine's WebAssembly tiers up from Liftoff to TurboFan), and
 * without this a quick run measures compilation more than throughput (the
 * first 25,000 messages of a cold pubsub ran at ~300k/s for both clients).
 */
const warmupOf = (n) => Math.min(20_000, Math.floor(n / 5));

/** n publishes to `subject`, with backpressure where the client has it. */
async function publishLoop(nc, subject, payload, n) {
  const bounded = typeof nc.writeReady === 'function';
  for (let i = 0; i < n; i++) {
    nc.publish(subject, payload);
    if (bounded && (i & 1023) === 1023) await nc.writeReady();
  }
  await nc.flush();
}

/**
 * pub: n publishes, then one flush. Returns {msgs_per_sec}. A client with
 * backpressure (nats-wasm's writeReady) is awaited every 1024 messages, as
 * a publish loop should; nats.js has none, so its loop buffers everything.
 */
export async function pub(connect, url, { size, n }) {
  const nc = await connect(url);
  const payload = makePayload(size);
  await publishLoop(nc, 'bench.pub.warmup', payload, warmupOf(n));
  const t0 = performance.now();
  await publishLoop(nc, 'bench.pub', payload, n);
  const secs = (performance.now() - t0) / 1000;
  await nc.close();
  return { msgs_per_sec: n / secs, secs };
}

/**
 * One pubsub round of n messages on `subject`: the publisher never leads
 * the subscriber by more than `window` messages; when it does, it waits
 * until the subscriber has caught up by half. Returns the seconds taken.
 */
async function pubsubRound(subNc, pubNc, subject, payload, n, window) {
  const sub = subNc.subscribe(subject, { max: n });
  await subNc.flush();
  let received = 0;
  let bytes = 0;
  let wake = null; // resolves the publisher's wait
  let wakeAt = 0;
  const t0 = performance.now();
  const consumed = (async () => {
    for await (const m of sub) {
      received++;
      bytes += m.data.length;
      if (wake && received >= wakeAt) {
        const w = wake;
        wake = null;
        w();
      }
    }
  })();
  for (let i = 0; i < n; i++) {
    if (i - received >= window) {
      wakeAt = i - window / 2;
      await new Promise((resolve) => { wake = resolve; });
    }
    pubNc.publish(subject, payload);
  }
  await consumed;
  const secs = (performance.now() - t0) / 1000;
  if (received !== n || bytes !== n * payload.length) throw new Error(`received ${received}/${n} msgs, ${bytes} bytes`);
  return secs;
}

/** pubsub: a publisher and a subscriber on two connections in one process. */
export async function pubsub(connect, url, { size, n, window }) {
  const subNc = await connect(url);
  const pubNc = await connect(url);
  const payload = makePayload(size);
  await pubsubRound(subNc, pubNc, 'bench.pubsub.warmup', payload, warmupOf(n), window);
  const secs = await pubsubRound(subNc, pubNc, 'bench.pubsub', payload, n, window);
  await Promise.all([subNc.close(), pubNc.close()]);
  return { msgs_per_sec: n / secs, secs };
}

function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** req: n sequential requests to a responder on another connection. Returns p50/p99 in µs. */
export async function req(connect, url, { size, n }) {
  const resNc = await connect(url);
  const reqNc = await connect(url);
  const sub = resNc.subscribe('bench.req');
  (async () => { for await (const m of sub) m.respond(m.data); })();
  await resNc.flush();
  const payload = makePayload(size);
  const warmup = Math.min(200, n);
  for (let i = 0; i < warmup; i++) await reqNc.request('bench.req', payload, { timeout: 5000 });
  const lat = new Float64Array(n);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    const m = await reqNc.request('bench.req', payload, { timeout: 5000 });
    lat[i] = (performance.now() - s) * 1000;
    if (m.data.length !== size) throw new Error(`reply of ${m.data.length} bytes`);
  }
  const secs = (performance.now() - t0) / 1000;
  lat.sort();
  await Promise.all([reqNc.close(), resNc.close()]);
  return { p50_us: percentile(lat, 0.5), p99_us: percentile(lat, 0.99), msgs_per_sec: n / secs, secs };
}


// --- JetStream ----------------------------------------------------------------
// Both clients share nats.js v3's JetStream API (jetstream(nc), jetstreamManager(nc)).

let streamCounter = 0;

/**
 * Runs fn({nc, jsm, js, name, subject}) on a fresh connection with a memory
 * stream of its own, bounded so big payloads cannot fill the server, and
 * deletes the stream afterwards even when fn fails (a stream left behind
 * would fill the server's memory store for every later row).
 */
async function withBenchStream(lib, url, fn) {
  const nc = await lib.connect(url);
  const jsm = await lib.jetstreamManager(nc);
  const name = `BENCH_${globalThis.process?.pid ?? 0}_${Date.now()}_${++streamCounter}`;
  try {
    await jsm.streams.add({ name, subjects: [`${name}.>`], storage: 'memory', max_bytes: 32 << 20 });
    return await fn({ nc, jsm, js: lib.jetstream(nc), name, subject: `${name}.x` });
  } finally {
    await jsm.streams.delete(name).catch(() => {});
    await nc.close();
  }
}

/** js_pub_sync: n JetStream publishes, each awaited before the next. p50/p99 in µs. */
export function js_pub_sync(lib, url, { size, n }) {
  return withBenchStream(lib, url, async ({ js, subject }) => {
    const payload = makePayload(size);
    for (let i = 0; i < Math.min(200, n); i++) await js.publish(subject, payload);
    const lat = new Float64Array(n);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      const ack = await js.publish(subject, payload);
      lat[i] = (performance.now() - s) * 1000;
      if (!(ack.seq > 0)) throw new Error('no ack');
    }
    const secs = (performance.now() - t0) / 1000;
    lat.sort();
    return { p50_us: percentile(lat, 0.5), p99_us: percentile(lat, 0.99), msgs_per_sec: n / secs, secs };
  });
}

/** js_pub_win: n JetStream publishes with up to `inflight` (256) unacknowledged. msgs/s. */
export function js_pub_win(lib, url, { size, n, inflight = 256 }) {
  return withBenchStream(lib, url, async ({ js, subject }) => {
    const payload = makePayload(size);
    const pending = new Array(inflight);
    let lastSeq = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const slot = i % inflight;
      if (i >= inflight) lastSeq = (await pending[slot]).seq;
      pending[slot] = js.publish(subject, payload);
    }
    for (let i = Math.max(0, n - inflight); i < n; i++) lastSeq = Math.max(lastSeq, (await pending[i % inflight]).seq);
    const secs = (performance.now() - t0) / 1000;
    if (lastSeq < n) throw new Error(`last ack seq ${lastSeq} < ${n}`);
    return { msgs_per_sec: n / secs, secs };
  });
}

/** Reads n stored messages through a new durable consumer `durable`; returns their bytes. */
async function readStored(nc, jsm, js, name, durable, n, ack) {
  await jsm.consumers.add(name, { durable_name: durable, ack_policy: ack ? 'explicit' : 'none' });
  const consumer = await js.consumers.get(name, durable);
  const messages = await consumer.consume({ max_messages: 512 });
  let got = 0;
  let bytes = 0;
  for await (const m of messages) {
    bytes += m.data.length;
    if (ack) m.ack();
    if (++got === n) break;
  }
  if (ack) await nc.flush();
  return bytes;
}

/** Consumes n stored messages from a durable pull consumer; with ack, each is acknowledged. */
function consumeStored(lib, url, { size, n }, ack) {
  return withBenchStream(lib, url, async ({ nc, jsm, js, name, subject }) => {
    // Filled before timing; room for every message (the 32 MiB cap would drop the oldest).
    await jsm.streams.update(name, { max_bytes: Math.max(32 << 20, n * (size + 256)) });
    const payload = makePayload(size);
    const pending = [];
    for (let i = 0; i < n; i++) {
      pending.push(js.publish(subject, payload));
      if (pending.length >= 256) await pending.shift();
    }
    await Promise.all(pending);
    // The warm-up round (see warmupOf): the first messages through another consumer.
    await readStored(nc, jsm, js, name, 'warmup', warmupOf(n), ack);
    const t0 = performance.now();
    const bytes = await readStored(nc, jsm, js, name, 'bench', n, ack);
    const secs = (performance.now() - t0) / 1000;
    if (bytes !== n * size) throw new Error(`consumed ${bytes} bytes, expected ${n * size}`);
    if (ack) {
      const info = await jsm.consumers.info(name, 'bench');
      if (info.ack_floor.stream_seq !== n) throw new Error(`ack floor ${info.ack_floor.stream_seq} < ${n}`);
    }
    return { msgs_per_sec: n / secs, secs };
  });
}

/** js_consume: n stored messages through consume() with no acks. msgs/s. */
export function js_consume(lib, url, spec) { return consumeStored(lib, url, spec, false); }
/** js_consume_ack: the same with an explicit ack per message. msgs/s. */
export function js_consume_ack(lib, url, spec) { return consumeStored(lib, url, spec, true); }

export const workloads = { pub, pubsub, req };
/** JetStream workloads take a library {connect, jetstream, jetstreamManager} instead of connect. */
export const jsWorkloads = { js_pub_sync, js_pub_win, js_consume, js_consume_ack };
