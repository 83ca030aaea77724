// Object store rules: subjects, the store's stream, the digest's form.
#include "nats/jetstream/obj.hpp"

#include <nlohmann/json.hpp>

#include "../json_parse.hpp"
#include "nats/base64.hpp"
#include "nats/jetstream/kv.hpp"

namespace nats::js::obj {

using json = nlohmann::json;

std::string stream_name(std::string_view bucket) { return "OBJ_" + std::string(bucket); }

std::size_t chunk_size(std::size_t requested, std::size_t max_payload) {
  const std::size_t size = requested == 0 ? kDefaultChunkSize : requested;
  return max_payload > 0 && size > max_payload ? max_payload : size;
}

std::string bucket_of_stream(std::string_view stream) {
  constexpr std::string_view prefix = "OBJ_";
  if (stream.size() <= prefix.size() || stream.substr(0, prefix.size()) != prefix) return {};
  return std::string(stream.substr(prefix.size()));
}

std::string chunk_subject(std::string_view bucket, std::string_view nuid) {
  return "$O." + std::string(bucket) + ".C." + std::string(nuid);
}

std::string meta_subject(std::string_view bucket, std::string_view name) {
  return "$O." + std::string(bucket) + ".M." + base64_encode(name, Base64::url);
}

std::string meta_filter(std::string_view bucket) { return "$O." + std::string(bucket) + ".M.>"; }

Error validate_bucket(std::string_view bucket) { return kv::validate_bucket(bucket); }

Error validate_name(std::string_view name) {
  if (name.empty()) return {Errc::invalid_name, "an object needs a name"};
  return {};
}

Result<std::string> stream_config_json(const StoreConfig &c) {
  if (Error e = validate_bucket(c.bucket)) return e;
  if (c.storage != "file" && c.storage != "memory") {
    return Error{Errc::invalid_argument, "storage must be file or memory"};
  }
  json cfg = {{"name", stream_name(c.bucket)},
              {"subjects", {"$O." + c.bucket + ".C.>", "$O." + c.bucket + ".M.>"}},
              {"max_age", std::chrono::duration_cast<std::chrono::nanoseconds>(c.ttl).count()},
              {"max_bytes", c.max_bytes},
              {"storage", c.storage},
              {"num_replicas", c.replicas},
              {"discard", "new"},
              {"allow_rollup_hdrs", true},
              {"allow_direct", true}};
  if (!c.description.empty()) cfg["description"] = c.description;
  if (!c.placement_json.empty()) {
    auto placement = nats::detail::parse_json(c.placement_json);
    if (placement.is_discarded() || !placement.is_object()) {
      return Error{Errc::invalid_argument, "placement must be an object"};
    }
    cfg["placement"] = std::move(placement);
  }
  return cfg.dump();
}

std::string digest_text(std::string_view sha256_bytes) {
  return "SHA-256=" + base64_encode(sha256_bytes, Base64::url);
}

}  // namespace nats::js::obj
