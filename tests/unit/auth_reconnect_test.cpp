// An authorization error after the connection was up, with a scripted
// server: one refusal is one failed reconnect attempt; the same refusal
// twice in a row closes (nats.js), unless ignore_auth_error_abort (nats.py
// keeps trying); a handshake that succeeds in between starts the count over.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nats/engine.hpp"
#include "scripted_peer.hpp"

namespace {

using nats::Duration;
using nats::Errc;
using nats::Options;
using nats::State;
using nats::Time;

constexpr std::string_view kRefused = "-ERR 'Authorization Violation'\r\n";

Options reconnecting(bool ignore_auth_error_abort) {
  Options o;
  o.servers = {"nats://a:4222"};
  o.reconnect_jitter = Duration{0};
  o.ping_interval = Duration{0};
  o.connect_timeout = Duration{0};
  o.ignore_auth_error_abort = ignore_auth_error_abort;
  return o;
}

class AuthReconnectTest : public ::testing::Test {
protected:
  nats::Engine &engine() { return peer_->engine(); }
  void start(bool ignore) {
    peer_ = std::make_unique<nats_test::ScriptedPeer>(reconnecting(ignore));
    peer_->handshake();
    peer_->now = Time{10};
    engine().transport_closed(Time{10});
    peer_->all_events();
  }
  // The next attempt: the timer fires, the transport opens, INFO comes and
  // the engine sends CONNECT + PING; then the server answers `reply`.
  void attempt(std::string_view reply) {
    auto at = engine().next_deadline();
    ASSERT_TRUE(at.has_value());
    peer_->now = *at;
    engine().handle_timeout(*at);
    engine().transport_opened(*at);
    peer_->feed(nats_test::kInfo);
    peer_->written();
    peer_->feed(reply);
  }
  std::unique_ptr<nats_test::ScriptedPeer> peer_;
};

TEST_F(AuthReconnectTest, OneRefusalIsAFailedAttemptTheSameTwiceCloses) {
  start(false);
  attempt(kRefused);
  EXPECT_EQ(engine().state(), State::reconnecting) << "one refusal: try again";
  EXPECT_EQ(engine().last_error().code, Errc::authorization_violation);
  attempt(kRefused);
  EXPECT_EQ(engine().state(), State::closed) << "the same refusal twice: final";
  EXPECT_EQ(engine().last_error().code, Errc::authorization_violation);
}

TEST_F(AuthReconnectTest, IgnoreAuthErrorAbortKeepsTrying) {
  start(true);
  for (int i = 0; i < 4; ++i) {
    attempt(kRefused);
    ASSERT_EQ(engine().state(), State::reconnecting) << "attempt " << i;
  }
  attempt("PONG\r\n");
  EXPECT_EQ(engine().state(), State::connected);
}

TEST_F(AuthReconnectTest, ASuccessfulHandshakeStartsTheCountOver) {
  start(false);
  attempt(kRefused);
  attempt("PONG\r\n");
  ASSERT_EQ(engine().state(), State::connected);
  peer_->now = Time{100000};
  engine().transport_closed(Time{100000});
  attempt(kRefused);
  EXPECT_EQ(engine().state(), State::reconnecting) << "one refusal since the last handshake";
}

}  // namespace
