#pragma once
/// Errors as values: stable codes, a local/remote split, and a small Result.
///
/// The table of codes (errc_table()) is the one source of truth for every
/// host: it names each code and the error class it becomes in nats.js-style
/// JavaScript and nats.py-style Python. The WASM build exports it to
/// JavaScript (js/dist/abi.mjs), and Python maps JS errors through it.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace nats {

/// Stable error codes. The numbers cross the WASM boundary through the
/// exported table, so hosts never hard-code them; still, only append.
enum class Errc : std::uint8_t {
  ok = 0,
  // Local: the caller misused the API (codes below 32).
  invalid_subject = 1,        ///< empty token, whitespace, misplaced wildcard
  invalid_queue = 2,          ///< queue group name with whitespace or empty
  max_payload_exceeded = 3,   ///< headers + payload larger than max_payload
  connection_closed = 4,      ///< the connection is closed
  connection_draining = 5,    ///< the connection is draining: no new work
  not_connected = 6,          ///< the handshake has not completed yet
  invalid_argument = 7,       ///< any other bad argument (e.g. a zero timeout)
  invalid_header = 8,         ///< a header key or value that cannot be encoded
  bad_subscription = 9,       ///< unknown or already closed subscription id
  cancelled = 10,             ///< the caller gave up (abort signal, task cancel)
  illegal_state = 11,         ///< the operation is not allowed in this state
  invalid_name = 12,          ///< a stream, consumer or bucket name that is not allowed
  invalid_key = 13,           ///< a key-value key that is not allowed
  window_full = 14,           ///< too many JetStream publishes in flight: wait for room
  outbound_buffer_full = 15,  ///< reconnecting, and the reconnect buffer is full
  // Remote: the server or the network (32 and above).
  protocol_error = 32,           ///< malformed input from the server
  control_line_too_long = 33,    ///< a control line over the line cap
  payload_too_large = 34,        ///< a server payload over max_payload
  authorization_violation = 35,  ///< -ERR 'Authorization Violation'
  permission_violation = 36,     ///< -ERR 'Permissions Violation ...'
  server_error = 37,             ///< any other -ERR from the server
  stale_connection = 38,         ///< too many PINGs without a PONG
  connection_lost = 39,          ///< the transport ended without a close
  timeout = 40,                  ///< a request, flush or connect timed out
  no_responders = 41,            ///< a request got an empty 503 status
  max_payload_violation = 42,    ///< -ERR 'Maximum Payload Violation'
  slow_consumer = 43,            ///< a subscription overflowed its limit
  no_servers = 44,               ///< no server could be reached
  bad_header_block = 45,         ///< a received header block is not NATS/1.0
  js_api_error = 46,             ///< a JetStream API error reply (status, err_code)
  js_not_enabled = 47,           ///< JetStream is not enabled (503 from $JS.API)
  no_stream_response = 48,       ///< a JetStream publish found no stream (503)
  heartbeats_missed = 49,        ///< a consumer saw no heartbeat for too long
  consumer_deleted = 50,         ///< the consumer went away while in use
  js_status_error = 51,          ///< a pull request ended with a 4xx status
  digest_mismatch = 52,          ///< an object's chunks do not match its digest
  js_bad_reply = 53,             ///< a JetStream reply the client cannot use (e.g. an empty ack)
  bucket_not_found = 54,         ///< no key-value bucket (or object store) by that name
  key_not_found = 55,            ///< no value for the key (never written, or deleted)
  object_not_found = 56,         ///< no object by that name in the store
  object_exists = 57,            ///< a link over an object that exists
  link_is_bucket = 58,           ///< reading a link to a whole store as an object
  invalid_bucket_name = 59,      ///< a key-value bucket or object store name that is not allowed
  history_too_large = 60,        ///< a key-value bucket's history over 64
  tls_failed = 61,               ///< TLS could not be set up (no TLS at the server, a handshake
                                 ///< or certificate failure)
  bad_bucket = 62,               ///< a KV_ stream that is not a key-value bucket (no history)
};

/// True when the code means the caller misused the API.
constexpr bool is_local(Errc code) { return code != Errc::ok && static_cast<int>(code) < 32; }

/// One row of the error table.
struct ErrcInfo {
  Errc code;
  std::string_view name;      ///< lower_snake name, e.g. "no_responders"
  std::string_view js_class;  ///< nats.js v3 class name, e.g. "NoRespondersError"
  std::string_view py_class;  ///< nats.py class name, e.g. "NoRespondersError"
};

/// Every code but ok, in numeric order.
std::span<const ErrcInfo> errc_table();

/// A more specific class for a JetStream API error (Errc::js_api_error):
/// nats.js picks it by err_code, nats.py by status. 0 matches nothing; an
/// empty class name means "no more specific class in that language".
struct ApiErrorClass {
  int err_code;
  int status;
  std::string_view js_class;
  std::string_view py_class;
};

/// Every specific JetStream API error class.
std::span<const ApiErrorClass> api_error_classes();

/// A stable lower_snake name for a code (e.g. "no_responders").
std::string_view errc_name(Errc code);

/// An error value: a code and a human-readable message, plus the details
/// some errors carry. Default is "no error".
struct Error {
  Errc code = Errc::ok;
  std::string message;
  int status = 0;         ///< server status: JetStream API "code" (404, 503) or a pull status
  int err_code = 0;       ///< JetStream API err_code (e.g. 10059)
  std::string operation;  ///< permission violations: "publish" or "subscription"
  std::string subject;    ///< the subject the error is about, when there is one
  std::string queue;      ///< the queue group of a denied subscription

  Error() = default;
  Error(Errc c, std::string msg) : code(c), message(std::move(msg)) {}

  /// True when this holds an error.
  explicit operator bool() const { return code != Errc::ok; }
  /// Back to no error. Cheaper than assigning Error{} when there is none
  /// already (the per-message paths: no strings built and destroyed).
  void reset() {
    if (code != Errc::ok || status != 0 || err_code != 0 || !message.empty() ||
        !operation.empty() || !subject.empty() || !queue.empty()) {
      *this = Error{};
    }
  }
  /// True when the caller misused the API (as opposed to a remote failure).
  bool local() const { return is_local(code); }
};

/// Either a value or an Error. Small on purpose: std::expected is C++23.
template <typename T>
class Result {
public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT implicit
  Result(Error error) : v_(std::move(error)) {}  // NOLINT implicit
  Result(Errc code, std::string msg) : v_(Error{code, std::move(msg)}) {}

  /// True when a value is held.
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  /// The value; only valid when ok().
  T &value() { return std::get<0>(v_); }
  const T &value() const { return std::get<0>(v_); }
  T &operator*() { return value(); }
  const T &operator*() const { return value(); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }
  /// The error; only valid when !ok().
  const Error &error() const { return std::get<1>(v_); }

private:
  std::variant<T, Error> v_;
};

}  // namespace nats
