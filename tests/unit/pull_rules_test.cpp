// Pull consumer rules without an engine: option defaults, request bodies,
// status classification, ack subjects and payloads, ordered consumer
// configs. The engine's pull sessions are pull_test.cpp's.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "nats/jetstream/consumer.hpp"

namespace {

using nats::Errc;
using nats::js::PullMode;
using nats::js::PullOptions;
using json = nlohmann::json;
using Ms = std::chrono::milliseconds;

TEST(PullRules, OptionsTakeNatsJsDefaults) {
  auto o = nats::js::normalize_pull_options({});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->max_messages, 100u);
  EXPECT_EQ(o->expires, Ms{30000});
  EXPECT_EQ(o->idle_heartbeat, Ms{15000});
  PullOptions c;
  c.mode = PullMode::consume;
  c.max_messages = 10;
  auto consume = nats::js::normalize_pull_options(c);
  EXPECT_EQ(consume->threshold_messages, 8u);  // round(0.75 * 10)
  PullOptions both;
  both.max_messages = 1;
  both.max_bytes = 1;
  EXPECT_EQ(nats::js::normalize_pull_options(both).error().code, Errc::invalid_argument);
  PullOptions bytes;
  bytes.max_bytes = 4096;
  EXPECT_EQ(nats::js::normalize_pull_options(bytes)->max_messages, 1000000u)
      << "with max_bytes alone the bytes bound the batch";
  PullOptions quick;
  quick.expires = Ms{200};
  EXPECT_EQ(nats::js::normalize_pull_options(quick)->idle_heartbeat, Ms{0})
      << "a short fetch has no heartbeat";
  quick.mode = PullMode::consume;
  EXPECT_EQ(nats::js::normalize_pull_options(quick).error().code, Errc::invalid_argument)
      << "a continuous pull needs requests of at least 1 s";
  PullOptions hb;
  hb.expires = Ms{1000};
  EXPECT_EQ(nats::js::normalize_pull_options(hb)->idle_heartbeat, Ms{500});
  hb.idle_heartbeat = Ms{900};
  EXPECT_EQ(nats::js::normalize_pull_options(hb).error().code, Errc::invalid_argument)
      << "the server refuses a heartbeat over half the expiry";
}

TEST(PullRules, RequestBody) {
  EXPECT_EQ(nats::js::pull_request_json(5, 0, Ms{2000}, Ms{1000}, false),
            R"({"batch":5,"expires":2000000000,"idle_heartbeat":1000000000})");
  EXPECT_EQ(nats::js::pull_request_json(3, 1024, Ms{0}, Ms{0}, true),
            R"({"batch":3,"max_bytes":1024,"no_wait":true})");
}

TEST(PullRules, EveryStatusIsClassified) {
  using K = nats::js::PullStatus::Kind;
  struct Case {
    const char *block;
    K kind;
  } cases[] = {
      {"NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 7\r\nNats-Last-Stream: 9\r\n\r\n",
       K::heartbeat},
      {"NATS/1.0 404 No Messages\r\n\r\n", K::no_messages},
      {"NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 6\r\nNats-Pending-Bytes: 0\r\n\r\n",
       K::request_timeout},
      {"NATS/1.0 408 Requests Pending\r\n\r\n", K::requests_pending},
      {"NATS/1.0 408 Interest Expired\r\n\r\n", K::interest_expired},
      {"NATS/1.0 409 Message Size Exceeds MaxBytes\r\n\r\n", K::max_bytes},
      {"NATS/1.0 409 Exceeded MaxWaiting\r\n\r\n", K::exceeded_limits},
      {"NATS/1.0 409 Exceeded MaxRequestBatch of 10\r\n\r\n", K::exceeded_limits},
      {"NATS/1.0 409 Exceeded MaxRequestExpires of 2s\r\n\r\n", K::exceeded_limits},
      {"NATS/1.0 409 Exceeded MaxRequestMaxBytes of 5\r\n\r\n", K::exceeded_limits},
      {"NATS/1.0 409 Consumer Deleted\r\n\r\n", K::consumer_deleted},
      {"NATS/1.0 409 Consumer is push based\r\n\r\n", K::push_based},
      {"NATS/1.0 409 Leadership Change\r\n\r\n", K::leadership_change},
      {"NATS/1.0 400 Bad Request - heartbeat value too large\r\n\r\n", K::bad_request},
      {"NATS/1.0 503\r\n\r\n", K::no_responders},
  };
  for (const auto &c : cases) {
    auto h = nats::Headers::parse(c.block);
    ASSERT_TRUE(h.ok()) << c.block;
    EXPECT_EQ(nats::js::classify_pull_status(*h).kind, c.kind) << c.block;
  }
  auto hb = nats::js::classify_pull_status(*nats::Headers::parse(cases[0].block));
  EXPECT_EQ(hb.last_consumer_seq, 7u);
  EXPECT_EQ(hb.last_stream_seq, 9u);
  auto t = nats::js::classify_pull_status(*nats::Headers::parse(cases[2].block));
  EXPECT_EQ(t.pending_messages, 6u);
}

