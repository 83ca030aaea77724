// Incremental SHA-256 for object digests. WebCrypto only hashes a whole
// buffer at once, which would hold every byte of an object in memory, so
// chunks are hashed as they pass with @noble/hashes (audited, pure ES
// module, no Node built-ins: it bundles unchanged for Pyodide and browsers).
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';

/** A new hasher: update(bytes) as often as needed, then hex() once. */
export function createSha256() {
  const h = sha256.create();
  return {
    update(bytes) { h.update(bytes); return this; },
    hex() { return bytesToHex(h.digest()); },
  };
}
