// Push consumers in the engine with a scripted server: which consumers can
// be pushed, the deliver-subject subscription, flow control held until the
// host consumed what came before, stalled heartbeats, statuses, stopping.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nats/engine.hpp"
#include "nats/jetstream/push.hpp"
#include "scripted_peer.hpp"

namespace {

using nats::Errc;
using nats::Event;
using nats::EventType;
using nats::Time;
using nats::js::PushOptions;
using Ms = std::chrono::milliseconds;

nats::js::ConsumerInfo push_info(std::string deliver, std::string group = "") {
  nats::js::ConsumerInfo info;
  info.stream_name = "S";
  info.name = "c";
  info.config.deliver_subject = std::move(deliver);
  if (!group.empty()) info.config.deliver_group = std::move(group);
  info.config.idle_heartbeat = std::chrono::seconds(5);
  return info;
}

// --- rules ----------------------------------------------------------------------

TEST(PushRules, OnlyPushConsumersNotBoundElsewhere) {
  auto pull = push_info("");
  pull.config.deliver_subject.reset();
  EXPECT_EQ(nats::js::push_options_of(pull, false).error().code, Errc::illegal_state);
  auto ok = nats::js::push_options_of(push_info("d.1"), true);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->deliver_subject, "d.1");
  EXPECT_EQ(ok->deliver_group, "");
  EXPECT_EQ(ok->idle_heartbeat, Ms{5000});
  EXPECT_TRUE(ok->abort_on_missing_resource);
  auto bound = push_info("d.1");
  bound.push_bound = true;
  EXPECT_EQ(nats::js::push_options_of(bound, false).error().code, Errc::illegal_state)
      << "another subscriber has it";
  auto shared = push_info("d.1", "workers");
  shared.push_bound = true;
  EXPECT_EQ(nats::js::push_options_of(shared, false)->deliver_group, "workers")
      << "a deliver group is shared by design";
}

TEST(PushRules, ANamedQueueMustBeTheDeliverGroup) {
  EXPECT_TRUE(nats::js::push_options_of(push_info("d.1"), false, "").ok());
  EXPECT_EQ(nats::js::push_options_of(push_info("d.1"), false, "q").error().code,
            Errc::illegal_state)
      << "a queue for a consumer without a deliver group";
  EXPECT_EQ(nats::js::push_options_of(push_info("d.1", "g"), false, "").error().code,
            Errc::illegal_state)
      << "no queue for a consumer with a deliver group";
  EXPECT_EQ(nats::js::push_options_of(push_info("d.1", "g"), false, "h").error().code,
            Errc::illegal_state);
  EXPECT_TRUE(nats::js::push_options_of(push_info("d.1", "g"), false, "g").ok());
}

TEST(PushRules, HandGivenOptionsAreChecked) {
  PushOptions o;
  EXPECT_EQ(nats::js::validate_push_options(o).code, Errc::invalid_argument);
  o.deliver_subject = "d.*";
  EXPECT_EQ(nats::js::validate_push_options(o).code, Errc::invalid_subject);
  o.deliver_subject = "d.1";
  o.deliver_group = "a b";
  EXPECT_EQ(nats::js::validate_push_options(o).code, Errc::invalid_queue);
  o.deliver_group = "g";
  EXPECT_FALSE(nats::js::validate_push_options(o));
}

TEST(PushRules, AckNextPayloads) {
  EXPECT_EQ(nats::js::ack_next_payload(0, Ms{0}, false), R"(+NXT {"batch":1})");
  EXPECT_EQ(nats::js::ack_next_payload(5, Ms{2000}, true),
            R"(+NXT {"batch":5,"expires":2000000000,"no_wait":true})");
}

TEST(PushRules, FlowControlAndStalledHeartbeatsAreClassified) {
  using K = nats::js::PullStatus::Kind;
  auto fc = nats::js::classify_pull_status(
      *nats::Headers::parse("NATS/1.0 100 FlowControl Request\r\n\r\n"));
  EXPECT_EQ(fc.kind, K::flow_control);
  auto hb = nats::js::classify_pull_status(*nats::Headers::parse(
      "NATS/1.0 100 Idle Heartbeat\r\nNats-Consumer-Stalled: $JS.FC.S.c.7\r\n\r\n"));
  EXPECT_EQ(hb.kind, K::heartbeat);
  EXPECT_EQ(hb.stalled, "$JS.FC.S.c.7");
}

// --- the engine --------------------------------------------------------------------

class PushTest : public ::testing::Test {
protected:
  void SetUp() override {
    peer_.handshake();
    ctx_ = *engine().js_context({});
    peer_.written();
  }
  nats::Engine &engine() { return peer_.engine(); }

