#pragma once
/// Key-value buckets over JetStream, as rules: names and subjects, the
/// bucket's stream config, the headers of each write, and what a stored
/// message means as an entry. The engine's KV operations (engine_kv.cpp)
/// and every host use these; nothing here does I/O.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "nats/error.hpp"
#include "nats/headers.hpp"

namespace nats::js::kv {

/// "KV_" + bucket is the stream; "$KV.<bucket>.<key>" the subject of a key.
std::string stream_name(std::string_view bucket);
std::string key_subject(std::string_view bucket, std::string_view key);
/// The bucket of a stream name ("" when it is not a bucket's stream).
std::string bucket_of_stream(std::string_view stream);
/// The key of a subject of the bucket ("" when it is not one).
std::string key_of(std::string_view bucket, std::string_view subject);

/// Bucket names: letters, digits, '-' and '_' (invalid_name otherwise).
Error validate_bucket(std::string_view bucket);
/// Keys: letters, digits and "-/_=." , not starting or ending with '.'
/// (invalid_key otherwise). With `filter`, '*' and '>' tokens are allowed
/// (watch and keys filters).
Error validate_key(std::string_view key, bool filter = false);

/// A bucket's settings (nats.js KvOptions / nats.py KeyValueConfig).
/// The most values a bucket keeps per key (nats.py KV_MAX_HISTORY).
inline constexpr std::int64_t kMaxHistory = 64;

struct BucketConfig {
  std::string bucket;
  std::string description;
  std::int64_t history = 1;          ///< values kept per key, 1..64
  std::chrono::milliseconds ttl{0};  ///< 0: forever
  std::int64_t max_value_size = -1;
  std::int64_t max_bytes = -1;
  std::string storage = "file";  ///< file or memory
  std::int64_t replicas = 1;
  bool allow_direct = true;    ///< reads by direct get (2.9 servers support it)
  std::string placement_json;  ///< the stream's placement ({cluster, tags}) as JSON, or ""
  std::string republish_json;  ///< the stream's republish ({src, dest, headers_only}), or ""
  /// The bucket this one mirrors ("": none). A mirror is a read replica: its
  /// stream copies the source's, its keys are the source's, and writes to it
  /// are refused (they belong to the source, whose revisions differ).
  std::string mirror;
};

/// From a bucket's stream info (or config) JSON: the bucket, and the bucket
/// it mirrors ("" when none). Both "" when it is not a bucket's stream.
struct BucketMirror {
  std::string bucket;
  std::string source;
};
BucketMirror mirror_of(std::string_view stream_info_json);

/// The stream config JSON of a bucket; invalid_argument for a bad history.
Result<std::string> stream_config_json(const BucketConfig &config);

/// What a write says.
enum class Operation : std::uint8_t { put, del, purge };
std::string_view operation_name(Operation op);  ///< "PUT", "DEL", "PURGE"

/// purge_deletes (nats.py; nats.js purgeDeletes): for a key whose latest
/// entry is a delete or purge marker written at `created_ms`, the
/// stream_purge arguments that clear it: keep 1 (the marker alone) while it
/// is younger than `older_than`, else keep 0 (nothing left). nullopt for a
/// put. Times are Unix ms.
std::optional<std::string> purge_deletes_args(std::string_view bucket, std::string_view key,
                                              Operation op, std::int64_t created_ms,
                                              std::int64_t now_ms, std::int64_t older_than_ms);

/// The headers of a write: none for a put; KV-Operation for delete and
/// purge (purge also rolls the subject up); an expected last revision
/// (0: the key must have no value) when given.
Headers write_headers(Operation op, std::optional<std::uint64_t> expected_revision = {});

/// What a stored message is as an entry: the operation from KV-Operation,
/// or from a server marker (Nats-Marker-Reason: MaxAge/Purge → PURGE,
/// Remove → DEL); nullopt for a marker it does not know (skip it).
std::optional<Operation> operation_of(std::string_view raw_headers);

/// What a watch starts with.
/// What a watch leaves out: nats.js's ignoreDeletes skips DEL entries,
/// nats.py's ignore_deletes (and keys()) DEL and PURGE entries.
enum class Ignore : std::uint8_t { nothing = 0, deletes = 1, deletes_and_purges = 2 };

enum class WatchInclude : std::uint8_t {
  last_values,   ///< the latest entry of each key, then updates (the default)
  all_history,   ///< every entry kept, then updates
  updates_only,  ///< only what is written from now on
};

/// True for the err_codes that mean "not the expected last revision".
constexpr bool is_wrong_last_sequence(int err_code) {
  return err_code == 10071 || err_code == 10164;
}

}  // namespace nats::js::kv
