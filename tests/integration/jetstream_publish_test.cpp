// Integration tests: JetStream publishing through the native client against
// a real nats-server 2.9 — acks, dedupe, expectations, the async window,
// and the rules for blocking calls.
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "jetstream_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using nats::Errc;
using nats::testing::JsTransport;
namespace js = nats::js;

class JetStreamPublishTest : public nats::testing::JetStreamFixture {};
// Tests where the transport does not matter.
class JetStreamPublishTcpTest : public nats::testing::JetStreamFixture {};

TEST_P(JetStreamPublishTest, DuplicateMsgIdReturnsTheFirstSequence) {
  const std::string name = unique("DEDUPE");
  make_stream(name);
  js::PublishOptions o;
  o.msg_id = "order-1";
  auto first = js_->publish(name + ".x", "a", o);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->stream, name);
  EXPECT_EQ(first->seq, 1u);
  EXPECT_FALSE(first->duplicate);
  auto again = js_->publish(name + ".x", "b", o);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->seq, 1u);
  auto other = js_->publish(name + ".x", "c");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->seq, 2u);
  EXPECT_EQ(js_->stream_info(name)->state.messages, 2u);
}

TEST_P(JetStreamPublishTcpTest, PublishExpectationsAreCheckedByTheServer) {
  const std::string name = unique("EXPECT");
  make_stream(name);
  publish(name + ".a", "1");
  js::PublishOptions wrong_seq;
  wrong_seq.expected_last_sequence = 5;
  auto r = js_->publish(name + ".a", "2", wrong_seq);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::js_api_error);
  EXPECT_EQ(r.error().err_code, 10071);
  EXPECT_EQ(r.error().status, 400);
  js::PublishOptions wrong_subject_seq;
  wrong_subject_seq.expected_last_subject_sequence = 0;
  EXPECT_EQ(js_->publish(name + ".a", "2", wrong_subject_seq).error().err_code, 10071);
  js::PublishOptions wrong_stream;
  wrong_stream.expected_stream = "ELSEWHERE";
  auto s = js_->publish(name + ".a", "2", wrong_stream);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, Errc::js_api_error);
  EXPECT_EQ(s.error().err_code, 10060);
  js::PublishOptions right;
  right.expected_last_sequence = 1;
  right.expected_stream = name;
  auto ok = js_->publish(name + ".a", "2", right);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->seq, 2u);
}

TEST_P(JetStreamPublishTest, TenThousandAsyncPublishesAckWithContiguousSequences) {
  const std::string name = unique("ASYNC");
  make_stream(name);
  constexpr int kCount = 10000;
  std::vector<nats::native::PubAckFuture> acks;
  acks.reserve(kCount);
  for (int i = 0; i < kCount; ++i) {
    auto f = js_->publish_async(name + ".x", std::to_string(i));
    ASSERT_TRUE(f.ok()) << i << ": " << f.error().message;
    acks.push_back(std::move(*f));
  }
  ASSERT_FALSE(js_->publish_async_completed(30s));
  EXPECT_EQ(js_->publish_async_pending(), 0u);
  for (int i = 0; i < kCount; ++i) {
    ASSERT_TRUE(acks[i].done());
    auto ack = acks[i].get();
    ASSERT_TRUE(ack.ok()) << ack.error().message;
    ASSERT_EQ(ack->seq, static_cast<std::uint64_t>(i + 1)) << "one connection keeps the order";
  }
  EXPECT_EQ(js_->stream_info(name)->state.messages, static_cast<std::uint64_t>(kCount));
}

TEST_P(JetStreamPublishTcpTest, AFullWindowWaitsForRoom) {
  const std::string name = unique("WINDOW");
  make_stream(name);
  js::ContextOptions o;
  o.max_pending = 4;
  auto small = nc_->jetstream(o);
  ASSERT_TRUE(small.ok());
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE((*small)->publish_async(name + ".x", "x").ok());
    ASSERT_LE((*small)->publish_async_pending(), 4u);
  }
  ASSERT_FALSE((*small)->publish_async_completed(10s));
  EXPECT_EQ(js_->stream_info(name)->state.messages, 200u);
}

