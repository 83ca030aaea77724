// The typed JetStream structs: enum names, configs written with only what
// is set, replies of a real nats-server 2.9.10 read field by field, and
// malformed input refused as protocol errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "nats/jetstream/types.hpp"

namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;
using nats::Errc;
namespace js = nats::js;

// Replies captured from nats-server v2.9.10 (type fields kept, as sent).
constexpr std::string_view kStreamCreate =
    R"({"type":"io.nats.jetstream.api.v1.stream_create_response","config":{"name":"ORDERS","subjects":["orders.*"],"retention":"limits","max_consumers":-1,"max_msgs":-1,"max_bytes":-1,"max_age":0,"max_msgs_per_subject":-1,"max_msg_size":-1,"discard":"old","storage":"file","num_replicas":1,"duplicate_window":120000000000,"allow_direct":true,"mirror_direct":false,"sealed":false,"deny_delete":false,"deny_purge":false,"allow_rollup_hdrs":false},"created":"2026-11-28T03:15:42.908124592Z","state":{"messages":0,"bytes":0,"first_seq":0,"first_ts":"0001-01-01T00:00:00Z","last_seq":0,"last_ts":"0001-01-01T00:00:00Z","consumer_count":0},"did_create":true})";

constexpr std::string_view kStreamInfoSubjects =
    R"({"type":"io.nats.jetstream.api.v1.stream_info_response","total":2,"offset":0,"limit":100000,"config":{"name":"ORDERS","subjects":["orders.*"],"retention":"limits","max_consumers":-1,"max_msgs":-1,"max_bytes":-1,"max_age":0,"max_msgs_per_subject":-1,"max_msg_size":-1,"discard":"old","storage":"file","num_replicas":1,"duplicate_window":120000000000,"allow_direct":true,"mirror_direct":false,"sealed":false,"deny_delete":false,"deny_purge":false,"allow_rollup_hdrs":false},"created":"2026-11-28T03:15:42.908124592Z","state":{"messages":2,"bytes":86,"first_seq":1,"first_ts":"2026-11-28T03:15:42.909213736Z","last_seq":2,"last_ts":"2026-11-28T03:15:42.909314487Z","num_subjects":2,"subjects":{"orders.a":1,"orders.b":1},"consumer_count":0}})";

constexpr std::string_view kStreamInfoDeleted =
    R"({"type":"io.nats.jetstream.api.v1.stream_info_response","total":0,"offset":0,"limit":0,"config":{"name":"ORDERS","subjects":["orders.*"],"retention":"limits","max_consumers":-1,"max_msgs":-1,"max_bytes":-1,"max_age":0,"max_msgs_per_subject":-1,"max_msg_size":-1,"discard":"old","storage":"file","num_replicas":1,"duplicate_window":120000000000,"allow_direct":true,"mirror_direct":false,"sealed":false,"deny_delete":false,"deny_purge":false,"allow_rollup_hdrs":false},"created":"2026-11-28T03:15:42.908124592Z","state":{"messages":2,"bytes":82,"first_seq":2,"first_ts":"2026-11-28T03:15:42.909314487Z","last_seq":4,"last_ts":"2026-11-28T03:15:50.410363819Z","num_subjects":1,"num_deleted":1,"deleted":[3],"consumer_count":1}})";

constexpr std::string_view kMemoryStream =
    R"({"type":"io.nats.jetstream.api.v1.stream_create_response","config":{"name":"SRC","description":"d","subjects":["src.\u003e"],"retention":"limits","max_consumers":-1,"max_msgs":100,"max_bytes":-1,"max_age":3600000000000,"max_msgs_per_subject":10,"max_msg_size":1024,"discard":"new","storage":"memory","num_replicas":1,"duplicate_window":120000000000,"placement":{"tags":["x"]},"republish":{"src":"src.\u003e","dest":"rp.\u003e","headers_only":true},"allow_direct":false,"mirror_direct":false,"sealed":false,"deny_delete":false,"deny_purge":false,"allow_rollup_hdrs":true},"created":"2026-11-28T03:15:50.408563022Z","state":{"messages":0,"bytes":0,"first_seq":0,"first_ts":"0001-01-01T00:00:00Z","last_seq":0,"last_ts":"0001-01-01T00:00:00Z","consumer_count":0},"did_create":true})";

