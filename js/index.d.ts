// Type declarations for nats-wasm (js/src/index.mjs). The API follows nats.js
// v3 where the two overlap; everything here mirrors the JavaScript sources.

// --- payloads, options, server info, statistics, statuses (js/options.d.ts) ---

import type {
  Payload, ConnectionOptions, PublishOptions, SubscriptionOptions, RequestOptions, RequestStrategy,
  RequestManyOptions, ServerInfo, Stats, EngineStats, ErrorStatus, UpdateStatus, LdmStatus,
  DisconnectStatus, ReconnectingStatus, ReconnectStatus, ForceReconnectStatus, StaleConnectionStatus,
  CloseStatus, SlowConsumerStatus, Status,
} from './options.js';
export type {
  Payload, ConnectionOptions, PublishOptions, SubscriptionOptions, RequestOptions, RequestStrategy,
  RequestManyOptions, ServerInfo, Stats, EngineStats, ErrorStatus, UpdateStatus, LdmStatus,
  DisconnectStatus, ReconnectingStatus, ReconnectStatus, ForceReconnectStatus, StaleConnectionStatus,
  CloseStatus, SlowConsumerStatus, Status,
} from './options.js';

// --- connection ----------------------------------------------------------------

/** Connects to a NATS server over WebSocket (nats.js `connect`). */
export declare function connect(opts?: ConnectionOptions): Promise<NatsConnection>;
/** What an authenticator gives for CONNECT (nats.js Auth), plus a seed or creds to sign with. */
export interface Auth {
  user?: string;
  pass?: string;
  auth_token?: string;
  jwt?: string;
  /** A public nkey and the nonce's signature (base64url), when the authenticator signed itself. */
  nkey?: string;
  sig?: string;
  /** An nkey seed ("SU..."): the connection signs the nonce with it. */
  seed?: string;
  /** A `.creds` file's text: its JWT and seed are used. */
  creds?: string;
}
/** Called with the server's nonce (undefined when it sent none) at every connect. */
export type Authenticator = (nonce?: string) => Auth | Promise<Auth>;
/** A secret given as is, or a function that returns it (asked at every connect). */
export type Secret<T> = T | (() => T);
export declare function nkeyAuthenticator(seed: Secret<Uint8Array | string>): Authenticator;
export declare function credsAuthenticator(creds: Secret<Uint8Array | string>): Authenticator;
export declare function jwtAuthenticator(jwt: Secret<string>, seed?: Secret<Uint8Array | string>): Authenticator;
export declare function usernamePasswordAuthenticator(user: Secret<string>, pass?: Secret<string>): Authenticator;
export declare function tokenAuthenticator(token: Secret<string>): Authenticator;
/** nats.js's WebSocket connect: the same as connect() here (every connection is a WebSocket). */
export declare function wsconnect(opts?: ConnectionOptions): Promise<NatsConnection>;
/** An empty payload. */
export declare const Empty: Uint8Array;
/** How MsgHdrs methods match keys. */
export declare const Match: { readonly Exact: 0; readonly CanonicalMIME: 1; readonly IgnoreCase: 2 };
export type MatchValue = 0 | 1 | 2;
/** A unique reply subject (prefix default "_INBOX"); needs the engine loaded (after connect() or loadCore()). */
export declare function createInbox(prefix?: string): string;
/** Unique 22-character tokens; needs the engine loaded. */
export declare class Nuid { next(): string; reset(): void; }
export declare const nuid: Nuid;
/** "content-type" → "Content-Type"; needs the engine loaded. */
export declare function canonicalMIMEHeaderKey(key: string): string;
export interface Deferred<T> extends Promise<T> { resolve(v?: T): void; reject(err?: unknown): void; }
export declare function deferred<T = void>(): Deferred<T>;
export declare function delay(ms?: number): Deferred<void> & { cancel(): void };
/** Rejects with TimeoutError when `p` has not settled after ms (default 1000). */
export declare function deadline<T>(p: Promise<T>, ms?: number): Promise<T>;
/** A retry schedule: backoff(attempt) is the delay in ms before try `attempt`, the last step repeating. */
export declare function backoff(policy?: number[]): { backoff(attempt: number): number };
/** next() over an async iterable: the next item, or null once it ended. */
export declare function syncIterator<T>(src: AsyncIterable<T>): { next(): Promise<T | null> };
/** One server of the pool (nats.js Server). */
export interface Server {
  readonly hostname: string;
  readonly port: number;
  /** "host:port": what setServers() takes back. */
  readonly listen: string;
  /** The URL as given or announced. */
  readonly src: string;
  readonly tlsName: string;
  /** Failed attempts since it last connected. */
  readonly reconnects: number;
  /** Always 0 here (not kept). */
  readonly lastConnect: number;
  /** Announced by the cluster, not given. */
  readonly gossiped: boolean;
  readonly didConnect: boolean;
}
/** What requestMany(), status() and watches return (nats.js QueuedIterator). */
export interface QueuedIterator<T> extends AsyncIterable<T> {
  /** Ends the iteration now (queued items are dropped); err, if given, is thrown to the iterator. */
  stop(err?: Error): void;
  getProcessed(): number;
  getPending(): number;
  getReceived(): number;
}
export declare function millis(ns: number): number;
export declare function nanos(ms: number): number;

