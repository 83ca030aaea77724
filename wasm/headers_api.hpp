#pragma once
// The engine's header codec for JavaScript and Python: one parser and one
// validator for every host (nats.js-style MsgHdrsImpl and nats.py dicts sit
// on top of these).

#include <emscripten/val.h>

#include <string>

namespace nats::wasm {

/// [errc, status, description, key1, value1, ...]; on failure [errc, message].
emscripten::val decode_headers(const std::string &block);
/// null when key/value may be sent, else [errc, message].
emscripten::val validate_header(const std::string &key, const std::string &value);
/// The wire block of [status, description, key1, value1, ...] as a
/// Uint8Array, or [errc, message] when invalid.
emscripten::val encode_headers(const emscripten::val &flat);
/// nats.js canonicalMIMEHeaderKey (the engine's rule): the key, or [errc, message].
emscripten::val canonical_header_key(const std::string &key);

}  // namespace nats::wasm
