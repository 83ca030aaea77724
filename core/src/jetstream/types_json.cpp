// The typed JetStream structs <-> JSON: enum names, and one reader and one
// writer driven by the field lists of types_fields.hpp. One of the few
// translation units that see nlohmann/json.
#include <nlohmann/json.hpp>

#include <array>
#include <limits>
#include <type_traits>
#include <utility>

#include "../json_parse.hpp"
#include "nats/jetstream/types.hpp"
#include "types_fields.hpp"

namespace nats::js {
namespace {

using json = nlohmann::json;

// --- enum names ------------------------------------------------------------------

template <typename E, std::size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<RetentionPolicy, 3> kRetention{{{RetentionPolicy::limits, "limits"},
                                                {RetentionPolicy::interest, "interest"},
                                                {RetentionPolicy::workqueue, "workqueue"}}};
constexpr Names<StorageType, 2> kStorage{
    {{StorageType::file, "file"}, {StorageType::memory, "memory"}}};
constexpr Names<DiscardPolicy, 2> kDiscard{
    {{DiscardPolicy::old_, "old"}, {DiscardPolicy::new_, "new"}}};
constexpr Names<AckPolicy, 3> kAck{
    {{AckPolicy::none, "none"}, {AckPolicy::all, "all"}, {AckPolicy::explicit_, "explicit"}}};
constexpr Names<DeliverPolicy, 6> kDeliver{{{DeliverPolicy::all, "all"},
                                            {DeliverPolicy::last, "last"},
                                            {DeliverPolicy::new_, "new"},
                                            {DeliverPolicy::by_start_sequence, "by_start_sequence"},
                                            {DeliverPolicy::by_start_time, "by_start_time"},
                                            {DeliverPolicy::last_per_subject, "last_per_subject"}}};
constexpr Names<ReplayPolicy, 2> kReplay{
    {{ReplayPolicy::instant, "instant"}, {ReplayPolicy::original, "original"}}};

template <typename E, std::size_t N>
std::string_view name_of(const Names<E, N> &names, E v) {
  for (const auto &[e, s] : names) {
    if (e == v) return s;
  }
  return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> value_of(const Names<E, N> &names, std::string_view s) {
  for (const auto &[e, n] : names) {
    if (n == s) return e;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(RetentionPolicy v) { return name_of(kRetention, v); }
std::string_view to_string(StorageType v) { return name_of(kStorage, v); }
std::string_view to_string(DiscardPolicy v) { return name_of(kDiscard, v); }
std::string_view to_string(AckPolicy v) { return name_of(kAck, v); }
std::string_view to_string(DeliverPolicy v) { return name_of(kDeliver, v); }
std::string_view to_string(ReplayPolicy v) { return name_of(kReplay, v); }

template <>
std::optional<RetentionPolicy> enum_from_string(std::string_view s) {
  return value_of(kRetention, s);
}
template <>
std::optional<StorageType> enum_from_string(std::string_view s) {
  return value_of(kStorage, s);
}
template <>
std::optional<DiscardPolicy> enum_from_string(std::string_view s) {
  return value_of(kDiscard, s);
}
template <>
std::optional<AckPolicy> enum_from_string(std::string_view s) {
  return value_of(kAck, s);
}
template <>
std::optional<DeliverPolicy> enum_from_string(std::string_view s) {
  return value_of(kDeliver, s);
}
template <>
std::optional<ReplayPolicy> enum_from_string(std::string_view s) {
  return value_of(kReplay, s);
}

namespace {

using detail::fields;

template <typename T>
concept HasFields = requires(T &t) {
  fields(t, [](const char *, auto &) {});
};

template <typename T>
concept Enum = std::is_enum_v<T>;

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

// --- reading -------------------------------------------------------------------------

// A value of the wrong type anywhere in a reply unwinds to the one catch in
// parse(), collecting the path on the way ("config.max_msgs").
struct BadField {
  std::string path;
  std::string why;
};

[[noreturn]] void bad(std::string why) { throw BadField{{}, std::move(why)}; }

template <typename T>
void decode(const json &j, T &out);

template <typename T>
void read_field(const json &obj, const char *key, T &out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return;  // omitted: keep the default
  try {
    if constexpr (IsOptional<T>::value) {
      decode(*it, out.emplace());
    } else {
      decode(*it, out);
    }
  } catch (BadField &e) {
    e.path = e.path.empty() ? std::string(key) : std::string(key) + "." + e.path;
    throw;
  }
}

template <typename T>
void decode(const json &j, T &out) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!j.is_boolean()) bad("expected a boolean");
    out = j.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    if (j.is_number_unsigned()) {
      auto v = j.get<std::uint64_t>();
      if (v > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) bad("number out of range");
      out = static_cast<T>(v);
    } else if (j.is_number_integer()) {
      auto v = j.get<std::int64_t>();
      if (v < 0 && std::is_unsigned_v<T>) bad("expected a number >= 0");
      if constexpr (std::is_signed_v<T>) {
        if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) {
          bad("number out of range");
        }
      }
      out = static_cast<T>(v);
    } else {
      bad("expected an integer");
    }
  } else if constexpr (std::is_same_v<T, Nanos>) {
    std::int64_t ns = 0;
    decode(j, ns);
    out = Nanos{ns};
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!j.is_string()) bad("expected a string");
    out = j.get<std::string>();
  } else if constexpr (Enum<T>) {
    if (!j.is_string()) bad("expected a string");
    auto v = enum_from_string<T>(j.get<std::string>());
    if (!v) bad("unknown value '" + j.get<std::string>() + "'");
    out = *v;
  } else if constexpr (HasFields<T>) {
    if (!j.is_object()) bad("expected an object");
    fields(out, [&](const char *key, auto &field) { read_field(j, key, field); });
  } else if constexpr (std::is_same_v<T, std::map<std::string, std::uint64_t>>) {
    if (!j.is_object()) bad("expected an object");
    out.clear();
    for (const auto &[k, v] : j.items()) decode(v, out[k]);
  } else {  // std::vector<...>
    if (!j.is_array()) bad("expected an array");
    out.clear();
    out.reserve(j.size());
    for (const auto &v : j) decode(v, out.emplace_back());
  }
}

// Parses `text` as a JSON object and reads it into a T.
template <typename T, typename Read>
Result<T> parse(std::string_view text, std::string_view what, Read read) {
  json j = nats::detail::parse_json(text);
  if (j.is_discarded() || !j.is_object()) {
    return Error{Errc::protocol_error, std::string(what) + " is not a JSON object"};
  }
  try {
    T out{};
    read(j, out);
    return out;
  } catch (const BadField &e) {
    return Error{Errc::protocol_error, std::string(what) + ": " + e.path + ": " + e.why};
  } catch (const json::exception &e) {
    return Error{Errc::protocol_error, std::string(what) + ": " + e.what()};
  }
}

template <typename T>
Result<T> parse_object(std::string_view text, std::string_view what) {
  return parse<T>(text, what, [](const json &j, T &out) { decode(j, out); });
}

// A list reply ({"streams":[...]}): null or missing is an empty list.
template <typename T>
Result<std::vector<T>> parse_list(std::string_view text, std::string_view key) {
  return parse<std::vector<T>>(text, key, [&](const json &j, std::vector<T> &out) {
    read_field(j, std::string(key).c_str(), out);
  });
}

// --- writing -------------------------------------------------------------------------

template <typename T>
json encode(const T &v) {
  if constexpr (std::is_same_v<T, Nanos>) {
    return static_cast<std::int64_t>(v.count());
  } else if constexpr (Enum<T>) {
    return std::string(to_string(v));
  } else if constexpr (HasFields<T>) {
    json obj = json::object();
    fields(v, [&](const char *key, const auto &field) {
      using F = std::remove_cvref_t<decltype(field)>;
      if constexpr (IsOptional<F>::value) {
        if (field) obj[key] = encode(*field);
      } else if constexpr (requires { field.empty(); } && !std::is_same_v<F, std::string>) {
        if (!field.empty()) obj[key] = encode(field);  // lists: omitted when empty
      } else {
        obj[key] = encode(field);
      }
    });
    return obj;
  } else if constexpr (requires { v.begin(); } && !std::is_same_v<T, std::string> &&
                       !std::is_same_v<T, std::map<std::string, std::uint64_t>>) {
    json arr = json::array();
    for (const auto &item : v) arr.push_back(encode(item));
    return arr;
  } else {
    return v;
  }
}

std::string dump(const json &j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::string to_json(const StreamConfig &config) { return dump(encode(config)); }
std::string to_json(const ConsumerConfig &config) { return dump(encode(config)); }

Result<StreamConfig> stream_config_from_json(std::string_view json) {
  return parse_object<StreamConfig>(json, "stream config");
}
Result<StreamInfo> stream_info_from_json(std::string_view json) {
  return parse_object<StreamInfo>(json, "stream info");
}
Result<ConsumerConfig> consumer_config_from_json(std::string_view json) {
  return parse_object<ConsumerConfig>(json, "consumer config");
}
Result<ConsumerInfo> consumer_info_from_json(std::string_view json) {
  return parse_object<ConsumerInfo>(json, "consumer info");
}
Result<AccountInfo> account_info_from_json(std::string_view json) {
  return parse_object<AccountInfo>(json, "account info");
}
Result<PurgeResponse> purge_response_from_json(std::string_view json) {
  return parse_object<PurgeResponse>(json, "purge response");
}

Result<bool> success_from_json(std::string_view json) {
  return parse<bool>(json, "reply",
                     [](const nlohmann::json &j, bool &out) { read_field(j, "success", out); });
}

Result<std::vector<std::string>> names_from_json(std::string_view json, std::string_view key) {
  return parse_list<std::string>(json, key);
}
Result<std::vector<StreamInfo>> stream_infos_from_json(std::string_view json) {
  return parse_list<StreamInfo>(json, "streams");
}
Result<std::vector<ConsumerInfo>> consumer_infos_from_json(std::string_view json) {
  return parse_list<ConsumerInfo>(json, "consumers");
}

std::string json_quote(std::string_view s) { return dump(nlohmann::json(std::string(s))); }

}  // namespace nats::js
