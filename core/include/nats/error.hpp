#pragma once
/// Errors as values: stable codes, a local/remote split, and a small Result.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace nats {

/// Stable error codes. The numeric values cross the WASM boundary: never
/// renumber, only append.
enum class Errc : std::uint8_t {
  ok = 0,
  // Local: the caller misused the API.
  invalid_subject = 1,       ///< empty token, whitespace, misplaced wildcard
  invalid_queue = 2,         ///< queue group name with whitespace or empty
  max_payload_exceeded = 3,  ///< headers + payload larger than max_payload
  connection_closed = 4,     ///< the connection is closed
  connection_draining = 5,   ///< the connection is draining: no new work
  not_connected = 6,         ///< the handshake has not received INFO yet
  invalid_argument = 7,      ///< any other bad argument (e.g. a zero timeout)
  invalid_header = 8,        ///< a header key or value that cannot be encoded
  bad_subscription = 9,      ///< unknown or already closed subscription id
  // Remote: the server or the network.
  protocol_error = 32,           ///< malformed input from the server
  control_line_too_long = 33,    ///< a control line over the line cap
  payload_too_large = 34,        ///< a server payload over max_payload
  authorization_violation = 35,  ///< -ERR 'Authorization Violation'
  permission_violation = 36,     ///< -ERR 'Permissions Violation ...'
  server_error = 37,             ///< any other -ERR from the server
  stale_connection = 38,         ///< too many PINGs without a PONG
  connection_lost = 39,          ///< the transport ended without a close
  timeout = 40,                  ///< a request, flush or connect timed out
  no_responders = 41,            ///< a request got a 503 status
  max_payload_violation = 42,    ///< -ERR 'Maximum Payload Violation'
  slow_consumer = 43,            ///< a subscription overflowed its limit
};

/// True when the code means the caller misused the API.
constexpr bool is_local(Errc code) { return code != Errc::ok && static_cast<int>(code) < 32; }

/// A stable lower_snake name for a code (e.g. "no_responders").
std::string_view errc_name(Errc code);

/// An error value: a code and a human-readable message. Default is "no error".
struct Error {
  Errc code = Errc::ok;
  std::string message;

  Error() = default;
  Error(Errc c, std::string msg) : code(c), message(std::move(msg)) {}

  /// True when this holds an error.
  explicit operator bool() const { return code != Errc::ok; }
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
