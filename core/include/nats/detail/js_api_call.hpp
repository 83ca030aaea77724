#pragma once
/// One JetStream API call in flight (internal): validates its JSON
/// arguments, names the request(s) to send, and folds the replies — pages of
/// a list, the info fetched before a merged update — into one result.

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "nats/error.hpp"
#include "nats/jetstream/api.hpp"

namespace nats::detail {

class JsApiCall {
public:
  /// Checks `args_json` for `op` and prepares the first request. `payload`
  /// is the value a key-value write carries (kv_create); `kv_mirrors` the
  /// context's mirrored buckets (bucket → source), for key-value reads.
  static Result<JsApiCall> start(js::ApiOp op, std::string_view args_json, std::string prefix,
                                 std::string payload = {},
                                 const std::map<std::string, std::string> *kv_mirrors = nullptr);
  JsApiCall(JsApiCall &&) noexcept;
  JsApiCall &operator=(JsApiCall &&) noexcept;
  ~JsApiCall();

  js::ApiOp op() const;
  /// The request to send now (full subject, body).
  const std::string &subject() const;
  const std::string &body() const;
  /// The header block of the request now (empty for most calls).
  const std::string &headers() const;
  /// Folds in a reply; true when the call is finished (see error(),
  /// result(), stored()), false when subject()/body() must be sent again.
  bool on_reply(std::string_view headers, std::string_view payload);
  /// The request timed out: true when the call goes on with another request
  /// (subject()/body() to send, with a fresh deadline) instead of failing.
  bool on_timeout();
  /// The failure, when finished with one.
  const Error &error() const;
  /// The JSON result for hosts (finished, no error, not a stored message).
  std::string take_result();
  /// True when the result is a stored message (msg get, direct get).
  bool has_stored() const;
  js::StoredMessage take_stored();

private:
  struct State;
  explicit JsApiCall(std::unique_ptr<State> state);
  std::unique_ptr<State> s_;
};

}  // namespace nats::detail
