// Key-value writes and watches on top of JetStream publishes and ordered
// consumers: the subjects, headers and deliver policies are kv.cpp's rules.
#include "nats/engine.hpp"
#include "nats/jetstream/kv.hpp"

namespace nats {

namespace kv = js::kv;

Result<std::uint64_t> Engine::kv_write(std::uint64_t context, std::string_view bucket,
                                       std::string_view key, std::string_view value,
                                       kv::Operation op,
                                       std::optional<std::uint64_t> expected_revision, Time now) {
  if (Error e = kv::validate_bucket(bucket)) return e;
  if (Error e = kv::validate_key(key)) return e;
  if (const std::string source = kv_keys_of(context, bucket); source != bucket) {
    // A mirror is a read replica: the write belongs to its source, whose
    // revisions (and expected revisions) are not the mirror's.
    return Error{Errc::illegal_state, "bucket '" + std::string(bucket) + "' mirrors '" + source +
                                          "': write to '" + source + "'"};
  }
  const Headers h = kv::write_headers(op, expected_revision);
  const std::string subject = kv::key_subject(bucket, key);
  // Deletes and purges carry no value.
  const std::string_view body = op == kv::Operation::put ? value : std::string_view{};
  return js_publish(context, subject, body, h.empty() ? nullptr : &h, {}, now);
}

Result<std::uint64_t> Engine::kv_watch(std::uint64_t context, std::string_view bucket,
                                       std::string_view keys, kv::WatchInclude include,
                                       bool headers_only, kv::Ignore ignore,
                                       std::uint64_t resume_from, Time now) {
  if (Error e = kv::validate_bucket(bucket)) return e;
  const std::string_view filter = keys.empty() ? std::string_view(">") : keys;
  if (Error e = kv::validate_key(filter, true)) return e;
  const std::string keys_of = kv_keys_of(context, bucket);  // a mirror: its source's keys
  js::OrderedOptions o;
  o.filter_subject = kv::key_subject(keys_of, filter);
  o.headers_only = headers_only;
  if (resume_from > 0) {
    o.deliver_policy = "by_start_sequence";
    o.opt_start_seq = resume_from;
  } else {
    o.deliver_policy = include == kv::WatchInclude::all_history    ? "all"
                       : include == kv::WatchInclude::updates_only ? "new"
                                                                   : "last_per_subject";
  }
  auto id = ordered_create(context, kv::stream_name(bucket), o, now);
  if (!id) return id;
  auto &state = js_.ordered.at(*id);
  state.kv_bucket = keys_of;  // where its keys start: "$KV.<keys_of>."
  state.bucket.assign(bucket);
  state.kv_ignore = ignore;
  return id;
}

void Engine::kv_note_bucket(std::uint64_t context, std::string_view stream_info_json) {
  auto ctx = js_.contexts.find(context);
  if (ctx == js_.contexts.end()) return;
  auto m = kv::mirror_of(stream_info_json);
  if (m.bucket.empty()) return;
  if (m.source.empty()) {
    ctx->second.kv_mirrors.erase(m.bucket);
  } else {
    ctx->second.kv_mirrors[m.bucket] = std::move(m.source);
  }
}

std::string Engine::kv_keys_of(std::uint64_t context, std::string_view bucket) const {
  auto ctx = js_.contexts.find(context);
  if (ctx != js_.contexts.end()) {
    auto it = ctx->second.kv_mirrors.find(std::string(bucket));
    if (it != ctx->second.kv_mirrors.end()) return it->second;
  }
  return std::string(bucket);
}

}  // namespace nats
