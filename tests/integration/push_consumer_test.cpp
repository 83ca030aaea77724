// Integration tests: native push consumers against a real nats-server 2.9:
// messages() with flow control answered as they are consumed, a deliver
// group shared by two sessions, bound consumers, and what is refused.
// Waits are on conditions, never on sleeps.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>

#include "jetstream_fixture.hpp"
#include "nats/native/consumer.hpp"

namespace {

using namespace std::chrono_literals;
using nats::Errc;
using nats::native::ConsumeOptions;
using nats::native::ConsumerStatus;
using nats::native::JsMsg;
using nats::testing::JsTransport;
namespace js = nats::js;

class PushConsumerTest : public nats::testing::JetStreamFixture {
protected:
  /// A durable push consumer delivering to a fresh inbox.
  std::string push_durable(const std::string &stream, const std::string &name,
                           js::ConsumerConfig cfg = {}) {
    cfg.durable_name = name;
    if (!cfg.deliver_subject) cfg.deliver_subject = nc_->new_inbox();
    auto created = js_->add_consumer(stream, cfg);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return *cfg.deliver_subject;
  }
  void publish_n(const std::string &subject, int n, const std::string &payload = "") {
    for (int i = 0; i < n; ++i) {
      auto f = js_->publish_async(subject, payload.empty() ? std::to_string(i) : payload);
      ASSERT_TRUE(f.ok()) << f.error().message;
    }
    ASSERT_FALSE(js_->publish_async_completed(20s));
  }
};

TEST_P(PushConsumerTest, MessagesInOrderWithAcksAndFlowControlAnswered) {
  constexpr std::uint64_t kCount = 2000;
  const std::string s = unique("PUSHFC");
  make_stream(s);
  publish_n(s + ".x", static_cast<int>(kCount), std::string(1024, 'x'));
  js::ConsumerConfig cfg;
  cfg.flow_control = true;
  cfg.idle_heartbeat = 1s;
  push_durable(s, "P", cfg);
  auto c = js_->push_consumer(s, "P");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->options().idle_heartbeat, 1000ms);
  std::atomic<int> flow_controls{0};
  ConsumeOptions o;
  o.status_callback = [&](const ConsumerStatus &st) {
    if (st.type == "flow_control") ++flow_controls;
  };
  auto stream = c->messages(o);
  ASSERT_TRUE(stream.ok()) << stream.error().message;
  std::size_t most = 0;
  for (std::uint64_t want = 1; want <= kCount; ++want) {
    auto m = stream->next(10s);
    ASSERT_TRUE(m.ok()) << m.error().message;
    ASSERT_TRUE(m->has_value()) << "nothing after " << want - 1;
    ASSERT_EQ((*m)->seq(), want);
    EXPECT_FALSE((*m)->ack());
    most = std::max(most, stream->pending());
  }
  EXPECT_GT(flow_controls.load(), 0) << "the server asked for flow control and got answers";
  EXPECT_LT(most, kCount) << "flow control holds the server back";
  auto info = c->info();
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->delivered.stream_seq, kCount);
  stream->stop();
  EXPECT_EQ(js_->pull_sessions(), 0u);
}

TEST_P(PushConsumerTest, ADeliverGroupSharesEachMessageOnce) {
  const std::string s = unique("PUSHQ");
  make_stream(s);
  js::ConsumerConfig cfg;
  cfg.deliver_group = "workers";
  push_durable(s, "Q", cfg);
  auto a = js_->push_consumer(s, "Q");
  auto b = js_->push_consumer(s, "Q");
  ASSERT_TRUE(a.ok() && b.ok());
  std::mutex mu;
  std::condition_variable cv;
  std::multiset<std::uint64_t> seen;
  int per[2] = {0, 0};
  auto take = [&](int who) {
    return [&, who](const JsMsg &m) {
      EXPECT_FALSE(m.ack());
      std::lock_guard lock(mu);
      seen.insert(m.seq());
      ++per[who];
      cv.notify_all();
    };
  };
  auto ha = a->consume(take(0));
  auto hb = b->consume(take(1));
  ASSERT_TRUE(ha.ok() && hb.ok());
  ASSERT_FALSE(nc_->flush(5s));
  publish_n(s + ".x", 100);
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, 20s, [&] { return seen.size() >= 100; }));
  lock.unlock();
  ha->stop();
  hb->stop();
  std::set<std::uint64_t> distinct(seen.begin(), seen.end());
  EXPECT_EQ(distinct.size(), 100u);
  EXPECT_EQ(seen.size(), 100u) << "no message twice";
  EXPECT_GT(per[0], 0);
  EXPECT_GT(per[1], 0);
  EXPECT_EQ(js_->pull_sessions(), 0u);
}

