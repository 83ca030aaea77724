#pragma once
/// NATS/1.0 header blocks: status line, multi-valued keys, encode and parse.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nats/error.hpp"

namespace nats {

/// A NATS header block. Keys keep their case and lookups are exact, as in
/// nats.js v3; one key may hold several values in insertion order.
class Headers {
public:
  /// Status code from the first line (0 when there is none), e.g. 503.
  int status = 0;
  /// Text after the status code, e.g. "No Responders" (may be empty).
  std::string description;

  /// Appends a value for key, keeping earlier ones.
  void append(std::string key, std::string value);
  /// Replaces all values of key with one value.
  void set(std::string key, std::string value);
  /// Removes every value of key; returns how many were removed.
  std::size_t erase(std::string_view key);
  /// The first value of key, or empty when absent.
  std::string_view get(std::string_view key) const;
  /// True when key has at least one value.
  bool has(std::string_view key) const;
  /// All values of key in insertion order.
  std::vector<std::string_view> values(std::string_view key) const;
  /// Every key/value pair in insertion order.
  const std::vector<std::pair<std::string, std::string>> &entries() const { return entries_; }
  /// True when there is neither a status nor an entry.
  bool empty() const { return status == 0 && entries_.empty(); }

  /// Checks every key and value can be written on the wire.
  Error validate() const;
  /// The wire form: "NATS/1.0[ code[ desc]]\r\n" + "k: v\r\n"... + "\r\n".
  std::string encode() const;
  /// Parses a whole header block as received in HMSG.
  static Result<Headers> parse(std::string_view block);

private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

/// Checks one key/value pair as Headers::validate() does (for hosts that
/// check at the moment a header is set, as nats.js does).
Error validate_header(std::string_view key, std::string_view value);

/// A key in canonical MIME form (nats.js canonicalMIMEHeaderKey):
/// "content-type" → "Content-Type"; invalid_header for a character no
/// header name may have.
Result<std::string> canonical_header_key(std::string_view key);

/// Reads only the status code of a raw header block (0 if none or malformed).
/// Cheap: the engine uses it on every request reply.
int header_status(std::string_view block);

}  // namespace nats
