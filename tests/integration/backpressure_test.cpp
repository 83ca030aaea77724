// Outbound backpressure: a thread publishing 1 KiB messages in a tight loop
// waits for the socket instead of queueing everything, and loses nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>

#include "nats/native/client.hpp"
#include "server_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using nats::native::Client;
using nats::testing::NatsServer;

TEST(BackpressureTest, APublishLoopStaysUnderTheHighWaterMark) {
  NatsServer server("default.conf");
  auto pub = Client::connect(server.tcp_url());
  auto sub_conn = Client::connect(server.tcp_url());
  ASSERT_TRUE(pub.ok() && sub_conn.ok());
  std::atomic<int> received{0};
  auto sub = (*sub_conn)->subscribe("bp.loop", [&](const nats::native::Msg &) { ++received; });
  ASSERT_TRUE(sub.ok());
  ASSERT_FALSE((*sub_conn)->flush());
  constexpr int kMessages = 100000;  // 100 MiB in all
  const std::string payload(1024, 'p');
  std::size_t peak = 0;
  for (int i = 0; i < kMessages; ++i) {
    ASSERT_FALSE((*pub)->publish("bp.loop", payload));
    if (i % 64 == 0) peak = std::max(peak, (*pub)->pending_output_bytes());
  }
  ASSERT_FALSE((*pub)->flush(30s));
  // At most the high-water mark (1 MiB) plus the publish that crossed it.
  EXPECT_LE(peak, std::size_t{1024 * 1024 + 2048}) << "peak bytes waiting: " << peak;
  EXPECT_GT(peak, 0u);
  for (int i = 0; i < 300 && received < kMessages; ++i) ASSERT_FALSE((*sub_conn)->flush());
  EXPECT_EQ(received, kMessages) << "nothing lost";
}

}  // namespace
