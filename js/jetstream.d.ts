// Types of nats-wasm/jetstream (names as in nats.js v3 @nats-io/jetstream).
import type {
  MsgHdrsImpl, NatsConnection, Payload, ConsumerNotFoundError, InvalidNameError, JetStreamApiError,
  JetStreamError, JetStreamNotEnabled, JetStreamStatusError, StreamNotFoundError,
} from './index.js';

export {
  ConsumerNotFoundError, InvalidNameError, JetStreamApiError, JetStreamError, JetStreamNotEnabled,
  JetStreamStatusError, StreamNotFoundError,
};

/** Nanoseconds (config durations are nanoseconds, as on the wire). */
export type Nanos = number;

export declare const AckPolicy: { readonly None: 'none'; readonly All: 'all'; readonly Explicit: 'explicit'; readonly NotSet: '' };
export type AckPolicy = (typeof AckPolicy)[keyof typeof AckPolicy];
export declare const DeliverPolicy: {
  readonly All: 'all'; readonly Last: 'last'; readonly New: 'new'; readonly StartSequence: 'by_start_sequence';
  readonly StartTime: 'by_start_time'; readonly LastPerSubject: 'last_per_subject';
};
export type DeliverPolicy = (typeof DeliverPolicy)[keyof typeof DeliverPolicy];
export declare const RetentionPolicy: { readonly Limits: 'limits'; readonly Interest: 'interest'; readonly Workqueue: 'workqueue' };
export type RetentionPolicy = (typeof RetentionPolicy)[keyof typeof RetentionPolicy];
/** Headers of a message a stream republished. */
export declare const RepublishHeaders: {
  readonly Stream: 'Nats-Stream'; readonly Subject: 'Nats-Subject'; readonly Sequence: 'Nats-Sequence';
  readonly LastSequence: 'Nats-Last-Sequence'; readonly Size: 'Nats-Msg-Size';
};
/** True for pull and ordered consumers (every consumer this client makes). */
export declare function isPullConsumer(c: unknown): boolean;
/** Always false: push consumers are not built here. */
export declare function isPushConsumer(c: unknown): boolean;
/** nats.js AdvisoryKind. */
export declare const AdvisoryKind: {
  readonly API: 'api_audit'; readonly StreamAction: 'stream_action'; readonly ConsumerAction: 'consumer_action';
  readonly SnapshotCreate: 'snapshot_create'; readonly SnapshotComplete: 'snapshot_complete';
  readonly RestoreCreate: 'restore_create'; readonly RestoreComplete: 'restore_complete';
  readonly MaxDeliver: 'max_deliver'; readonly Terminated: 'terminated'; readonly Ack: 'consumer_ack';
  readonly StreamLeaderElected: 'stream_leader_elected'; readonly StreamQuorumLost: 'stream_quorum_lost';
  readonly ConsumerLeaderElected: 'consumer_leader_elected'; readonly ConsumerQuorumLost: 'consumer_quorum_lost';
};
export type AdvisoryKind = typeof AdvisoryKind[keyof typeof AdvisoryKind];
/** One advisory: its kind and the server's JSON. */
export interface Advisory {
  kind: AdvisoryKind;
  data: unknown;
}
export declare const StorageType: { readonly File: 'file'; readonly Memory: 'memory' };
export type StorageType = (typeof StorageType)[keyof typeof StorageType];
export declare const DiscardPolicy: { readonly Old: 'old'; readonly New: 'new' };
export type DiscardPolicy = (typeof DiscardPolicy)[keyof typeof DiscardPolicy];
export declare const ReplayPolicy: { readonly Instant: 'instant'; readonly Original: 'original' };
export type ReplayPolicy = (typeof ReplayPolicy)[keyof typeof ReplayPolicy];
export declare const StoreCompression: { readonly None: 'none'; readonly S2: 's2' };
export declare const JetStreamApiCodes: {
  readonly ConsumerNotFound: 10014; readonly StreamNotFound: 10059; readonly JetStreamNotEnabledForAccount: 10039;
  readonly StreamWrongLastSequence: 10071; readonly StreamWrongLastSequenceUnknown: 10164; readonly NoMessageFound: 10037;
};
export declare const PubHeaders: Readonly<Record<string, string>>;
export declare const JsHeaders: Readonly<Record<string, string>>;
export declare const DirectMsgHeaders: Readonly<Record<string, string>>;
/** Milliseconds → nanoseconds. */
export declare function nanos(millis: number): Nanos;
/** Nanoseconds → milliseconds. */
export declare function millis(ns: Nanos): number;