/** A connection to a NATS server over WebSocket (nats.js `NatsConnection`). */
export declare class NatsConnection {
  /** Internal: use connect(). */
  constructor(M: NatsCoreModule, opts: ConnectionOptions, url: string);
  /** Server INFO (parsed JSON); undefined before the handshake. */
  readonly info: ServerInfo | undefined;
  /** The server this connection uses (or tries) as "host:port", as nats.js gives it. */
  getServer(): string;
  /** Drops the connection and reconnects. */
  reconnect(): Promise<void>;
  /** True while the connection is lost and being re-established. */
  isReconnecting(): boolean;
  /** The servers known: given, and announced by the cluster. */
  servers(): { url: string; hostport: string; implicit: boolean; didConnect: boolean; reconnects: number }[];
  /** The server pool as nats.js gives it (lastConnect is 0: not kept). */
  getServers(): ReadonlyArray<Server>;
  /** Replaces the server pool for later reconnects; the live connection stays. */
  setServers(servers: string[]): void;
  /** Publishes a Msg as it is: subject, data, headers and reply. */
  publishMessage(msg: Msg): void;
  /** Publishes a Msg's data and headers to its reply subject; false when it has none. */
  respondMessage(msg: Msg): boolean;
  /** Publishes a message; throws (e.g. MaxPayloadError, InvalidSubjectError, ClosedConnectionError) synchronously. */
  publish(subject: string, data?: Payload, opts?: PublishOptions): void;
  /** Subscribes; iterate the result with for await, or pass opts.callback. */
  subscribe(subject: string, opts?: SubscriptionOptions): Subscription;
  /** Sends a request and resolves with the first reply. Rejects with TimeoutError, or (as nats.js) a RequestError whose cause says why: NoRespondersError, ClosedConnectionError, ConnectionError (connection lost), PermissionViolationError. */
  request(subject: string, data?: Payload, opts?: RequestOptions): Promise<Msg>;
  /** Sends one request and collects many replies; no responders ends the iteration with NoRespondersError. */
  requestMany(subject: string, data?: Payload, opts?: RequestManyOptions): Promise<QueuedIterator<Msg>>;
  /** Resolves when the server has processed everything sent before. */
  flush(): Promise<void>;
  /** Round-trip time to the server in milliseconds. */
  rtt(): Promise<number>;
  /** Bytes published and not yet on the wire: engine output plus the WebSocket's bufferedAmount (an extension). */
  readonly pendingOutputBytes: number;
  /** Resolves once fewer than `limit` bytes (default 1 MiB) wait to go out: backpressure for publish loops (an extension; nats.js has none). */
  writeReady(limit?: number): Promise<void>;
  /** Drains every subscription, then closes. Resolves when closed. */
  drain(): Promise<void>;
  /** Closes now; pending requests reject with ClosedConnectionError. */
  close(): Promise<void>;
  /** Resolves when the connection closes: undefined, or the Error that closed it. */
  closed(): Promise<void | Error>;
  /** True once closed. */
  isClosed(): boolean;
  /** True once drain() started, also after it closed the connection (as nats.js). */
  isDraining(): boolean;
  /** Connection status events; ends when the connection closes. */
  status(): AsyncIterable<Status>;
  /** Byte and message counters. */
  stats(): Stats;
  /** A fresh unique inbox subject. */
  newInbox(): string;
  /** Engine counters for tests and diagnostics. */
  readonly engineStats: EngineStats;
}

// --- subscriptions and messages ---------------------------------------------------

