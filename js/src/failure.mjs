// The results of the engine's free functions (embind): their value, or
// [code, message] for a failure. Internal: not re-exported by index.mjs.
import { errorFromCode } from './errors.mjs';

/**
 * Throws the typed error when `out` is a failure ([code, message]).
 * @param {unknown} out
 */
export function throwIfFailure(out) {
  if (Array.isArray(out)) throw errorFromCode(out[0], out[1]);
}
