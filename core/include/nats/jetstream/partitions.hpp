#pragma once
/// Topics with partitions on JetStream (the Fluvio model): a topic with N
/// partitions is a stream named after the topic whose subjects are
/// "<topic>.0" … "<topic>.<N-1>"; a record with a key goes to the partition
/// FNV-1a-32(key bytes) mod N, so the same key lands in the same partition
/// from every host (vectors: tests/vectors/partitions.json).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nats/error.hpp"

namespace nats::js {

/// The most partitions a topic may have.
inline constexpr std::uint32_t kMaxPartitions = 4096;

/// FNV-1a, 32 bits, of the key's bytes: the documented, stable key hash.
std::uint32_t key_hash(std::string_view key);
/// The partition of `key` in a topic with `partitions` partitions (>= 1).
std::uint32_t partition_for(std::string_view key, std::uint32_t partitions);
/// "<topic>.<p>".
std::string partition_subject(std::string_view topic, std::uint32_t p);
/// The subjects of a topic with `partitions` partitions; invalid_name or
/// invalid_argument when the topic or the count cannot be a stream.
Result<std::vector<std::string>> topic_subjects(std::string_view topic, std::uint32_t partitions);
/// How many partitions a stream's subjects describe: N when they are exactly
/// "<topic>.0" … "<topic>.<N-1>" (any order), else 0.
std::uint32_t partition_count(std::string_view topic, std::span<const std::string> subjects);

}  // namespace nats::js
