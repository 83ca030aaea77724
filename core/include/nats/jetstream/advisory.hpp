#pragma once
/// JetStream advisories: the events the server publishes about streams and
/// consumers (API audits, actions, leader elections, max deliveries, ...).

#include <array>
#include <string>
#include <string_view>

#include "nats/error.hpp"

namespace nats::js {

/// Every advisory is published under this subject (nats.js advisories()).
inline constexpr std::string_view kAdvisorySubject = "$JS.EVENT.ADVISORY.>";

/// A kind of advisory by nats.js's AdvisoryKind name.
struct AdvisoryKindName {
  std::string_view name;  ///< nats.js AdvisoryKind member
  std::string_view kind;  ///< the last token of the advisory's "type"
};

/// nats.js AdvisoryKind, every member. consumer_ack is a metric, published
/// under $JS.EVENT.METRIC, so advisories() never yields it (as in nats.js).
inline constexpr std::array<AdvisoryKindName, 14> kAdvisoryKinds{{
    {"API", "api_audit"},
    {"StreamAction", "stream_action"},
    {"ConsumerAction", "consumer_action"},
    {"SnapshotCreate", "snapshot_create"},
    {"SnapshotComplete", "snapshot_complete"},
    {"RestoreCreate", "restore_create"},
    {"RestoreComplete", "restore_complete"},
    {"MaxDeliver", "max_deliver"},
    {"Terminated", "terminated"},
    {"Ack", "consumer_ack"},
    {"StreamLeaderElected", "stream_leader_elected"},
    {"StreamQuorumLost", "stream_quorum_lost"},
    {"ConsumerLeaderElected", "consumer_leader_elected"},
    {"ConsumerQuorumLost", "consumer_quorum_lost"},
}};

/// The kind of an advisory (nats.js AdvisoryKind: "api_audit",
/// "stream_action", "consumer_action", "max_deliver", "terminated",
/// "stream_leader_elected", ...): the last token of its JSON "type".
/// protocol_error when the text is not an advisory.
Result<std::string> advisory_kind(std::string_view json);

}  // namespace nats::js
