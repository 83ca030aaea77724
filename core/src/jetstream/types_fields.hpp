#pragma once
// The JSON field list of every typed JetStream struct (internal to
// types_json.cpp): one list per struct serves reading and writing, so a
// field cannot be written under one name and read under another. No JSON
// library here; the visitor decides what a field becomes.

#include <type_traits>

#include "nats/jetstream/types.hpp"

namespace nats::js::detail {

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

}  // namespace nats::js::detail
