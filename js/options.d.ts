// Type declarations for nats-wasm: the options, payloads, server info,
// statistics and status events of a connection (js/index.d.ts re-exports
// them; split out to keep each declaration file to one job).

import type { Authenticator, MsgHdrs, NatsError, Subscription } from './index.js';

// --- payloads and options ----------------------------------------------------

/** A payload: a string is sent as UTF-8; null/undefined send an empty payload. */
export type Payload = Uint8Array | string | ArrayBufferView | ArrayBuffer | null | undefined;

/** Options of connect(). */
export interface ConnectionOptions {
  /** Server URL(s), ws:// or wss:// (a bare host:port gets ws://). Default "127.0.0.1:80". */
  servers?: string | string[];
  /** Client name sent in CONNECT. */
  name?: string;
  /** Authentication token. */
  token?: string;
  /**
   * Authenticators run for every connection (nats.js). Fields of later ones
   * win. nkey/creds/jwt authenticators hand the seed to the connection, which
   * signs the server's nonce with WebCrypto Ed25519.
   */
  authenticator?: Authenticator | Authenticator[];
  /** User name. */
  user?: string;
  /** Password. */
  pass?: string;
  /** Connect timeout in milliseconds (default 20000). */
  timeout?: number;
  /** Interval between client PINGs in milliseconds (default 120000). */
  pingInterval?: number;
  /** Unanswered PINGs before the connection is declared stale (default 2). */
  maxPingOut?: number;
  /** Do not receive messages this connection publishes. */
  noEcho?: boolean;
  /** Accepted for nats.js compatibility; currently ignored. */
  debug?: boolean;
  /** Prefix of reply inboxes (default "_INBOX"). */
  inboxPrefix?: string;
  /** Reconnect when the connection is lost (default true). */
  reconnect?: boolean;
  /** Failed attempts per server before it is dropped; -1 forever (default 10). */
  maxReconnectAttempts?: number;
  /** The longest pause between attempts at one server, ms (default 2000; the first come sooner). */
  reconnectTimeWait?: number;
  /** Random extra pause up to this, ms (default 100). */
  reconnectJitter?: number;
  /** The same for wss:// (default 1000). */
  reconnectJitterTLS?: number;
  /** Keep trying the first connect like a reconnect (default false). */
  waitOnFirstConnect?: boolean;
  /** Do not add the servers a cluster announces (default false). */
  ignoreClusterUpdates?: boolean;
  /** Keep reconnecting after the same authorization error twice in a row (otherwise the connection closes). */
  ignoreAuthErrorAbort?: boolean;
  /** Try servers in the given order (default: shuffled). */
  noRandomize?: boolean;
  /** Bytes of publishes held while reconnecting (default 2 MiB); past it publish throws OutboundBufferLimitError. */
  reconnectBufferSize?: number;
}

/** Options of publish() and Msg.respond(). */
export interface PublishOptions {
  /** Headers to send (HPUB). */
  headers?: MsgHdrsImpl;
  /** Reply subject. */
  reply?: string;
}

/** Options of subscribe(). */
export interface SubscriptionOptions {
  /** Queue group name. */
  queue?: string;
  /** Auto-unsubscribe after this many messages (0 = none). */
  max?: number;
  /** ms: unless a message arrives within it, the subscription ends with TimeoutError (nats.js). */
  timeout?: number;
  /** Receives each message (err null) or the error that ended the subscription (msg null); the subscription is then not iterable. */
  callback?: (err: Error | null, msg: Msg | null) => void;
  /** Aborting ends the subscription with an AbortError (or the signal's own Error reason). */
  signal?: AbortSignal;
  /** Pending messages over this report a slowConsumer status (nats.js; iterated subscriptions only). */
  slow?: number;
  /** Messages an iterated subscription may hold before new ones are dropped (default 524288; 0 = no limit). An extension. */
  maxPendingMsgs?: number;
  /** Bytes (headers + payload) it may hold before new ones are dropped (default 64 MiB; 0 = no limit). An extension. */
  maxPendingBytes?: number;
}

/** Options of request(). */
export interface RequestOptions {
  /** Milliseconds to wait for the reply (default 1000); then TimeoutError. */
  timeout?: number;
  /** Headers to send with the request. */
  headers?: MsgHdrsImpl;
  /** Aborting rejects with an AbortError (or the signal's own Error reason). */
  signal?: AbortSignal;
}

/** How requestMany() decides it is done. */
export type RequestStrategy = 'timer' | 'count' | 'stall' | 'sentinel';