/** Options of jetstream(nc, opts) and jetstreamManager(nc, opts). */
export interface JetStreamOptions {
  /** API prefix, default "$JS.API". */
  apiPrefix?: string;
  /** JetStream domain: the prefix becomes "$JS.<domain>.API". */
  domain?: string;
  /** API and publish timeout in ms (default 5000). */
  timeout?: number;
  /** Publishes in flight before more wait for acks (default 256). */
  maxPending?: number;
}
export interface JetStreamManagerOptions extends JetStreamOptions {
  /** Checks that JetStream answers (account info) first; default true. */
  checkAPI?: boolean;
}

/** Options of one publish. */
export interface JetStreamPublishOptions {
  /** Nats-Msg-Id: dedupe within the stream's duplicate window. */
  msgID: string;
  /** Timeout in ms (default: the context's). */
  timeout: number;
  /** Attempts when the publish gets no responders or times out (default 1), with nats.js's backoff between them. */
  retries: number;
  headers: MsgHdrsImpl;
  expect: Partial<{ lastMsgID: string; streamName: string; lastSequence: number; lastSubjectSequence: number }>;
  /** Gives up on the publish (beyond nats.js). */
  signal: AbortSignal;
}

/** The server's acknowledgement of a stored message. */
export interface PubAck {
  stream: string;
  seq: number;
  duplicate: boolean;
  domain?: string;
}

/** Stream config (wire names, durations in nanoseconds). */
export interface StreamConfig {
  name: string;
  description?: string;
  subjects?: string[];
  retention?: RetentionPolicy;
  max_consumers?: number;
  max_msgs?: number;
  max_bytes?: number;
  max_age?: Nanos;
  max_msgs_per_subject?: number;
  max_msg_size?: number;
  discard?: DiscardPolicy;
  discard_new_per_subject?: boolean;
  storage?: StorageType;
  num_replicas?: number;
  no_ack?: boolean;
  duplicate_window?: Nanos;
  placement?: { cluster?: string; tags?: string[] };
  mirror?: StreamSource;
  sources?: StreamSource[];
  republish?: { src?: string; dest: string; headers_only?: boolean };
  sealed?: boolean;
  deny_delete?: boolean;
  deny_purge?: boolean;
  allow_rollup_hdrs?: boolean;
  allow_direct?: boolean;
  mirror_direct?: boolean;
  [field: string]: unknown;
}
export interface StreamSource {
  name: string;
  opt_start_seq?: number;
  opt_start_time?: string;
  filter_subject?: string;
  external?: { api: string; deliver?: string };
  /** Shorthand for external.api = "$JS.<domain>.API". */
  domain?: string;
}
export interface PeerInfo { name: string; current: boolean; offline?: boolean; active: Nanos; lag?: number }
export interface ClusterInfo { name?: string; leader?: string; replicas?: PeerInfo[] }
export interface StreamState {
  messages: number; bytes: number; first_seq: number; first_ts: string; last_seq: number; last_ts: string;
  consumer_count: number; num_subjects?: number; subjects?: Record<string, number>; num_deleted?: number;
  deleted?: number[];
}
export interface StreamInfo {
  config: StreamConfig;
  created: string;
  state: StreamState;
  cluster?: ClusterInfo;
  mirror?: { name: string; lag: number; active: Nanos };
  sources?: { name: string; lag: number; active: Nanos }[];
  /** Clustered servers: this stream and its mirrors, nearest first. */
  alternates?: StreamAlternate[];
  [field: string]: unknown;
}
/** nats.js StreamAlternate. */
export interface StreamAlternate {
  name: string;
  domain?: string;
  cluster: string;
}
/** Consumer config (wire names, durations in nanoseconds). */
export interface ConsumerConfig {
  name?: string;
  durable_name?: string;
  description?: string;
  deliver_policy?: DeliverPolicy;
  opt_start_seq?: number;
  opt_start_time?: string;
  ack_policy?: AckPolicy;
  ack_wait?: Nanos;
  max_deliver?: number;
  backoff?: Nanos[];
  filter_subject?: string;
  replay_policy?: ReplayPolicy;
  rate_limit_bps?: number;
  sample_freq?: string;
  max_waiting?: number;
  max_ack_pending?: number;
  flow_control?: boolean;
  idle_heartbeat?: Nanos;
  headers_only?: boolean;
  max_batch?: number;
  max_expires?: Nanos;
  max_bytes?: number;
  deliver_subject?: string;
  deliver_group?: string;
  inactive_threshold?: Nanos;
  num_replicas?: number;
  mem_storage?: boolean;
  [field: string]: unknown;
}
export interface SequenceInfo { consumer_seq: number; stream_seq: number; last_active?: string }
export interface ConsumerInfo {
  stream_name: string; name: string; created: string; config: ConsumerConfig;
  delivered: SequenceInfo; ack_floor: SequenceInfo; num_ack_pending: number; num_redelivered: number;
  num_waiting: number; num_pending: number; cluster?: ClusterInfo; push_bound?: boolean;
}
export interface JetStreamAccountStats {
  memory: number; storage: number; streams: number; consumers: number; domain?: string;
  limits: {
    max_memory: number; max_storage: number; max_streams: number; max_consumers: number; max_ack_pending: number;
    memory_max_stream_bytes: number; storage_max_stream_bytes: number; max_bytes_required: boolean;
  };
  api: { total: number; errors: number };
  [field: string]: unknown;
}

