#pragma once
// The fixture of the JetStream integration tests: one JetStream-enabled
// nats-server per suite, a connection and a JetStream context per test,
// and stream names that no other test uses.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "nats/native/client.hpp"
#include "nats/native/jetstream.hpp"
#include "server_fixture.hpp"

namespace nats::testing {

/// How long a test waits for what the server does at once (a watch's entry,
/// a reconnect on loopback).
inline constexpr std::chrono::seconds kWait{5};

/// Which native transport a test runs over.
enum class JsTransport { tcp, ws };

/// "tcp" or "ws", for test names.
inline std::string js_transport_name(const ::testing::TestParamInfo<JsTransport> &p) {
  return p.param == JsTransport::tcp ? "tcp" : "ws";
}

/// True when `v` holds `s`.
inline bool contains(const std::vector<std::string> &v, const std::string &s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

/// A connected client and JetStream context over the test's transport.
class JetStreamFixture : public ::testing::TestWithParam<JsTransport> {
protected:
  static void SetUpTestSuite() { server_ = std::make_unique<NatsServer>("default.conf"); }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    Options o;
    o.connect_timeout = std::chrono::milliseconds(5000);
    auto url = GetParam() == JsTransport::tcp ? server_->tcp_url() : server_->ws_url();
    auto c = native::Client::connect(url, o);
    ASSERT_TRUE(c.ok()) << c.error().message;
    nc_ = std::move(*c);
    auto j = nc_->jetstream();
    ASSERT_TRUE(j.ok()) << j.error().message;
    js_ = *j;
  }

  /// Tests share one server: every stream name carries its test and transport.
  std::string unique(const std::string &base) const {
    return base + "_" + (GetParam() == JsTransport::tcp ? "tcp" : "ws");
  }

  /// Creates a stream NAME on the subjects "NAME.>".
  js::StreamInfo make_stream(const std::string &name, bool allow_direct = false) {
    js::StreamConfig cfg;
    cfg.name = name;
    cfg.subjects = {name + ".>"};
    if (allow_direct) cfg.allow_direct = true;
    auto info = js_->add_stream(cfg);
    EXPECT_TRUE(info.ok()) << info.error().message;
    return info.ok() ? *info : js::StreamInfo{};
  }

  /// Publishes and expects an ack.
  void publish(const std::string &subject, const std::string &data,
               const Headers *headers = nullptr) {
    auto ack = js_->publish(subject, data, {}, headers);
    ASSERT_TRUE(ack.ok()) << ack.error().message;
  }

  inline static std::unique_ptr<NatsServer> server_;
  std::unique_ptr<native::Client> nc_;
  std::shared_ptr<native::JetStream> js_;
};

}  // namespace nats::testing
