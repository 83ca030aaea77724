// Topics with partitions (the Fluvio model) over JetStream. The hash and the
// subject layout are the engine's (core/include/nats/jetstream/partitions.hpp):
// the same key gives the same partition from C++, JS and Python.
import { coreIfLoaded, loadCore } from '../core.mjs';
import { ERRC, errorFromCode } from '../errors.mjs';
import { headers as newHeaders } from '../headers.mjs';

/** The header carrying a record's key. */
export const PARTITION_KEY_HEADER = 'Partition-Key';

function core() {
  const M = coreIfLoaded();
  if (!M) throw new Error('the engine is not loaded yet: connect first (or await loadCore())');
  return M;
}

/** The partition of `key` among `partitions` (FNV-1a 32 of its UTF-8 bytes, mod partitions). */
export function partitionFor(key, partitions) {
  const p = core().partitionFor(String(key), partitions);
  if (p < 0) throw errorFromCode(ERRC.invalid_argument, `invalid partition count ${partitions}`);
  return p;
}

/** The subjects of a topic: ["<topic>.0", ...]. */
export function topicSubjects(topic, partitions) {
  const out = core().topicSubjects(String(topic), partitions);
  if (typeof out[0] === 'number') throw errorFromCode(out[0], out[1]);
  return out;
}

/** A stream config for a topic with `partitions` partitions (plus any other config fields). */
export function topicConfig(topic, partitions, config = {}) {
  return { ...config, name: topic, subjects: topicSubjects(topic, partitions) };
}

/** How many partitions a stream (its info or config) has as a topic; 0 when it is not one. */
export function partitionCount(infoOrConfig) {
  const cfg = infoOrConfig?.config ?? infoOrConfig ?? {};
  return core().partitionCount(String(cfg.name ?? ''), cfg.subjects ?? []);
}

/** Creates a topic (a stream named after it, one subject per partition). */
export async function createTopic(jsm, topic, partitions, config = {}) {
  await loadCore();
  return jsm.streams.add(topicConfig(topic, partitions, config));
}

/**
 * A producer for one topic (Fluvio's TopicProducer): send(key, value)
 * publishes to the key's partition with the key in a header, pipelined;
 * flush() waits for every acknowledgement.
 */
export class TopicProducer {
  /** @param {import('./client.mjs').JetStreamClientImpl} js */
  constructor(js, topic, partitions) {
    this._js = js;
    this.topic = topic;
    this.partitions = partitions;
  }
  /** Publishes one record; resolves with its PubAck. */
  send(key, value, opts = {}) {
    const p = key === null || key === undefined ? 0 : partitionFor(key, this.partitions);
    const h = opts.headers ?? newHeaders();
    if (key !== null && key !== undefined) h.set(PARTITION_KEY_HEADER, String(key));
    return this._js.publish(partitionSubject(this.topic, p), value, { ...opts, headers: h });
  }
  /** Publishes [key, value] records; resolves with their PubAcks in order. */
  sendAll(records) { return Promise.all(records.map(([k, v]) => this.send(k, v))); }
  /** Resolves when every record sent so far is acknowledged. */
  flush() { return this._js.publishAsyncCompleted(); }
}

/** A TopicProducer for an existing topic (reads its partition count). */
export async function topicProducer(js, topic) {
  const jsm = await js.jetstreamManager(false);
  const n = partitionCount(await jsm.streams.info(topic));
  if (n === 0) throw errorFromCode(ERRC.invalid_name, `stream '${topic}' is not a topic with partitions`);
  return new TopicProducer(js, topic, n);
}

// --- consuming topics --------------------------------------------------------------

/** The subject of one partition (the engine's layout). */
export function partitionSubject(topic, partition) {
  if (!Number.isInteger(partition) || partition < 0) {
    throw errorFromCode(ERRC.invalid_argument, `invalid partition ${partition}`);
  }
  return topicSubjects(topic, partition + 1)[partition];
}

/**
 * Fluvio's partition_consumer(topic, p).stream(offset): an ordered consumer
 * of one partition (records in the order they were stored), from `offset`
 * (Offset.beginning() by default).
 */
export async function partitionConsumer(js, topic, partition, offset, opts = {}) {
  await loadCore();
  return js.consumers.get(topic, {
    ...opts, filter_subjects: [partitionSubject(topic, partition)], offset: offset ?? { kind: 'beginning' },
  });
}

/** Fluvio's multi_partition_consumer: an ordered consumer of every partition (stream order). */
export async function multiPartitionConsumer(js, topic, offset, opts = {}) {
  return js.consumers.get(topic, { ...opts, offset: offset ?? { kind: 'beginning' } });
}

/**
 * Creates a consumer group: a durable pull consumer with explicit acks that
 * any number of workers share (each record to one of them). `offset` is
 * where it starts; `partition` limits it to one partition.
 */
export async function createConsumerGroup(jsm, topic, group, opts = {}) {
  await loadCore();
  const config = { durable_name: group, ack_policy: 'explicit', ...(opts.config ?? {}) };
  if (opts.partition !== undefined) config.filter_subject = partitionSubject(topic, opts.partition);
  const args = { stream: topic, config, action: 'create' };
  if (opts.offset) args.offset = opts.offset;
  return jsm._ctx.call('consumer_create', args);
}

/**
 * A topic's consumer groups with what each has committed (its ack floor),
 * delivered, and its lag (records not yet acknowledged):
 * [{name, filter, committed, delivered, pending, ack_pending, lag}].
 */
export async function consumerGroups(jsm, topic) {
  return (await jsm._ctx.call('consumer_groups', { stream: topic })).groups;
}

/** Deletes a consumer group (its committed offset goes with it). */
export async function deleteConsumerGroup(jsm, topic, group) {
  return jsm.consumers.delete(topic, group);
}