/** A message read from a stream. */
export declare class StoredMsgImpl {
  subject: string;
  seq: number;
  data: Uint8Array;
  /** RFC 3339 with nanoseconds, as the server wrote it. */
  timestamp: string;
  /** The stream (direct get), else undefined. */
  stream?: string;
  lastSequence: number;
  pending: number;
  readonly header: MsgHdrsImpl;
  readonly time: Date;
  string(): string;
  json<T = unknown>(reviver?: (this: unknown, key: string, value: unknown) => unknown): T;
}
export type StoredMsg = StoredMsgImpl;

/** A listing: iterate it, or next() for every item at once (the engine gathers all pages). */
export declare class ListerImpl<T> implements AsyncIterable<T> {
  next(): Promise<T[]>;
  [Symbol.asyncIterator](): AsyncIterator<T>;
}
export type Lister<T> = ListerImpl<T>;

export interface StreamAPI {
  add(cfg: StreamConfig): Promise<StreamInfo>;
  /** cfg is merged over the current config. */
  update(name: string, cfg?: Partial<StreamConfig>): Promise<StreamInfo>;
  info(name: string, opts?: { subjects_filter?: string; deleted_details?: boolean }): Promise<StreamInfo>;
  list(subject?: string): Lister<StreamInfo>;
  names(subject?: string): Lister<string>;
  delete(name: string): Promise<boolean>;
  purge(name: string, opts?: { filter?: string; seq?: number; keep?: number }): Promise<{ success: boolean; purged: number }>;
  /** null when there is no such message. */
  getMessage(name: string, query: { seq?: number; last_by_subj?: string; next_by_subj?: string }): Promise<StoredMsg | null>;
  deleteMessage(name: string, seq: number, erase?: boolean): Promise<boolean>;
  find(subject: string): Promise<string>;
  get(name: string): Promise<Stream>;
}
export interface ConsumerAPI {
  add(stream: string, cfg: Partial<ConsumerConfig>): Promise<ConsumerInfo>;
  /** cfg is merged over the current config. */
  update(stream: string, name: string, cfg: Partial<ConsumerConfig>): Promise<ConsumerInfo>;
  info(stream: string, name: string): Promise<ConsumerInfo>;
  delete(stream: string, name: string): Promise<boolean>;
  list(stream: string): Lister<ConsumerInfo>;
  /** Beyond nats.js v3. */
  names(stream: string): Lister<string>;
}
export interface DirectStreamAPI {
  getMessage(stream: string, query: { seq?: number; last_by_subj?: string; next_by_subj?: string }): Promise<StoredMsg | null>;
}
export interface Stream {
  readonly name: string;
  /** A consumer of this stream: by name, or an ordered one. */
  getConsumer(name?: string | Partial<OrderedConsumerOptions>): Promise<Consumer>;
  getPushConsumer(name?: string | Partial<OrderedConsumerOptions>): Promise<PushConsumer>;
  /** The streams holding this one's messages (itself and its mirrors), nearest first. */
  alternates(): Promise<StreamAlternate[]>;
  /** The nearest alternate, or this stream. */
  best(): Promise<Stream>;
  info(cached?: boolean, opts?: { subjects_filter?: string }): Promise<StreamInfo>;
  getMessage(query: { seq?: number; last_by_subj?: string }): Promise<StoredMsg | null>;
  deleteMessage(seq: number, erase?: boolean): Promise<boolean>;
}

