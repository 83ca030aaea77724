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
  js::OrderedOptions o;
  o.filter_subject = kv::key_subject(bucket, filter);
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
  state.kv_bucket.assign(bucket);
  state.bucket.assign(bucket);
  state.kv_ignore = ignore;
  return id;
}

}  // namespace nats
