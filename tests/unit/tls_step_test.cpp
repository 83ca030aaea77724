// The TLS step of the handshake over TCP: nats-server sends INFO in the
// clear, the client upgrades (the host's TLS), then CONNECT goes over TLS.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nats/engine.hpp"
#include "scripted_peer.hpp"

namespace {

using nats::Errc;
using nats::Event;
using nats::EventType;
using nats::Options;
using nats::State;
using nats::Time;
using nats_test::info_line;
using nats_test::ScriptedPeer;

const std::string kTlsInfo =
    info_line(R"({"server_id":"S","version":"2.9.10","proto":1,"max_payload":1048576,)"
              R"("tls_required":true})");
const std::string kPlainInfo =
    info_line(R"({"server_id":"S","version":"2.9.10","proto":1,"max_payload":1048576})");

Options with_server(const std::string &url) {
  Options o;
  o.servers = {url};
  o.schemes = {"nats", "tls", "ws", "wss"};
  o.allow_reconnect = false;
  return o;
}

nlohmann::json connect_json(ScriptedPeer &peer) {
  for (const auto &op : peer.written()) {
    if (op.rfind("CONNECT ", 0) == 0) return nlohmann::json::parse(op.substr(8));
  }
  ADD_FAILURE() << "no CONNECT";
  return {};
}

std::vector<EventType> types(const std::vector<Event> &evs) {
  std::vector<EventType> out;
  for (const auto &e : evs) out.push_back(e.type);
  return out;
}

TEST(TlsStepTest, TlsUrlUpgradesBeforeConnect) {
  ScriptedPeer peer(with_server("tls://example.test:4443"));
  peer.open();
  auto evs = peer.feed(kTlsInfo);
  ASSERT_EQ(types(evs), std::vector<EventType>{EventType::tls_upgrade});
  EXPECT_EQ(evs[0].text, "example.test") << "the host name to verify";
  EXPECT_EQ(peer.engine().state(), State::signing);
  EXPECT_TRUE(peer.written().empty()) << "nothing in the clear after INFO";
  ASSERT_FALSE(peer.engine().tls_upgraded({}, Time{1}));
  EXPECT_EQ(connect_json(peer).at("tls_required"), true);
  EXPECT_EQ(peer.feed_summaries("PONG\r\n"), std::vector<std::string>{"connected 0"});
}

TEST(TlsStepTest, ServerRequiringTlsUpgradesANatsUrl) {
  ScriptedPeer peer(with_server("nats://127.0.0.1:4222"));
  peer.open();
  EXPECT_EQ(types(peer.feed(kTlsInfo)), std::vector<EventType>{EventType::tls_upgrade});
}

TEST(TlsStepTest, PlainServerAndUrlNeedNoTls) {
  ScriptedPeer peer(with_server("nats://127.0.0.1:4222"));
  auto j = nlohmann::json::parse(peer.handshake(kPlainInfo));
  EXPECT_EQ(j.at("tls_required"), false);
}

TEST(TlsStepTest, TlsRequiredOptionUsesTlsAvailable) {
  Options o = with_server("nats://127.0.0.1:4222");
  o.tls_required = true;
  ScriptedPeer peer(o);
  peer.open();
  auto evs = peer.feed(info_line(
      R"({"server_id":"S","version":"2.9.10","proto":1,"max_payload":1048576,"tls_available":true})"));
  EXPECT_EQ(types(evs), std::vector<EventType>{EventType::tls_upgrade});
}

TEST(TlsStepTest, TlsUrlToAServerWithoutTlsFails) {
  ScriptedPeer peer(with_server("tls://127.0.0.1:4222"));
  peer.open();
  peer.feed(kPlainInfo);
  EXPECT_EQ(peer.engine().state(), State::closed);
  EXPECT_EQ(peer.engine().last_error().code, Errc::tls_failed);
}

TEST(TlsStepTest, HandshakeFailureIsTlsFailed) {
  ScriptedPeer peer(with_server("tls://127.0.0.1:4222"));
  peer.open();
  peer.feed(kTlsInfo);
  ASSERT_FALSE(
      peer.engine().tls_upgraded({Errc::connection_lost, "certificate verify failed"}, Time{1}));
  EXPECT_EQ(peer.engine().state(), State::closed);
  EXPECT_EQ(peer.engine().last_error().code, Errc::tls_failed);
  EXPECT_NE(peer.engine().last_error().message.find("certificate"), std::string::npos);
}

TEST(TlsStepTest, WebSocketTlsIsTheTransportsOwn) {
  ScriptedPeer peer(with_server("wss://127.0.0.1:443"));
  auto j = nlohmann::json::parse(peer.handshake(kTlsInfo));
  EXPECT_EQ(j.at("tls_required"), true) << "wss runs over TLS; no upgrade step";
}

TEST(TlsStepTest, TlsThenAuthThenSignature) {
  Options o = with_server("tls://127.0.0.1:4222");
  o.nkey_seed = "SUACSSL3UAHUDXKFSNVUZRF5UHPMWZ6BFDTJ7M6USDXIEDNPPQYYYCU3VY";
  ScriptedPeer peer(o);
  peer.open();
  peer.feed(info_line(R"({"server_id":"S","version":"2.9.10","proto":1,"max_payload":1048576,)"
                      R"("tls_required":true,"nonce":"abc"})"));
  ASSERT_FALSE(peer.engine().tls_upgraded({}, Time{1}));
  auto evs = peer.events();
  ASSERT_EQ(types(evs), std::vector<EventType>{EventType::sign_nonce});
  EXPECT_EQ(evs[0].text, "abc");
  EXPECT_EQ(peer.engine().tls_upgraded({}, Time{1}).code, Errc::illegal_state);
}

}  // namespace