constexpr std::string_view kMirrorInfo =
    R"({"type":"io.nats.jetstream.api.v1.stream_info_response","total":0,"offset":0,"limit":0,"config":{"name":"MIR","retention":"limits","max_consumers":-1,"max_msgs":-1,"max_bytes":-1,"max_age":0,"max_msgs_per_subject":-1,"max_msg_size":-1,"discard":"old","storage":"file","num_replicas":1,"mirror":{"name":"ORDERS","opt_start_time":"2020-01-02T03:04:05Z"},"allow_direct":false,"mirror_direct":true,"sealed":false,"deny_delete":false,"deny_purge":false,"allow_rollup_hdrs":false},"created":"2026-11-28T03:15:50.409113473Z","state":{"messages":3,"bytes":121,"first_seq":2,"first_ts":"2026-11-28T03:15:42.909314487Z","last_seq":4,"last_ts":"2026-11-28T03:15:50.410363819Z","num_subjects":1,"consumer_count":0},"mirror":{"name":"ORDERS","lag":0,"active":1079710}})";

constexpr std::string_view kSourcesInfo =
    R"({"type":"io.nats.jetstream.api.v1.stream_info_response","total":0,"offset":0,"limit":0,"config":{"name":"AGG","retention":"limits","max_consumers":-1,"max_msgs":-1,"max_bytes":-1,"max_age":0,"max_msgs_per_subject":-1,"max_msg_size":-1,"discard":"old","storage":"file","num_replicas":1,"duplicate_window":120000000000,"sources":[{"name":"ORDERS","opt_start_seq":1,"filter_subject":"orders.b"},{"name":"SRC","external":{"api":"$JS.other.API","deliver":"dlv"}}],"allow_direct":false,"mirror_direct":false,"sealed":false,"deny_delete":false,"deny_purge":false,"allow_rollup_hdrs":false},"created":"2026-11-28T03:25:59.701082502Z","state":{"messages":0,"bytes":0,"first_seq":0,"first_ts":"0001-01-01T00:00:00Z","last_seq":0,"last_ts":"0001-01-01T00:00:00Z","consumer_count":0},"sources":[{"name":"SRC","external":{"api":"$JS.other.API","deliver":"dlv"},"lag":0,"active":-1},{"name":"ORDERS","lag":0,"active":-1}]})";

constexpr std::string_view kDurableConsumer =
    R"({"type":"io.nats.jetstream.api.v1.consumer_create_response","stream_name":"ORDERS","name":"dur","created":"2026-11-28T03:15:42.909877922Z","config":{"durable_name":"dur","name":"dur","deliver_policy":"all","ack_policy":"explicit","ack_wait":1000000000,"max_deliver":5,"backoff":[1000000000,2000000000],"filter_subject":"orders.a","replay_policy":"instant","max_waiting":512,"max_ack_pending":1000,"num_replicas":0},"delivered":{"consumer_seq":0,"stream_seq":0},"ack_floor":{"consumer_seq":0,"stream_seq":0},"num_ack_pending":0,"num_redelivered":0,"num_waiting":0,"num_pending":1})";

constexpr std::string_view kPushConsumer =
    R"({"type":"io.nats.jetstream.api.v1.consumer_create_response","stream_name":"ORDERS","name":"nXA5L8GB","created":"2026-11-28T03:15:50.411618821Z","config":{"deliver_policy":"by_start_time","opt_start_time":"2020-01-01T00:00:00Z","ack_policy":"none","max_deliver":-1,"replay_policy":"original","rate_limit_bps":1000000,"sample_freq":"50%","idle_heartbeat":5000000000,"flow_control":true,"headers_only":true,"deliver_subject":"push.x","inactive_threshold":30000000000,"num_replicas":0,"mem_storage":true},"delivered":{"consumer_seq":0,"stream_seq":1},"ack_floor":{"consumer_seq":0,"stream_seq":0},"num_ack_pending":0,"num_redelivered":0,"num_waiting":0,"num_pending":2})";

constexpr std::string_view kPullConsumer =
    R"({"type":"io.nats.jetstream.api.v1.consumer_create_response","stream_name":"ORDERS","name":"pull","created":"2026-11-28T03:15:50.411872225Z","config":{"name":"pull","description":"p","deliver_policy":"by_start_sequence","opt_start_seq":2,"ack_policy":"all","ack_wait":30000000000,"max_deliver":-1,"replay_policy":"instant","max_waiting":512,"max_ack_pending":1000,"max_batch":10,"max_expires":1000000000,"max_bytes":1000,"inactive_threshold":5000000000,"num_replicas":0},"delivered":{"consumer_seq":0,"stream_seq":1},"ack_floor":{"consumer_seq":0,"stream_seq":0},"num_ack_pending":0,"num_redelivered":0,"num_waiting":0,"num_pending":2})";

