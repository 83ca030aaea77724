// JetStream publish retries in the engine with a scripted server: no
// responders and timeouts are sent again after nats.js's backoff until the
// attempts run out; other failures are final; the host sees one ack; a
// close while a retry waits ends it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nats/engine.hpp"
#include "scripted_peer.hpp"

namespace {

using nats::Errc;
using nats::Event;
using nats::EventType;
using nats::Time;
using Ms = std::chrono::milliseconds;

TEST(PublishRetryRules, NatsJsBackoffWithoutJitter) {
  std::vector<long> got;
  for (std::uint32_t i = 0; i < 9; ++i) got.push_back(nats::js::publish_retry_delay(i).count());
  EXPECT_EQ(got, (std::vector<long>{0, 250, 250, 500, 500, 3000, 5000, 5000, 5000}));
  EXPECT_EQ(nats::js::publish_max_time(Ms{1000}, 0), Ms{1000});
  EXPECT_EQ(nats::js::publish_max_time(Ms{1000}, 1), Ms{1000});
  EXPECT_EQ(nats::js::publish_max_time(Ms{1000}, 3), Ms{3250}) << "3 attempts, waits 0 and 250";
}

class PublishRetryTest : public ::testing::Test {
protected:
  void SetUp() override {
    peer_.handshake();
    nats::js::ContextOptions o;
    o.timeout = Ms{1000};
    ctx_ = *engine().js_context(o);
    peer_.written();
  }
  nats::Engine &engine() { return peer_.engine(); }
  std::vector<nats_test::Published> pubs() { return nats_test::published(peer_.written()); }
  std::vector<Event> no_responders(const nats_test::Published &to) {
    return peer_.feed(nats_test::hmsg(to.reply, 1, "NATS/1.0 503\r\n\r\n", ""));
  }
  std::uint64_t publish(std::uint32_t retries) {
    nats::js::PublishOptions o;
    o.retries = retries;
    auto id = engine().js_publish(ctx_, "orders.1", "data", nullptr, o, peer_.now);
    EXPECT_TRUE(id.ok());
    return id.ok() ? *id : 0;
  }

  nats_test::ScriptedPeer peer_;
  std::uint64_t ctx_ = 0;
};

TEST_F(PublishRetryTest, NoRespondersIsSentAgainAfterTheBackoffThenAcked) {
  auto id = publish(3);
  auto first = pubs();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(no_responders(first[0]).empty()) << "attempts left: no event yet";
  EXPECT_EQ(engine().js_pending(ctx_), 1u) << "it keeps its place in the window";
  EXPECT_EQ(engine().next_deadline(), Time{0}) << "attempt 2 goes at once (backoff 0)";
  engine().handle_timeout(Time{0});
  auto second = pubs();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].subject, "orders.1");
  EXPECT_EQ(second[0].body, "data");
  EXPECT_NE(second[0].reply, first[0].reply) << "a new request";
  EXPECT_TRUE(no_responders(second[0]).empty());
  engine().handle_timeout(Time{249});
  EXPECT_TRUE(pubs().empty()) << "attempt 3 waits 250 ms";
  peer_.now = Time{250};
  engine().handle_timeout(Time{250});
  auto third = pubs();
  ASSERT_EQ(third.size(), 1u);
  auto evs = peer_.feed(nats_test::msg(third[0].reply, 1, R"({"stream":"S","seq":1})"));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, EventType::js_pub_ack);
  EXPECT_EQ(evs[0].id, id);
  EXPECT_FALSE(evs[0].error);
  EXPECT_EQ(evs[0].num, 1u);
  EXPECT_EQ(engine().js_pending(ctx_), 0u);
}

TEST_F(PublishRetryTest, AttemptsRunOutIntoTheUsualError) {
  auto id = publish(2);
  EXPECT_TRUE(no_responders(pubs()[0]).empty());
  engine().handle_timeout(Time{0});
  auto evs = no_responders(pubs()[0]);
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].id, id);
  EXPECT_EQ(evs[0].error.code, Errc::no_stream_response);
  EXPECT_EQ(engine().js_pending(ctx_), 0u);
}

TEST_F(PublishRetryTest, ATimeoutIsRetriedAnApiErrorIsNot) {
  auto id = publish(2);
  ASSERT_EQ(pubs().size(), 1u);
  peer_.now = Time{1000};
  engine().handle_timeout(Time{1000});  // the first attempt times out
  EXPECT_TRUE(peer_.events().empty());
  engine().handle_timeout(Time{1000});
  auto again = pubs();
  ASSERT_EQ(again.size(), 1u) << "sent again";
  auto evs = peer_.feed(nats_test::msg(
      again[0].reply, 1,
      R"({"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 1"}})"));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].id, id);
  EXPECT_EQ(evs[0].error.err_code, 10071);

  auto once = publish(1);
  auto only = no_responders(pubs()[0]);
  ASSERT_EQ(only.size(), 1u) << "retries 1 (the default) is one attempt";
  EXPECT_EQ(only[0].id, once);
}

TEST_F(PublishRetryTest, ALostConnectionIsAnAttemptAndItIsSentAgainOnceBack) {
  auto id = publish(2);
  ASSERT_EQ(pubs().size(), 1u);
  peer_.now = Time{10};
  engine().transport_closed(Time{10});
  for (const auto &ev : peer_.all_events()) {
    EXPECT_NE(ev.type, EventType::js_pub_ack) << "attempts left: no failure yet";
  }
  // Reconnect (the first attempt comes at once), then the retry goes out.
  engine().handle_timeout(Time{10});
  engine().transport_opened(Time{10});
  peer_.feed(nats_test::kInfo);
  peer_.written();
  peer_.feed("PONG\r\n");
  engine().handle_timeout(Time{10});
  auto again = pubs();
  ASSERT_EQ(again.size(), 1u);
  auto evs = peer_.feed(nats_test::msg(again[0].reply, 1, R"({"stream":"S","seq":1})"));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].id, id);
  EXPECT_FALSE(evs[0].error);
}

TEST_F(PublishRetryTest, ACloseWhileARetryWaitsEndsIt) {
  auto id = publish(5);
  EXPECT_TRUE(no_responders(pubs()[0]).empty());
  engine().close();
  std::vector<Event> acks;
  for (auto &ev : peer_.all_events()) {
    if (ev.type == EventType::js_pub_ack) acks.push_back(ev);
  }
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].id, id);
  EXPECT_TRUE(acks[0].error);
}

}  // namespace
