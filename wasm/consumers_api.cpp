#include "consumers_api.hpp"

#include "boundary.hpp"
#include "nats/jetstream/api.hpp"
#include "nats/jetstream/obj.hpp"

namespace nats::wasm {

using emscripten::val;

namespace {

Error count_field(const val &opts, const char *key, std::uint64_t &out) {
  val v = opts[key];
  if (v.isUndefined() || v.isNull()) return {};
  if (!v.isNumber()) return {Errc::invalid_argument, std::string(key) + " must be a number"};
  auto n = to_count(v.as<double>(), key);
  if (!n) return n.error();
  out = *n;
  return {};
}

Error ms_field(const val &opts, const char *key, js::Millis &out) {
  val v = opts[key];
  if (v.isUndefined() || v.isNull()) return {};
  if (!v.isNumber()) return {Errc::invalid_argument, std::string(key) + " must be a number of ms"};
  auto d = to_duration(v.as<double>(), key);
  if (!d) return d.error();
  out = *d;
  return {};
}

std::string string_field(const val &opts, const char *key) {
  val v = opts[key];
  return v.isString() ? v.as<std::string>() : std::string();
}

}  // namespace

Result<js::PullOptions> pull_options_from(const val &opts) {
  js::PullOptions o;
  std::uint64_t mode = 0;
  for (auto [key, out] : {std::pair{"mode", &mode},
                          {"max_messages", &o.max_messages},
                          {"max_bytes", &o.max_bytes},
                          {"threshold_messages", &o.threshold_messages},
                          {"threshold_bytes", &o.threshold_bytes}}) {
    if (Error e = count_field(opts, key, *out)) return e;
  }
  if (mode > static_cast<std::uint64_t>(js::PullMode::fetch_prompt)) {
    return Error{Errc::invalid_argument, "unknown pull mode"};
  }
  o.mode = static_cast<js::PullMode>(mode);
  if (Error e = ms_field(opts, "expires", o.expires)) return e;
  if (Error e = ms_field(opts, "idle_heartbeat", o.idle_heartbeat)) return e;
  o.bind = opts["bind"].isTrue();
  o.abort_on_missing_resource = opts["abort_on_missing_resource"].isTrue();
  return o;
}

Result<js::PushOptions> bound_push_options_from(const val &opts) {
  js::PushOptions o;
  o.deliver_subject = string_field(opts, "deliver_subject");
  o.deliver_group = string_field(opts, "deliver_group");
  // nats.js BoundPushConsumerOptions gives the heartbeat in nanoseconds.
  std::uint64_t ns = 0;
  if (Error e = count_field(opts, "idle_heartbeat", ns)) return e;
  o.idle_heartbeat = js::Millis{static_cast<std::int64_t>(ns / 1000000)};
  o.abort_on_missing_resource = opts["abort_on_missing_resource"].isTrue();
  if (Error e = js::validate_push_options(o)) return e;
  return o;
}

Error push_limits_from(const val &opts, js::PushOptions &o) {
  if (Error e = count_field(opts, "pending_msgs_limit", o.pending_msgs_limit)) return e;
  return count_field(opts, "pending_bytes_limit", o.pending_bytes_limit);
}

Result<js::OrderedOptions> ordered_options_from(const val &opts) {
  js::OrderedOptions o;
  o.name_prefix = string_field(opts, "name_prefix");
  o.filter_subject = string_field(opts, "filter_subject");
  o.deliver_policy = string_field(opts, "deliver_policy");
  o.opt_start_time = string_field(opts, "opt_start_time");
  o.replay_policy = string_field(opts, "replay_policy");
  o.headers_only = opts["headers_only"].isTrue();
  if (Error e = count_field(opts, "opt_start_seq", o.opt_start_seq)) return e;
  if (Error e = ms_field(opts, "inactive_threshold", o.inactive_threshold)) return e;
  // The offset comes as JSON text ({kind, value?, time?}): the engine parses it.
  if (val offset = opts["offset"]; offset.isString()) {
    auto parsed = js::offset_from_json(offset.as<std::string>());
    if (!parsed) return parsed.error();
    o.offset = *parsed;
  }
  return o;
}

val push_subscribe_config(const std::string &config_json, const val &request) {
  auto name =
      js::push_subscribe_name(string_field(request, "queue"), string_field(request, "durable"));
  if (!name) return failure(name.error());
  js::PushSubscribe r;
  r.subject = string_field(request, "subject");
  r.queue = string_field(request, "queue");
  r.name = *name;
  r.inbox = string_field(request, "inbox");
  r.flow_control = request["flow_control"].isTrue();
  std::uint64_t heartbeat = 0;
  std::uint64_t inactive = 0;
  if (Error e = count_field(request, "idle_heartbeat", heartbeat)) return failure(e);
  if (Error e = count_field(request, "inactive_threshold", inactive)) return failure(e);
  r.idle_heartbeat = js::Nanos{static_cast<std::int64_t>(heartbeat)};
  r.inactive_threshold = js::Nanos{static_cast<std::int64_t>(inactive)};
  if (val policy = request["deliver_policy"]; policy.isString()) {
    r.deliver_policy = js::enum_from_string<js::DeliverPolicy>(policy.as<std::string>());
    if (!r.deliver_policy) return failure({Errc::invalid_argument, "unknown deliver_policy"});
  }
  if (val only = request["headers_only"]; only.isTrue() || only.isFalse()) {
    r.headers_only = only.isTrue();
  }
  auto config = js::push_subscribe_config(config_json, r);
  if (!config) return failure(config.error());
  val out = val::object();
  out.set("name", *name);
  out.set("config", *config);
  return out;
}

val pull_subscribe_config(const std::string &config_json, const std::string &subject,
                          const std::string &durable, const std::string &fresh_name) {
  auto config = js::pull_subscribe_config(config_json, subject, durable, fresh_name);
  return config ? val(*config) : failure(config.error());
}

val js_api_prefix(const std::string &prefix, const std::string &domain) {
  js::ContextOptions o;
  o.prefix = prefix;
  o.domain = domain;
  auto r = js::api_prefix(o);
  return r ? val(*r) : failure(r.error());
}

val parse_ack_reply(const std::string &reply) {
  auto info = js::parse_ack_reply(reply);
  if (!info) return val::null();
  val out = val::object();
  out.set("domain", info->domain);
  out.set("account_hash", info->account_hash);
  out.set("stream", info->stream);
  out.set("consumer", info->consumer);
  out.set("deliveryCount", static_cast<double>(info->delivered));
  out.set("redelivered", info->delivered > 1);
  out.set("streamSequence", static_cast<double>(info->stream_seq));
  out.set("deliverySequence", static_cast<double>(info->consumer_seq));
  out.set("timestampNanos", static_cast<double>(info->timestamp_ns));
  // Exact nanoseconds as text (a double loses the last digits).
  out.set("timestampNanosText", std::to_string(info->timestamp_ns));
  out.set("pending", static_cast<double>(info->pending));
  return out;
}

std::string obj_digest_text(const std::string &hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    bytes.push_back(static_cast<char>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
  }
  return js::obj::digest_text(bytes);
}

double obj_chunk_size(double requested, double max_payload) {
  auto count = [](double v) { return v > 0 ? static_cast<std::size_t>(v) : std::size_t{0}; };
  return static_cast<double>(js::obj::chunk_size(count(requested), count(max_payload)));
}

}  // namespace nats::wasm
