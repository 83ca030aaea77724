#pragma once
/// The JetStream API as the engine speaks it: contexts (prefix/domain,
/// timeout, publish window), the catalogue of `$JS.API.*` operations with
/// their arguments as JSON (what JS and Python hand over), name rules, and
/// API error decoding. One place for every rule; hosts translate names only.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "nats/error.hpp"

namespace nats::js {

/// Options of a JetStream context (nats.js `jetstream(nc, opts)`, nats.py
/// `nc.jetstream(...)`).
struct ContextOptions {
  std::string prefix = "$JS.API";           ///< API prefix (ignored when domain is set)
  std::string domain;                       ///< "$JS.<domain>.API" when set
  std::chrono::milliseconds timeout{5000};  ///< API and publish timeout
  std::size_t max_pending = 256;            ///< publishes in flight before publish waits
};

/// The API prefix of a context ("$JS.API", "$JS.hub.API"), or why it is invalid.
Result<std::string> api_prefix(const ContextOptions &options);

/// JetStream API operations. Arguments are a JSON object (see api_op_doc()).
enum class ApiOp : std::uint8_t {
  account_info,    ///< {}
  stream_create,   ///< {config}
  stream_update,   ///< {config, merge?}: merge over the current config first (nats.js)
  stream_info,     ///< {name, subjects_filter?, deleted_details?}: all subject pages
  stream_delete,   ///< {name}
  stream_purge,    ///< {name, filter?, seq?, keep?}
  stream_names,    ///< {subject?}: every page → {"streams":[...]}
  stream_list,     ///< {subject?}: every page → {"streams":[...]}
  stream_msg_get,  ///< {name, seq? | last_by_subj? | next_by_subj? (with seq)} → a stored message
  stream_msg_delete,  ///< {name, seq, no_erase?}
  direct_get,         ///< {name, seq? | last_by_subj? | next_by_subj?} → a stored message
  consumer_create,    ///< {stream, config}
  consumer_update,    ///< {stream, name, config, merge?}
  consumer_info,      ///< {stream, name}
  consumer_delete,    ///< {stream, name}
  consumer_names,     ///< {stream}: every page → {"consumers":[...]}
  consumer_list,      ///< {stream}: every page → {"consumers":[...]}
  offset_start,       ///< {stream, offset, filter?} → {"deliver_policy", "opt_start_seq"?, ...}
  consumer_groups,    ///< {stream}: the durable pull consumers → {"groups":[{name, filter,
                      ///< committed (ack floor), delivered, pending, ack_pending, lag}]}
  kv_bucket_create,   ///< {config: {bucket, history, ttl (ms), max_value_size, max_bytes,
                      ///< storage, replicas, description, allow_direct}} → stream info
  kv_bucket_info,     ///< {bucket} → stream info (bucket_not_found when there is none)
  kv_bucket_delete,   ///< {bucket} → {"success":true}
  kv_bucket_list,     ///< {} → {"buckets":[{"bucket": name, "info": stream info}]}, every page
  kv_get,             ///< {bucket, key, revision?, direct} → a stored message whose
                      ///< `operation` says put, del or purge (key_not_found when none)
  kv_create,          ///< {bucket, key, direct} + the value → PubAck JSON; over a deleted
                      ///< or purged key it writes after the tombstone (nats.js/nats.py)
  obj_store_create,   ///< {config: {bucket, description, ttl (ms), max_bytes, storage,
                      ///< replicas}} → stream info
  obj_store_info,     ///< {bucket} → stream info (bucket_not_found)
  obj_store_delete,   ///< {bucket} → {"success":true}
  obj_store_seal,     ///< {bucket} → stream info, sealed
  obj_info,           ///< {bucket, name, follow?, meta?} → the object's info JSON (deleted
                      ///< ones too; object_not_found when it never existed); with follow, a
                      ///< link's target (link_is_bucket for a link to a store); with a
                      ///< put's meta, refuses it first (obj::check_put_meta)
  obj_put_meta,       ///< {bucket, info, link?, previous_revision?}, or instead of info
                      ///< obj::info_record's args and now_unix_ns (the record is made
                      ///< here) → writes the info
                      ///< (rolling up earlier ones; only over that revision when given;
                      ///< a refused write purges info.nuid's chunks and fails),
                      ///< then purges the chunks of the version it replaced → the info
                      ///< JSON; a link never replaces a live object (object_exists)
  obj_delete,         ///< {bucket, name} → marks it deleted and purges its chunks → the
                      ///< purge reply {success, purged}
  obj_store_list,     ///< {} → {"stores":[{"bucket": name, "info": stream info}]}, every page
  obj_purge_chunks,   ///< {bucket, nuid} → purges one object version's chunks (a put that
                      ///< failed part way cleans up with it)
  obj_update_meta,    ///< {bucket, name, meta: {name?, description?, headers?, metadata?}}
                      ///< → the info rewritten (same chunks); a new name must be free
                      ///< (object_exists) and the old name's info goes → the info JSON
};

/// True for the object store operations (core/src/jetstream/api_call_obj.cpp).
constexpr bool is_obj_op(ApiOp op) {
  return op == ApiOp::obj_store_create || op == ApiOp::obj_store_info ||
         op == ApiOp::obj_store_delete || op == ApiOp::obj_store_seal || op == ApiOp::obj_info ||
         op == ApiOp::obj_put_meta || op == ApiOp::obj_delete || op == ApiOp::obj_purge_chunks ||
         op == ApiOp::obj_update_meta;
}

/// True for the key-value operations (core/src/jetstream/api_call_kv.cpp).
constexpr bool is_kv_op(ApiOp op) {
  return op == ApiOp::kv_bucket_create || op == ApiOp::kv_bucket_info ||
         op == ApiOp::kv_bucket_delete || op == ApiOp::kv_get || op == ApiOp::kv_create;
}
/// kv_bucket_list pages like stream_list (api_call.cpp), so it is not a kv op there.
constexpr bool is_kv_listing(ApiOp op) { return op == ApiOp::kv_bucket_list; }
// consumer_create also takes "offset" ({kind, value?, time?}): the start is
// resolved first (offset_start) and replaces the config's deliver policy.

/// A stable name ("stream_info").
std::string_view api_op_name(ApiOp op);
/// Every operation, in numeric order.
std::span<const ApiOp> all_api_ops();

/// Stream names: non-empty, none of `. * > / \` or whitespace (as nats.js checks).
Error validate_stream_name(std::string_view name);
/// Consumer and durable names: the same rules; `what` names the field.
Error validate_consumer_name(std::string_view name, std::string_view what = "consumer");

/// The error of an API reply ({"error":{code, err_code, description}}), if
/// any: Errc::js_api_error with status and err_code; 10039 (JetStream not
/// enabled for the account) is Errc::js_not_enabled.
std::optional<Error> api_error_of(std::string_view reply_json);

/// A message read from a stream (STREAM.MSG.GET or DIRECT.GET).
struct StoredMessage {
  std::string subject;
  std::uint64_t seq = 0;
  std::string headers;  ///< raw NATS/1.0 block, empty when none
  std::string data;
  std::string time;            ///< RFC 3339 with nanoseconds, as the server sent it
  std::string stream;          ///< direct get only
  std::uint8_t operation = 0;  ///< key-value reads: kv::Operation (0 put, 1 del, 2 purge)
};

}  // namespace nats::js
