// A 3-node cluster, natively, over TCP and WebSocket (the JS and Python
// suites have the same scenario): given one URL, the client learns the
// other two; a producer with msg ids and an explicit-ack consumer on an R3
// stream lose nothing acknowledged while the connected node and then the
// stream's leader are killed; a node entering lame duck mode moves the
// client to another without closing it. Every wait is bounded.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cluster_fixture.hpp"
#include "nats/native/client.hpp"
#include "nats/native/consumer.hpp"
#include "nats/native/jetstream.hpp"
#include "status_watch.hpp"

namespace {

using namespace std::chrono_literals;
using nats::native::Client;
using nats::testing::missing_ids;
using nats::testing::NatsCluster;
using nats::testing::NatsServer;
using nats::testing::polled_within;
using nats::testing::StatusWatch;
using ClusterClock = std::chrono::steady_clock;

class ClusterTest : public ::testing::TestWithParam<bool> {
protected:
  std::string url(const NatsServer &s) const { return GetParam() ? s.ws_url() : s.tcp_url(); }
};

// Until the cluster has elected its JetStream meta leader (and, after a
// node comes back, while it catches up), API calls go unanswered or fail:
// retried for up to 30 s.
bool until_answered(const std::function<bool()> &call) {
  const auto deadline = ClusterClock::now() + 30s;
  while (ClusterClock::now() < deadline) {
    if (call()) return true;
    std::this_thread::sleep_for(200ms);
  }
  return false;
}

TEST_P(ClusterTest, DiscoveryNodeAndLeaderLossLoseNothingAndLameDuckMovesTheClient) {
  NatsCluster cluster(3);
  nats::Options o = nats::testing::fast_reconnect();
  o.no_randomize = true;
  auto c = Client::connect(url(cluster.node(0)), o);
  ASSERT_TRUE(c.ok()) << c.error().message;
  StatusWatch watch;
  watch.attach(**c);
  polled_within(10s, [&] { return (*c)->servers().size() >= 3; });
  ASSERT_EQ((*c)->servers().size(), 3u) << "the other two nodes are announced";

  nats::js::ContextOptions fast_api;
  fast_api.timeout = 2000ms;
  auto js = (*c)->jetstream(fast_api);
  ASSERT_TRUE(js.ok());
  nats::js::StreamConfig cfg;
  cfg.name = "R3";
  cfg.subjects = {"r3.>"};
  cfg.num_replicas = 3;
  nats::js::ConsumerConfig cc;
  cc.durable_name = "w";
  cc.num_replicas = 3;
  cc.ack_wait = nats::js::Nanos{5'000'000'000};
  ASSERT_TRUE(until_answered([&] {
    // Adding either again with the same config is no change.
    return (*js)->add_stream(cfg).ok() && (*js)->add_consumer("R3", cc).ok();
  })) << "the R3 stream and its durable are created";
  auto consumer = (*js)->pull_consumer("R3", "w");
  ASSERT_TRUE(consumer.ok());

  std::mutex mu;
  std::condition_variable cv;
  std::set<std::string> seen;
  auto handle = consumer->consume([&](const nats::native::JsMsg &m) {
    (void)m.ack();
    std::lock_guard lock(mu);
    seen.insert(m.data);
    cv.notify_all();
  });
  ASSERT_TRUE(handle.ok());

  std::atomic<bool> stop{false};
  std::atomic<int> acked{0};
  std::thread producer([&] {
    for (int i = 0; !stop; ++i) {
      nats::js::PublishOptions po;
      po.msg_id = "c-" + std::to_string(i);
      // Until acknowledged: through an election the stream answers with
      // errors (no responders, timeouts) for seconds.
      while (!stop) {
        if ((*js)->publish("r3.x", po.msg_id, po).ok()) {
          ++acked;  // c-0 .. c-(acked-1): each is retried until acknowledged
          break;
        }
        std::this_thread::sleep_for(20ms);  // the same msg id again, a little later
      }
    }
  });
  // Up to 45 s for n more PubAcks: a leader election takes seconds, and
  // under the sanitizers with both cores busy it took 18-20 s here.
  auto progress = [&](int n) {
    const int from = acked;
    return polled_within(45s, [&] { return acked >= from + n; });
  };
  auto connected_node = [&] { return cluster.by_name((*c)->info().server_name); };

  EXPECT_TRUE(progress(20)) << "before any loss";
  // The connected node goes: the client moves to another.
  NatsServer *first = connected_node();
  ASSERT_NE(first, nullptr) << (*c)->info().server_name;
  auto t0 = ClusterClock::now();
  first->kill_hard();
  EXPECT_TRUE(watch.wait_reconnects(1, 15s)) << "reconnected to another node";
  EXPECT_TRUE(progress(1)) << "after the connected node was killed";
  const auto node_loss = ClusterClock::now() - t0;
  EXPECT_TRUE(progress(20));
  // Back to three nodes (a quorum survives the next loss), then the stream's leader goes.
  first->restart();
  std::string leader_name;
  ASSERT_TRUE(until_answered([&] {
    auto info = (*js)->stream_info("R3");
    if (!info.ok() || !info->cluster || info->cluster->leader.empty()) return false;
    leader_name = info->cluster->leader;
    return true;
  }));
  NatsServer *leader = cluster.by_name(leader_name);
  ASSERT_NE(leader, nullptr) << leader_name;
  t0 = ClusterClock::now();
  leader->kill_hard();
  EXPECT_TRUE(progress(1)) << "after the stream leader " << leader_name << " was killed";
  const auto leader_loss = ClusterClock::now() - t0;
  EXPECT_TRUE(progress(20));
  stop = true;
  producer.join();

  const int total = acked;
  std::set<std::string> seen_now;  // a copy: the diagnostics below call the client
  {
    std::unique_lock lock(mu);
    cv.wait_for(lock, 30s, [&] { return missing_ids(seen, "c", total) == 0; });
    seen_now = seen;
  }
  const int lost = missing_ids(seen_now, "c", total);
  std::printf(
      "[ cluster ] acked %d, lost %d; next PubAck %lld ms after the connected node was "
      "killed, %lld ms after the stream leader\n",
      total, lost,
      static_cast<long long>(
          std::chrono::duration_cast<std::chrono::milliseconds>(node_loss).count()),
      static_cast<long long>(
          std::chrono::duration_cast<std::chrono::milliseconds>(leader_loss).count()));
  if (lost > 0) {
    // Whether the stream holds each one (not stored, or stored and not
    // delivered), and what the consumer says it delivered and had acked.
    std::set<std::string> stored;
    for (std::uint64_t seq = 1;; ++seq) {
      auto m = (*js)->get_msg("R3", seq);
      if (!m.ok()) break;
      stored.insert(m->data);
    }
    for (int i = 0; i < total; ++i) {
      const std::string id = "c-" + std::to_string(i);
      if (seen_now.count(id) != 0) continue;
      std::printf("[ cluster ] %s: %s\n", id.c_str(),
                  stored.count(id) ? "in the stream" : "not in the stream");
    }
    if (auto ci = (*js)->consumer_info("R3", "w"); ci.ok()) {
      std::printf("[ cluster ] consumer: delivered %llu, ack floor %llu, ack pending %lld\n",
                  static_cast<unsigned long long>(ci->delivered.stream_seq),
                  static_cast<unsigned long long>(ci->ack_floor.stream_seq),
                  static_cast<long long>(ci->num_ack_pending));
    }
  }
  EXPECT_EQ(lost, 0) << "every acknowledged message is delivered";
  handle->stop();

  // Only the killed leader was down: with all three up, lame duck mode on
  // the connected node moves the client to another, without an error.
  leader->restart();
  ASSERT_FALSE((*c)->flush());
  NatsServer *here = connected_node();
  ASSERT_NE(here, nullptr);
  const std::string left = (*c)->info().server_name;
  const int reconnects = watch.reconnects();
  ASSERT_EQ(::kill(here->pid(), SIGUSR2), 0);
  EXPECT_TRUE(watch.wait_lame_ducks(1, 10s)) << "the lame duck status";
  EXPECT_TRUE(watch.wait_reconnects(reconnects + 1, 15s)) << "moved to another node";
  EXPECT_NE((*c)->info().server_name, left);
  EXPECT_FALSE((*c)->is_closed());
  EXPECT_FALSE((*c)->flush());
}

INSTANTIATE_TEST_SUITE_P(Transports, ClusterTest, ::testing::Values(false, true),
                         [](const auto &p) { return p.param ? "ws" : "tcp"; });

}  // namespace