constexpr std::string_view kAccountInfo =
    R"({"type":"io.nats.jetstream.api.v1.account_info_response","memory":0,"storage":86,"streams":1,"consumers":1,"limits":{"max_memory":-1,"max_storage":-1,"max_streams":-1,"max_consumers":-1,"max_ack_pending":-1,"memory_max_stream_bytes":-1,"storage_max_stream_bytes":-1,"max_bytes_required":false},"api":{"total":9,"errors":2}})";

// A config object inside a captured reply.
json config_of(std::string_view reply) { return json::parse(reply)["config"]; }

TEST(JetStreamTypes, EnumNamesAreTheServers) {
  EXPECT_EQ(js::to_string(js::RetentionPolicy::workqueue), "workqueue");
  EXPECT_EQ(js::to_string(js::StorageType::memory), "memory");
  EXPECT_EQ(js::to_string(js::DiscardPolicy::old_), "old");
  EXPECT_EQ(js::to_string(js::DiscardPolicy::new_), "new");
  EXPECT_EQ(js::to_string(js::AckPolicy::explicit_), "explicit");
  EXPECT_EQ(js::to_string(js::DeliverPolicy::new_), "new");
  EXPECT_EQ(js::to_string(js::DeliverPolicy::by_start_sequence), "by_start_sequence");
  EXPECT_EQ(js::to_string(js::DeliverPolicy::last_per_subject), "last_per_subject");
  EXPECT_EQ(js::to_string(js::ReplayPolicy::original), "original");
  EXPECT_EQ(js::enum_from_string<js::AckPolicy>("all"), js::AckPolicy::all);
  EXPECT_EQ(js::enum_from_string<js::DeliverPolicy>("by_start_time"),
            js::DeliverPolicy::by_start_time);
  EXPECT_EQ(js::enum_from_string<js::RetentionPolicy>("interest"), js::RetentionPolicy::interest);
  EXPECT_FALSE(js::enum_from_string<js::StorageType>("disk"));
  EXPECT_FALSE(js::enum_from_string<js::AckPolicy>("Explicit")) << "names are case-sensitive";
}

template <typename E>
void expect_round_trip(std::initializer_list<E> all) {
  for (E e : all) EXPECT_EQ(js::enum_from_string<E>(js::to_string(e)), e) << js::to_string(e);
}

TEST(JetStreamTypes, EveryEnumValueRoundTrips) {
  using namespace nats::js;
  expect_round_trip(
      {RetentionPolicy::limits, RetentionPolicy::interest, RetentionPolicy::workqueue});
  expect_round_trip({StorageType::file, StorageType::memory});
  expect_round_trip({DiscardPolicy::old_, DiscardPolicy::new_});
  expect_round_trip({AckPolicy::none, AckPolicy::all, AckPolicy::explicit_});
  expect_round_trip({DeliverPolicy::all, DeliverPolicy::last, DeliverPolicy::new_,
                     DeliverPolicy::by_start_sequence, DeliverPolicy::by_start_time,
                     DeliverPolicy::last_per_subject});
  expect_round_trip({ReplayPolicy::instant, ReplayPolicy::original});
}

TEST(JetStreamTypes, DefaultConfigsAreMinimalCreateRequests) {
  js::StreamConfig s;
  s.name = "S";
  s.subjects = {"a.>"};
  EXPECT_EQ(js::to_json(s), R"({"name":"S","subjects":["a.>"]})");
  js::ConsumerConfig c;
  c.durable_name = "d";
  EXPECT_EQ(json::parse(js::to_json(c)), json({{"durable_name", "d"}, {"ack_policy", "explicit"}}));
  EXPECT_EQ(js::to_json(js::ConsumerConfig{}), R"({"ack_policy":"explicit"})");
}

