#pragma once
// JetStream rules JavaScript asks for without a connection: bucket stream
// names and advisory kinds.

#include <emscripten/val.h>

#include <string>

namespace nats::wasm {

/// The stream of a bucket ("KV_<bucket>"), or [errc, message] for a bucket
/// name that is not allowed (a bound bucket is never looked up).
emscripten::val kv_stream_name(const std::string &bucket);

/// The subject every advisory is published under.
std::string advisory_subject();
/// The kind of the advisory `json` (a string), or [errc, message].
emscripten::val advisory_kind(const std::string &json);

}  // namespace nats::wasm