  std::uint64_t start(PushOptions o) {
    auto r = engine().push_start(ctx_, "S", "c", o, peer_.now);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    auto ops = peer_.written();
    EXPECT_EQ(ops.size(), 1u) << "a SUB and nothing else: nothing is pulled";
    if (!ops.empty()) sid_ = std::stoull(ops[0].substr(ops[0].rfind(' ') + 1));
    sub_line_ = ops.empty() ? "" : ops[0];
    return r.ok() ? *r : 0;
  }
  std::string data(std::uint64_t sseq, std::uint64_t dseq, std::string_view payload = "x") {
    const std::string reply = "$JS.ACK.S.c.1." + std::to_string(sseq) + "." + std::to_string(dseq) +
                              ".1700000000000000000.0";
    return nats_test::msg("S.a", sid_, payload, reply);
  }
  std::string status(std::string_view block, std::string_view reply = "") {
    return nats_test::hmsg("d.1", sid_, block, "", reply);
  }
  std::vector<std::string> types(const std::vector<Event> &evs) {
    std::vector<std::string> out;
    for (const auto &e : evs) {
      std::string s(nats::event_name(e.type));
      if (e.type == EventType::pull_status) s += ":" + e.text;
      if (e.error) s += "!" + std::string(nats::errc_name(e.error.code));
      out.push_back(s);
    }
    return out;
  }
  PushOptions options(std::string group = "") {
    PushOptions o;
    o.deliver_subject = "d.1";
    o.deliver_group = std::move(group);
    return o;
  }

  nats_test::ScriptedPeer peer_;
  std::uint64_t ctx_ = 0;
  std::uint64_t sid_ = 0;
  std::string sub_line_;
};

TEST_F(PushTest, SubscribesToTheDeliverSubjectInItsGroupAndDeliversMessages) {
  auto id = start(options("workers"));
  EXPECT_EQ(sub_line_, "SUB d.1 workers " + std::to_string(sid_));
  auto evs = peer_.feed(data(10, 1, "a") + data(11, 2, "b"));
  EXPECT_EQ(types(evs), (std::vector<std::string>{"js_msg", "js_msg"}));
  EXPECT_EQ(evs[0].id, id);
  EXPECT_EQ(evs[0].num, 10u);
  EXPECT_EQ(evs[1].num2, 2u);
  EXPECT_EQ(evs[1].msg.payload, "b");
  EXPECT_TRUE(peer_.written().empty()) << "no pull requests, no acks of our own";
  EXPECT_EQ(engine().pull_sessions(), 1u) << "a push session never ends by itself";
}

TEST_F(PushTest, FlowControlIsAnsweredOnlyOnceWhatCameBeforeIsConsumed) {
  auto id = start(options());
  peer_.feed(data(1, 1) + data(2, 2) +
             status("NATS/1.0 100 FlowControl Request\r\n\r\n", "$JS.FC.S.c.1"));
  EXPECT_TRUE(peer_.written().empty()) << "two messages still with the host";
  EXPECT_FALSE(engine().pull_consumed(id, 1, 40));
  EXPECT_TRUE(peer_.written().empty());
  EXPECT_FALSE(engine().pull_consumed(id, 1, 40));
  auto pubs = nats_test::published(peer_.written());
  ASSERT_EQ(pubs.size(), 1u);
  EXPECT_EQ(pubs[0].subject, "$JS.FC.S.c.1");
  EXPECT_EQ(pubs[0].body, "");
  EXPECT_EQ(types(peer_.events()), (std::vector<std::string>{"pull_status:flow_control"}));
  // Nothing outstanding: the next one is answered at once.
  peer_.feed(status("NATS/1.0 100 FlowControl Request\r\n\r\n", "$JS.FC.S.c.2"));
  pubs = nats_test::published(peer_.written());
  ASSERT_EQ(pubs.size(), 1u);
  EXPECT_EQ(pubs[0].subject, "$JS.FC.S.c.2");
}