TEST(JetStreamTypes, EveryStreamFieldRoundTripsUnderTheServersName) {
  js::StreamConfig s;
  s.name = "S";
  s.description = "all fields";
  s.subjects = {"a", "b.>"};
  s.retention = js::RetentionPolicy::workqueue;
  s.max_consumers = 3;
  s.max_msgs = -1;
  s.max_bytes = 1LL << 40;
  s.max_age = 24h;
  s.max_msgs_per_subject = 5;
  s.max_msg_size = 1024;
  s.discard = js::DiscardPolicy::new_;
  s.storage = js::StorageType::memory;
  s.num_replicas = 3;
  s.no_ack = true;
  s.duplicate_window = 2min;
  s.placement = js::Placement{"east", {"ssd", "fast"}};
  s.mirror = js::StreamSource{"O", 4, "2020-01-02T03:04:05Z", "o.>",
                              js::ExternalStream{"$JS.hub.API", "dlv"}};
  s.sources = {js::StreamSource{"A", std::nullopt, std::nullopt, std::nullopt, std::nullopt},
               js::StreamSource{"B", 2, std::nullopt, "b", std::nullopt}};
  s.republish = js::RePublish{"a", "r.a", true};
  s.allow_direct = true;
  s.mirror_direct = false;
  s.discard_new_per_subject = true;
  s.sealed = false;
  s.deny_delete = true;
  s.deny_purge = true;
  s.allow_rollup_hdrs = true;
  const std::string text = js::to_json(s);
  auto j = json::parse(text);
  EXPECT_EQ(j.size(), 26u);
  EXPECT_EQ(j["max_age"], 86400000000000LL) << "durations are nanoseconds";
  EXPECT_EQ(j["duplicate_window"], 120000000000LL);
  EXPECT_EQ(j["retention"], "workqueue");
  EXPECT_EQ(j["discard"], "new");
  EXPECT_EQ(j["storage"], "memory");
  EXPECT_EQ(j["placement"], json({{"cluster", "east"}, {"tags", {"ssd", "fast"}}}));
  EXPECT_EQ(j["mirror"]["external"], json({{"api", "$JS.hub.API"}, {"deliver", "dlv"}}));
  EXPECT_EQ(j["mirror"]["opt_start_time"], "2020-01-02T03:04:05Z");
  EXPECT_EQ(j["sources"][0], json({{"name", "A"}})) << "unset source fields are omitted";
  EXPECT_EQ(j["republish"], json({{"src", "a"}, {"dest", "r.a"}, {"headers_only", true}}));
  EXPECT_EQ(j["mirror_direct"], false) << "a false that was set is sent";
  auto back = js::stream_config_from_json(text);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, s);
}

TEST(JetStreamTypes, EveryConsumerFieldRoundTrips) {
  js::ConsumerConfig c;
  c.name = "n";
  c.durable_name = "n";
  c.description = "d";
  c.deliver_policy = js::DeliverPolicy::by_start_sequence;
  c.opt_start_seq = 10;
  c.opt_start_time = "2020-01-01T00:00:00Z";
  c.ack_policy = js::AckPolicy::all;
  c.ack_wait = 30s;
  c.max_deliver = 5;
  c.backoff = {1s, 2s, 1500ms};
  c.filter_subject = "a.>";
  c.replay_policy = js::ReplayPolicy::original;
  c.rate_limit_bps = 1'000'000;
  c.sample_freq = "50%";
  c.max_waiting = 512;
  c.max_ack_pending = 1000;
  c.flow_control = true;
  c.idle_heartbeat = 5s;
  c.headers_only = true;
  c.max_batch = 10;
  c.max_expires = 1s;
  c.max_bytes = 4096;
  c.deliver_subject = "push.x";
  c.deliver_group = "g";
  c.inactive_threshold = 30s;
  c.num_replicas = 1;
  c.mem_storage = true;
  const std::string text = js::to_json(c);
  auto j = json::parse(text);
  EXPECT_EQ(j.size(), 27u);
  EXPECT_EQ(j["backoff"], json({1000000000, 2000000000, 1500000000}));
  EXPECT_EQ(j["ack_wait"], 30000000000LL);
  EXPECT_EQ(j["ack_policy"], "all");
  EXPECT_EQ(j["deliver_policy"], "by_start_sequence");
  auto back = js::consumer_config_from_json(text);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, c);
}

TEST(JetStreamTypes, ServerConfigsSerialiseBackToWhatTheServerSent) {
  for (auto reply : {kStreamCreate, kMemoryStream, kMirrorInfo, kSourcesInfo}) {
    auto cfg = js::stream_config_from_json(config_of(reply).dump());
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    EXPECT_EQ(json::parse(js::to_json(*cfg)), config_of(reply));
  }
  for (auto reply : {kDurableConsumer, kPushConsumer, kPullConsumer}) {
    auto cfg = js::consumer_config_from_json(config_of(reply).dump());
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    EXPECT_EQ(json::parse(js::to_json(*cfg)), config_of(reply));
  }
}

