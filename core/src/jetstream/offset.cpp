// Offsets as deliver policies, and the search for "the last n" of a
// filtered stream.
#include "nats/jetstream/offset.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include "../json_parse.hpp"

namespace nats::js {
namespace {

using json = nlohmann::json;

constexpr std::array<std::pair<Offset::Kind, std::string_view>, 5> kNames{{
    {Offset::Kind::beginning, "beginning"},
    {Offset::Kind::end, "end"},
    {Offset::Kind::absolute, "absolute"},
    {Offset::Kind::from_end, "from_end"},
    {Offset::Kind::from_time, "from_time"},
}};

DeliverStart all() { return {"all", 0, {}}; }
DeliverStart fresh() { return {"new", 0, {}}; }
DeliverStart from_seq(std::uint64_t seq) { return {"by_start_sequence", seq, {}}; }

}  // namespace

std::string_view offset_kind_name(Offset::Kind kind) {
  for (const auto &[k, name] : kNames) {
    if (k == kind) return name;
  }
  return "beginning";
}

std::optional<Offset::Kind> offset_kind_from_name(std::string_view name) {
  for (const auto &[k, n] : kNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

Error validate_offset(const Offset &offset) {
  if (offset.kind == Offset::Kind::absolute && offset.value == 0) {
    return {Errc::invalid_argument, "an absolute offset is a stream sequence >= 1"};
  }
  if (offset.kind == Offset::Kind::from_time && offset.time.empty()) {
    return {Errc::invalid_argument, "a time offset needs an RFC 3339 time"};
  }
  return {};
}

DeliverStart deliver_start(const Offset &offset, std::uint64_t first_seq, std::uint64_t last_seq) {
  switch (offset.kind) {
    case Offset::Kind::beginning: return all();
    case Offset::Kind::end: return fresh();
    case Offset::Kind::absolute: return from_seq(offset.value);
    case Offset::Kind::from_time: return {"by_start_time", 0, offset.time};
    case Offset::Kind::from_end: {
      if (offset.value == 0) return fresh();
      if (last_seq == 0 || first_seq > last_seq) return all();  // empty: whatever comes
      if (last_seq - first_seq + 1 <= offset.value) return all();
      return from_seq(last_seq - offset.value + 1);
    }
  }
  return all();
}

FromEndSearch::FromEndSearch(std::uint64_t n, std::uint64_t first_seq, std::uint64_t last_seq)
    : n_(n), lo_(first_seq), hi_(last_seq + 1) {
  if (n == 0 || last_seq == 0 || first_seq > last_seq) {
    counted_first_ = true;
    all_ = n != 0;
    hi_ = lo_;
  }
}

std::optional<std::uint64_t> FromEndSearch::next_probe() const {
  if (!counted_first_) return lo_;
  if (all_ || hi_ - lo_ <= 1) return std::nullopt;
  return lo_ + (hi_ - lo_) / 2;
}

void FromEndSearch::on_count(std::uint64_t count) {
  auto probe = next_probe();
  if (!probe) return;
  if (!counted_first_) {
    counted_first_ = true;
    all_ = count <= n_;  // no more than n in all
    return;
  }
  // Counts only fall as the start moves on: keep count(lo) >= n > count(hi).
  (count >= n_ ? lo_ : hi_) = *probe;
}

DeliverStart FromEndSearch::result() const {
  if (n_ == 0) return fresh();
  if (all_) return all();
  return from_seq(lo_);
}

Result<Offset> offset_from_json(std::string_view text) {
  json j = nats::detail::parse_json(text);
  if (j.is_discarded() || !j.is_object()) {
    return Error{Errc::invalid_argument, "an offset is a JSON object {kind, value?, time?}"};
  }
  auto kind = j.find("kind");
  if (kind == j.end() || !kind->is_string()) {
    return Error{Errc::invalid_argument, "an offset needs a kind"};
  }
  auto k = offset_kind_from_name(kind->get<std::string>());
  if (!k)
    return Error{Errc::invalid_argument, "unknown offset kind '" + kind->get<std::string>() + "'"};
  Offset o;
  o.kind = *k;
  if (auto v = j.find("value"); v != j.end() && !v->is_null()) {
    if (!v->is_number_unsigned()) {
      return Error{Errc::invalid_argument, "an offset's value is a whole number >= 0"};
    }
    o.value = v->get<std::uint64_t>();
  }
  if (auto t = j.find("time"); t != j.end() && !t->is_null()) {
    if (!t->is_string()) return Error{Errc::invalid_argument, "an offset's time is RFC 3339 text"};
    o.time = t->get<std::string>();
  }
  if (Error e = validate_offset(o)) return e;
  return o;
}

std::string offset_json(const Offset &offset) {
  json j = {{"kind", offset_kind_name(offset.kind)}};
  if (offset.value != 0) j["value"] = offset.value;
  if (!offset.time.empty()) j["time"] = offset.time;
  return j.dump();
}

std::string deliver_start_json(const DeliverStart &start) {
  json j = {{"deliver_policy", start.policy}};
  if (start.start_seq != 0) j["opt_start_seq"] = start.start_seq;
  if (!start.start_time.empty()) j["opt_start_time"] = start.start_time;
  return j.dump();
}

Result<DeliverStart> deliver_start_from_json(std::string_view text) {
  json j = nats::detail::parse_json(text);
  if (j.is_discarded() || !j.is_object() || !j.contains("deliver_policy") ||
      !j["deliver_policy"].is_string()) {
    return Error{Errc::js_bad_reply, "not a deliver start"};
  }
  DeliverStart s;
  s.policy = j["deliver_policy"].get<std::string>();
  if (auto v = j.find("opt_start_seq"); v != j.end() && v->is_number_unsigned()) {
    s.start_seq = v->get<std::uint64_t>();
  }
  if (auto t = j.find("opt_start_time"); t != j.end() && t->is_string()) {
    s.start_time = t->get<std::string>();
  }
  return s;
}

}  // namespace nats::js