export declare class JetStreamManagerImpl {
  readonly streams: StreamAPI;
  readonly consumers: ConsumerAPI;
  readonly direct: DirectStreamAPI;
  getAccountInfo(): Promise<JetStreamAccountStats>;
  /** JetStream's advisories as they happen ($JS.EVENT.ADVISORY.>); stop() or break to unsubscribe. */
  advisories(): AsyncIterable<Advisory> & { stop(): void };
  getOptions(): JetStreamOptions;
  jetstream(): JetStreamClientImpl;
}
export type JetStreamManager = JetStreamManagerImpl;

export declare class JetStreamClientImpl {
  readonly apiPrefix: string;
  readonly streams: { get(name: string): Promise<Stream> };
  /** Pull consumers by name, and ordered consumers. */
  readonly consumers: ConsumersImpl;
  /** Publishes to a stream; many may be in flight (past maxPending they wait for acks, in order). */
  publish(subject: string, data?: Payload, opts?: Partial<JetStreamPublishOptions>): Promise<PubAck>;
  /** Publishes called and not yet acknowledged (nats.py publish_async_pending). */
  publishAsyncPending(): number;
  /** Resolves when every publish so far is acknowledged or failed (nats.py publish_async_completed). */
  publishAsyncCompleted(): Promise<void>;
  jetstreamManager(checkAPI?: boolean): Promise<JetStreamManager>;
  getOptions(): JetStreamOptions;
}
export type JetStreamClient = JetStreamClientImpl;

// --- consuming -------------------------------------------------------------------

/** Where a delivered message sits (from its ack subject; 9- and 11-token forms). */
export interface DeliveryInfo {
  domain: string;
  account_hash: string;
  stream: string;
  consumer: string;
  deliveryCount: number;
  redelivered: boolean;
  streamSequence: number;
  deliverySequence: number;
  timestampNanos: number;
  pending: number;
}

/** A message delivered by a consumer. */
export declare class JsMsgImpl {
  readonly subject: string;
  readonly reply: string;
  readonly sid: number;
  readonly data: Uint8Array;
  /** The stream sequence. */
  readonly seq: number;
  readonly headers: MsgHdrsImpl | undefined;
  readonly redelivered: boolean;
  readonly info: DeliveryInfo;
  readonly time: Date;
  readonly timestamp: string;
  readonly timestampNanos: bigint;
  string(): string;
  json<T = unknown>(): T;
  ack(): void;
  /** Redeliver, after `millis` when given. */
  nak(millis?: number): void;
  /** Still working: restarts the ack wait. */
  working(): void;
  /** Never redeliver (the reason is not sent: 2.9 servers ignore it). */
  term(reason?: string): void;
  /** Acknowledges and resolves true once the server confirmed (false if already acknowledged). */
  ackAck(opts?: { timeout?: number }): Promise<boolean>;
  /** Acks and asks for the next messages to be delivered to subj (nats.js next). */
  next(subj: string, opts?: { batch?: number; expires?: number; no_wait?: boolean }): void;
}
export type JsMsg = JsMsgImpl;

export interface FetchOptions {
  max_messages?: number;
  max_bytes?: number;
  /** ms; default 30000. */
  expires?: number;
  /** ms; default expires / 2. */
  idle_heartbeat?: number;
  /** Aborting stops the pull; the iterator ends with an AbortError. */
  signal?: AbortSignal;
}
export interface ConsumeOptions extends FetchOptions {
  threshold_messages?: number;
  threshold_bytes?: number;
  /** A deleted consumer or stream ends consume with the error instead of waiting for it. */
  abort_on_missing_resource?: boolean;
  /** Messages go to the callback instead of an iterator. */
  callback?: (m: JsMsg) => void;
}
export interface NextOptions { expires?: number; idle_heartbeat?: number; signal?: AbortSignal }

export type ConsumerNotification =
  | { type: 'heartbeats_missed'; count: number }
  | { type: 'consumer_not_found'; name: string; count: number }
  | { type: 'stream_not_found'; name: string; consumerCreateFails: number }
  | { type: 'consumer_deleted' | 'exceeded_limits' | 'debug'; code: number; description: string }
  | { type: 'no_responders'; code: number }
  | { type: 'discard'; messagesLeft: number; bytesLeft: number }
  | { type: 'reset' | 'ordered_consumer_recreated'; name: string }
  | { type: 'heartbeat'; lastConsumerSequence: number; lastStreamSequence: number }
  | { type: 'flow_control' }
  /** A push consumer's reader held too much (no flow control): messages dropped. */
  | { type: 'slow_consumer'; dropped: number; pending: number };

