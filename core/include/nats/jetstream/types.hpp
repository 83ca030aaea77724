#pragma once
/// Typed JetStream configs and replies for C++ users: the JSON of the
/// `$JS.API.*` calls (nats-server 2.9.10) as structs. Field names are the
/// server's JSON names; durations are nanoseconds (as the server sends
/// them); timestamps stay RFC 3339 strings, exactly as sent.
///
/// Configs use std::optional for everything the user may leave unset:
/// to_json() writes only what is set, so a config built from defaults is a
/// minimal create request and the server picks its own defaults. Replies
/// parsed from the server set every field the server sent; parsing ignores
/// unknown fields, so newer servers still parse.
///
/// No JSON library in this header: core/src/jetstream/types_json.cpp is the
/// only place that sees one.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nats/error.hpp"

namespace nats::js {

/// Durations on the wire: Go's time.Duration, an integer of nanoseconds.
using Nanos = std::chrono::nanoseconds;

/// How a stream decides that a message may go ("retention").
enum class RetentionPolicy : std::uint8_t { limits, interest, workqueue };
/// Where a stream keeps its messages ("storage").
enum class StorageType : std::uint8_t { file, memory };
/// What a full stream drops ("discard"): the oldest messages or the new one.
enum class DiscardPolicy : std::uint8_t { old_, new_ };
/// How a consumer's messages are acknowledged ("ack_policy").
enum class AckPolicy : std::uint8_t { none, all, explicit_ };
/// Where a consumer starts ("deliver_policy").
enum class DeliverPolicy : std::uint8_t {
  all,
  last,
  new_,
  by_start_sequence,
  by_start_time,
  last_per_subject,
};
/// How fast a consumer replays ("replay_policy").
enum class ReplayPolicy : std::uint8_t { instant, original };

/// The server's name of an enum value ("limits", "explicit", "new").
std::string_view to_string(RetentionPolicy v);
std::string_view to_string(StorageType v);
std::string_view to_string(DiscardPolicy v);
std::string_view to_string(AckPolicy v);
std::string_view to_string(DeliverPolicy v);
std::string_view to_string(ReplayPolicy v);

/// The enum value of a server name; nullopt for an unknown name.
/// Defined for the six policy enums above: `enum_from_string<AckPolicy>("all")`.
template <typename E>
std::optional<E> enum_from_string(std::string_view s);

/// Which servers may hold a stream.
struct Placement {
  std::optional<std::string> cluster;
  std::vector<std::string> tags;  ///< omitted when empty
  bool operator==(const Placement &) const = default;
};

/// The API and delivery prefixes of a stream in another account or domain.
struct ExternalStream {
  std::string api;
  std::string deliver;
  bool operator==(const ExternalStream &) const = default;
};

/// A mirror's origin or one source of a stream.
struct StreamSource {
  std::string name;
  std::optional<std::uint64_t> opt_start_seq;
  std::optional<std::string> opt_start_time;  ///< RFC 3339
  std::optional<std::string> filter_subject;
  std::optional<ExternalStream> external;
  bool operator==(const StreamSource &) const = default;
};

/// Republishing of stored messages to another subject.
struct RePublish {
  std::optional<std::string> src;
  std::string dest;
  std::optional<bool> headers_only;
  bool operator==(const RePublish &) const = default;
};

/// A stream's configuration (nats-server 2.9.10 fields).
struct StreamConfig {
  std::string name;
  std::optional<std::string> description;
  std::vector<std::string> subjects;  ///< omitted when empty (the server then uses the name)
  std::optional<RetentionPolicy> retention;
  std::optional<std::int64_t> max_consumers;  ///< -1: unlimited
  std::optional<std::int64_t> max_msgs;
  std::optional<std::int64_t> max_bytes;
  std::optional<Nanos> max_age;  ///< 0: forever
  std::optional<std::int64_t> max_msgs_per_subject;
  std::optional<std::int32_t> max_msg_size;
  std::optional<DiscardPolicy> discard;
  std::optional<StorageType> storage;
  std::optional<int> num_replicas;
  std::optional<bool> no_ack;
  std::optional<Nanos> duplicate_window;
  std::optional<Placement> placement;
  std::optional<StreamSource> mirror;
  std::vector<StreamSource> sources;  ///< omitted when empty
  std::optional<RePublish> republish;
  std::optional<bool> allow_direct;
  std::optional<bool> mirror_direct;
  std::optional<bool> discard_new_per_subject;
  std::optional<bool> sealed;
  std::optional<bool> deny_delete;
  std::optional<bool> deny_purge;
  std::optional<bool> allow_rollup_hdrs;
  bool operator==(const StreamConfig &) const = default;
};

/// What a stream holds now.
struct StreamState {
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;
  std::uint64_t first_seq = 0;
  std::string first_ts;
  std::uint64_t last_seq = 0;
  std::string last_ts;
  std::uint64_t num_subjects = 0;
  std::map<std::string, std::uint64_t> subjects;  ///< only with a subjects filter
  std::uint64_t num_deleted = 0;
  std::vector<std::uint64_t> deleted;  ///< only with deleted details
  std::int64_t consumer_count = 0;
  bool operator==(const StreamState &) const = default;
};

/// One replica of a clustered stream or consumer.
struct PeerInfo {
  std::string name;
  bool current = false;
  bool offline = false;
  Nanos active{0};  ///< since the replica was last seen
  std::uint64_t lag = 0;
  bool operator==(const PeerInfo &) const = default;
};

/// Where a stream or consumer runs in a cluster.
struct ClusterInfo {
  std::string name;
  std::string leader;
  std::vector<PeerInfo> replicas;
  bool operator==(const ClusterInfo &) const = default;
};

/// How far a mirror or source is behind its origin.
struct StreamSourceInfo {
  std::string name;
  std::optional<ExternalStream> external;
  std::uint64_t lag = 0;
  Nanos active{0};  ///< since the last message from the origin; -1 when never
  bool operator==(const StreamSourceInfo &) const = default;
};

/// A stream: its configuration and state (stream create/update/info replies).
struct StreamInfo {
  StreamConfig config;
  std::string created;
  StreamState state;
  std::optional<ClusterInfo> cluster;
  std::optional<StreamSourceInfo> mirror;
  std::vector<StreamSourceInfo> sources;
  bool operator==(const StreamInfo &) const = default;
};

/// A consumer's configuration (nats-server 2.9.10 fields).
///
/// ack_policy is the one field always sent: the server's own default is
/// none, which 2.9 refuses for pull consumers, so it defaults to explicit
/// here as in nats.py and nats.js.
struct ConsumerConfig {
  std::optional<std::string> name;
  std::optional<std::string> durable_name;
  std::optional<std::string> description;
  std::optional<DeliverPolicy> deliver_policy;
  std::optional<std::uint64_t> opt_start_seq;
  std::optional<std::string> opt_start_time;  ///< RFC 3339
  AckPolicy ack_policy = AckPolicy::explicit_;
  std::optional<Nanos> ack_wait;
  std::optional<std::int64_t> max_deliver;
  std::vector<Nanos> backoff;  ///< omitted when empty
  std::optional<std::string> filter_subject;
  std::optional<ReplayPolicy> replay_policy;
  std::optional<std::uint64_t> rate_limit_bps;
  std::optional<std::string> sample_freq;
  std::optional<std::int64_t> max_waiting;
  std::optional<std::int64_t> max_ack_pending;
  std::optional<bool> flow_control;
  std::optional<Nanos> idle_heartbeat;
  std::optional<bool> headers_only;
  std::optional<std::int64_t> max_batch;
  std::optional<Nanos> max_expires;
  std::optional<std::int64_t> max_bytes;
  std::optional<std::string> deliver_subject;
  std::optional<std::string> deliver_group;
  std::optional<Nanos> inactive_threshold;
  std::optional<int> num_replicas;
  std::optional<bool> mem_storage;
  bool operator==(const ConsumerConfig &) const = default;
};

/// A consumer's position in its stream.
struct SequenceInfo {
  std::uint64_t consumer_seq = 0;
  std::uint64_t stream_seq = 0;
  std::optional<std::string> last_active;  ///< RFC 3339
  bool operator==(const SequenceInfo &) const = default;
};

/// A consumer: its configuration and progress (consumer create/info replies).
struct ConsumerInfo {
  std::string stream_name;
  std::string name;
  std::string created;
  ConsumerConfig config;
  SequenceInfo delivered;
  SequenceInfo ack_floor;
  std::int64_t num_ack_pending = 0;
  std::int64_t num_redelivered = 0;
  std::int64_t num_waiting = 0;
  std::uint64_t num_pending = 0;
  std::optional<ClusterInfo> cluster;
  bool push_bound = false;
  bool operator==(const ConsumerInfo &) const = default;
};

/// What the account may use (-1: unlimited).
struct AccountLimits {
  std::int64_t max_memory = 0;
  std::int64_t max_storage = 0;
  std::int64_t max_streams = 0;
  std::int64_t max_consumers = 0;
  std::int64_t max_ack_pending = 0;
  std::int64_t memory_max_stream_bytes = 0;
  std::int64_t storage_max_stream_bytes = 0;
  bool max_bytes_required = false;
  bool operator==(const AccountLimits &) const = default;
};

/// API calls the account made, and how many failed.
struct ApiStats {
  std::uint64_t total = 0;
  std::uint64_t errors = 0;
  bool operator==(const ApiStats &) const = default;
};

/// The account's JetStream usage and limits ($JS.API.INFO).
struct AccountInfo {
  std::uint64_t memory = 0;
  std::uint64_t storage = 0;
  std::int64_t streams = 0;
  std::int64_t consumers = 0;
  AccountLimits limits;
  std::string domain;
  ApiStats api;
  bool operator==(const AccountInfo &) const = default;
};

/// The reply to a purge.
struct PurgeResponse {
  bool success = false;
  std::uint64_t purged = 0;
  bool operator==(const PurgeResponse &) const = default;
};

/// A stream config as a JSON object, with only the fields that are set.
std::string to_json(const StreamConfig &config);
/// A consumer config as a JSON object, with only the fields that are set.
std::string to_json(const ConsumerConfig &config);

// Parsers: malformed JSON, a value of the wrong type or an unknown enum name
// is Errc::protocol_error; unknown fields are ignored. They read replies
// that have passed api_error_of() (API errors are not their business).

/// Parses a stream config.
Result<StreamConfig> stream_config_from_json(std::string_view json);
/// Parses a stream create/update/info reply.
Result<StreamInfo> stream_info_from_json(std::string_view json);
/// Parses a consumer config.
Result<ConsumerConfig> consumer_config_from_json(std::string_view json);
/// Parses a consumer create/info reply.
Result<ConsumerInfo> consumer_info_from_json(std::string_view json);
/// Parses an account info reply.
Result<AccountInfo> account_info_from_json(std::string_view json);
/// Parses a purge reply.
Result<PurgeResponse> purge_response_from_json(std::string_view json);
/// Reads `success` of a delete reply (false when absent).
Result<bool> success_from_json(std::string_view json);
/// Reads the string array under `key` ({"streams":[...]} of a names call).
Result<std::vector<std::string>> names_from_json(std::string_view json, std::string_view key);
/// Reads {"streams":[...]} of the stream_list call.
Result<std::vector<StreamInfo>> stream_infos_from_json(std::string_view json);
/// Reads {"consumers":[...]} of the consumer_list call.
Result<std::vector<ConsumerInfo>> consumer_infos_from_json(std::string_view json);

/// `s` as a JSON string literal (quoted and escaped; invalid UTF-8 replaced),
/// for hosts that build the JSON arguments of an API call without a JSON library.
std::string json_quote(std::string_view s);

}  // namespace nats::js