TEST(JetStreamTypes, StreamCreateReplyOfARealServer) {
  auto info = js::stream_info_from_json(kStreamCreate);
  ASSERT_TRUE(info.ok()) << info.error().message;
  const auto &c = info->config;
  EXPECT_EQ(c.name, "ORDERS");
  EXPECT_EQ(c.subjects, std::vector<std::string>{"orders.*"});
  EXPECT_EQ(c.retention, js::RetentionPolicy::limits);
  EXPECT_EQ(c.max_consumers, -1);
  EXPECT_EQ(c.max_msg_size, -1);
  EXPECT_EQ(c.max_age, js::Nanos{0});
  EXPECT_EQ(c.duplicate_window, 2min);
  EXPECT_EQ(c.discard, js::DiscardPolicy::old_);
  EXPECT_EQ(c.storage, js::StorageType::file);
  EXPECT_EQ(c.num_replicas, 1);
  EXPECT_EQ(c.allow_direct, true);
  EXPECT_EQ(c.mirror_direct, false);
  EXPECT_FALSE(c.description) << "omitted by the server";
  EXPECT_FALSE(c.no_ack);
  EXPECT_FALSE(c.placement);
  EXPECT_FALSE(c.mirror);
  EXPECT_FALSE(c.republish);
  EXPECT_TRUE(c.sources.empty());
  EXPECT_EQ(info->created, "2026-11-28T03:15:42.908124592Z") << "timestamps as sent";
  EXPECT_EQ(info->state.first_ts, "0001-01-01T00:00:00Z");
  EXPECT_EQ(info->state.messages, 0u);
  EXPECT_FALSE(info->cluster);
  EXPECT_FALSE(info->mirror);
}

TEST(JetStreamTypes, StreamStateWithSubjectsAndDeletedDetails) {
  auto info = js::stream_info_from_json(kStreamInfoSubjects);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->state.messages, 2u);
  EXPECT_EQ(info->state.bytes, 86u);
  EXPECT_EQ(info->state.first_seq, 1u);
  EXPECT_EQ(info->state.last_seq, 2u);
  EXPECT_EQ(info->state.last_ts, "2026-11-28T03:15:42.909314487Z");
  EXPECT_EQ(info->state.num_subjects, 2u);
  EXPECT_EQ(info->state.subjects,
            (std::map<std::string, std::uint64_t>{{"orders.a", 1}, {"orders.b", 1}}));
  EXPECT_EQ(info->state.num_deleted, 0u);
  auto deleted = js::stream_info_from_json(kStreamInfoDeleted);
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_EQ(deleted->state.num_deleted, 1u);
  EXPECT_EQ(deleted->state.deleted, std::vector<std::uint64_t>{3});
  EXPECT_EQ(deleted->state.consumer_count, 1);
  EXPECT_TRUE(deleted->state.subjects.empty());
}

TEST(JetStreamTypes, MemoryStreamWithPlacementAndRepublish) {
  auto info = js::stream_info_from_json(kMemoryStream);
  ASSERT_TRUE(info.ok()) << info.error().message;
  const auto &c = info->config;
  EXPECT_EQ(c.subjects, std::vector<std::string>{"src.>"}) << "\\u003e decoded";
  EXPECT_EQ(c.description, "d");
  EXPECT_EQ(c.max_age, 1h);
  EXPECT_EQ(c.discard, js::DiscardPolicy::new_);
  EXPECT_EQ(c.storage, js::StorageType::memory);
  ASSERT_TRUE(c.placement);
  EXPECT_FALSE(c.placement->cluster);
  EXPECT_EQ(c.placement->tags, std::vector<std::string>{"x"});
  ASSERT_TRUE(c.republish);
  EXPECT_EQ(c.republish->src, "src.>");
  EXPECT_EQ(c.republish->dest, "rp.>");
  EXPECT_EQ(c.republish->headers_only, true);
  EXPECT_EQ(c.allow_rollup_hdrs, true);
}

