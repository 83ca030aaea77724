#pragma once
// Key-value rules JavaScript asks for without a connection.

#include <emscripten/val.h>

#include <string>

namespace nats::wasm {

/// The stream of a bucket ("KV_<bucket>"), or [errc, message] for a bucket
/// name that is not allowed (a bound bucket is never looked up).
emscripten::val kv_stream_name(const std::string &bucket);

}  // namespace nats::wasm
