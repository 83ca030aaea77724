#pragma once
// The state of one JetStream API call (internal to core/src/jetstream):
// shared by api_call.cpp (streams, consumers, offsets) and api_call_kv.cpp
// (key-value buckets).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "nats/detail/js_api_call.hpp"
#include "nats/jetstream/offset.hpp"

namespace nats::detail {
namespace api_call {

using json = nlohmann::json;
using js::ApiOp;

inline Error bad(std::string msg) { return {Errc::invalid_argument, std::move(msg)}; }

inline std::string dump(const json &j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A string argument that must be present and a valid stream/consumer name.
inline Result<std::string> name_arg(const json &args, const char *key, std::string_view what,
                                    bool stream) {
  auto it = args.find(key);
  if (it == args.end() || !it->is_string()) {
    return Error{Errc::invalid_name, std::string(what) + " name required"};
  }
  std::string name = it->get<std::string>();
  if (Error e = stream ? js::validate_stream_name(name) : js::validate_consumer_name(name, what)) {
    return e;
  }
  return name;
}

}  // namespace api_call

using api_call::json;
using js::ApiOp;

struct JsApiCall::State {
  ApiOp op;
  std::string prefix;
  std::string subject;
  std::string body;
  json args;
  Error error;
  std::string result;
  bool stored = false;
  js::StoredMessage stored_msg;
  // Paging and merged updates.
  json items = json::array();
  std::uint64_t offset = 0;
  bool fetched_current = false;  // merge: the current config has been read
  json subjects = json::object();
  // Offsets (offset_start, consumer_create with "offset"): resolved first.
  enum class Resolve : std::uint8_t { none, stream_info, probe, probe_delete, done };
  Resolve resolve = Resolve::none;
  js::Offset start_offset;
  std::string start_filter;
  std::optional<js::FromEndSearch> search;
  json deliver = json::object();
  // Key-value calls (api_call_kv.cpp).
  std::string req_headers;  ///< header block of the request now (KV writes)
  std::string kv_value;     ///< the value of a KV create
  int kv_phase = 0;
  Error kv_first_error;
  bool kv_checking = false;  ///< kv_get: a direct read timed out, the stream info is read
  std::string kv_source;     ///< the bucket a mirrored bucket's keys belong to ("": its own)

  std::string api(std::string_view rest) const { return prefix + "." + std::string(rest); }
  void page_request();
  Error prepare();
  bool finish(Error e) {
    error = std::move(e);
    return true;
  }
  bool on_json(std::string_view payload);
  Error begin_resolve();
  bool on_resolve(const json &reply, std::string_view payload);
  bool probe_next(const std::string &stream);
  bool on_direct(std::string_view headers, std::string_view payload);
  /// A STREAM.MSG.GET reply into stored_msg (true: finished).
  bool decode_msg_get(json &reply, const std::string &stream);
  // api_call_kv.cpp
  Error prepare_kv();
  bool on_kv(std::string_view headers, std::string_view payload);
  bool kv_read(std::string_view headers, std::string_view payload, const std::string &bucket,
               const std::string &key);
  bool kv_on_timeout();
  bool kv_on_check(std::string_view payload, const std::string &bucket);
  // api_call_obj.cpp
  int obj_phase = 0;
  json obj_current;                ///< the object's info before a put or delete (null when none)
  std::uint64_t obj_revision = 0;  ///< the seq of the info written
  Error obj_refusal;               ///< why obj_put_meta's write was refused (then kPurgeNew)
  Error prepare_obj();
  bool on_obj(std::string_view headers, std::string_view payload);
  Error prepare_obj_update(const std::string &bucket, const std::string &stream);
  bool on_obj_update(json &reply, const std::optional<Error> &api_error);
};

}  // namespace nats::detail
