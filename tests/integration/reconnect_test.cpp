// Staying connected, natively, against a real nats-server restarted on the
// same ports: subscriptions come back after each restart, publishes made
// while down are delivered after the reconnect in order (and overflow
// typed), and a JetStream producer/consumer pair loses no acknowledged
// message across 20 kill -9 restarts. Every wait is bounded.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "nats/native/client.hpp"
#include "nats/native/consumer.hpp"
#include "nats/native/jetstream.hpp"
#include "server_fixture.hpp"
#include "status_watch.hpp"

namespace {

using namespace std::chrono_literals;
using nats::Errc;
using nats::native::Client;
using nats::native::Status;
using nats::testing::fast_reconnect;
using nats::testing::missing_ids;
using nats::testing::NatsServer;
using nats::testing::polled_within;
using Watch = nats::testing::StatusWatch;
using Clock = std::chrono::steady_clock;

class ReconnectTest : public ::testing::TestWithParam<bool> {
protected:
  std::string url(const NatsServer &s) const { return GetParam() ? s.ws_url() : s.tcp_url(); }
};

TEST_P(ReconnectTest, SubscriptionKeepsReceivingAcrossTenRestarts) {
  NatsServer server("default.conf");
  auto c = Client::connect(url(server), fast_reconnect());
  ASSERT_TRUE(c.ok()) << c.error().message;
  Watch watch;
  watch.attach(**c);
  auto sub = (*c)->subscribe("restart.t");
  ASSERT_TRUE(sub.ok());
  for (int i = 1; i <= 10; ++i) {
    server.kill_hard();
    server.restart();
    ASSERT_TRUE(watch.wait_reconnects(i, 10s)) << "restart " << i;
    ASSERT_FALSE((*c)->publish("restart.t", "m" + std::to_string(i)));
    auto m = (*sub)->next_msg(5s);
    ASSERT_TRUE(m.ok()) << "restart " << i << ": " << m.error().message;
    EXPECT_EQ(m->data, "m" + std::to_string(i));
  }
  EXPECT_EQ(watch.disconnects(), 10);
  EXPECT_FALSE((*c)->is_closed());
}

TEST_P(ReconnectTest, PublishesMadeWhileDownArriveInOrderAndOverflowIsTyped) {
  NatsServer server("default.conf");
  nats::Options o = fast_reconnect();
  o.reconnect_buffer_size = 4096;
  auto c = Client::connect(url(server), o);
  ASSERT_TRUE(c.ok());
  Watch watch;
  watch.attach(**c);
  auto sub = (*c)->subscribe("buffered.t");
  ASSERT_TRUE(sub.ok());
  ASSERT_FALSE((*c)->flush());
  server.stop();
  // Wait until the client knows the connection is gone.
  for (int i = 0; i < 500 && !(*c)->is_reconnecting(); ++i) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE((*c)->is_reconnecting());
  int sent = 0;
  nats::Error full;
  for (int i = 0; i < 1000 && !full; ++i) {
    full = (*c)->publish("buffered.t", "p" + std::to_string(i));
    if (!full) ++sent;
  }
  EXPECT_EQ(full.code, Errc::outbound_buffer_full) << "a full buffer is an error at the call";
  EXPECT_GT(sent, 10);
  server.restart();
  ASSERT_TRUE(watch.wait_reconnects(1, 10s));
  for (int i = 0; i < sent; ++i) {
    auto m = (*sub)->next_msg(5s);
    ASSERT_TRUE(m.ok()) << i << " of " << sent;
    EXPECT_EQ(m->data, "p" + std::to_string(i));
  }
}

TEST_P(ReconnectTest, EachFailedAttemptIsReportedWithWhyItFailed) {
  NatsServer server("default.conf");
  auto c = Client::connect(url(server), fast_reconnect());
  ASSERT_TRUE(c.ok()) << c.error().message;
  Watch watch;
  watch.attach(**c);
  server.stop();
  // The first attempt follows the disconnect (which said why); the second
  // says why the first failed: the port is closed.
  auto failed = watch.wait_failed_attempt(10s);
  ASSERT_TRUE(failed.has_value()) << "no reconnecting status with an error";
  EXPECT_EQ(failed->attempt, 2u);
  EXPECT_EQ(failed->error.code, Errc::no_servers);
  EXPECT_NE(failed->error.message.find("cannot connect"), std::string::npos)
      << failed->error.message;
  server.restart();
  ASSERT_TRUE(watch.wait_reconnects(1, 10s));
  EXPECT_FALSE((*c)->flush());
}

// As nats.js: a request in flight fails when the connection is lost (not at
// its timeout), a flush made while down waits for the reconnect, and
// reconnect() forces one more.
TEST_P(ReconnectTest, RequestsInFlightFailAtTheLossFlushWaitsAndReconnectForcesOne) {
  NatsServer server("default.conf");
  auto c = Client::connect(url(server), fast_reconnect());
  ASSERT_TRUE(c.ok()) << c.error().message;
  Watch watch;
  watch.attach(**c);
  auto silent = (*c)->subscribe("silent.svc", [](const nats::native::Msg &) {});
  ASSERT_TRUE(silent.ok());
  ASSERT_FALSE((*c)->flush());
  std::atomic<bool> answered{false};
  std::optional<nats::Result<nats::native::Msg>> reply;
  std::thread requester([&] {
    reply.emplace((*c)->request("silent.svc", "x", 20s));
    answered = true;
  });
  polled_within(5s, [&] { return (*c)->pending_requests() != 0; });
  ASSERT_EQ((*c)->pending_requests(), 1u) << "the request is in flight";
  server.kill_hard();
  EXPECT_TRUE(polled_within(5s, [&] { return answered.load(); }))
      << "failed at the loss, within 5 s of its 20";
  requester.join();
  ASSERT_FALSE(reply->ok());
  EXPECT_EQ(reply->error().code, Errc::connection_lost) << reply->error().message;

  std::atomic<bool> flushed{false};
  nats::Error flush_error;
  std::thread flusher([&] {
    flush_error = (*c)->flush(10s);
    flushed = true;
  });
  server.restart();
  EXPECT_TRUE(polled_within(10s, [&] { return flushed.load(); }))
      << "the flush made while down ends after the reconnect";
  flusher.join();
  EXPECT_FALSE(flush_error) << flush_error.message;
  EXPECT_TRUE(watch.wait_reconnects(1, 10s));

  ASSERT_FALSE((*c)->reconnect());
  EXPECT_TRUE(watch.wait_reconnects(2, 10s)) << "reconnect() forces one";
  EXPECT_EQ(watch.disconnects(), 2);
  EXPECT_FALSE((*c)->flush());
}

// Without reconnects the loss closes the client; with two attempts it
// closes once both failed, with no_servers (nats.js: ConnectionError with
// that code), and refuses publishes after.
TEST_P(ReconnectTest, NoReconnectOrExhaustedAttemptsCloseWithATypedError) {
  NatsServer own("default.conf");
  nats::Options once = fast_reconnect();
  once.allow_reconnect = false;
  nats::Options few = fast_reconnect();
  few.max_reconnect_attempts = 2;
  few.reconnect_time_wait = 50ms;
  auto a = Client::connect(url(own), once);
  auto b = Client::connect(url(own), few);
  ASSERT_TRUE(a.ok() && b.ok());
  own.kill_hard();
  polled_within(5s, [&] { return (*a)->is_closed() && (*b)->is_closed(); });
  ASSERT_TRUE((*a)->is_closed()) << "closed at the loss";
  EXPECT_TRUE((*a)->last_error()) << "with why";
  ASSERT_TRUE((*b)->is_closed()) << "closed after its two attempts";
  EXPECT_EQ((*b)->last_error().code, Errc::no_servers) << (*b)->last_error().message;
  EXPECT_EQ((*b)->publish("after", "x").code, Errc::connection_closed);
}

// nats.js's waitOnFirstConnect: connect() keeps trying until a server
// answers, however long after connect_timeout that is, and fails once the
// attempts run out. (It used to give up after connect_timeout + 0.5 s.)
TEST_P(ReconnectTest, WaitOnFirstConnectWaitsForAServerThatStartsLater) {
  NatsServer late("default.conf");
  late.stop();  // its ports are known; nothing listens there now
  nats::Options o = fast_reconnect();
  o.reconnect_time_wait = 50ms;
  o.connect_timeout = 300ms;
  EXPECT_FALSE(Client::connect(url(late), o).ok()) << "without it: fails at once";

  o.wait_on_first_connect = true;
  std::atomic<bool> returned{false};
  std::optional<nats::Result<std::unique_ptr<Client>>> waited;
  std::thread connecting([&] {
    waited.emplace(Client::connect(url(late), o));
    returned = true;
  });
  // Not a synchronization: the case the option is for is a server that
  // comes up well after connect_timeout (and the 0.5 s of slack it had).
  std::this_thread::sleep_for(1500ms);
  EXPECT_FALSE(returned) << "with it: still trying";
  late.restart();
  EXPECT_TRUE(polled_within(15s, [&] { return returned.load(); }))
      << "connected within 15 s of the server starting";
  connecting.join();
  ASSERT_TRUE(waited->ok()) << waited->error().message;
  EXPECT_FALSE((**waited)->flush());
  EXPECT_EQ((**waited)->info().port, late.port());
  waited.reset();

  // With a limit, it fails once the attempts are used up.
  late.stop();
  o.max_reconnect_attempts = 3;
  const auto t0 = Clock::now();
  auto gave_up = Client::connect(url(late), o);
  EXPECT_FALSE(gave_up.ok());
  EXPECT_LT(Clock::now() - t0, 10s);
}

INSTANTIATE_TEST_SUITE_P(Transports, ReconnectTest, ::testing::Values(false, true),
                         [](const auto &p) { return p.param ? "ws" : "tcp"; });

// JetStream across 20 kill -9 restarts: a producer publishing with msg ids
// (retrying a failed publish with the same id) and a durable explicit-ack
// consumer. Nothing acknowledged by the server may be missing at the end.
TEST(ReconnectJetStream, NoAcknowledgedMessageLostAcrossTwentyRestarts) {
  NatsServer server("default.conf");
  auto c = Client::connect(server.ws_url(), fast_reconnect());
  ASSERT_TRUE(c.ok());
  Watch watch;
  watch.attach(**c);
  auto js = (*c)->jetstream();
  ASSERT_TRUE(js.ok());
  nats::js::StreamConfig cfg;
  cfg.name = "RESTARTS";
  cfg.subjects = {"restarts.>"};
  ASSERT_TRUE((*js)->add_stream(cfg).ok());
  nats::js::ConsumerConfig cc;
  cc.durable_name = "worker";
  cc.ack_wait = nats::js::Nanos{5'000'000'000};
  ASSERT_TRUE((*js)->add_consumer("RESTARTS", cc).ok());
  auto consumer = (*js)->pull_consumer("RESTARTS", "worker");
  ASSERT_TRUE(consumer.ok());

  std::mutex mu;
  std::condition_variable cv;
  std::set<std::string> seen;
  std::set<std::uint64_t> seqs;
  int duplicates = 0;    // a payload seen before
  int redeliveries = 0;  // ... at a stream sequence seen before (the consumer's state lost)
  auto handle = consumer->consume([&](const nats::native::JsMsg &m) {
    (void)m.ack();
    std::lock_guard lock(mu);
    if (!seen.insert(m.data).second) ++duplicates;
    if (!seqs.insert(m.seq()).second) ++redeliveries;
    cv.notify_all();
  });
  ASSERT_TRUE(handle.ok());

  std::atomic<bool> stop{false};
  std::atomic<int> acked{0};
  std::atomic<long long> last_ack_ms{0};
  std::thread producer([&] {
    for (int i = 0; !stop && i < 100000; ++i) {
      nats::js::PublishOptions po;
      po.msg_id = "m-" + std::to_string(i);
      po.timeout = 2000ms;
      // Until acknowledged (a message given up on would count as lost).
      while (!stop) {
        auto ack = (*js)->publish("restarts.x", "m-" + std::to_string(i), po);
        if (ack.ok()) {
          ++acked;
          last_ack_ms =
              std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
                  .count();
          break;
        }
        std::this_thread::sleep_for(20ms);  // back off a little before the same msg id again
      }
    }
  });

  std::vector<long long> recovery_ms;
  for (int r = 1; r <= 20; ++r) {
    const int before = acked;
    // Let the producer make progress between restarts.
    for (int i = 0; i < 500 && acked < before + 20; ++i) std::this_thread::sleep_for(10ms);
    server.kill_hard();
    server.restart();
    const auto ready = Clock::now();
    const int at_ready = acked;
    for (int i = 0; i < 1000 && acked == at_ready; ++i) std::this_thread::sleep_for(5ms);
    ASSERT_GT(acked.load(), at_ready) << "no PubAck after restart " << r;
    recovery_ms.push_back(
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - ready).count());
  }
  stop = true;
  producer.join();
  const int total = acked;
  std::sort(recovery_ms.begin(), recovery_ms.end());
  int lost = 0;
  int dup_count = 0;
  int redelivered_count = 0;
  {
    // Released before stream_info: a late redelivery's callback takes mu on
    // the I/O thread that the call's reply needs.
    std::unique_lock lock(mu);
    cv.wait_for(lock, 30s, [&] { return missing_ids(seen, "m", total) == 0; });
    lost = missing_ids(seen, "m", total);
    dup_count = duplicates;
    redelivered_count = redeliveries;
  }
  auto info = (*js)->stream_info("RESTARTS");
  const auto stored = info.ok() ? info->state.messages : 0;
  std::printf(
      "[ restarts ] acked %d, stored %llu, lost %d, duplicates %d (redelivered %d), "
      "ready->PubAck median %lld ms, max %lld ms\n",
      total, static_cast<unsigned long long>(stored), lost, dup_count, redelivered_count,
      recovery_ms[recovery_ms.size() / 2], recovery_ms.back());
  EXPECT_EQ(lost, 0) << "every acknowledged message is delivered";
  EXPECT_GT(total, 100);
}

}  // namespace

