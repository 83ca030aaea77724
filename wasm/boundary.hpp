#pragma once
// Checks on values arriving from JavaScript: numbers that must be counts or
// durations (NaN, negative and infinite values are typed errors, never cast),
// and the staged header format.

#include <cmath>
#include <cstdint>
#include <string_view>

#include <emscripten/val.h>

#include "nats/engine.hpp"
#include "nats/headers.hpp"
#include "nats/jetstream/publish.hpp"

namespace nats::wasm {

/// Catches anything at the boundary: a C++ exception must never reach JS.
template <typename F, typename R>
R guarded(F &&f, R on_exception) {
  try {
    return f();
  } catch (...) {
    return on_exception;
  }
}

/// A failed result for JavaScript: [errc, message] (hosts throw the typed error).
emscripten::val failure(const Error &e);

/// A non-negative whole count from a JS number (at most 2^53).
inline Result<std::uint64_t> to_count(double v, std::string_view what) {
  if (!std::isfinite(v) || v < 0 || v > 9007199254740992.0 || std::floor(v) != v) {
    return Error{Errc::invalid_argument,
                 std::string(what) + " must be a whole number >= 0, got " + std::to_string(v)};
  }
  return static_cast<std::uint64_t>(v);
}

/// A duration in milliseconds from a JS number (fractions are rounded up).
inline Result<Duration> to_duration(double ms, std::string_view what) {
  if (!std::isfinite(ms) || ms < 0 || ms > 1e15) {
    return Error{Errc::invalid_argument,
                 std::string(what) + " must be a finite number of milliseconds >= 0"};
  }
  return Duration{static_cast<std::int64_t>(std::ceil(ms))};
}

/// A JS timestamp (performance.now(), ms) as engine time.
inline Time to_time(double ms) {
  return Time{std::isfinite(ms) && ms > 0 ? static_cast<std::int64_t>(ms) : 0};
}

/// JetStream publish options as JavaScript stages them: u32 flags (bit 0
/// expected_last_sequence set, bit 1 expected_last_subject_sequence set,
/// bits 8..31 retries),
/// u32 timeout ms, f64 expected_last_sequence, f64 expected_last_subject_sequence,
/// then three u32-length-prefixed strings: msg id, expected stream, expected
/// last msg id.
Result<js::PublishOptions> decode_staged_publish_options(std::string_view staged);

/// Headers as JavaScript stages them: u32 status, u32 description length,
/// description, then per entry u32 key length, key, u32 value length, value
/// (little endian). Validation is the engine's (Headers::validate).
Result<Headers> decode_staged_headers(std::string_view staged);

}  // namespace nats::wasm
