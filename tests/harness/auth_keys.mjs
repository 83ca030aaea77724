// Keys and JWTs tests make for themselves with Node's crypto: nkey users and
// an operator → account → user chain for a server with `resolver: MEMORY`.
// The nkey text encoding here is written apart from the core's on purpose:
// a second implementation, and nats-server, check the core's.
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const PREFIX = { seed: 18 << 3, operator: 14 << 3, account: 0, user: 20 << 3 };

function crc16(bytes) {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = (crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1) & 0xffff;
  }
  return crc;
}

function base32(bytes) {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

function withCrc(bytes) {
  const crc = crc16(bytes);
  return base32(Buffer.concat([bytes, Buffer.from([crc & 0xff, crc >> 8])]));
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');

/** A fresh key of a type ('operator' | 'account' | 'user'): {seed, publicKey, privateKey}. */
export function makeKey(type) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(16);
  const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
  const t = PREFIX[type];
  return {
    seed: withCrc(Buffer.concat([Buffer.from([PREFIX.seed | (t >> 5), (t & 31) << 3]), raw])),
    publicKey: withCrc(Buffer.concat([Buffer.from([t]), pub])),
    privateKey,
  };
}

function jwt(issuer, subject, name, nats, exp) {
  const claims = {
    jti: base32(randomBytes(20)), iat: Math.floor(Date.now() / 1000), iss: issuer.publicKey, name, sub: subject, nats,
  };
  if (exp !== undefined) claims.exp = exp;
  const body = `${b64url(JSON.stringify({ typ: 'JWT', alg: 'ed25519-nkey' }))}.${b64url(JSON.stringify(claims))}`;
  return `${body}.${b64url(sign(null, Buffer.from(body), issuer.privateKey))}`;
}

/** `.creds` text for a JWT and a seed. */
export function credsText(userJwt, seed) {
  return `-----BEGIN NATS USER JWT-----\n${userJwt}\n------END NATS USER JWT------\n\n`
    + '************************* IMPORTANT *************************\n'
    + 'NKEY Seed printed below can be used to sign and prove identity.\n\n'
    + `-----BEGIN USER NKEY SEED-----\n${seed}\n------END USER NKEY SEED------\n`;
}

/** The operator/account/user chain: serverConfig, creds, and issueUser for more users. */
export function makeJwtSetup() {
  const op = makeKey('operator');
  const account = makeKey('account');
  const user = makeKey('user');
  const operatorJwt = jwt(op, op.publicKey, 'test-operator', { type: 'operator', version: 2 });
  const limits = { subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 };
  const accountJwt = jwt(op, account.publicKey, 'test-account', { limits, type: 'account', version: 2 });
  const issueUser = (who, exp) => jwt(account, who.publicKey, 'test-user',
    { pub: {}, sub: {}, subs: -1, data: -1, payload: -1, type: 'user', version: 2 }, exp);
  const userJwt = issueUser(user);
  return {
    user,
    userJwt,
    issueUser,
    creds: credsText(userJwt, user.seed),
    serverConfig: `operator: "${operatorJwt}"\nresolver: MEMORY\nresolver_preload: {\n  ${account.publicKey}: "${accountJwt}"\n}\n`,
  };
}

/** `authorization { users = [{nkey: ...}] }` for nkey users. */
export function nkeyUsersConfig(...publicKeys) {
  return `authorization {\n  users = [ ${publicKeys.map((k) => `{ nkey: "${k}" }`).join(', ')} ]\n}\n`;
}

/** Signs with a key made here (for authenticators that sign by themselves). */
export function signWith(key, text) {
  return b64url(sign(null, Buffer.from(text), key.privateKey));
}