/** The messages of one fetch or consume. */
export declare class ConsumerMessagesImpl implements AsyncIterable<JsMsg> {
  [Symbol.asyncIterator](): AsyncIterator<JsMsg>;
  /** Stops pulling; messages already here are still yielded. */
  stop(err?: Error): void;
  close(): Promise<void | Error>;
  /** Resolves (never rejects) when it ends: undefined or the error. */
  closed(): Promise<void | Error>;
  getProcessed(): number;
  getPending(): number;
  getReceived(): number;
  status(): AsyncIterable<ConsumerNotification>;
}
export type ConsumerMessages = ConsumerMessagesImpl;

declare class ConsumerBase {
  readonly stream: string;
  isPullConsumer(): boolean;
  isPushConsumer(): boolean;
  /** One batch: full, or ended at its expiry (an empty stream gives an empty batch). */
  fetch(opts?: FetchOptions): Promise<ConsumerMessages>;
  /** nats.py's fetch: what is there now, or else the first to arrive before expires. */
  fetchPrompt(opts?: FetchOptions): Promise<ConsumerMessages>;
  /** Keeps pulling as messages are consumed; recovers after lost heartbeats. */
  consume(opts?: ConsumeOptions): Promise<ConsumerMessages>;
  /** One message, or null when none arrived by expires. */
  next(opts?: NextOptions): Promise<JsMsg | null>;
  info(cached?: boolean): Promise<ConsumerInfo>;
  delete(): Promise<boolean>;
}
export declare class PullConsumerImpl extends ConsumerBase {
  readonly name: string;
}
export declare class OrderedConsumerImpl extends ConsumerBase {
  /** The server consumer's current name (it changes on every reset). */
  readonly name: string;
}
export type Consumer = PullConsumerImpl | OrderedConsumerImpl;

/** nats.js PushConsumerOptions. */
export interface PushConsumerOptions {
  callback?: (m: JsMsg) => void;
  /** A deleted consumer (409 on the deliver subject) ends the session with an error. */
  abort_on_missing_resource?: boolean;
}
/** nats.js PushConsumer's surface. */
declare class PushConsumerBase {
  readonly stream: string;
  readonly name: string;
  isPullConsumer(): boolean;
  isPushConsumer(): boolean;
  /** One session at a time per consumer object (InvalidOperationError otherwise). */
  consume(opts?: PushConsumerOptions): Promise<ConsumerMessages>;
  /** InvalidOperationError for a bound consumer. */
  info(cached?: boolean): Promise<ConsumerInfo>;
  /** InvalidOperationError for a bound consumer. */
  delete(): Promise<boolean>;
}
/** A push consumer: the server delivers to its deliver subject (flow control is answered as messages are consumed). */
export declare class PushConsumerImpl extends PushConsumerBase {}
/** An ordered consumer with the PushConsumer surface (it reads through the engine's ordered consumer). */
export declare class OrderedPushConsumerImpl extends PushConsumerBase {}
export type PushConsumer = PushConsumerImpl | OrderedPushConsumerImpl;
/** nats.js BoundPushConsumerOptions: the consumer's deliver subject, group and heartbeat (ns). */
export interface BoundPushConsumerOptions {
  deliver_subject: string;
  deliver_group?: string;
  idle_heartbeat?: number;
}

/** Where a consumer starts (Fluvio's Offset); the engine resolves it. */
export type OffsetSpec =
  | { kind: 'beginning' } | { kind: 'end' } | { kind: 'absolute'; value: number }
  | { kind: 'from_end'; value: number } | { kind: 'from_time'; time: string };
export declare const Offset: {
  beginning(): OffsetSpec;
  end(): OffsetSpec;
  absolute(seq: number): OffsetSpec;
  /** The last n records (of the partition, when filtered). */
  fromEnd(n: number): OffsetSpec;
  fromTime(t: Date | string): OffsetSpec;
};

