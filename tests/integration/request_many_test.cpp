// Client::request_many against a real nats-server (nats.js requestMany),
// over TCP and WebSocket: each strategy ends where it should, no
// responders is an error, and nothing is left subscribed. The responders
// are callback subscriptions of a second client.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "nats/native/client.hpp"
#include "server_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using nats::Errc;
using nats::ReplyStrategy;
using nats::RequestManyOptions;
using nats::native::Client;
using nats::native::Msg;
using nats::testing::NatsServer;
using ManyClock = std::chrono::steady_clock;

class RequestManyTest : public ::testing::TestWithParam<bool> {
protected:
  static void SetUpTestSuite() { server_ = std::make_unique<NatsServer>("default.conf"); }
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override {
    const std::string url = GetParam() ? server_->ws_url() : server_->tcp_url();
    auto svc = Client::connect(url);
    auto nc = Client::connect(url);
    ASSERT_TRUE(svc.ok() && nc.ok());
    svc_ = std::move(*svc);
    nc_ = std::move(*nc);
    Client *s = svc_.get();
    // Three responders on svc.many, one streaming four parts and an empty end.
    for (int i = 0; i < 3; ++i) {
      auto sub = svc_->subscribe(
          "svc.many", [s, i](const Msg &m) { (void)s->publish(m.reply, "r" + std::to_string(i)); });
      ASSERT_TRUE(sub.ok());
      subs_.push_back(*sub);
    }
    auto stream = svc_->subscribe("svc.stream", [s](const Msg &m) {
      for (int i = 0; i < 4; ++i) (void)s->publish(m.reply, "part" + std::to_string(i));
      (void)s->publish(m.reply, "");
    });
    ASSERT_TRUE(stream.ok());
    subs_.push_back(*stream);
    ASSERT_FALSE(svc_->flush());
  }

  static std::vector<std::string> texts(const std::vector<Msg> &msgs) {
    std::vector<std::string> out;
    for (const auto &m : msgs) out.push_back(m.data);
    return out;
  }
  static long long ms_since(ManyClock::time_point t0) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(ManyClock::now() - t0).count();
  }

  static std::unique_ptr<NatsServer> server_;
  std::unique_ptr<Client> svc_;
  std::unique_ptr<Client> nc_;
  std::vector<std::shared_ptr<nats::native::Subscription>> subs_;
};
std::unique_ptr<NatsServer> RequestManyTest::server_;

TEST_P(RequestManyTest, TimerCollectsEveryReplyUntilMaxWait) {
  RequestManyOptions o;
  o.max_wait = nats::Duration{600};
  const auto t0 = ManyClock::now();
  auto got = nc_->request_many("svc.many", "q", o);
  ASSERT_TRUE(got.ok()) << got.error().message;
  auto replies = texts(*got);
  std::sort(replies.begin(), replies.end());
  EXPECT_EQ(replies, (std::vector<std::string>{"r0", "r1", "r2"}));
  EXPECT_GE(ms_since(t0), 590) << "ended before max_wait";
}

TEST_P(RequestManyTest, CountStopsAtMaxMessagesAndUnsubscribes) {
  RequestManyOptions o;
  o.strategy = ReplyStrategy::count;
  o.max_messages = 2;
  o.max_wait = nats::Duration{5000};
  const auto t0 = ManyClock::now();
  auto got = nc_->request_many("svc.many", "q", o);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->size(), 2u);
  EXPECT_LT(ms_since(t0), 2500) << "count must not wait for max_wait";
  EXPECT_EQ(nc_->pending_requests(), 0u);
}

TEST_P(RequestManyTest, SentinelEndsAtTheEmptyReplyWhichIsDeliveredLast) {
  RequestManyOptions o;
  o.strategy = ReplyStrategy::sentinel;
  o.max_wait = nats::Duration{5000};
  const auto t0 = ManyClock::now();
  auto got = nc_->request_many("svc.stream", "q", o);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(texts(*got), (std::vector<std::string>{"part0", "part1", "part2", "part3", ""}));
  EXPECT_LT(ms_since(t0), 2500) << "sentinel must not wait for max_wait";
}

TEST_P(RequestManyTest, StallEndsWhenRepliesPause) {
  RequestManyOptions o;
  o.strategy = ReplyStrategy::stall;
  o.stall = nats::Duration{200};
  o.max_wait = nats::Duration{5000};
  const auto t0 = ManyClock::now();
  auto got = nc_->request_many("svc.stream", "q", o);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->size(), 5u);
  EXPECT_LT(ms_since(t0), 2500) << "stall must end long before max_wait";
}

TEST_P(RequestManyTest, NoRespondersIsAnError) {
  RequestManyOptions o;
  o.max_wait = nats::Duration{3000};
  const auto t0 = ManyClock::now();
  auto got = nc_->request_many("svc.nobody", "q", o);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, Errc::no_responders) << got.error().message;
  EXPECT_LT(ms_since(t0), 2500) << "the server says so at once";
  EXPECT_EQ(nc_->pending_requests(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Transports, RequestManyTest, ::testing::Values(false, true),
                         [](const auto &p) { return p.param ? "ws" : "tcp"; });

}  // namespace