TEST_P(JetStreamPublishTcpTest, ThreadsShareOneContext) {
  const std::string name = unique("THREADS");
  make_stream(name);
  constexpr int kThreads = 4, kEach = 250;
  std::vector<std::vector<std::uint64_t>> seqs(kThreads);
  // Every other publish goes through a future.
  auto one = [&](int i) -> nats::Result<js::PubAck> {
    if (i % 2 == 0) return js_->publish(name + ".x", "s");
    auto f = js_->publish_async(name + ".x", "a");
    if (!f) return f.error();
    return f->get();
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto ack = one(i);
        if (ack.ok()) seqs[t].push_back(ack->seq);
      }
    });
  }
  for (auto &th : threads) th.join();
  std::vector<std::uint64_t> all;
  for (const auto &s : seqs) all.insert(all.end(), s.begin(), s.end());
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
  for (std::size_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i], i + 1);
}

TEST_P(JetStreamPublishTcpTest, AsyncAckFailuresArriveThroughTheFuture) {
  auto f = js_->publish_async("no.stream.async", "x");
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_TRUE(f->wait_for(5s));
  EXPECT_TRUE(f->done());
  auto ack = f->get();
  ASSERT_FALSE(ack.ok());
  EXPECT_EQ(ack.error().code, Errc::no_stream_response);
  EXPECT_EQ(f->get().error().code, Errc::no_stream_response) << "get() may be called again";
  EXPECT_EQ(js_->publish_async_pending(), 0u);
}

TEST_P(JetStreamPublishTcpTest, RetriesCarryAPublishOverItsStreamsCreation) {
  // The publish goes first; the server answers it before it makes the stream.
  auto racing = [&](const std::string &name, std::uint32_t retries) {
    nats::js::PublishOptions o;
    o.retries = retries;
    auto f = js_->publish_async(name + ".a", "x", o);
    EXPECT_TRUE(f.ok());
    make_stream(name);
    return f->get();
  };
  EXPECT_EQ(racing(unique("RETRY0"), 1).error().code, Errc::no_stream_response);
  auto ack = racing(unique("RETRY3"), 3);
  ASSERT_TRUE(ack.ok()) << ack.error().message;
  EXPECT_EQ(ack->seq, 1u);
  EXPECT_EQ(js_->publish_async_pending(), 0u);
}

TEST_P(JetStreamPublishTcpTest, BlockingCallsFromACallbackAreIllegal) {
  std::promise<std::pair<Errc, Errc>> got;
  auto j = js_;
  auto sub = nc_->subscribe(
      "cb.js",
      [&got, j](const nats::native::Msg &) {
        got.set_value({j->account_info().error().code, j->publish("x.y", "z").error().code});
      },
      {}, 1);
  ASSERT_TRUE(sub.ok());
  ASSERT_FALSE(nc_->flush());
  ASSERT_FALSE(nc_->publish("cb.js", "go"));
  auto f = got.get_future();
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  auto [info, pub] = f.get();
  EXPECT_EQ(info, Errc::illegal_state);
  EXPECT_EQ(pub, Errc::illegal_state);
}

TEST_P(JetStreamPublishTcpTest, CallsAfterCloseFail) {
  nc_->close();
  EXPECT_EQ(js_->account_info().error().code, Errc::connection_closed);
  EXPECT_EQ(js_->publish("a.b", "x").error().code, Errc::connection_closed);
  EXPECT_EQ(js_->publish_async_pending(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Transports, JetStreamPublishTest,
                         ::testing::Values(JsTransport::tcp, JsTransport::ws),
                         nats::testing::js_transport_name);
INSTANTIATE_TEST_SUITE_P(Tcp, JetStreamPublishTcpTest, ::testing::Values(JsTransport::tcp),
                         nats::testing::js_transport_name);

}  // namespace
