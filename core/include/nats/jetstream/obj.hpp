#pragma once
/// Object stores over JetStream, as rules: the store's stream, where chunks
/// and metadata live, the store's stream config, and the digest's text form
/// (hosts decode the info records: plain JSON, see api.hpp's obj_* ops). The
/// engine's object calls (api_call_obj.cpp, engine_obj.cpp) and every host
/// use these; nothing here does I/O. Hosts hash (SHA-256 with a library:
/// @noble/hashes in JS hosts, OpenSSL natively) and stream the chunks.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "nats/error.hpp"

namespace nats::js::obj {

/// Chunks are at most this large unless a put says otherwise (nats.js, nats.py).
constexpr std::size_t kDefaultChunkSize = 128 * 1024;

/// "OBJ_" + bucket.
std::string stream_name(std::string_view bucket);
/// The store of stream "OBJ_<bucket>" ("" for other streams).
std::string bucket_of_stream(std::string_view stream);
/// The chunk size of a put: `requested` (0: the default), at most max_payload.
std::size_t chunk_size(std::size_t requested, std::size_t max_payload);
/// "$O.<bucket>.C.<nuid>": the chunks of one version of an object.
std::string chunk_subject(std::string_view bucket, std::string_view nuid);
/// "$O.<bucket>.M.<name in padded URL base64>": an object's metadata.
std::string meta_subject(std::string_view bucket, std::string_view name);
/// "$O.<bucket>.M.>": every object's metadata (list, watch).
std::string meta_filter(std::string_view bucket);

/// What a read of every object's info starts with (watch, list).
enum class Include { latest = 0, updates = 1, history = 2 };

/// Store names: as key-value buckets (invalid_bucket_name otherwise).
Error validate_bucket(std::string_view bucket);
/// Object names: any non-empty text (invalid_name when empty).
Error validate_name(std::string_view name);

/// A store's settings (nats.js ObjectStoreOptions / nats.py ObjectStoreConfig).
struct StoreConfig {
  std::string bucket;
  std::string description;
  std::chrono::milliseconds ttl{0};
  std::int64_t max_bytes = -1;
  std::string storage = "file";
  std::int64_t replicas = 1;
  std::string placement_json;  ///< the stream's placement ({cluster, tags}) as JSON, or ""
};

/// The stream config JSON of a store.
Result<std::string> stream_config_json(const StoreConfig &config);

/// "SHA-256=" + the digest in padded URL base64 (what every client writes).
std::string digest_text(std::string_view sha256_bytes);

/// Refuses what a put's meta may not say (a link: links are made by link).
/// `meta_json` is nats.js ObjectStoreMeta as JSON ({name, description,
/// headers, metadata, options}); "" or null is no meta.
Error check_put_meta(std::string_view meta_json);

/// The info record that obj_put_meta writes, as every client writes it,
/// from the call's args (JSON) and the time (`unix_ns`, the host's clock):
/// - a put, after its chunks: {name, meta?, nuid, size, chunks, digest,
///   max_chunk_size} (meta as check_put_meta's);
/// - a link to an object: {name, target: <the info linked to>} (not a
///   deleted object, not a link; its bucket, or `bucket` when it has none);
/// - a link to a whole store: {name, store: "<bucket>"}.
Result<std::string> info_record(std::string_view bucket, std::string_view args_json,
                                std::int64_t unix_ns);

}  // namespace nats::js::obj