/** A subscription: iterate it with `for await`, or pass `callback` to subscribe(). */
export declare class Subscription implements AsyncIterable<Msg> {
  /** Internal: use NatsConnection.subscribe(). */
  constructor(nc: NatsConnection, sid: number, subject: string, opts: SubscriptionOptions);
  /** The subscription id. */
  readonly sid: number;
  /** Resolves when the subscription ends: undefined, or the Error that ended it. */
  readonly closed: Promise<void | Error>;
  /** Stops now (no max), or after max messages in total. */
  unsubscribe(max?: number): void;
  /** Unsubscribes, delivers what is in flight, then closes. Resolves when closed. */
  drain(): Promise<void>;
  /** True once drain() was called, also after it finished (as nats.js). */
  isDraining(): boolean;
  /** The callback given to subscribe(), if any. */
  readonly callback: ((err: Error | null, msg: Msg) => void) | undefined;
  /** True once no more messages will arrive. */
  isClosed(): boolean;
  /** Messages handed to the iterator or the callback. */
  getProcessed(): number;
  /** Messages received and not yet processed. */
  getPending(): number;
  /** Payload bytes of the messages queued and not yet taken (an extension). */
  getPendingBytes(): number;
  /** Messages dropped over the pending limits (an extension). */
  getDropped(): number;
  /** Messages received. */
  getReceived(): number;
  /** The subject subscribed to. */
  getSubject(): string;
  /** The subscription id. */
  getID(): number;
  /** The auto-unsubscribe limit (subscribe's max or unsubscribe(n)); undefined when none, as in nats.js. */
  getMax(): number | undefined;
  /** Waits for at least one message, then takes up to max (default 1024) queued ones; [] once ended. Throws TypeError with a callback. */
  nextBatch(max?: number): Promise<Msg[]>;
  /** Takes up to max (default 1024) messages queued now, without waiting; ended once nothing more will come. Throws the error that ended the subscription, once. */
  takeQueued(max?: number): { msgs: Msg[]; ended: boolean };
  /** Resolves once a message is queued or the subscription has ended; takes nothing. */
  ready(): Promise<void>;
  /** Iterates the messages; breaking out unsubscribes. Throws TypeError with a callback or when already iterated. */
  [Symbol.asyncIterator](): AsyncIterator<Msg>;
}

/** A received message (nats.js `Msg`). */
export declare class Msg {
  /** Internal: messages are made by the connection. */
  constructor(nc: NatsConnection, subject: string, reply: string, sid: number, data: Uint8Array, rawHeaders: Uint8Array | null);
  /** The subject it was published to. */
  subject: string;
  /** The reply subject ("" when none). */
  reply: string;
  /** The id of the subscription that received it. */
  sid: number;
  /** The payload bytes (a copy owned by the message). */
  data: Uint8Array;
  /**
   * Parsed headers, or undefined when the message has none. A header block
   * that is not NATS/1.0 throws ProtocolError here (the message is delivered).
   */
  readonly headers: MsgHdrsImpl | undefined;
  /** The header block as received, or null. */
  readonly rawHeaders: Uint8Array | null;
  /** The payload decoded as UTF-8. */
  string(): string;
  /** The payload parsed as JSON. */
  json(): any;
  /** Publishes a reply to msg.reply; returns false when there is no reply subject. */
  respond(data?: Payload, opts?: PublishOptions): boolean;
}

// --- headers --------------------------------------------------------------------