TEST(PullRules, AckSubjectsInBothForms) {
  auto v1 = nats::js::parse_ack_reply("$JS.ACK.S.c.2.10.4.1795833604179540086.3");
  ASSERT_TRUE(v1.has_value());
  EXPECT_EQ(v1->stream, "S");
  EXPECT_EQ(v1->consumer, "c");
  EXPECT_EQ(v1->delivered, 2u);
  EXPECT_EQ(v1->stream_seq, 10u);
  EXPECT_EQ(v1->consumer_seq, 4u);
  EXPECT_EQ(v1->timestamp_ns, 1795833604179540086);
  EXPECT_EQ(v1->pending, 3u);
  EXPECT_EQ(v1->domain, "");
  auto v2 = nats::js::parse_ack_reply("$JS.ACK.hub.ACCHASH.S.c.1.5.5.1700000000000000000.0.xyz");
  ASSERT_TRUE(v2.has_value());
  EXPECT_EQ(v2->domain, "hub");
  EXPECT_EQ(v2->account_hash, "ACCHASH");
  EXPECT_EQ(v2->stream_seq, 5u);
  auto underscore = nats::js::parse_ack_reply("$JS.ACK._.H.S.c.1.5.5.1.0");
  EXPECT_EQ(underscore->domain, "");
  EXPECT_FALSE(nats::js::parse_ack_reply("_INBOX.abc.1").has_value());
  EXPECT_FALSE(nats::js::parse_ack_reply("$JS.ACK.S.c.x.1.1.1.1").has_value());
  EXPECT_FALSE(nats::js::parse_ack_reply("$JS.ACK.S.c.1.1.1.1.1.1").has_value()) << "10 tokens";
}

TEST(PullRules, AckPayloads) {
  using nats::js::AckKind;
  EXPECT_EQ(nats::js::ack_payload(AckKind::ack), "+ACK");
  EXPECT_EQ(nats::js::ack_payload(AckKind::nak), "-NAK");
  EXPECT_EQ(nats::js::ack_payload(AckKind::nak, Ms{1500}), R"(-NAK {"delay":1500000000})");
  EXPECT_EQ(nats::js::ack_payload(AckKind::working), "+WPI");
  EXPECT_EQ(nats::js::ack_payload(AckKind::term), "+TERM") << "2.9 ignores +TERM <reason>";
}

TEST(PullRules, OrderedConfigs) {
  nats::js::OrderedOptions o;
  auto first = json::parse(nats::js::ordered_consumer_config(o, "p_1", 0));
  EXPECT_EQ(first["ack_policy"], "none");
  EXPECT_EQ(first["max_deliver"], 1);
  EXPECT_EQ(first["mem_storage"], true);
  EXPECT_EQ(first["deliver_policy"], "by_start_sequence");
  EXPECT_EQ(first["opt_start_seq"], 1);
  o.deliver_policy = "last_per_subject";
  auto lps = json::parse(nats::js::ordered_consumer_config(o, "p_1", 0));
  EXPECT_EQ(lps["deliver_policy"], "last_per_subject");
  EXPECT_EQ(lps["filter_subject"], ">") << "2.9 needs a filter for last_per_subject";
  auto resumed = json::parse(nats::js::ordered_consumer_config(o, "p_2", 42));
  EXPECT_EQ(resumed["deliver_policy"], "by_start_sequence");
  EXPECT_EQ(resumed["opt_start_seq"], 42);
}

}  // namespace
