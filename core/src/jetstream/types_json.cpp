// The typed JetStream structs <-> JSON. One list of fields per struct
// (fields()) serves both directions, so a field cannot be written under one
// name and read under another. One of the few translation units that see
// nlohmann/json.
#include <nlohmann/json.hpp>

#include <array>
#include <limits>
#include <type_traits>
#include <utility>

#include "nats/jetstream/types.hpp"

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

// --- the field lists ---------------------------------------------------------------

// C is T or const T: the same list reads into a struct and writes from one.
template <typename C, typename T>
concept Is = std::is_same_v<std::remove_const_t<C>, T>;

template <typename C, typename F>
  requires Is<C, Placement>
void fields(C &c, F &&f) {
  f("cluster", c.cluster);
  f("tags", c.tags);
}

template <typename C, typename F>
  requires Is<C, ExternalStream>
void fields(C &c, F &&f) {
  f("api", c.api);
  f("deliver", c.deliver);
}

template <typename C, typename F>
  requires Is<C, StreamSource>
void fields(C &c, F &&f) {
  f("name", c.name);
  f("opt_start_seq", c.opt_start_seq);
  f("opt_start_time", c.opt_start_time);
  f("filter_subject", c.filter_subject);
  f("external", c.external);
}

template <typename C, typename F>
  requires Is<C, RePublish>
void fields(C &c, F &&f) {
  f("src", c.src);
  f("dest", c.dest);
  f("headers_only", c.headers_only);
}

template <typename C, typename F>
  requires Is<C, StreamConfig>
void fields(C &c, F &&f) {
  f("name", c.name);
  f("description", c.description);
  f("subjects", c.subjects);
  f("retention", c.retention);
  f("max_consumers", c.max_consumers);
  f("max_msgs", c.max_msgs);
  f("max_bytes", c.max_bytes);
  f("max_age", c.max_age);
  f("max_msgs_per_subject", c.max_msgs_per_subject);
  f("max_msg_size", c.max_msg_size);
  f("discard", c.discard);
  f("storage", c.storage);
  f("num_replicas", c.num_replicas);
  f("no_ack", c.no_ack);
  f("duplicate_window", c.duplicate_window);
  f("placement", c.placement);
  f("mirror", c.mirror);
  f("sources", c.sources);
  f("republish", c.republish);
  f("allow_direct", c.allow_direct);
  f("mirror_direct", c.mirror_direct);
  f("discard_new_per_subject", c.discard_new_per_subject);
  f("sealed", c.sealed);
  f("deny_delete", c.deny_delete);
  f("deny_purge", c.deny_purge);
  f("allow_rollup_hdrs", c.allow_rollup_hdrs);
}

template <typename C, typename F>
  requires Is<C, StreamState>
void fields(C &c, F &&f) {
  f("messages", c.messages);
  f("bytes", c.bytes);
  f("first_seq", c.first_seq);
  f("first_ts", c.first_ts);
  f("last_seq", c.last_seq);
  f("last_ts", c.last_ts);
  f("num_subjects", c.num_subjects);
  f("subjects", c.subjects);
  f("num_deleted", c.num_deleted);
  f("deleted", c.deleted);
  f("consumer_count", c.consumer_count);
}

template <typename C, typename F>
  requires Is<C, PeerInfo>
void fields(C &c, F &&f) {
  f("name", c.name);
  f("current", c.current);
  f("offline", c.offline);
  f("active", c.active);
  f("lag", c.lag);
}

template <typename C, typename F>
  requires Is<C, ClusterInfo>
void fields(C &c, F &&f) {
  f("name", c.name);
  f("leader", c.leader);
  f("replicas", c.replicas);
}

template <typename C, typename F>
  requires Is<C, StreamSourceInfo>
void fields(C &c, F &&f) {
  f("name", c.name);
  f("external", c.external);
  f("lag", c.lag);
  f("active", c.active);
}

template <typename C, typename F>
  requires Is<C, StreamInfo>
void fields(C &c, F &&f) {
  f("config", c.config);
  f("created", c.created);
  f("state", c.state);
  f("cluster", c.cluster);
  f("mirror", c.mirror);
  f("sources", c.sources);
}

template <typename C, typename F>
  requires Is<C, ConsumerConfig>
void fields(C &c, F &&f) {
  f("name", c.name);
  f("durable_name", c.durable_name);
  f("description", c.description);
  f("deliver_policy", c.deliver_policy);
  f("opt_start_seq", c.opt_start_seq);
  f("opt_start_time", c.opt_start_time);
  f("ack_policy", c.ack_policy);
  f("ack_wait", c.ack_wait);
  f("max_deliver", c.max_deliver);
  f("backoff", c.backoff);
  f("filter_subject", c.filter_subject);
  f("replay_policy", c.replay_policy);
  f("rate_limit_bps", c.rate_limit_bps);
  f("sample_freq", c.sample_freq);
  f("max_waiting", c.max_waiting);
  f("max_ack_pending", c.max_ack_pending);
  f("flow_control", c.flow_control);
  f("idle_heartbeat", c.idle_heartbeat);
  f("headers_only", c.headers_only);
  f("max_batch", c.max_batch);
  f("max_expires", c.max_expires);
  f("max_bytes", c.max_bytes);
  f("deliver_subject", c.deliver_subject);
  f("deliver_group", c.deliver_group);
  f("inactive_threshold", c.inactive_threshold);
  f("num_replicas", c.num_replicas);
  f("mem_storage", c.mem_storage);
}

template <typename C, typename F>
  requires Is<C, SequenceInfo>
void fields(C &c, F &&f) {
  f("consumer_seq", c.consumer_seq);
  f("stream_seq", c.stream_seq);
  f("last_active", c.last_active);
}

template <typename C, typename F>
  requires Is<C, ConsumerInfo>
void fields(C &c, F &&f) {
  f("stream_name", c.stream_name);
  f("name", c.name);
  f("created", c.created);
  f("config", c.config);
  f("delivered", c.delivered);
  f("ack_floor", c.ack_floor);
  f("num_ack_pending", c.num_ack_pending);
  f("num_redelivered", c.num_redelivered);
  f("num_waiting", c.num_waiting);
  f("num_pending", c.num_pending);
  f("cluster", c.cluster);
  f("push_bound", c.push_bound);
}

template <typename C, typename F>
  requires Is<C, AccountLimits>
void fields(C &c, F &&f) {
  f("max_memory", c.max_memory);
  f("max_storage", c.max_storage);
  f("max_streams", c.max_streams);
  f("max_consumers", c.max_consumers);
  f("max_ack_pending", c.max_ack_pending);
  f("memory_max_stream_bytes", c.memory_max_stream_bytes);
  f("storage_max_stream_bytes", c.storage_max_stream_bytes);
  f("max_bytes_required", c.max_bytes_required);
}

template <typename C, typename F>
  requires Is<C, ApiStats>
void fields(C &c, F &&f) {
  f("total", c.total);
  f("errors", c.errors);
}

template <typename C, typename F>
  requires Is<C, AccountInfo>
void fields(C &c, F &&f) {
  f("memory", c.memory);
  f("storage", c.storage);
  f("streams", c.streams);
  f("consumers", c.consumers);
  f("limits", c.limits);
  f("domain", c.domain);
  f("api", c.api);
}

template <typename C, typename F>
  requires Is<C, PurgeResponse>
void fields(C &c, F &&f) {
  f("success", c.success);
  f("purged", c.purged);
}

template <typename T>
concept HasFields = requires(T &t) { fields(t, [](const char *, auto &) {}); };

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
  json j = json::parse(text, nullptr, false);
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