TEST(JetStreamTypes, MirrorAndSourcesInfo) {
  auto mirror = js::stream_info_from_json(kMirrorInfo);
  ASSERT_TRUE(mirror.ok()) << mirror.error().message;
  ASSERT_TRUE(mirror->config.mirror);
  EXPECT_EQ(mirror->config.mirror->name, "ORDERS");
  EXPECT_EQ(mirror->config.mirror->opt_start_time, "2020-01-02T03:04:05Z");
  EXPECT_TRUE(mirror->config.subjects.empty());
  ASSERT_TRUE(mirror->mirror);
  EXPECT_EQ(mirror->mirror->lag, 0u);
  EXPECT_EQ(mirror->mirror->active, js::Nanos{1079710});
  auto agg = js::stream_info_from_json(kSourcesInfo);
  ASSERT_TRUE(agg.ok()) << agg.error().message;
  ASSERT_EQ(agg->config.sources.size(), 2u);
  EXPECT_EQ(agg->config.sources[0].opt_start_seq, 1u);
  EXPECT_EQ(agg->config.sources[0].filter_subject, "orders.b");
  EXPECT_FALSE(agg->config.sources[0].external);
  EXPECT_EQ(agg->config.sources[1].external, (js::ExternalStream{"$JS.other.API", "dlv"}));
  ASSERT_EQ(agg->sources.size(), 2u);
  EXPECT_EQ(agg->sources[0].name, "SRC");
  EXPECT_EQ(agg->sources[0].active, js::Nanos{-1}) << "never active";
  EXPECT_TRUE(agg->sources[0].external);
}

TEST(JetStreamTypes, ConsumerRepliesOfARealServer) {
  auto dur = js::consumer_info_from_json(kDurableConsumer);
  ASSERT_TRUE(dur.ok()) << dur.error().message;
  EXPECT_EQ(dur->stream_name, "ORDERS");
  EXPECT_EQ(dur->name, "dur");
  EXPECT_EQ(dur->created, "2026-11-28T03:15:42.909877922Z");
  EXPECT_EQ(dur->config.durable_name, "dur");
  EXPECT_EQ(dur->config.ack_policy, js::AckPolicy::explicit_);
  EXPECT_EQ(dur->config.ack_wait, 1s);
  EXPECT_EQ(dur->config.backoff, (std::vector<js::Nanos>{1s, 2s}));
  EXPECT_EQ(dur->config.max_deliver, 5);
  EXPECT_EQ(dur->config.num_replicas, 0);
  EXPECT_FALSE(dur->config.deliver_subject);
  EXPECT_EQ(dur->num_pending, 1u);
  EXPECT_FALSE(dur->delivered.last_active);
  EXPECT_FALSE(dur->push_bound);
  EXPECT_FALSE(dur->cluster);

  auto push = js::consumer_info_from_json(kPushConsumer);
  ASSERT_TRUE(push.ok()) << push.error().message;
  EXPECT_FALSE(push->config.durable_name) << "ephemeral";
  EXPECT_EQ(push->config.ack_policy, js::AckPolicy::none);
  EXPECT_EQ(push->config.deliver_policy, js::DeliverPolicy::by_start_time);
  EXPECT_EQ(push->config.replay_policy, js::ReplayPolicy::original);
  EXPECT_EQ(push->config.idle_heartbeat, 5s);
  EXPECT_EQ(push->config.inactive_threshold, 30s);
  EXPECT_EQ(push->config.rate_limit_bps, 1000000u);
  EXPECT_EQ(push->config.sample_freq, "50%");
  EXPECT_EQ(push->config.mem_storage, true);
  EXPECT_EQ(push->delivered.stream_seq, 1u);

  auto pull = js::consumer_info_from_json(kPullConsumer);
  ASSERT_TRUE(pull.ok()) << pull.error().message;
  EXPECT_EQ(pull->config.max_batch, 10);
  EXPECT_EQ(pull->config.max_expires, 1s);
  EXPECT_EQ(pull->config.max_bytes, 1000);
  EXPECT_EQ(pull->config.opt_start_seq, 2u);
}

TEST(JetStreamTypes, AccountInfoAndSmallReplies) {
  auto a = js::account_info_from_json(kAccountInfo);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->storage, 86u);
  EXPECT_EQ(a->streams, 1);
  EXPECT_EQ(a->consumers, 1);
  EXPECT_EQ(a->limits.max_memory, -1);
  EXPECT_EQ(a->limits.storage_max_stream_bytes, -1);
  EXPECT_FALSE(a->limits.max_bytes_required);
  EXPECT_EQ(a->api, (js::ApiStats{9, 2}));
  EXPECT_EQ(a->domain, "");

  auto p = js::purge_response_from_json(
      R"({"type":"io.nats.jetstream.api.v1.stream_purge_response","success":true,"purged":1})");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, (js::PurgeResponse{true, 1}));
  EXPECT_EQ(js::success_from_json(R"({"success":true})").value(), true);
  EXPECT_EQ(js::success_from_json("{}").value(), false);
}

