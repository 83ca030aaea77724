#pragma once
// JetStream rules JavaScript asks for without a connection: bucket stream
// names and advisory kinds.

#include <emscripten/val.h>

#include <string>

namespace nats::wasm {

/// The stream of a bucket ("KV_<bucket>"), or [errc, message] for a bucket
/// name that is not allowed (a bound bucket is never looked up).
emscripten::val kv_stream_name(const std::string &bucket);

/// kv::purge_deletes_args: the stream_purge arguments (JSON) for a key
/// whose latest entry is a marker of operation `op` (kv::Operation), or
/// null for a put.
emscripten::val kv_purge_deletes_args(const std::string &bucket, const std::string &key, int op,
                                      double created_ms, double now_ms, double older_than_ms);

/// The subject every advisory is published under.
std::string advisory_subject();
/// The kind of the advisory `json` (a string), or [errc, message].
emscripten::val advisory_kind(const std::string &json);

}  // namespace nats::wasm