/** NATS/1.0 headers: several values per key (exact-case keys), plus an optional status. */
export declare class MsgHdrsImpl implements Iterable<[string, string[]]> {
  /** Empty headers, optionally with a status code and description. */
  constructor(code?: number, description?: string);
  /** Status code (0 when none), e.g. 503. */
  readonly code: number;
  /** Status text, e.g. "No Responders". */
  readonly description: string;
  /** True when the status code is 300 or more. */
  readonly hasError: boolean;
  /** "503 No Responders" style status string ("0" when there is no status). */
  readonly status: string;
  /** Number of keys. */
  readonly size: number;
  /** First value of key, or "" when absent. */
  get(key: string, match?: MatchValue): string;
  /** Last value of key, or "" when absent. */
  last(key: string, match?: MatchValue): string;
  /** True when key has a value. */
  has(key: string, match?: MatchValue): boolean;
  /**
   * Replaces all values of key (the value is converted with String()); throws
   * InvalidArgumentError on a key that is not printable ASCII without ':' or a
   * value with CR/LF (checked by the engine once it is loaded, else at publish).
   */
  set(key: string, value: string, match?: MatchValue): void;
  /** Adds a value for key, keeping earlier ones; throws like set(). */
  append(key: string, value: string, match?: MatchValue): void;
  /** Removes key. */
  delete(key: string, match?: MatchValue): void;
  /** All values of key ([] when absent). */
  values(key: string, match?: MatchValue): string[];
  /** All keys in insertion order. */
  keys(): string[];
  /** [key, values[]] pairs. */
  [Symbol.iterator](): IterableIterator<[string, string[]]>;
  /** [key, values[]] pairs in insertion order. */
  entries(): IterableIterator<[string, string[]]>;
  /** A plain object, one string per key (values joined by ", "). */
  toRecord(): Record<string, string>;
  /** The wire form as bytes (encoded by the engine: needs it loaded). */
  encode(): Uint8Array;
  /** Parses a raw header block with the engine's codec; not NATS/1.0 throws ProtocolError. */
  static decode(bytes: Uint8Array): MsgHdrsImpl;
}

/** The headers type (nats.js `MsgHdrs`); created with headers(). */
export type MsgHdrs = MsgHdrsImpl;

/** Creates headers (nats.js `headers()`). */
export declare function headers(code?: number, description?: string): MsgHdrsImpl;

// --- errors ---------------------------------------------------------------------

/** Base class of every nats-wasm error; `code` is the engine's error name. */
export declare class NatsError extends Error {
  /** Creates an error; opts.code defaults to "error". */
  constructor(message: string, opts?: { code?: string; cause?: unknown });
  /** The engine's error name, e.g. "timeout", "no_responders", "max_payload_exceeded". */
  errc: string;
  /** The engine's error name (JetStreamApiError: the server's err_code; JetStreamStatusError: the status). */
  code: string | number;
  /** The underlying error, when there is one. */
  cause?: unknown;
}
/** The connection is closed. */
export declare class ClosedConnectionError extends NatsError {}
/** The connection is draining: no new subscriptions or requests. */
export declare class DrainingConnectionError extends NatsError {}
/** The connection could not be made or was lost. */
export declare class ConnectionError extends NatsError {}
/** An operation did not finish in time. */
export declare class TimeoutError extends NatsError {}
/** A request found no subscriber (status 503). */
export declare class NoRespondersError extends NatsError {
  /** code is "no_responders"; the message defaults to "no responders for '<subject>'". */
  constructor(subject: string, message?: string);
  /** The subject that had no responders ("" when unknown). */
  subject: string;
}
/** A request failed; `cause` says why (e.g. NoRespondersError). */
export declare class RequestError extends NatsError {
  /** True when the cause is a NoRespondersError. */
  isNoResponders(): boolean;
}
/** The server denied a publish or subscribe. */
export declare class PermissionViolationError extends NatsError {
  /** code is "permission_violation". */
  constructor(message: string, what: { operation: 'publish' | 'subscription'; subject: string; queue?: string });
  /** The denied operation. */
  operation: 'publish' | 'subscription';
  /** The denied subject. */
  subject: string;
  /** The queue group of a denied queue subscription, else undefined. */
  queue: string | undefined;
}
/** Credentials were rejected. */
export declare class AuthorizationError extends NatsError {}
/** A bad argument: the operation was not attempted. */
export declare class InvalidArgumentError extends NatsError {}
/** A subject with whitespace, an empty token or a misplaced wildcard. */
export declare class InvalidSubjectError extends InvalidArgumentError {}
/** Headers plus payload exceed the server's max_payload. */
export declare class MaxPayloadError extends InvalidArgumentError {}
/** The operation is not valid now (e.g. an already closed subscription). */
export declare class InvalidOperationError extends NatsError {}
/** The server sent something that breaks the protocol, or an -ERR. */
export declare class ProtocolError extends NatsError {}
/** An AbortSignal ended the operation. */
export declare class AbortError extends NatsError {}

