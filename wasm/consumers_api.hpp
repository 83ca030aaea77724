#pragma once
// Pull and ordered consumers for JavaScript: option objects read into the
// engine's structs (checked), and the ack-subject parser.

#include <emscripten/val.h>

#include <string>

#include "nats/error.hpp"
#include "nats/jetstream/consumer.hpp"
#include "nats/jetstream/push.hpp"

namespace nats::wasm {

/// {mode, max_messages, max_bytes, expires, idle_heartbeat (ms),
/// threshold_messages, threshold_bytes, bind, abort_on_missing_resource}.
Result<js::PullOptions> pull_options_from(const emscripten::val &opts);
/// A bound push consumer's {deliver_subject, deliver_group, idle_heartbeat
/// (ns), abort_on_missing_resource}, checked.
Result<js::PushOptions> bound_push_options_from(const emscripten::val &opts);
/// A push session's {pending_msgs_limit, pending_bytes_limit} (nats.py
/// js.subscribe's), where given, into `options`.
Error push_limits_from(const emscripten::val &opts, js::PushOptions &options);
/// {name_prefix, filter_subject, deliver_policy, opt_start_seq, opt_start_time,
/// replay_policy, inactive_threshold (ms), headers_only}.
Result<js::OrderedOptions> ordered_options_from(const emscripten::val &opts);
/// nats.py's js.subscribe creating its push consumer: {name, config (JSON)}
/// from the caller's config JSON and {subject, queue, durable, inbox,
/// flow_control, idle_heartbeat (ns), deliver_policy, headers_only,
/// inactive_threshold (ns)}; a failure when they are refused.
emscripten::val push_subscribe_config(const std::string &config_json,
                                      const emscripten::val &request);
/// nats.py's js.pull_subscribe creating its pull consumer: the config JSON
/// (js::pull_subscribe_config), or a failure.
emscripten::val pull_subscribe_config(const std::string &config_json, const std::string &subject,
                                      const std::string &durable, const std::string &fresh_name);
/// The API prefix a JetStream context with these options uses ("$JS.API",
/// "$JS.hub.API" for domain "hub"), or a failure for an invalid one.
emscripten::val js_api_prefix(const std::string &prefix, const std::string &domain);
/// The delivery info of an ack subject as nats.js's DeliveryInfo, or null.
emscripten::val parse_ack_reply(const std::string &reply);

/// "SHA-256=<padded URL base64>" of a digest given in hex (the JS host hashes).
std::string obj_digest_text(const std::string &sha256_hex);
/// The chunk size of an object put (requested 0: the default; at most max_payload).
double obj_chunk_size(double requested, double max_payload);

}  // namespace nats::wasm