TEST_F(PushTest, WhatTheHostCannotHoldIsDroppedAndToldOncePerEpisode) {
  auto o = options();
  o.pending_msgs_limit = 2;
  auto id = start(o);
  auto evs = peer_.feed(data(1, 1) + data(2, 2) + data(3, 3) + data(4, 4));
  EXPECT_EQ(types(evs),
            (std::vector<std::string>{"js_msg", "js_msg", "pull_status:slow_consumer"}));
  EXPECT_EQ(evs[2].num, 1u) << "dropped so far";
  EXPECT_EQ(evs[2].num2, 2u) << "held by the host";
  EXPECT_TRUE(peer_.written().empty()) << "a dropped message is not acked: it is redelivered";
  // Room again: the next message is handed out, and a new overflow is told.
  EXPECT_FALSE(engine().pull_consumed(id, 2, 80));
  evs = peer_.feed(data(5, 5) + data(6, 6) + data(7, 7));
  EXPECT_EQ(types(evs),
            (std::vector<std::string>{"js_msg", "js_msg", "pull_status:slow_consumer"}));
  EXPECT_EQ(evs[2].num, 3u);
  // By bytes too, and 0 is no limit.
  auto b = options();
  b.deliver_subject = "d.2";
  b.pending_msgs_limit = 0;
  b.pending_bytes_limit = 1;
  auto r = engine().push_start(ctx_, "S", "c2", b, peer_.now);
  ASSERT_TRUE(r.ok());
  auto sub = peer_.written();
  ASSERT_EQ(sub.size(), 1u);
  const auto sid2 = std::stoull(sub[0].substr(sub[0].rfind(' ') + 1));
  const std::string ack = "$JS.ACK.S.c2.1.1.1.1700000000000000000.0";
  evs = peer_.feed(nats_test::msg("S.a", sid2, "xx", ack) + nats_test::msg("S.a", sid2, "y", ack));
  EXPECT_EQ(types(evs), (std::vector<std::string>{"js_msg", "pull_status:slow_consumer"}))
      << "one message always fits, however large";
}

TEST_F(PushTest, AStalledHeartbeatIsAnsweredAndNotified) {
  start(options());
  auto evs = peer_.feed(
      status("NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 4\r\nNats-Last-Stream: 9\r\n"
             "Nats-Consumer-Stalled: $JS.FC.S.c.3\r\n\r\n"));
  ASSERT_EQ(types(evs), (std::vector<std::string>{"pull_status:heartbeat"}));
  EXPECT_EQ(evs[0].num, 4u);
  EXPECT_EQ(evs[0].num2, 9u);
  auto pubs = nats_test::published(peer_.written());
  ASSERT_EQ(pubs.size(), 1u);
  EXPECT_EQ(pubs[0].subject, "$JS.FC.S.c.3");
}

TEST_F(PushTest, MissedHeartbeatsNotifyAndTheSessionGoesOn) {
  auto o = options();
  o.idle_heartbeat = Ms{1000};
  start(o);
  engine().handle_timeout(Time{1999});
  EXPECT_TRUE(peer_.events().empty());
  engine().handle_timeout(Time{2000});
  auto evs = peer_.events();
  ASSERT_EQ(types(evs), (std::vector<std::string>{"pull_status:heartbeats_missed"}));
  EXPECT_EQ(evs[0].num, 2u);
  EXPECT_TRUE(peer_.written().empty()) << "nothing to ask again";
  EXPECT_EQ(engine().pull_sessions(), 1u);
  peer_.now = Time{2500};
  EXPECT_EQ(types(peer_.feed(data(1, 1))), (std::vector<std::string>{"js_msg"}));
}

TEST_F(PushTest, ADeletedConsumerNotifiesOrEndsTheSessionWhenAsked) {
  start(options());
  auto evs = peer_.feed(status("NATS/1.0 409 Consumer Deleted\r\n\r\n"));
  EXPECT_EQ(types(evs), (std::vector<std::string>{"pull_status:consumer_deleted"}));
  EXPECT_EQ(evs[0].num, 409u);
  EXPECT_EQ(engine().pull_sessions(), 1u);

  auto o = options();
  o.deliver_subject = "d.2";
  o.abort_on_missing_resource = true;
  auto id = *engine().push_start(ctx_, "S", "c", o, peer_.now);
  auto sub = peer_.written();
  ASSERT_EQ(sub.size(), 1u);
  const auto sid = std::stoull(sub[0].substr(sub[0].rfind(' ') + 1));
  evs = peer_.feed(nats_test::hmsg("d.2", sid, "NATS/1.0 409 Consumer Deleted\r\n\r\n", ""));
  EXPECT_EQ(types(evs),
            (std::vector<std::string>{"pull_status:consumer_deleted", "pull_done!js_status_error"}))
      << "nats.js ends it with a JetStreamStatusError";
  EXPECT_EQ(evs[1].id, id);
}

TEST_F(PushTest, OneSessionPerDeliverSubjectUnlessGrouped) {
  start(options());
  auto again = engine().push_start(ctx_, "S", "c", options(), peer_.now);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, Errc::illegal_state);
  auto grouped = options("g");
  grouped.deliver_subject = "d.9";
  auto g1 = engine().push_start(ctx_, "S", "c", grouped, peer_.now);
  auto g2 = engine().push_start(ctx_, "S", "c", grouped, peer_.now);
  EXPECT_TRUE(g1.ok());
  EXPECT_TRUE(g2.ok()) << "a queue group is shared by design";
  EXPECT_EQ(engine().push_start(ctx_, "S", "", options(), peer_.now).error().code,
            Errc::illegal_state)
      << "a bound consumer (no names) is still one per subject";
}

