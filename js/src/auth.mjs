// nats.js authenticators, and the host's half of nkey/JWT authentication.
// The engine decides what CONNECT carries and when a nonce needs signing
// (core/src/engine_auth.cpp); this file runs the user's authenticators and
// signs with WebCrypto Ed25519, since the WebAssembly core has no crypto.
//
// Deviation from nats.js: WebCrypto signs asynchronously, so the built-in
// authenticators return the seed (or creds) for the connection to sign
// with, not a finished {nkey, sig}; custom authenticators may return a
// Promise.
import { processEvents } from './events.mjs';

const now = () => performance.now();
const decoder = new TextDecoder();
const encoder = new TextEncoder();
// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410).
const PKCS8_ED25519 = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

/** A value or a function returning it (nats.js lets credentials rotate). */
const valueOf = (v) => (typeof v === 'function' ? v() : v);
/** Text from a string or UTF-8 bytes. */
const textOf = (v) => (v instanceof Uint8Array ? decoder.decode(v) : v === undefined ? undefined : String(v));

/** Authenticates with an nkey seed (bytes or text, or a function returning them). */
export function nkeyAuthenticator(seed) {
  return () => ({ seed: textOf(valueOf(seed)) });
}

/** Authenticates with a `.creds` file's content (bytes or text, or a function). */
export function credsAuthenticator(creds) {
  return () => ({ creds: textOf(valueOf(creds)) });
}

/** Authenticates with a user JWT and, when the server sends a nonce, the user's seed. */
export function jwtAuthenticator(jwt, seed) {
  return () => ({ jwt: textOf(valueOf(jwt)), seed: seed === undefined ? undefined : textOf(valueOf(seed)) });
}

/** Authenticates with a user name and password (values or functions). */
export function usernamePasswordAuthenticator(user, pass) {
  return () => ({ user: textOf(valueOf(user)), pass: textOf(valueOf(pass)) });
}

/** Authenticates with a token (a value or a function). */
export function tokenAuthenticator(token) {
  return () => ({ auth_token: textOf(valueOf(token)) });
}

/** The fields of every authenticator, later ones winning (as nats.js merges them). */
async function runAuthenticators(authenticators, nonce) {
  const list = Array.isArray(authenticators) ? authenticators : [authenticators];
  const fields = {};
  for (const auth of list) {
    if (typeof auth !== 'function') throw new TypeError('an authenticator must be a function');
    const got = await auth(nonce);
    for (const [k, v] of Object.entries(got ?? {})) {
      if (v !== undefined && v !== null) fields[k] = textOf(v);
    }
  }
  return fields;
}

function base64url(bytes) {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Signs `nonce` with a raw 32-byte Ed25519 seed: {publicKey, signature} in base64url. */
export async function signNonce(seed, nonce) {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('WebCrypto (crypto.subtle) is not available: nkey auth needs it (a secure context in browsers)');
  const pkcs8 = new Uint8Array(PKCS8_ED25519.length + 32);
  pkcs8.set(PKCS8_ED25519);
  pkcs8.set(seed, PKCS8_ED25519.length);
  try {
    // Extractable only to read the public key (jwk.x) back out.
    const key = await subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, true, ['sign']);
    const [jwk, sig] = await Promise.all([
      subtle.exportKey('jwk', key),
      subtle.sign({ name: 'Ed25519' }, key, encoder.encode(nonce)),
    ]);
    return { publicKey: jwk.x, signature: base64url(new Uint8Array(sig)) };
  } finally {
    pkcs8.fill(0);
    seed.fill(0);
  }
}

// Answers one engine step, unless a later step (a new handshake) replaced it.
function answer(nc, step, call) {
  if (step !== nc._authStep || nc._isClosed || !nc._engine) return;
  processEvents(nc, call(nc._engine.c));
}

const reason = (err) => String(err?.message ?? err);

/** The engine's auth_needed: run the connection's authenticators for this nonce. */
export function onAuthNeeded(nc, nonce) {
  const step = ++nc._authStep;
  runAuthenticators(nc._opts.authenticator, nonce || undefined).then(
    (fields) => answer(nc, step, (c) => c.authenticate(fields, now())),
    (err) => answer(nc, step, (c) => c.authFailed(`authenticator failed: ${reason(err)}`, now())),
  );
}

/** The engine's sign_nonce: sign with the seed it decoded. */
export function onSignNonce(nc, nonce, seed) {
  const step = ++nc._authStep;
  signNonce(seed, nonce).then(
    (s) => answer(nc, step, (c) => c.nonceSigned(s.publicKey, s.signature, now())),
    (err) => answer(nc, step, (c) => c.authFailed(`signing the nonce failed: ${reason(err)}`, now())),
  );
}
