// Incremental SHA-256 for object digests. WebCrypto only hashes a whole
// buffer at once, which would hold every byte of an object in memory, so
// chunks are hashed as they pass with @noble/hashes (audited, pure ES
// module, no Node built-ins: it bundles unchanged for Pyodide and browsers).
// Loaded on first use, so that pages importing the package's source without
// a bundler or import map need it only when they use the object store.
let loaded;

/** Resolves to a new hasher: update(bytes) as often as needed, then hex() once. */
export async function createSha256() {
  loaded ??= Promise.all([import('@noble/hashes/sha2'), import('@noble/hashes/utils')]);
  const [{ sha256 }, { bytesToHex }] = await loaded;
  const h = sha256.create();
  return {
    update(bytes) { h.update(bytes); return this; },
    hex() { return bytesToHex(h.digest()); },
  };
}
