// Types of nats-wasm/kv (names as in nats.js v3 @nats-io/kv).
import type { NatsConnection, Payload } from './index.js';
import type { JetStreamClient, Lister, StreamInfo } from './jetstream.js';

/** What a watch starts with. */
export declare const KvWatchInclude: { readonly LastValue: ''; readonly AllHistory: 'history'; readonly UpdatesOnly: 'updates' };
export type KvWatchInclude = (typeof KvWatchInclude)[keyof typeof KvWatchInclude];

export interface KvEntry {
  bucket: string;
  key: string;
  rawKey: string;
  value: Uint8Array;
  created: Date;
  revision: number;
  /** Entries left after this one when it was delivered (watches). */
  delta?: number;
  operation: 'PUT' | 'DEL' | 'PURGE';
  readonly length: number;
  string(): string;
  json<T = unknown>(): T;
}
export interface KvWatchEntry extends KvEntry {
  /** False for the initial entries, true for those written after. */
  isUpdate: boolean;
}
export interface KvWatchOptions {
  /** A key or a filter with * and > (one per watch on nats-server 2.9). */
  key?: string | string[];
  headers_only?: boolean;
  ignoreDeletes?: boolean;
  include?: KvWatchInclude;
  resumeFromRevision?: number;
  /** Called once the initial entries are out. */
  initializedFn?: () => void;
  /** Aborting ends the watch (its consumer is deleted). Not in nats.js. */
  signal?: AbortSignal;
}
export interface KvOptions {
  history: number;
  /** ms; 0 forever. */
  ttl: number;
  max_bytes: number;
  maxValueSize: number;
  storage: 'file' | 'memory';
  replicas: number;
  description: string;
  allow_direct: boolean;
  /** Where the bucket's stream lives: {cluster, tags}. */
  placement: { cluster?: string; tags?: string[] };
  /** Republish writes to other subjects: {src, dest, headers_only}. */
  republish: { src?: string; dest: string; headers_only?: boolean };
  /** The bucket's calls' timeout in ms (default: the JetStream context's). */
  timeout: number;
  /** Bind without checking or creating the bucket: a missing one fails at first use. */
  bindOnly: boolean;
  /** Keys and values transformed before they are stored and after they are read. */
  codec: KvCodecs;
  /** Make this bucket a read replica of another ({name}: the bucket, with or without KV_); writes to it are refused. */
  mirror: { name: string };
}
/** nats.js KvKeyCodec: applied to each token of a key ('*' and '>' are left alone). */
export interface KvKeyCodec {
  encode(k: string): string;
  decode(k: string): string;
}
/** nats.js KvPayloadCodec. */
export interface KvPayloadCodec {
  encode(v: Payload): Uint8Array;
  decode(d: Uint8Array): Uint8Array;
}
/** nats.js KvCodecs. */
export interface KvCodecs {
  key: KvKeyCodec;
  value: KvPayloadCodec;
}
/** Base64 keys, token by token (nats.js Base64KeyCodec). */
export declare function Base64KeyCodec(): KvKeyCodec;
/** Keys and values as they are (nats.js NoopKvCodecs). */
export declare function NoopKvCodecs(): KvCodecs;
export interface KvStatus {
  bucket: string;
  values: number;
  history: number;
  ttl: number;
  max_bytes: number;
  maxValueSize: number;
  storage: string;
  replicas: number;
  description: string;
  size: number;
  streamInfo: StreamInfo;
  /** The storage ("file" or "memory"), as nats.js reports it. */
  backingStore: string;
  allow_direct: boolean;
  markerTTL: number;
  maxBucketSize: number;
  /** The stream's placement; nats.js's { cluster: '', tags: [] } when none. */
  placement: { cluster: string; tags?: string[] };
  placementCluster: string;
  /** { src: '', dest: '' } when none, as nats.js. */
  republish: { src: string; dest: string; headers_only?: boolean };
  /** {} when none, as nats.js. */
  metadata: Record<string, string>;
  compression: boolean;
}
/** nats.js QueuedIterator's surface: stop and counters. */
export interface KvQueuedIterator<T> extends AsyncIterable<T> {
  stop(): void;
  /** Items handed out so far. */
  getProcessed(): number;
  /** Items waiting to be handed out. */
  getPending(): number;
  /** Items received so far. */
  getReceived(): number;
}
export interface KvIterator<T> extends KvQueuedIterator<T> {
  closed(): Promise<void | Error>;
}

export declare class Bucket {
  readonly bucket: string;
  readonly stream: string;
  put(key: string, data: Payload, opts?: { previousSeq?: number; timeout?: number }): Promise<number>;
  get(key: string, opts?: { revision?: number }): Promise<KvEntry | null>;
  create(key: string, data: Payload): Promise<number>;
  update(key: string, data: Payload, version: number): Promise<number>;
  delete(key: string, opts?: { previousSeq?: number }): Promise<void>;
  purge(key: string, opts?: { previousSeq?: number }): Promise<void>;
  watch(opts?: KvWatchOptions): Promise<KvIterator<KvWatchEntry>>;
  keys(filter?: string | string[]): Promise<KvQueuedIterator<string>>;
  history(opts?: { key?: string | string[] }): Promise<KvIterator<KvWatchEntry>>;
  /** Clears delete/purge markers: history goes; markers older than olderMillis (default 30 min) too. */
  purgeDeletes(olderMillis?: number): Promise<{ success: boolean; purged: number }>;
  status(): Promise<KvStatus>;
  destroy(): Promise<boolean>;
}
export type KV = Bucket;

export declare class Kvm {
  constructor(ncOrJs: NatsConnection | JetStreamClient);
  create(name: string, opts?: Partial<KvOptions>): Promise<KV>;
  open(name: string, opts?: Partial<KvOptions>): Promise<KV>;
  list(): Lister<KvStatus>;
}
