// Per-subscription pending limits: what the engine drops, when it reports a
// slow consumer, and how the host's consumption reports re-arm it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nats/engine.hpp"
#include "scripted_peer.hpp"

namespace {

using nats::Errc;
using nats::Event;
using nats::EventType;
using nats::PendingLimits;
using nats_test::msg;
using nats_test::ScriptedPeer;

class PendingLimitsTest : public ::testing::Test {
protected:
  void SetUp() override {
    peer_.handshake();
    sid_ = *peer_.engine().subscribe("feed");
    peer_.written();
  }
  // Delivers n 10-byte messages; returns the events they produced.
  std::vector<Event> deliver(int n) {
    std::string bytes;
    for (int i = 0; i < n; ++i) bytes += msg("feed", sid_, "0123456789");
    return peer_.feed(bytes);
  }
  static int count(const std::vector<Event> &evs, EventType type) {
    int n = 0;
    for (const auto &e : evs) n += e.type == type ? 1 : 0;
    return n;
  }
  ScriptedPeer peer_;
  std::uint64_t sid_ = 0;
};

TEST_F(PendingLimitsTest, UntrackedSubscriptionsNeverDrop) {
  auto evs = deliver(50);
  EXPECT_EQ(count(evs, EventType::message), 50);
  EXPECT_FALSE(peer_.engine().subscription_pending(sid_).has_value());
}

TEST_F(PendingLimitsTest, MessagesOverTheLimitAreDroppedAndReportedOnce) {
  ASSERT_FALSE(peer_.engine().set_pending_limits(sid_, PendingLimits{5, 0, 0}));
  auto evs = deliver(8);
  EXPECT_EQ(count(evs, EventType::message), 5);
  ASSERT_EQ(count(evs, EventType::slow_consumer), 1) << "one report per episode";
  for (const auto &e : evs) {
    if (e.type != EventType::slow_consumer) continue;
    EXPECT_EQ(e.id, sid_);
    EXPECT_EQ(e.flags, 1u) << "dropping";
    EXPECT_EQ(e.num, 5u);
    EXPECT_EQ(e.num2, 1u) << "the first dropped message starts the episode";
  }
  auto p = peer_.engine().subscription_pending(sid_);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->msgs, 5u);
  EXPECT_EQ(p->bytes, 50u);
  EXPECT_EQ(p->dropped, 3u);

  // The user catches up: a new overflow is a new episode.
  ASSERT_FALSE(peer_.engine().subscription_consumed(sid_, 5, 50));
  evs = deliver(7);
  EXPECT_EQ(count(evs, EventType::message), 5);
  EXPECT_EQ(count(evs, EventType::slow_consumer), 1);
  EXPECT_EQ(peer_.engine().subscription_pending(sid_)->dropped, 5u);
}

TEST_F(PendingLimitsTest, BytesLimitCountsHeadersAndPayload) {
  ASSERT_FALSE(peer_.engine().set_pending_limits(sid_, PendingLimits{0, 35, 0}));
  auto evs = deliver(5);
  EXPECT_EQ(count(evs, EventType::message), 3) << "3 x 10 bytes fit in 35, a fourth does not";
  EXPECT_EQ(peer_.engine().subscription_pending(sid_)->dropped, 2u);
  ASSERT_FALSE(peer_.engine().subscription_consumed(sid_, 1, 10));
  EXPECT_EQ(count(deliver(1), EventType::message), 1);
}

TEST_F(PendingLimitsTest, SlowThresholdReportsWithoutDropping) {
  ASSERT_FALSE(peer_.engine().set_pending_limits(sid_, PendingLimits{0, 0, 3}));
  auto evs = deliver(10);
  EXPECT_EQ(count(evs, EventType::message), 10);
  ASSERT_EQ(count(evs, EventType::slow_consumer), 1);
  for (const auto &e : evs) {
    if (e.type == EventType::slow_consumer) {
      EXPECT_EQ(e.flags, 0u);
      EXPECT_EQ(e.num, 4u) << "reported when pending first went over 3";
    }
  }
  // Still behind: no second report; caught up (<= 3): armed again.
  ASSERT_FALSE(peer_.engine().subscription_consumed(sid_, 2, 20));
  EXPECT_EQ(count(deliver(1), EventType::slow_consumer), 0);
  ASSERT_FALSE(peer_.engine().subscription_consumed(sid_, 9, 90));
  EXPECT_EQ(count(deliver(4), EventType::slow_consumer), 1);
}

TEST_F(PendingLimitsTest, DroppedMessagesStillCountTowardsMax) {
  ASSERT_FALSE(peer_.engine().unsubscribe(sid_, 4));
  ASSERT_FALSE(peer_.engine().set_pending_limits(sid_, PendingLimits{2, 0, 0}));
  auto evs = deliver(4);
  EXPECT_EQ(count(evs, EventType::message), 2);
  EXPECT_EQ(count(evs, EventType::subscription_closed), 1)
      << "the server sent 4: the subscription is done even though 2 were dropped";
}

TEST_F(PendingLimitsTest, LimitsNeedAnOpenUserSubscription) {
  EXPECT_EQ(peer_.engine().set_pending_limits(9999, PendingLimits{1, 0, 0}).code,
            Errc::bad_subscription);
  EXPECT_FALSE(peer_.engine().subscription_consumed(9999, 1, 1)) << "a late report is harmless";
}

}  // namespace