TEST_P(PushConsumerTest, BoundConsumersAndWhatIsRefused) {
  const std::string s = unique("PUSHB");
  make_stream(s);
  publish_n(s + ".x", 3);
  js::ConsumerConfig pull;
  pull.durable_name = "pull";
  ASSERT_TRUE(js_->add_consumer(s, pull).ok());
  EXPECT_EQ(js_->push_consumer(s, "pull").error().code, Errc::illegal_state);
  js::PushOptions wild;
  wild.deliver_subject = "a.>";
  EXPECT_EQ(js_->bound_push_consumer(wild).error().code, Errc::invalid_subject);

  js::ConsumerConfig none;
  none.ack_policy = js::AckPolicy::none;
  const std::string deliver = push_durable(s, "B", none);
  js::PushOptions o;
  o.deliver_subject = deliver;
  auto bound = js_->bound_push_consumer(o);
  ASSERT_TRUE(bound.ok());
  EXPECT_EQ(bound->info().error().code, Errc::illegal_state) << "no name to look up";
  EXPECT_EQ(bound->fetch().error().code, Errc::illegal_state) << "consumed, not fetched";
  auto stream = bound->messages();
  ASSERT_TRUE(stream.ok()) << stream.error().message;
  for (std::uint64_t want = 1; want <= 3; ++want) {
    auto m = stream->next(10s);
    ASSERT_TRUE(m.ok() && m->has_value());
    EXPECT_EQ((*m)->seq(), want);
  }
  // Now bound to our subscription, without a deliver group: nobody else may.
  auto info = js_->consumer_info(s, "B");
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->push_bound);
  EXPECT_EQ(js_->push_consumer(s, "B").error().code, Errc::illegal_state);
  stream->stop();
  EXPECT_EQ(js_->pull_sessions(), 0u);
}

TEST_P(PushConsumerTest, AReaderThatHoldsTooMuchIsToldAndMemoryStaysBounded) {
  const std::string s = unique("PUSHSLOW");
  make_stream(s);
  js::ConsumerConfig none;  // no acks, no flow control: the server never waits
  none.ack_policy = js::AckPolicy::none;
  js::PushOptions o;
  o.deliver_subject = push_durable(s, "SLOW", none);
  o.pending_msgs_limit = 5;
  auto bound = js_->bound_push_consumer(o);
  ASSERT_TRUE(bound.ok());
  std::mutex mu;
  std::condition_variable cv;
  std::uint64_t dropped = 0;
  ConsumeOptions co;
  co.status_callback = [&](const ConsumerStatus &st) {
    if (st.type != "slow_consumer") return;
    std::lock_guard lock(mu);
    dropped = st.num;
    cv.notify_all();
  };
  auto stream = bound->messages(co);
  ASSERT_TRUE(stream.ok()) << stream.error().message;
  ASSERT_FALSE(nc_->flush());
  publish_n(s + ".x", 40);
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return dropped > 0; })) << "no slow_consumer";
  }
  EXPECT_LE(stream->pending(), 5u);
  for (std::uint64_t want = 1; want <= 5; ++want) {
    auto m = stream->next(10s);
    ASSERT_TRUE(m.ok() && m->has_value());
    EXPECT_EQ((*m)->seq(), want) << "what was held comes first, in order";
  }
  stream->stop();
  EXPECT_EQ(js_->pull_sessions(), 0u);
}

TEST_P(PushConsumerTest, AckNextDeliversTheNextMessagesToAnInbox) {
  const std::string s = unique("ACKNXT");
  make_stream(s);
  publish_n(s + ".x", 4);
  js::ConsumerConfig cfg;
  cfg.durable_name = "nx";
  ASSERT_TRUE(js_->add_consumer(s, cfg).ok());
  auto c = js_->pull_consumer(s, "nx");
  ASSERT_TRUE(c.ok());
  auto first = c->next(5s);
  ASSERT_TRUE(first.ok() && first->has_value());
  const std::string inbox = nc_->new_inbox();
  auto sub = nc_->subscribe(inbox);
  ASSERT_TRUE(sub.ok());
  ASSERT_FALSE(nc_->flush(5s));
  EXPECT_FALSE((*first)->next(inbox, 2));
  EXPECT_EQ((*first)->next(inbox).code, Errc::illegal_state) << "acknowledged already";
  for (const char *want : {"1", "2"}) {
    auto m = (*sub)->next_msg(5s);
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_EQ(m->data, want);
  }
  auto info = js_->consumer_info(s, "nx");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->ack_floor.stream_seq, 1u);
  EXPECT_EQ(info->num_ack_pending, 2);
}

INSTANTIATE_TEST_SUITE_P(Transports, PushConsumerTest,
                         ::testing::Values(JsTransport::tcp, JsTransport::ws),
                         nats::testing::js_transport_name);

}  // namespace
