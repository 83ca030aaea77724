#pragma once
// The partition rules (core/include/nats/jetstream/partitions.hpp) for
// JavaScript and Python: one hash and one subject layout for every host.

#include <emscripten/val.h>

#include <string>

namespace nats::wasm {

/// The partition of a key (its UTF-8 bytes) among n.
double partition_for(const std::string &key, double partitions);
/// ["<topic>.0", ...], or [errc, message] when the topic or count is invalid.
emscripten::val topic_subjects(const std::string &topic, double partitions);
/// The partition count the subjects describe for the topic (0 when not a topic).
double partition_count(const std::string &topic, const emscripten::val &subjects);

}  // namespace nats::wasm
