// Types of nats-wasm/obj (names as in nats.js v3 @nats-io/obj).
import type { MsgHdrs, NatsConnection } from './index.js';
import type { JetStreamClient, Lister, StreamInfo } from './jetstream.js';

export { StorageType } from './jetstream.js';

export interface PurgeResponse {
  success: boolean;
  purged: number;
}

export interface ObjectStoreLink {
  bucket: string;
  name?: string;
}
export interface ObjectStoreMetaOptions {
  link?: ObjectStoreLink;
  /** Bytes per chunk (default 128 KiB; at most the server's max_payload). */
  max_chunk_size?: number;
}
export interface ObjectStoreMeta {
  name: string;
  description?: string;
  /** MsgHdrs, or a record of header name → values. */
  headers?: MsgHdrs | Record<string, string[]>;
  options?: ObjectStoreMetaOptions;
  metadata?: Record<string, string>;
}
/** nats.js ObjectStorePutOpts. */
export interface ObjectStorePutOpts {
  /** ms for each chunk's publish and the info's (default: the context's). */
  timeout?: number;
  /** Only over that revision of the object's info (a JetStreamApiError 10071 otherwise). */
  previousRevision?: number;
}
export interface ObjectInfo {
  name: string;
  description: string;
  readonly headers: MsgHdrs;
  options?: ObjectStoreMetaOptions;
  bucket: string;
  nuid: string;
  size: number;
  chunks: number;
  /** "SHA-256=" + the digest in padded URL base64. */
  digest: string;
  deleted: boolean;
  /** ISO 8601. */
  mtime: string;
  revision: number;
  metadata: Record<string, string>;
  isLink(): boolean;
}
export interface ObjectWatchInfo extends ObjectInfo {
  /** False for the infos there when the watch began (includeHistory), true after. */
  isUpdate: boolean;
}
export interface ObjectResult {
  info: ObjectInfo;
  /** The object's bytes, chunk by chunk; errors on a digest mismatch. */
  data: ReadableStream<Uint8Array>;
  /** Settles when the data ends: null, or why it failed. */
  error: Promise<Error | null>;
}
export interface ObjectStoreStatus {
  bucket: string;
  description: string;
  /** Nanoseconds; 0 forever. */
  ttl: number;
  storage: string;
  replicas: number;
  sealed: boolean;
  size: number;
  backingStore: string;
  streamInfo: StreamInfo;
  /** undefined when the stream has none, as nats.js. */
  metadata: Record<string, string> | undefined;
  compression: boolean;
}
export interface ObjectStoreOptions {
  description: string;
  /** Nanoseconds; 0 forever. */
  ttl: number;
  max_bytes: number;
  storage: 'file' | 'memory';
  replicas: number;
  /** Where the store's stream lives: {cluster, tags}. */
  placement: { cluster?: string; tags?: string[] };
}
export interface ObjectIterator<T> extends AsyncIterable<T> {
  stop(): void;
}
export type ObjectSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Uint8Array | null;

export declare class ObjectStore {
  readonly name: string;
  readonly stream: string;
  /** previousRevision: only over that revision of the info (a JetStreamApiError 10071 otherwise). */
  put(meta: ObjectStoreMeta, source: ObjectSource, opts?: ObjectStorePutOpts): Promise<ObjectInfo>;
  putBlob(meta: ObjectStoreMeta, data: Uint8Array | null, opts?: ObjectStorePutOpts): Promise<ObjectInfo>;
  get(name: string): Promise<ObjectResult | null>;
  getBlob(name: string): Promise<Uint8Array | null>;
  info(name: string): Promise<ObjectInfo | null>;
  list(): Promise<ObjectInfo[]>;
  watch(opts?: { ignoreDeletes?: boolean; includeHistory?: boolean; signal?: AbortSignal }): Promise<ObjectIterator<ObjectWatchInfo>>;
  delete(name: string): Promise<PurgeResponse>;
  /** Renames or re-describes an object without rewriting its data (nats.js update). */
  update(name: string, meta?: Partial<ObjectStoreMeta>): Promise<{ stream: string; seq: number; duplicate: boolean }>;
  link(name: string, info: ObjectInfo): Promise<ObjectInfo>;
  linkStore(name: string, store: ObjectStore): Promise<ObjectInfo>;
  status(): Promise<ObjectStoreStatus>;
  seal(): Promise<ObjectStoreStatus>;
  destroy(): Promise<boolean>;
}

export declare class Objm {
  constructor(ncOrJs: NatsConnection | JetStreamClient);
  create(name: string, opts?: Partial<ObjectStoreOptions>): Promise<ObjectStore>;
  open(name: string, check?: boolean): Promise<ObjectStore>;
  list(): Lister<ObjectStoreStatus>;
}