export interface OrderedConsumerOptions {
  /** Replaces deliver_policy / opt_start_seq / opt_start_time. */
  offset?: OffsetSpec;
  name_prefix?: string;
  filter_subjects?: string | string[];
  deliver_policy?: DeliverPolicy;
  opt_start_seq?: number;
  opt_start_time?: Date | string;
  replay_policy?: ReplayPolicy;
  /** ms */
  inactive_threshold?: number;
  headers_only?: boolean;
}

export declare class ConsumersImpl {
  /** A pull consumer by name. */
  get(stream: string, name: string): Promise<PullConsumerImpl>;
  /** A new ordered consumer. */
  get(stream: string, opts?: OrderedConsumerOptions): Promise<OrderedConsumerImpl>;
  getConsumerFromInfo(info: ConsumerInfo): PullConsumerImpl;
  /** A push consumer by name (InvalidOperationError for a pull consumer). */
  getPushConsumer(stream: string, name: string): Promise<PushConsumerImpl>;
  /** A new ordered consumer with the PushConsumer surface. */
  getPushConsumer(stream: string, opts?: OrderedConsumerOptions): Promise<OrderedPushConsumerImpl>;
  /** A push consumer by its deliver subject: nothing is looked up. */
  getBoundPushConsumer(opts: BoundPushConsumerOptions): Promise<PushConsumerImpl>;
}
export type Consumers = ConsumersImpl;

export declare function jetstream(nc: NatsConnection, opts?: JetStreamOptions): JetStreamClient;
export declare function jetstreamManager(nc: NatsConnection, opts?: JetStreamManagerOptions): Promise<JetStreamManager>;

// --- topics with partitions ---------------------------------------------------------
/** The header carrying a record's key ("Partition-Key"). */
export declare const PARTITION_KEY_HEADER: string;
/** The partition of key among partitions: FNV-1a 32 of its UTF-8 bytes, mod partitions. */
export declare function partitionFor(key: string, partitions: number): number;
/** ["<topic>.0", ...]. */
export declare function topicSubjects(topic: string, partitions: number): string[];
/** A stream config for a topic with partitions. */
export declare function topicConfig(topic: string, partitions: number, config?: Partial<StreamConfig>): StreamConfig;
/** The partitions a stream has as a topic (0 when it is not one). */
export declare function partitionCount(infoOrConfig: StreamInfo | StreamConfig): number;
export declare function createTopic(jsm: JetStreamManager, topic: string, partitions: number,
  config?: Partial<StreamConfig>): Promise<StreamInfo>;
/** Fluvio's TopicProducer. */
export declare class TopicProducer {
  constructor(js: JetStreamClient, topic: string, partitions: number);
  readonly topic: string;
  readonly partitions: number;
  send(key: string | null | undefined, value: Payload, opts?: Partial<JetStreamPublishOptions>): Promise<PubAck>;
  sendAll(records: [string | null, Payload][]): Promise<PubAck[]>;
  flush(): Promise<void>;
}
export declare function topicProducer(js: JetStreamClient, topic: string): Promise<TopicProducer>;

// --- consuming topics ------------------------------------------------------------------
/** The subject of one partition of a topic. */
export declare function partitionSubject(topic: string, partition: number): string;
/** An ordered consumer of one partition, from offset (the beginning by default). */
export declare function partitionConsumer(js: JetStreamClient, topic: string, partition: number,
  offset?: OffsetSpec, opts?: OrderedConsumerOptions): Promise<OrderedConsumerImpl>;
/** An ordered consumer of every partition (stream order). */
export declare function multiPartitionConsumer(js: JetStreamClient, topic: string, offset?: OffsetSpec,
  opts?: OrderedConsumerOptions): Promise<OrderedConsumerImpl>;
export interface ConsumerGroup {
  name: string;
  filter: string;
  /** The ack floor: every record up to this stream sequence is acknowledged. */
  committed: number;
  delivered: number;
  pending: number;
  ack_pending: number;
  /** Records not yet acknowledged (pending + ack_pending). */
  lag: number;
}
/** A durable pull consumer with explicit acks that workers share. */
export declare function createConsumerGroup(jsm: JetStreamManager, topic: string, group: string,
  opts?: { offset?: OffsetSpec; partition?: number; config?: Partial<ConsumerConfig> }): Promise<ConsumerInfo>;
export declare function consumerGroups(jsm: JetStreamManager, topic: string): Promise<ConsumerGroup[]>;
export declare function deleteConsumerGroup(jsm: JetStreamManager, topic: string, group: string): Promise<boolean>;