/** Options of requestMany(). */
export interface RequestManyOptions {
  /** 'timer' (until maxWait, the default), 'count' (maxMessages), 'stall' (stall ms without a reply), 'sentinel' (an empty payload ends it; that empty message is yielded last). */
  strategy?: RequestStrategy;
  /** Overall limit in milliseconds (default 1000). */
  maxWait?: number;
  /** Replies to collect with strategy 'count' (must be > 0 there). */
  maxMessages?: number;
  /** Milliseconds of silence that end strategy 'stall' (default 300). */
  stall?: number;
  /** Headers to send with the request. */
  headers?: MsgHdrsImpl;
  /** Aborting ends the iteration with an AbortError (or the signal's own Error reason). */
  signal?: AbortSignal;
}

/** The server's INFO, as parsed JSON (only common fields are listed). */
export interface ServerInfo {
  /** Server id. */
  server_id?: string;
  /** Server name. */
  server_name?: string;
  /** Server version. */
  version?: string;
  /** Largest payload (headers included) the server accepts. */
  max_payload?: number;
  /** True when the server supports headers. */
  headers?: boolean;
  /** True when the server requires authentication. */
  auth_required?: boolean;
  /** True when JetStream is enabled. */
  jetstream?: boolean;
  /** Any other INFO field. */
  [key: string]: unknown;
}

/** Byte and message counters of a connection. */
export interface Stats {
  /** Bytes received. */
  inBytes: number;
  /** Bytes sent. */
  outBytes: number;
  /** Messages received. */
  inMsgs: number;
  /** Messages sent. */
  outMsgs: number;
}

/** Engine counters for tests and diagnostics. */
export interface EngineStats {
  /** Requests waiting for a reply. */
  pendingRequests: number;
  /** Open subscriptions. */
  subscriptions: number;
  /** Received bytes buffered in the parser. */
  receiveBuffered: number;
  /** 0 awaiting_info, 1 connecting, 2 connected, 3 draining, 4 closed. */
  state: number;
}

/** An asynchronous error (e.g. -ERR, permissions, or a throwing subscription callback). */
export interface ErrorStatus {
  /** Event type. */
  type: 'error';
  /** The error. */
  error: Error;
}
/** The cluster announced servers (discovery). */
export interface UpdateStatus {
  /** Event type. */
  type: 'update';
  /** "host:port" of servers added to the pool. */
  added?: string[];
  /** "host:port" of announced servers that are gone. */
  deleted?: string[];
}
/** The server entered lame duck mode (the client moves to another server when there is one). */
export interface LdmStatus {
  /** Event type. */
  type: 'ldm';
  /** The server as "host:port" (nats.js). */
  server: string;
}
/** The connection was lost; reconnecting follows when allowed. */
export interface DisconnectStatus {
  /** Event type. */
  type: 'disconnect';
  /** The server as "host:port" (nats.js). */
  server: string;
  /** Why it was lost. */
  error: NatsError;
}
/** An attempt to reconnect starts. */
export interface ReconnectingStatus {
  /** Event type. */
  type: 'reconnecting';
  /** The URL of the server tried (an extension: nats.js gives none). */
  server: string;
  /** Attempts since the connection was lost. */
  attempt: number;
  /** Why the previous attempt failed (an extension; undefined on the first attempt). */
  error?: NatsError;
}
/** Connected again; subscriptions and consumers resumed. */
export interface ReconnectStatus {
  /** Event type. */
  type: 'reconnect';
  /** The server as "host:port" (nats.js). */
  server: string;
}
/** reconnect() was called. */
export interface ForceReconnectStatus {
  /** Event type. */
  type: 'forceReconnect';
}
/** The server stopped answering PINGs. */
export interface StaleConnectionStatus {
  /** Event type. */
  type: 'staleConnection';
}
/** The connection closed (the last event). */
export interface CloseStatus {
  /** Event type. */
  type: 'close';
  /** The error that closed it, or undefined for a clean close. */
  error: NatsError | undefined;
}
/** A subscription fell behind: over its `slow` threshold, or dropping over its limits. Once per episode. */
export interface SlowConsumerStatus {
  /** Event type. */
  type: 'slowConsumer';
  sub: Subscription;
  /** Messages pending when it was reported. */
  pending: number;
  /** Messages dropped so far (an extension). */
  dropped: number;
  /** True when messages are being dropped (an extension). */
  dropping: boolean;
}
/** One event of NatsConnection.status(). */
export type Status = ErrorStatus | UpdateStatus | LdmStatus | DisconnectStatus | ReconnectingStatus
  | ReconnectStatus | ForceReconnectStatus | StaleConnectionStatus | SlowConsumerStatus | CloseStatus;