namespace {

TEST(ReconnectPool, SetServersMovesTheNextReconnectToTheNewPool) {
  NatsServer first("default.conf");
  NatsServer second("default.conf");
  auto nc = Client::connect(first.ws_url(), fast_reconnect());
  ASSERT_TRUE(nc.ok()) << nc.error().message;
  Watch watch;
  watch.attach(**nc);
  EXPECT_EQ((*nc)->set_servers({}).code, Errc::invalid_argument);
  ASSERT_FALSE((*nc)->set_servers({second.ws_url()}));
  EXPECT_EQ((*nc)->servers(), std::vector<std::string>{second.ws_url()});
  ASSERT_FALSE((*nc)->reconnect());
  ASSERT_TRUE(watch.wait_reconnects(1, 10s));
  auto sub = (*nc)->subscribe("pool.check");
  ASSERT_TRUE(sub.ok());
  ASSERT_FALSE((*nc)->flush());
  // Connected to the second server: a client of the second sees our interest.
  auto other = Client::connect(second.ws_url());
  ASSERT_TRUE(other.ok());
  ASSERT_FALSE((*other)->publish("pool.check", "here"));
  ASSERT_FALSE((*other)->flush());
  auto msg = (*sub)->next_msg(5s);
  ASSERT_TRUE(msg.ok()) << msg.error().message;
  EXPECT_EQ(msg->data, "here");
}

}  // namespace
