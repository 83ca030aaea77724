// Key-value rules: names, subjects, the bucket's stream, write headers and
// entry operations (nats.js and nats.py agree on all of them).
#include "nats/jetstream/kv.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include "../json_parse.hpp"

namespace nats::js::kv {
namespace {

using json = nlohmann::json;

constexpr std::string_view kStreamPrefix = "KV_";
constexpr std::string_view kSubjectPrefix = "$KV.";
constexpr std::chrono::milliseconds kMaxDuplicateWindow{120000};

bool bucket_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

bool key_char(char c) { return bucket_char(c) || c == '/' || c == '=' || c == '.'; }

}  // namespace

std::string stream_name(std::string_view bucket) {
  return std::string(kStreamPrefix) + std::string(bucket);
}

std::string key_subject(std::string_view bucket, std::string_view key) {
  return std::string(kSubjectPrefix) + std::string(bucket) + "." + std::string(key);
}

std::string bucket_of_stream(std::string_view stream) {
  if (stream.size() <= kStreamPrefix.size() ||
      stream.substr(0, kStreamPrefix.size()) != kStreamPrefix) {
    return {};
  }
  return std::string(stream.substr(kStreamPrefix.size()));
}

std::string key_of(std::string_view bucket, std::string_view subject) {
  const std::string prefix = std::string(kSubjectPrefix) + std::string(bucket) + ".";
  if (subject.size() <= prefix.size() || subject.substr(0, prefix.size()) != prefix) return {};
  return std::string(subject.substr(prefix.size()));
}

Error validate_bucket(std::string_view bucket) {
  if (bucket.empty() || !std::all_of(bucket.begin(), bucket.end(), bucket_char)) {
    return {Errc::invalid_bucket_name, "invalid bucket name '" + std::string(bucket) + "'"};
  }
  return {};
}

Error validate_key(std::string_view key, bool filter) {
  auto bad = [&] { return Error{Errc::invalid_key, "invalid key '" + std::string(key) + "'"}; };
  if (key.empty() || key.front() == '.' || key.back() == '.') return bad();
  std::size_t start = 0;
  while (start <= key.size()) {
    const std::size_t dot = std::min(key.find('.', start), key.size());
    const std::string_view token = key.substr(start, dot - start);
    if (token.empty()) return bad();
    const bool wildcard = token == "*" || (token == ">" && dot == key.size());
    if (!(filter && wildcard) && !std::all_of(token.begin(), token.end(), key_char)) return bad();
    start = dot + 1;
  }
  return {};
}

Result<std::string> stream_config_json(const BucketConfig &c) {
  if (Error e = validate_bucket(c.bucket)) return e;
  if (c.history > kMaxHistory) {
    return Error{Errc::history_too_large, "history limited to a max of 64"};
  }
  if (c.history < 1) {
    return Error{Errc::invalid_argument, "history must be between 1 and 64"};
  }
  if (c.storage != "file" && c.storage != "memory") {
    return Error{Errc::invalid_argument, "storage must be file or memory"};
  }
  const auto ns = [](std::chrono::milliseconds d) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  };
  // The duplicate window may not exceed the max age.
  const auto window =
      c.ttl.count() > 0 ? std::min(c.ttl, kMaxDuplicateWindow) : kMaxDuplicateWindow;
  json cfg = {{"name", stream_name(c.bucket)},
              {"subjects", {std::string(kSubjectPrefix) + c.bucket + ".>"}},
              {"retention", "limits"},
              {"max_msgs_per_subject", c.history},
              {"max_msgs", -1},
              {"max_bytes", c.max_bytes},
              {"max_age", ns(c.ttl)},
              {"max_msg_size", c.max_value_size},
              {"storage", c.storage},
              {"num_replicas", c.replicas},
              {"discard", "new"},
              {"duplicate_window", ns(window)},
              {"allow_rollup_hdrs", true},
              {"deny_delete", true},
              {"deny_purge", false},
              {"allow_direct", c.allow_direct},
              {"max_consumers", -1}};
  if (!c.description.empty()) cfg["description"] = c.description;
  if (!c.mirror.empty()) {
    // A mirror has no subjects of its own; it answers direct gets for the
    // source's stream too (mirror_direct), and its own (allow_direct).
    if (Error e = validate_bucket(c.mirror)) return e;
    if (c.mirror == c.bucket) return Error{Errc::invalid_argument, "a bucket cannot mirror itself"};
    cfg.erase("subjects");
    cfg["mirror"] = {{"name", stream_name(c.mirror)}};
    cfg["mirror_direct"] = true;
  }
  // Placement and republish go to the server as given (objects only).
  for (auto [key, text] :
       {std::pair{"placement", &c.placement_json}, std::pair{"republish", &c.republish_json}}) {
    if (text->empty()) continue;
    auto v = nats::detail::parse_json(*text);
    if (v.is_discarded() || !v.is_object()) {
      return Error{Errc::invalid_argument, std::string(key) + " must be an object"};
    }
    cfg[key] = std::move(v);
  }
  return cfg.dump();
}

std::string_view operation_name(Operation op) {
  switch (op) {
    case Operation::put: return "PUT";
    case Operation::del: return "DEL";
    case Operation::purge: return "PURGE";
  }
  return "PUT";
}

Headers write_headers(Operation op, std::optional<std::uint64_t> expected_revision) {
  Headers h;
  if (op == Operation::del) h.set("KV-Operation", "DEL");
  if (op == Operation::purge) {
    h.set("KV-Operation", "PURGE");
    h.set("Nats-Rollup", "sub");
  }
  if (expected_revision) {
    h.set("Nats-Expected-Last-Subject-Sequence", std::to_string(*expected_revision));
  }
  return h;
}

std::optional<Operation> operation_of(std::string_view raw_headers) {
  if (raw_headers.empty()) return Operation::put;
  auto h = Headers::parse(raw_headers);
  if (!h) return Operation::put;
  const std::string_view op = h->get("KV-Operation");
  if (op == "DEL") return Operation::del;
  if (op == "PURGE") return Operation::purge;
  if (!op.empty()) return Operation::put;
  const std::string_view reason = h->get("Nats-Marker-Reason");
  if (reason.empty()) return Operation::put;
  if (reason == "MaxAge" || reason == "Purge") return Operation::purge;
  if (reason == "Remove") return Operation::del;
  return std::nullopt;
}

std::optional<std::string> purge_deletes_args(std::string_view bucket, std::string_view key,
                                              Operation op, std::int64_t created_ms,
                                              std::int64_t now_ms, std::int64_t older_than_ms) {
  if (op == Operation::put) return std::nullopt;
  // As nats.py: a marker younger than older_than stays (its history goes).
  const bool recent = older_than_ms > 0 && now_ms - created_ms < older_than_ms;
  nlohmann::json args = {{"name", stream_name(bucket)},
                         {"filter", key_subject(bucket, key)},
                         {"keep", recent ? 1 : 0}};
  return args.dump();
}

BucketMirror mirror_of(std::string_view stream_info_json) {
  const auto j = nats::detail::parse_json(stream_info_json);
  if (!j.is_object()) return {};
  const json &cfg = j.contains("config") ? j["config"] : j;
  if (!cfg.is_object() || !cfg.contains("name") || !cfg["name"].is_string()) return {};
  BucketMirror out;
  out.bucket = bucket_of_stream(cfg["name"].get<std::string>());
  if (out.bucket.empty()) return {};
  if (auto m = cfg.find("mirror"); m != cfg.end() && m->is_object()) {
    out.source = bucket_of_stream(m->value("name", std::string()));
  }
  return out;
}

}  // namespace nats::js::kv
