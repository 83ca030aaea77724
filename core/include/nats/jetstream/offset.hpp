#pragma once
/// Where a consumer starts (Fluvio's Offset): the beginning, the end (only
/// new records), an absolute stream sequence, the last n records, or a
/// time. Turned into a consumer's deliver policy here; the last n of a
/// filtered consumer (one partition of a topic) are found by counting, in a
/// binary search over the stream's sequences (FromEndSearch).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "nats/error.hpp"

namespace nats::js {

struct Offset {
  enum class Kind : std::uint8_t { beginning, end, absolute, from_end, from_time };
  Kind kind = Kind::beginning;
  std::uint64_t value = 0;  ///< absolute: a stream sequence (>= 1); from_end: how many
  std::string time;         ///< from_time: RFC 3339

  static Offset beginning() { return {}; }
  static Offset end() { return {Kind::end, 0, {}}; }
  static Offset absolute(std::uint64_t seq) { return {Kind::absolute, seq, {}}; }
  static Offset from_end(std::uint64_t n) { return {Kind::from_end, n, {}}; }
  static Offset from_time(std::string rfc3339) { return {Kind::from_time, 0, std::move(rfc3339)}; }
  bool operator==(const Offset &) const = default;
};

/// "beginning", "end", "absolute", "from_end", "from_time".
std::string_view offset_kind_name(Offset::Kind kind);
std::optional<Offset::Kind> offset_kind_from_name(std::string_view name);

/// invalid_argument for absolute(0) or from_time without a time.
Error validate_offset(const Offset &offset);

/// A consumer's start: deliver_policy and its option.
struct DeliverStart {
  std::string policy;  ///< all, new, by_start_sequence, by_start_time
  std::uint64_t start_seq = 0;
  std::string start_time;
  bool operator==(const DeliverStart &) const = default;
};

/// The start of an offset given the stream's first and last sequence (for
/// from_end without a filter: the last n sequences).
DeliverStart deliver_start(const Offset &offset, std::uint64_t first_seq, std::uint64_t last_seq);

/// from_end(n) with a filter: the largest sequence s with at least n
/// matching messages at or after s. Each probe asks how many match from a
/// sequence on (a consumer's num_pending there).
class FromEndSearch {
public:
  FromEndSearch(std::uint64_t n, std::uint64_t first_seq, std::uint64_t last_seq);
  /// The sequence to count from next; nullopt when the search is over.
  std::optional<std::uint64_t> next_probe() const;
  /// How many match at or after the probed sequence.
  void on_count(std::uint64_t count);
  DeliverStart result() const;

private:
  std::uint64_t n_;
  std::uint64_t lo_;  ///< count(lo) >= n once known
  std::uint64_t hi_;  ///< count(hi) < n
  bool counted_first_ = false;
  bool all_ = false;  ///< fewer than n match in all: deliver all
};

/// JSON {"kind":..., "value":..., "time":...} ↔ Offset (hosts pass offsets as JSON).
Result<Offset> offset_from_json(std::string_view json);
std::string offset_json(const Offset &offset);
/// {"deliver_policy":..., "opt_start_seq":..., "opt_start_time":...}
std::string deliver_start_json(const DeliverStart &start);
Result<DeliverStart> deliver_start_from_json(std::string_view json);

}  // namespace nats::js