TEST_F(PushTest, AckNextAcksAndAsksForMoreToTheGivenSubject) {
  const std::string reply = "$JS.ACK.S.c.1.3.3.1700000000000000000.0";
  EXPECT_FALSE(engine().js_ack_next(reply, "_INBOX.more", 2, Ms{0}, false));
  auto pubs = nats_test::published(peer_.written());
  ASSERT_EQ(pubs.size(), 1u);
  EXPECT_EQ(pubs[0].subject, reply);
  EXPECT_EQ(pubs[0].reply, "_INBOX.more") << "where the next messages go";
  EXPECT_EQ(pubs[0].body, R"(+NXT {"batch":2})");
  EXPECT_EQ(engine().js_ack_next("", "_INBOX.more", 1, Ms{0}, false).code, Errc::invalid_argument);
  EXPECT_EQ(engine().js_ack_next(reply, "bad subject", 1, Ms{0}, false).code,
            Errc::invalid_subject);
}

TEST_F(PushTest, AStalledHeartbeatAnswersAQueuedFlowControlOnce) {
  auto id = start(options());
  peer_.feed(data(1, 1) + status("NATS/1.0 100 FlowControl Request\r\n\r\n", "$JS.FC.S.c.1"));
  peer_.feed(status("NATS/1.0 100 Idle Heartbeat\r\nNats-Consumer-Stalled: $JS.FC.S.c.1\r\n\r\n"));
  ASSERT_EQ(nats_test::published(peer_.written()).size(), 1u);
  EXPECT_FALSE(engine().pull_consumed(id, 1, 40));
  EXPECT_TRUE(nats_test::published(peer_.written()).empty()) << "answered already";
}

TEST_F(PushTest, ARecreatedConsumerRedeliversWhatTheOldOneHadAcked) {
  start(options());
  auto first = peer_.feed(data(1, 1));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_FALSE(engine().js_ack(first[0].msg.reply, nats::js::AckKind::ack));
  peer_.written();
  peer_.feed(status("NATS/1.0 409 Consumer Deleted\r\n\r\n"));
  // Made anew under the same name: stream sequence 1 again is news to it.
  auto again = peer_.feed(data(1, 1));
  ASSERT_EQ(types(again), (std::vector<std::string>{"js_msg"}));
  EXPECT_TRUE(nats_test::published(peer_.written()).empty()) << "not acked behind the user's back";
}

TEST_F(PushTest, ARefusedDeliverSubjectEndsTheSession) {
  auto id = start(options("g"));
  auto evs =
      peer_.feed("-ERR 'Permissions Violation for Subscription to \"d.1\" using queue \"g\"'\r\n");
  bool done = false;
  for (const auto &e : evs) {
    if (e.type == EventType::pull_done && e.id == id) {
      done = true;
      EXPECT_EQ(e.error.code, Errc::permission_violation);
    }
  }
  EXPECT_TRUE(done);
  EXPECT_EQ(engine().pull_sessions(), 0u);
}

TEST_F(PushTest, FlowControlHeldWhileDownIsAnsweredOnceReconnected) {
  auto o = options();
  o.idle_heartbeat = Ms{1000};
  auto id = start(o);
  peer_.feed(data(1, 1) + status("NATS/1.0 100 FlowControl Request\r\n\r\n", "$JS.FC.S.c.9"));
  peer_.now = Time{100};
  engine().transport_closed(Time{100});
  peer_.all_events();
  EXPECT_FALSE(engine().pull_consumed(id, 1, 40));  // consumed while down
  auto at = engine().next_deadline();
  ASSERT_TRUE(at.has_value());
  EXPECT_LT(*at, Time{2000}) << "the reconnect attempt, not a heartbeat deadline";
  peer_.now = *at;
  engine().handle_timeout(*at);
  engine().transport_opened(*at);
  peer_.feed(nats_test::kInfo);
  peer_.written();
  peer_.feed("PONG\r\n");
  auto pubs = nats_test::published(peer_.written());
  ASSERT_EQ(pubs.size(), 1u);
  EXPECT_EQ(pubs[0].subject, "$JS.FC.S.c.9");
}

TEST_F(PushTest, StopUnsubscribesAndFreesTheDeliverSubject) {
  auto id = start(options());
  EXPECT_FALSE(engine().pull_stop(id));
  auto ops = peer_.written();
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0], "UNSUB " + std::to_string(sid_));
  EXPECT_EQ(types(peer_.events()), (std::vector<std::string>{"pull_done"}));
  EXPECT_EQ(engine().pull_sessions(), 0u);
  start(options());  // free again
  EXPECT_EQ(engine().push_start(ctx_, "S", "c", options(), peer_.now).error().code,
            Errc::illegal_state);
}

}  // namespace
