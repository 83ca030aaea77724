// nats-wasm: a NATS client whose protocol engine is C++ compiled to WebAssembly.
export { connect, connect as wsconnect, NatsConnection } from './connection.mjs';
export {
  Empty, Match, Nuid, backoff, canonicalMIMEHeaderKey, createInbox, deadline, deferred, delay, millis, nanos, nuid,
  syncIterator,
} from './helpers.mjs';
export {
  credsAuthenticator, jwtAuthenticator, nkeyAuthenticator, tokenAuthenticator, usernamePasswordAuthenticator,
} from './auth.mjs';
export { Subscription } from './subscription.mjs';
export { Msg } from './msg.mjs';
export { headers, MsgHdrsImpl } from './headers.mjs';
export * from './errors.mjs';
export { loadCore } from './core.mjs';
export * as pyodide from './pyodide.mjs';
/** The engine's tables (error codes, events, states), generated from C++. */
export * as abi from '../dist/abi.mjs';