/** A stream, consumer or bucket name that is not allowed. */
export declare class InvalidNameError extends InvalidArgumentError {}
/** A subscription fell behind and lost messages. */
export declare class SlowConsumerError extends NatsError {}
/** Reconnecting, and the reconnect buffer is full: the publish was not sent. */
export declare class OutboundBufferLimitError extends NatsError {}
/** A JetStream failure that is not an API error reply. */
export declare class JetStreamError extends NatsError {}
/** A pull request ended with a status; `code` is the status (409, 400 ...). */
export declare class JetStreamStatusError extends JetStreamError {
  code: number;
}
/** A JetStream API error reply: `code` is the err_code (10059), `status` the HTTP-like code (404). */
export declare class JetStreamApiError extends NatsError {
  code: number;
  readonly status: number;
  /** {code, err_code, description} as the server sent it. */
  apiError(): { code: number; err_code: number; description: string };
}
/** err_code 10059. */
export declare class StreamNotFoundError extends JetStreamApiError {}
/** err_code 10014. */
export declare class ConsumerNotFoundError extends JetStreamApiError {}
/** JetStream is not enabled (no JetStream on the server, no stream for a publish, or 10039). */
export declare class JetStreamNotEnabled extends NatsError {
  readonly status: number;
}

/** All error classes by name (nats.js exports a similar `errors` object). */
export declare const errors: {
  /** Base class. */
  NatsError: typeof NatsError;
  /** See ClosedConnectionError. */
  ClosedConnectionError: typeof ClosedConnectionError;
  /** See DrainingConnectionError. */
  DrainingConnectionError: typeof DrainingConnectionError;
  /** See ConnectionError. */
  ConnectionError: typeof ConnectionError;
  /** See TimeoutError. */
  TimeoutError: typeof TimeoutError;
  /** See NoRespondersError. */
  NoRespondersError: typeof NoRespondersError;
  /** See RequestError. */
  RequestError: typeof RequestError;
  /** See PermissionViolationError. */
  PermissionViolationError: typeof PermissionViolationError;
  /** See AuthorizationError. */
  AuthorizationError: typeof AuthorizationError;
  /** See InvalidArgumentError. */
  InvalidArgumentError: typeof InvalidArgumentError;
  /** See InvalidSubjectError. */
  InvalidSubjectError: typeof InvalidSubjectError;
  /** See MaxPayloadError. */
  MaxPayloadError: typeof MaxPayloadError;
  /** See InvalidOperationError. */
  InvalidOperationError: typeof InvalidOperationError;
  /** See ProtocolError. */
  ProtocolError: typeof ProtocolError;
  /** See AbortError. */
  AbortError: typeof AbortError;
  /** See the JetStream and other classes above. */
  [name: string]: new (...args: any[]) => NatsError;
};

/** Engine error names → their numbers (from the engine's table). */
export declare const ERRC: Readonly<Record<string, number>>;

/** The engine's tables, generated from C++ at build time. */
export declare namespace abi {
  /** Error codes: {code, name, local, js (class), py (Python class path)}. */
  const ERRORS: ReadonlyArray<{ code: number; name: string; local: boolean; js: string; py: string }>;
  /** Specific JetStream API error classes. */
  const API_ERRORS: ReadonlyArray<{ errCode: number; status: number; js: string; py: string }>;
  /** Event types by name. */
  const EV: Readonly<Record<string, number>>;
  /** Connection states by name. */
  const STATE: Readonly<Record<string, number>>;
  /** Event record layout (word offsets and `words`). */
  const REC: Readonly<Record<string, number>>;
  /** requestMany strategies by name. */
  const STRATEGY: Readonly<Record<string, number>>;
  /** JetStream API operations by name. */
  const JS_OPS: Readonly<Record<string, number>>;
  /** Record flag bits. */
  const FLAGS: Readonly<Record<string, number>>;
}

/** The name of an engine error code (e.g. 40 → "timeout"; "unknown" when not known). */
export declare function codeName(code: number): string;

/** Builds the Error for an engine error code and message (details from the engine's event). */
export declare function errorFromCode(code: number, message: string, detail?: {
  subject?: string; queue?: string; operation?: string; status?: number; errCode?: number;
}): NatsError;

// --- the WebAssembly engine --------------------------------------------------------