TEST(JetStreamTypes, ListReplies) {
  auto names = js::names_from_json(R"({"streams":["A","B"],"total":2})", "streams");
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"A", "B"}));
  auto none = js::names_from_json(R"({"total":0,"streams":null})", "streams");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  const std::string list = R"({"streams":[)" + std::string(kStreamCreate) + "," +
                           std::string(kMirrorInfo) + R"(],"total":2})";
  auto infos = js::stream_infos_from_json(list);
  ASSERT_TRUE(infos.ok()) << infos.error().message;
  ASSERT_EQ(infos->size(), 2u);
  EXPECT_EQ((*infos)[1].config.name, "MIR");
  auto consumers =
      js::consumer_infos_from_json(R"({"consumers":[)" + std::string(kPullConsumer) + "]}");
  ASSERT_TRUE(consumers.ok()) << consumers.error().message;
  EXPECT_EQ(consumers->at(0).name, "pull");
}

TEST(JetStreamTypes, OmittedFieldsStayUnset) {
  auto c = js::stream_config_from_json(R"({"name":"S","extra":{"future":[1,2]},"max_msgs":null})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  js::StreamConfig want;
  want.name = "S";
  EXPECT_EQ(*c, want) << "unknown fields ignored, null is unset";
  auto cc = js::consumer_config_from_json("{}");
  ASSERT_TRUE(cc.ok());
  EXPECT_EQ(cc->ack_policy, js::AckPolicy::explicit_);
  EXPECT_FALSE(cc->ack_wait);
  EXPECT_TRUE(cc->backoff.empty());
}

TEST(JetStreamTypes, MalformedRepliesAreProtocolErrors) {
  struct Case {
    std::string_view json;
    std::string_view message;
  } cases[] = {
      {"not json", "stream info is not a JSON object"},
      {"[1,2]", "stream info is not a JSON object"},
      {R"({"config":{"max_msgs":"10"}})", "stream info: config.max_msgs: expected an integer"},
      {R"({"config":{"retention":"forever"}})",
       "stream info: config.retention: unknown value 'forever'"},
      {R"({"config":{"max_msg_size":3000000000}})",
       "stream info: config.max_msg_size: number out of range"},
      {R"({"state":{"messages":-1}})", "stream info: state.messages: expected a number >= 0"},
      {R"({"state":{"subjects":{"a":"x"}}})", "stream info: state.subjects: expected an integer"},
      {R"({"config":{"sources":[{"name":1}]}})",
       "stream info: config.sources.name: expected a string"},
      {R"({"config":{"max_age":1.5}})", "stream info: config.max_age: expected an integer"},
      {R"({"config":{"allow_direct":1}})", "stream info: config.allow_direct: expected a boolean"},
      {R"({"config":[]})", "stream info: config: expected an object"},
  };
  for (const auto &c : cases) {
    auto r = js::stream_info_from_json(c.json);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.error().code, Errc::protocol_error) << c.json;
    EXPECT_EQ(r.error().message, c.message) << c.json;
  }
  EXPECT_EQ(js::consumer_info_from_json(R"({"config":{"backoff":["1s"]}})").error().code,
            Errc::protocol_error);
  EXPECT_EQ(js::names_from_json(R"({"streams":"A"})", "streams").error().code,
            Errc::protocol_error);
  EXPECT_EQ(js::account_info_from_json("").error().code, Errc::protocol_error);
}

TEST(JetStreamTypes, JsonQuoteEscapes) {
  EXPECT_EQ(js::json_quote("plain"), "\"plain\"");
  EXPECT_EQ(js::json_quote("a\"b\\c\n\t"), R"("a\"b\\c\n\t")");
  EXPECT_EQ(js::json_quote(std::string("\x01", 1)), R"("\u0001")");
  EXPECT_EQ(json::parse(js::json_quote("\xff")).get<std::string>(), "\xEF\xBF\xBD")
      << "invalid UTF-8 replaced, never a broken document";
}

}  // namespace
