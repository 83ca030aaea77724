#pragma once
/// Incremental parser for server-to-client NATS operations.
///
/// The parser owns the receive buffer. Bytes go in with feed() (or written in
/// place through prepare()/commit()); next() hands out one operation at a
/// time. Any split of the input across calls parses the same.
///
/// Lifetime of views: every string_view in an Op points into the receive
/// buffer and stays valid until the next call to feed(), prepare() or
/// reset(). Calls to next() never move the buffer.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "nats/error.hpp"

namespace nats {

/// The server operations.
enum class OpType : std::uint8_t { info, msg, hmsg, ping, pong, ok, err };

/// One parsed operation. Fields not used by an op type are empty.
struct Op {
  OpType type = OpType::ping;
  std::string_view subject;
  std::string_view reply;
  std::string_view headers;  ///< raw header block of HMSG (with final CRLFCRLF)
  std::string_view payload;
  std::string_view text;  ///< INFO JSON, or -ERR text without quotes
  std::uint64_t sid = 0;
};

/// What next() found.
enum class ParseStatus : std::uint8_t { op, need_more, error };

/// The incremental parser. One per connection.
class Parser {
public:
  static constexpr std::size_t default_max_line = 64 * 1024;
  static constexpr std::size_t default_max_payload = 1024 * 1024;

  /// Caps: a control line longer than max_line bytes, or a message larger
  /// than max_payload bytes (headers included), is a protocol error.
  explicit Parser(std::size_t max_line = default_max_line,
                  std::size_t max_payload = default_max_payload);

  /// Appends received bytes. Invalidates views from earlier ops.
  void feed(std::string_view bytes);
  /// Room to write n bytes in place; follow with commit(written).
  /// Invalidates views from earlier ops.
  std::span<char> prepare(std::size_t n);
  /// Declares that `n` bytes were written into the span from prepare().
  void commit(std::size_t n);

  /// Forgets everything buffered and any sticky error: a fresh parser for
  /// the next connection (the caps stay).
  void reset();

  /// Parses the next op into `op`. Errors are sticky until reset().
  ParseStatus next(Op &op);
  /// The sticky error after next() returned ParseStatus::error.
  const Error &error() const { return error_; }

  /// Changes the payload cap (e.g. after INFO).
  void set_max_payload(std::size_t n) { max_payload_ = n; }
  std::size_t max_payload() const { return max_payload_; }
  /// Bytes received but not yet handed out as ops.
  std::size_t buffered() const { return buf_.size() - rpos_; }
  /// Bytes the buffer holds, consumed or not (for memory tests).
  std::size_t capacity() const { return buf_.capacity(); }

private:
  ParseStatus fail(Errc code, std::string msg);
  ParseStatus parse_line(std::string_view line, std::size_t line_len, Op &op);
  ParseStatus parse_msg_args(std::string_view args, bool with_headers, std::size_t line_len,
                             Op &op);
  ParseStatus finish_payload(Op &op);
  void compact();

  std::string buf_;
  std::size_t rpos_ = 0;           // start of the first unparsed byte
  std::size_t prepared_from_ = 0;  // where prepare() handed out room
  std::size_t scanned_ = 0;        // bytes after rpos_ already searched for CRLF
  std::size_t max_line_;
  std::size_t max_payload_;
  Error error_;

  // A MSG/HMSG whose control line is parsed but whose payload is incomplete.
  // Offsets are relative to rpos_, so compaction does not disturb them.
  struct Pending {
    bool active = false;
    bool headers = false;
    std::size_t line_len = 0;  // including CRLF
    std::size_t subject_off = 0, subject_len = 0;
    std::size_t reply_off = 0, reply_len = 0;
    std::size_t header_len = 0, total_len = 0;
    std::uint64_t sid = 0;
  } pending_;
};

}  // namespace nats