/** One result of ParserProbe.next(); byte fields are copies. */
export interface ParserProbeResult {
  /** "op" when an operation was parsed, "need_more" for more bytes, "error" on a (sticky) protocol error. */
  status: 'op' | 'need_more' | 'error';
  /** Error name (nats::errc_name) when status is "error". */
  error?: string;
  /** Operation name when status is "op": INFO, MSG, HMSG, PING, PONG, OK or ERR. */
  op?: 'INFO' | 'MSG' | 'HMSG' | 'PING' | 'PONG' | 'OK' | 'ERR';
  /** Subscription id (MSG/HMSG). */
  sid?: number;
  /** Subject bytes (MSG/HMSG). */
  subject?: Uint8Array;
  /** Reply subject bytes (MSG/HMSG). */
  reply?: Uint8Array;
  /** Raw header block (HMSG). */
  headers?: Uint8Array;
  /** Payload bytes (MSG/HMSG). */
  payload?: Uint8Array;
  /** Text of INFO or -ERR. */
  text?: Uint8Array;
}

/** The bare protocol parser of the engine (for protocol vectors). Free it with delete(). */
export interface ParserProbe {
  /** Heap address with room for n bytes; write them into HEAPU8 (re-read it after this call), then commit(n). */
  receivePtr(n: number): number;
  /** Declares that n bytes were written at the address from receivePtr(). */
  commit(n: number): void;
  /** The next parse result. */
  next(): ParserProbeResult;
  /** Frees the parser. */
  delete(): void;
}

/** The instantiated Emscripten module (only what is useful outside the package is listed). */
export interface NatsCoreModule {
  /** The wasm heap as bytes; re-read it after any call that may grow memory. */
  HEAPU8: Uint8Array;
  /** The wasm heap as 32-bit words. */
  HEAPU32: Uint32Array;
  /** Creates a bare parser: new M.ParserProbe(maxLine, maxPayload). */
  ParserProbe: new (maxLine: number, maxPayload: number) => ParserProbe;
  /** The engine class used by NatsConnection (internal). */
  Connection: new (opts: object) => unknown;
  /** Other Emscripten exports. */
  [key: string]: unknown;
}

/** Resolves to the WebAssembly engine, loaded once per realm; opts.wasmBinary (read by the first call only) supplies the .wasm bytes. */
export declare function loadCore(opts?: { wasmBinary?: Uint8Array }): Promise<NatsCoreModule>;

// --- Pyodide helpers ---------------------------------------------------------------

/** Messages packed for one FFI crossing: payload i is data[ends[i-1] .. ends[i]). */
/**
 * Messages packed for Python as one flat array:
 * [ended, data (all payloads back to back), ends (end offset of each payload),
 *  then per message: subject, reply, sid, raw header text or undefined].
 */
export type PackedMsgs = [boolean, Uint8Array, Uint32Array, ...(string | number | undefined)[]];

/** One message packed for Python: [subject, reply, sid, raw header text or undefined, data]. */
export type PackedMsg = [string, string, number, string | undefined, Uint8Array];

/**
 * Helpers for the Pyodide wrapper (py/nats_wasm): batched FFI crossings.
 * Internal to the Python package; listed for completeness.
 */
export declare namespace pyodide {
  /** Packs messages into one object of parallel arrays. */
  function packMsgs(msgs: Msg[], ended?: boolean): PackedMsgs;
  /** Packs up to max (default 4096) messages queued now, without waiting; undefined when none are queued and more may come. Throws the error that ended the subscription. */
  function takePacked(sub: Subscription, max?: number): PackedMsgs | undefined;
  /** Publishes a packed buffer: per message u32 LE subject length, u32 LE payload length, subject, payload. Throws the first error. */
  function publishPacked(nc: NatsConnection, packed: Uint8Array): void;
  /** request() in one crossing; cancel() aborts it in the engine. */
  function request(nc: NatsConnection, subject: string, data: Uint8Array, timeout: number,
    headers?: MsgHdrsImpl | null): { reply: Promise<PackedMsg>; cancel(): void };
  /** publish(), written to the socket at once. */
  function publish(nc: NatsConnection, subject: string, data: Uint8Array,
    opts?: { headers?: MsgHdrsImpl; reply?: string } | null): void;
  /** flush(), its PING written to the socket at once. */
  function flush(nc: NatsConnection): Promise<void>;
  /** The global queueMicrotask. */
  function queueMicrotask(fn: () => void): void;
  /** One message as a flat array. */
  function packMsg(m: Msg): PackedMsg;
  /** Builds headers from a flat [k1, v1, k2, v2, ...] list. */
  function headersFromPairs(flat: string[]): MsgHdrsImpl;
  /** The async iterator of an async iterable (Python cannot spell Symbol.asyncIterator). */
  function iteratorOf<T>(iterable: AsyncIterable<T>): AsyncIterator<T>;
}
