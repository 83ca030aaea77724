// A native client's own lifecycle against a real nats-server, over TCP and
// WebSocket: closed, unsubscribed or destroyed from inside its own
// callbacks (on its I/O thread, which cannot join itself), and declared
// stale when a frozen server stops answering PINGs. Every wait is bounded.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "nats/native/client.hpp"
#include "server_fixture.hpp"
#include "status_watch.hpp"

namespace {

using namespace std::chrono_literals;
using nats::Errc;
using nats::native::Client;
using nats::testing::NatsServer;
using nats::testing::polled_within;

class LifecycleTest : public ::testing::TestWithParam<bool> {
protected:
  static void SetUpTestSuite() { server_ = std::make_unique<NatsServer>("default.conf"); }
  static void TearDownTestSuite() { server_.reset(); }
  std::string url() const { return GetParam() ? server_->ws_url() : server_->tcp_url(); }
  static std::unique_ptr<NatsServer> server_;
};
std::unique_ptr<NatsServer> LifecycleTest::server_;

TEST_P(LifecycleTest, CloseFromASubscriptionCallbackMidBatch) {
  auto c = Client::connect(url());
  ASSERT_TRUE(c.ok()) << c.error().message;
  std::atomic<int> calls{0};
  Client *raw = c->get();
  auto stopper = (*c)->subscribe("life.stop", [&](const nats::native::Msg &) {
    ++calls;
    raw->close();
  });
  ASSERT_TRUE(stopper.ok());
  auto other = (*c)->subscribe("life.other");
  ASSERT_TRUE(other.ok());
  ASSERT_FALSE((*c)->flush());

  auto pub = Client::connect(url());
  ASSERT_TRUE(pub.ok());
  // Close to one read: the stop message, then more for both subjects.
  ASSERT_FALSE((*pub)->publish("life.stop", "x"));
  for (int i = 0; i < 20; ++i) {
    ASSERT_FALSE((*pub)->publish("life.other", std::to_string(i)));
    ASSERT_FALSE((*pub)->publish("life.stop", "again"));
  }
  ASSERT_FALSE((*pub)->flush());
  EXPECT_TRUE(polled_within(3s, [&] { return (*c)->is_closed(); }));
  EXPECT_EQ(calls, 1) << "no callback after the close";
  EXPECT_FALSE((*c)->last_error()) << "closed by us: cleanly";
  EXPECT_EQ((*c)->publish("life.other", "late").code, Errc::connection_closed);
}

TEST_P(LifecycleTest, UnsubscribeFromItsCallbackMidBatch) {
  auto c = Client::connect(url());
  ASSERT_TRUE(c.ok()) << c.error().message;
  std::atomic<int> calls{0};
  std::shared_ptr<nats::native::Subscription> self;
  std::atomic<bool> armed{false};
  auto sub = (*c)->subscribe("life.unsub", [&](const nats::native::Msg &) {
    ++calls;
    if (armed) (void)self->unsubscribe();
  });
  ASSERT_TRUE(sub.ok());
  self = *sub;
  armed = true;
  ASSERT_FALSE((*c)->flush());
  auto pub = Client::connect(url());
  ASSERT_TRUE(pub.ok());
  for (int i = 0; i < 20; ++i) ASSERT_FALSE((*pub)->publish("life.unsub", std::to_string(i)));
  ASSERT_FALSE((*pub)->flush());
  EXPECT_TRUE(polled_within(3s, [&] { return self->is_closed(); }));
  ASSERT_FALSE((*c)->flush());
  EXPECT_EQ(calls, 1) << "nothing delivered after unsubscribe()";
}

TEST_P(LifecycleTest, DestroyedFromItsOwnCallback) {
  auto c = Client::connect(url());
  ASSERT_TRUE(c.ok()) << c.error().message;
  std::shared_ptr<Client> owned(std::move(*c));
  std::atomic<bool> destroyed{false};
  std::weak_ptr<Client> weak = owned;
  // The callback holds the last reference: dropping it runs ~Client on the
  // client's own I/O thread.
  std::shared_ptr<Client> *holder = new std::shared_ptr<Client>(owned);
  auto sub = owned->subscribe("life.destroy", [holder, &destroyed](const nats::native::Msg &) {
    if (destroyed.exchange(true)) return;
    delete holder;
  });
  ASSERT_TRUE(sub.ok());
  ASSERT_FALSE(owned->flush());
  owned.reset();
  ASSERT_FALSE(weak.expired()) << "only the callback's reference is left";

  auto pub = Client::connect(url());
  ASSERT_TRUE(pub.ok());
  ASSERT_FALSE((*pub)->publish("life.destroy", "bye"));
  ASSERT_FALSE((*pub)->flush());
  EXPECT_TRUE(polled_within(3s, [&] { return destroyed.load() && weak.expired(); }))
      << "destroyed from its own callback";
}

TEST_P(LifecycleTest, AFrozenServerMakesTheConnectionStale) {
  NatsServer own("default.conf");  // frozen below: not the suite's server
  nats::Options o;
  o.ping_interval = 200ms;
  o.max_pings_out = 2;
  o.allow_reconnect = false;
  auto c = Client::connect(GetParam() ? own.ws_url() : own.tcp_url(), o);
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_FALSE((*c)->flush());
  ASSERT_EQ(::kill(own.pid(), SIGSTOP), 0);
  const bool closed = polled_within(5s, [&] { return (*c)->is_closed(); });
  ::kill(own.pid(), SIGCONT);
  ASSERT_TRUE(closed) << "two PINGs unanswered close the connection";
  EXPECT_EQ((*c)->last_error().code, Errc::stale_connection) << (*c)->last_error().message;
}

// Accepts TCP (the kernel's backlog does) but never says a word: no INFO
// over TCP, no WebSocket upgrade. connect() fails with a timeout after
// connect_timeout, not later and not never.
TEST_P(LifecycleTest, AServerThatNeverAnswersTimesTheConnectOut) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 8), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
  const std::string port = std::to_string(ntohs(addr.sin_port));
  nats::Options o;
  o.connect_timeout = 300ms;
  const auto t0 = std::chrono::steady_clock::now();
  auto c = Client::connect((GetParam() ? "ws://127.0.0.1:" : "nats://127.0.0.1:") + port, o);
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  ::close(fd);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::timeout) << c.error().message;
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 3s);
}

INSTANTIATE_TEST_SUITE_P(Transports, LifecycleTest, ::testing::Values(false, true),
                         [](const auto &p) { return p.param ? "ws" : "tcp"; });

}  // namespace
