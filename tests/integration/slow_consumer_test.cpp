// Pending limits of next_msg() subscriptions against a real nats-server: a
// full queue drops, reports one slow_consumer status, and recovers.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "nats/native/client.hpp"
#include "server_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using nats::Errc;
using nats::native::Client;
using nats::native::Status;
using nats::testing::NatsServer;

TEST(SlowConsumerTest, FullQueueDropsReportsOnceAndRecovers) {
  NatsServer server("default.conf");
  auto nc = Client::connect(server.ws_url());
  ASSERT_TRUE(nc.ok()) << nc.error().message;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Status> slow;
  (*nc)->on_status([&](const Status &st) {
    if (st.type != Status::Type::slow_consumer) return;
    std::lock_guard lock(mu);
    slow.push_back(st);
    cv.notify_all();
  });
  auto sub = (*nc)->subscribe("slow.feed");
  ASSERT_TRUE(sub.ok());
  ASSERT_FALSE((*sub)->set_pending_limits(5, 0));
  for (int i = 0; i < 20; ++i) ASSERT_FALSE((*nc)->publish("slow.feed", "m" + std::to_string(i)));
  // The PONG of a flush comes after the server sent all 20 back.
  ASSERT_FALSE((*nc)->flush());
  EXPECT_EQ((*sub)->pending(), 5u);
  EXPECT_EQ((*sub)->dropped(), 15u);
  EXPECT_EQ((*sub)->delivered(), 5u) << "dropped messages are not delivered";
  {
    // Status callbacks run on the I/O thread after the flush's waiter woke.
    std::unique_lock lock(mu);
    cv.wait_for(lock, 5s, [&] { return !slow.empty(); });
    ASSERT_EQ(slow.size(), 1u) << "one report per episode";
    EXPECT_EQ(slow[0].sid, (*sub)->sid());
    EXPECT_EQ(slow[0].error.code, Errc::slow_consumer);
  }
  // The oldest ones were kept: the newest are what a full queue loses.
  for (int i = 0; i < 5; ++i) {
    auto m = (*sub)->next_msg(1s);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->data, "m" + std::to_string(i));
  }
  for (int i = 0; i < 3; ++i) ASSERT_FALSE((*nc)->publish("slow.feed", "again"));
  ASSERT_FALSE((*nc)->flush());
  EXPECT_EQ((*sub)->pending(), 3u);
  EXPECT_EQ((*sub)->dropped(), 15u);
}

TEST(SlowConsumerTest, CallbackSubscriptionsHaveNoQueueToLimit) {
  NatsServer server("default.conf");
  auto nc = Client::connect(server.tcp_url());
  ASSERT_TRUE(nc.ok());
  auto sub = (*nc)->subscribe("slow.cb", [](const nats::native::Msg &) {});
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ((*sub)->set_pending_limits(1, 1).code, Errc::invalid_argument);
}

}  // namespace
