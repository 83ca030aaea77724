// Engine unit tests: a scripted server drives nats::Engine byte for byte and
// the tests assert on the exact client ops written and the events produced.

#include "nats/engine.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "scripted_peer.hpp"

namespace {

using nats::Duration;
using nats::Engine;
using nats::Errc;
using nats::Event;
using nats::EventType;
using nats::Options;
using nats::State;
using nats::Time;
using nats_test::hmsg;
using nats_test::info_line;
using nats_test::kInfo;
using nats_test::msg;
using nats_test::ScriptedPeer;
using Ops = std::vector<std::string>;
using Transcript = std::vector<std::string>;

// -1 stands for "no deadline" so gtest prints plain numbers on failure.
long long deadline_ms(const Engine &engine) {
  auto d = engine.next_deadline();
  return d ? static_cast<long long>(d->count()) : -1;
}

// True when s is "<prefix>.<22 base62 chars>", the shape of a new inbox.
// Hand-rolled: std::regex trips -Wmaybe-uninitialized in GCC 12 at -O1+.
bool is_inbox(std::string_view s, std::string_view prefix) {
  if (s.size() != prefix.size() + 1 + 22 || s.substr(0, prefix.size()) != prefix ||
      s[prefix.size()] != '.') {
    return false;
  }
  for (char c : s.substr(prefix.size() + 1)) {
    bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!alnum) return false;
  }
  return true;
}

// The mux prefix ("<inbox>.") from a "SUB <inbox>.* <sid>" line.
std::string mux_prefix_from_sub(const std::string &sub_line,
                                std::string_view inbox_prefix = "_INBOX") {
  std::string_view line = sub_line;
  std::size_t star = line.find(".* ");
  if (line.substr(0, 4) != "SUB " || star == std::string_view::npos ||
      !is_inbox(line.substr(4, star - 4), inbox_prefix) ||
      line.find_first_not_of("0123456789", star + 3) != std::string_view::npos ||
      line.size() == star + 3) {
    ADD_FAILURE() << "not a mux SUB line: " << sub_line;
    return {};
  }
  return std::string(line.substr(4, star - 4 + 1));
}

class EngineTest : public ::testing::Test {
protected:
  Engine &engine() { return peer_.engine(); }

  // Handshake, one request, and its mux prefix: shared setup of the request
  // tests.
  std::string connect_and_request(std::uint64_t &id, Duration timeout = Duration{1000}) {
    peer_.handshake();
    auto r = engine().request("svc", "hi", Time{0}, timeout);
    EXPECT_TRUE(r.ok());
    id = r.ok() ? *r : 0;
    auto ops = peer_.written();
    EXPECT_EQ(ops.size(), 2u);
    return ops.empty() ? std::string{} : mux_prefix_from_sub(ops[0]);
  }

  ScriptedPeer peer_;
};

// --- handshake -------------------------------------------------------------

TEST_F(EngineTest, HandshakeGoesInfoConnectPingPongConnected) {
  EXPECT_EQ(engine().state(), State::disconnected);
  engine().connect(Time{0});
  EXPECT_EQ(engine().state(), State::connecting);
  auto opened = peer_.all_events();
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0].type, EventType::transport_open);
  EXPECT_EQ(opened[0].text, "nats://127.0.0.1:4222") << "the default server";
  engine().transport_opened(Time{0});
  EXPECT_EQ(engine().state(), State::awaiting_info);
  EXPECT_TRUE(peer_.written().empty()) << "nothing may be sent before INFO";

  EXPECT_TRUE(peer_.feed(kInfo).empty());
  EXPECT_EQ(engine().state(), State::handshaking);
  Ops ops = peer_.written();
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].rfind("CONNECT {", 0), 0u) << ops[0];
  EXPECT_EQ(ops[1], "PING");

  EXPECT_EQ(peer_.feed_summaries("PONG\r\n"), Transcript{"connected 0"});
  EXPECT_EQ(engine().state(), State::connected);
  EXPECT_EQ(nats::state_name(engine().state()), "connected");
  EXPECT_FALSE(engine().last_error());
}

TEST_F(EngineTest, StateNamesAreStable) {
  EXPECT_EQ(nats::state_name(State::disconnected), "disconnected");
  EXPECT_EQ(nats::state_name(State::awaiting_info), "awaiting_info");
  EXPECT_EQ(nats::state_name(State::handshaking), "handshaking");
  EXPECT_EQ(nats::state_name(State::connected), "connected");
  EXPECT_EQ(nats::state_name(State::draining), "draining");
  EXPECT_EQ(nats::state_name(State::reconnecting), "reconnecting");
  EXPECT_EQ(nats::state_name(State::closed), "closed");
}

TEST(EngineConnectTest, ConnectJsonHasProtocolFields) {
  Options o;
  o.name = "unit";
  o.lang = "cpp-test";
  o.version = "9.9.9";
  ScriptedPeer peer(o);
  std::string json = peer.handshake();
  // The brief asks for these exact compact spellings on the wire.
  EXPECT_NE(json.find("\"headers\":true"), std::string::npos) << json;
  EXPECT_NE(json.find("\"no_responders\":true"), std::string::npos) << json;
  EXPECT_NE(json.find("\"verbose\":false"), std::string::npos) << json;
  EXPECT_NE(json.find("\"protocol\":1"), std::string::npos) << json;
  auto j = nlohmann::json::parse(json);
  EXPECT_EQ(j.at("name"), "unit");
  EXPECT_EQ(j.at("lang"), "cpp-test");
  EXPECT_EQ(j.at("version"), "9.9.9");
  EXPECT_EQ(j.at("pedantic"), false);
  EXPECT_EQ(j.at("echo"), true);
  EXPECT_FALSE(j.contains("auth_token"));
  EXPECT_FALSE(j.contains("user"));
  EXPECT_FALSE(j.contains("pass"));
}

TEST(EngineConnectTest, ConnectJsonCarriesToken) {
  Options o;
  o.token = "s3cr3t";
  ScriptedPeer peer(o);
  auto j = nlohmann::json::parse(peer.handshake());
  EXPECT_EQ(j.at("auth_token"), "s3cr3t");
  EXPECT_FALSE(j.contains("user"));
  // An unnamed client must not send an empty name.
  EXPECT_FALSE(j.contains("name"));
}

TEST(EngineConnectTest, ConnectJsonCarriesUserPassAndEchoFalse) {
  Options o;
  o.user = "alice";
  o.pass = "pw";
  o.echo = false;
  ScriptedPeer peer(o);
  std::string json = peer.handshake();
  EXPECT_NE(json.find("\"echo\":false"), std::string::npos) << json;
  auto j = nlohmann::json::parse(json);
  EXPECT_EQ(j.at("user"), "alice");
  EXPECT_EQ(j.at("pass"), "pw");
  EXPECT_FALSE(j.contains("auth_token"));
}

TEST_F(EngineTest, MaxPayloadAndServerFieldsComeFromInfo) {
  EXPECT_EQ(engine().max_payload(), 1024u * 1024u) << "default before INFO";
  peer_.handshake(info_line(R"({"server_id":"NABC","version":"2.9.10","proto":1,)"
                            R"("headers":true,"max_payload":4096})"));
  EXPECT_EQ(engine().max_payload(), 4096u);
  EXPECT_EQ(engine().info().server_id, "NABC");
  EXPECT_EQ(engine().info().version, "2.9.10");
  EXPECT_TRUE(engine().info().headers);
}

TEST_F(EngineTest, InfoUpdateAfterConnectEmitsInfoEventWithConnectUrls) {
  peer_.handshake(info_line(R"({"server_id":"S","proto":1,"headers":true,)"
                            R"("connect_urls":["10.0.0.1:4222"]})"));
  EXPECT_EQ(engine().info().connect_urls, Ops{"10.0.0.1:4222"});

  auto evs = peer_.feed(info_line(R"({"server_id":"S","proto":1,"headers":true,)"
                                  R"("connect_urls":["10.0.0.1:4222","10.0.0.2:4222"]})"));
  EXPECT_EQ(nats_test::summaries(evs), (Transcript{"servers_changed 0", "info 0"}));
  EXPECT_EQ(evs[0].text, R"(["10.0.0.2:4222"])") << "the one the pool did not have";
  EXPECT_EQ(evs[0].text2, "[]");
  EXPECT_EQ(engine().info().connect_urls, (Ops{"10.0.0.1:4222", "10.0.0.2:4222"}));
  EXPECT_EQ(engine().state(), State::connected);
  // An INFO must not be answered: the client only sends CONNECT once.
  EXPECT_TRUE(peer_.written().empty());
}

TEST_F(EngineTest, LameDuckInfoEmitsLameDuckOnce) {
  peer_.handshake();
  EXPECT_FALSE(engine().info().lame_duck);
  const std::string ldm = info_line(R"({"server_id":"S","proto":1,"headers":true,"ldm":true})");
  EXPECT_EQ(peer_.feed_summaries(ldm), (Transcript{"info 0", "lame_duck 0"}));
  EXPECT_TRUE(engine().info().lame_duck);
  // Lame duck is an edge, not a level: a repeat INFO is only an update.
  EXPECT_EQ(peer_.feed_summaries(ldm), Transcript{"info 0"});
  EXPECT_EQ(engine().state(), State::connected);
}

TEST_F(EngineTest, ServerPingIsAnsweredWithPong) {
  peer_.handshake();
  EXPECT_TRUE(peer_.feed("PING\r\n").empty());
  EXPECT_EQ(peer_.written(), Ops{"PONG"});
  // Several PINGs in one chunk get one PONG each.
  peer_.feed("PING\r\nPING\r\n");
  EXPECT_EQ(peer_.written(), (Ops{"PONG", "PONG"}));
}

// --- keepalive and timeouts ---------------------------------------------------

Options keepalive_options() {
  Options o;
  o.ping_interval = Duration{1000};
  o.max_pings_out = 2;
  o.allow_reconnect = false;  // stale then means closed (reconnect_test.cpp has the rest)
  return o;
}

TEST(EngineKeepaliveTest, UnansweredPingsEndInStaleConnection) {
  ScriptedPeer peer(keepalive_options());
  peer.handshake();
  Engine &e = peer.engine();
  // The connect deadline is gone once connected; only the PING timer is left.
  EXPECT_EQ(deadline_ms(e), 1000);

  e.handle_timeout(Time{999});
  EXPECT_TRUE(peer.written().empty()) << "no PING before the interval";

  e.handle_timeout(Time{1000});
  EXPECT_EQ(peer.written(), Ops{"PING"});
  EXPECT_EQ(deadline_ms(e), 2000);

  e.handle_timeout(Time{2000});
  EXPECT_EQ(peer.written(), Ops{"PING"});
  EXPECT_EQ(deadline_ms(e), 3000);
  EXPECT_TRUE(peer.events().empty());

  e.handle_timeout(Time{3000});
  EXPECT_TRUE(peer.written().empty()) << "a stale connection sends no third PING";
  auto evs = peer.events();
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, EventType::closed);
  EXPECT_EQ(evs[0].error.code, Errc::stale_connection);
  EXPECT_FALSE(evs[0].error.local());
  EXPECT_EQ(e.state(), State::closed);
  EXPECT_EQ(e.last_error().code, Errc::stale_connection);
  EXPECT_EQ(deadline_ms(e), -1);
}

TEST(EngineKeepaliveTest, PongResetsOutstandingPings) {
  ScriptedPeer peer(keepalive_options());
  peer.handshake();
  Engine &e = peer.engine();
  e.handle_timeout(Time{1000});
  e.handle_timeout(Time{2000});
  EXPECT_EQ(peer.written(), (Ops{"PING", "PING"}));
  EXPECT_TRUE(peer.feed("PONG\r\n").empty());

  // Without the reset this tick would be the stale one.
  e.handle_timeout(Time{3000});
  EXPECT_EQ(peer.written(), Ops{"PING"});
  EXPECT_EQ(e.state(), State::connected);
  e.handle_timeout(Time{4000});
  EXPECT_EQ(peer.written(), Ops{"PING"});
  e.handle_timeout(Time{5000});
  EXPECT_EQ(peer.events().back().error.code, Errc::stale_connection);
}

TEST(EngineTimeoutTest, ConnectTimeoutWithoutInfoCloses) {
  Options o;
  o.connect_timeout = Duration{500};
  ScriptedPeer peer(o);
  Engine &e = peer.engine();
  peer.open(Time{100});
  EXPECT_EQ(deadline_ms(e), 600);
  e.handle_timeout(Time{599});
  EXPECT_EQ(e.state(), State::awaiting_info);
  EXPECT_TRUE(peer.events().empty());

  e.handle_timeout(Time{600});
  EXPECT_EQ(nats_test::summaries(peer.events()), Transcript{"closed 0 timeout"});
  EXPECT_EQ(e.last_error().code, Errc::timeout);
  EXPECT_TRUE(peer.written().empty());
}

TEST(EngineTimeoutTest, ZeroIntervalsArmNoTimers) {
  Options o;
  o.connect_timeout = Duration{0};
  o.ping_interval = Duration{0};
  ScriptedPeer peer(o);
  peer.open(Time{0});
  EXPECT_EQ(deadline_ms(peer.engine()), -1);
  peer.engine().handle_timeout(Time{1000000});
  EXPECT_EQ(peer.engine().state(), State::awaiting_info);
  peer.handshake(kInfo, Time{1000000});
  EXPECT_EQ(deadline_ms(peer.engine()), -1);
}

TEST(EngineTimeoutTest, ConnectTimeoutCoversTheHandshakePong) {
  Options o;
  o.connect_timeout = Duration{500};
  ScriptedPeer peer(o);
  Engine &e = peer.engine();
  peer.open(Time{0});
  peer.feed(kInfo);
  EXPECT_EQ(e.state(), State::handshaking);
  e.handle_timeout(Time{500});
  EXPECT_EQ(nats_test::summaries(peer.events()), Transcript{"closed 0 timeout"});
}

// --- requests ----------------------------------------------------------------

TEST_F(EngineTest, FirstRequestSubscribesMuxAndPublishesWithReply) {
  peer_.handshake();
  auto r = engine().request("svc.echo", "hi", Time{0}, Duration{1000});
  ASSERT_TRUE(r.ok());
  Ops ops = peer_.written();
  ASSERT_EQ(ops.size(), 2u);
  std::string prefix = mux_prefix_from_sub(ops[0]);
  EXPECT_EQ(ops[0], "SUB " + prefix + "* 1");
  EXPECT_EQ(ops[1], "PUB svc.echo " + prefix + std::to_string(*r) + " 2\r\nhi");
  EXPECT_EQ(engine().pending_requests(), 1u);
}

TEST_F(EngineTest, RequestReplyDeliversPayload) {
  std::uint64_t id = 0;
  std::string prefix = connect_and_request(id);
  auto evs = peer_.feed(msg(prefix + std::to_string(id), 1, "pong!"));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, EventType::request_reply);
  EXPECT_EQ(evs[0].id, id);
  EXPECT_EQ(evs[0].msg.payload, "pong!");
  EXPECT_FALSE(evs[0].error);
  EXPECT_EQ(engine().pending_requests(), 0u);
}

TEST_F(EngineTest, SecondRequestReusesMux) {
  std::uint64_t first = 0;
  std::string prefix = connect_and_request(first);
  auto r = engine().request("svc", "again", Time{0}, Duration{1000});
  ASSERT_TRUE(r.ok());
  EXPECT_NE(*r, first);
  EXPECT_EQ(peer_.written(), Ops{"PUB svc " + prefix + std::to_string(*r) + " 5\r\nagain"});
  EXPECT_EQ(engine().pending_requests(), 2u);
  // Replies route by the token after the prefix, whatever their order.
  auto t = peer_.feed_summaries(msg(prefix + std::to_string(*r), 1, "b") +
                                msg(prefix + std::to_string(first), 1, "a"));
  EXPECT_EQ(t, (Transcript{"request_reply " + std::to_string(*r) + " b",
                           "request_reply " + std::to_string(first) + " a"}));
}

TEST_F(EngineTest, RequestTimesOutThroughHandleTimeout) {
  std::uint64_t id = 0;
  connect_and_request(id, Duration{250});
  EXPECT_EQ(deadline_ms(engine()), 250);
  engine().handle_timeout(Time{249});
  EXPECT_TRUE(peer_.events().empty());
  engine().handle_timeout(Time{250});
  EXPECT_EQ(nats_test::summaries(peer_.events()),
            Transcript{"request_failed " + std::to_string(id) + " timeout"});
  EXPECT_EQ(engine().pending_requests(), 0u);
  EXPECT_EQ(engine().state(), State::connected);
}

TEST_F(EngineTest, LateReplyAfterTimeoutIsDropped) {
  std::uint64_t id = 0;
  std::string prefix = connect_and_request(id, Duration{100});
  engine().handle_timeout(Time{100});
  ASSERT_EQ(peer_.events().size(), 1u);
  EXPECT_TRUE(peer_.feed(msg(prefix + std::to_string(id), 1, "late")).empty());
  EXPECT_EQ(engine().state(), State::connected);
  EXPECT_TRUE(peer_.written().empty());
}

TEST_F(EngineTest, NoRespondersStatusFailsRequest) {
  std::uint64_t id = 0;
  std::string prefix = connect_and_request(id);
  auto evs = peer_.feed(hmsg(prefix + std::to_string(id), 1, "NATS/1.0 503\r\n\r\n", ""));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, EventType::request_failed);
  EXPECT_EQ(evs[0].id, id);
  EXPECT_EQ(evs[0].error.code, Errc::no_responders);
  EXPECT_FALSE(evs[0].error.local());
  EXPECT_EQ(engine().pending_requests(), 0u);
}

TEST_F(EngineTest, StatusReplyWithBodyIsAReplyNotNoResponders) {
  std::uint64_t id = 0;
  std::string prefix = connect_and_request(id);
  auto evs = peer_.feed(hmsg(prefix + std::to_string(id), 1, "NATS/1.0 503 Busy\r\n\r\n", "later"));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, EventType::request_reply);
  EXPECT_EQ(evs[0].id, id);
  EXPECT_FALSE(evs[0].error);
  EXPECT_EQ(engine().pending_requests(), 0u);
}

TEST_F(EngineTest, CancelledRequestGetsNoEvent) {
  std::uint64_t id = 0;
  std::string prefix = connect_and_request(id, Duration{100});
  EXPECT_FALSE(engine().cancel_request(id));
  EXPECT_EQ(engine().pending_requests(), 0u);
  EXPECT_TRUE(peer_.feed(msg(prefix + std::to_string(id), 1, "x")).empty());
  // Its deadline went with it: no timeout event either.
  engine().handle_timeout(Time{1000});
  EXPECT_TRUE(peer_.events().empty());
  EXPECT_EQ(engine().cancel_request(id).code, Errc::invalid_argument);
}

TEST_F(EngineTest, RequestWithZeroTimeoutIsInvalidArgument) {
  peer_.handshake();
  auto r = engine().request("svc", "x", Time{0}, Duration{0});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  EXPECT_TRUE(r.error().local());
  EXPECT_TRUE(peer_.written().empty());
  EXPECT_EQ(engine().pending_requests(), 0u);
}

// --- subscriptions -------------------------------------------------------------

TEST_F(EngineTest, SubscribeWritesSubLineWithAndWithoutQueue) {
  peer_.handshake();
  auto a = engine().subscribe("foo.>");
  auto b = engine().subscribe("bar.*", "workers");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, 1u);
  EXPECT_EQ(*b, 2u);
  EXPECT_EQ(peer_.written(), (Ops{"SUB foo.> 1", "SUB bar.* workers 2"}));
}

TEST_F(EngineTest, MessageEventCarriesAllFields) {
  peer_.handshake();
  auto sid = engine().subscribe("foo.*");
  ASSERT_TRUE(sid.ok());
  const std::string headers = "NATS/1.0\r\nX-Trace: 7\r\n\r\n";
  auto evs = peer_.feed(msg("foo.bar", *sid, "hello", "_INBOX.r1") +
                        hmsg("foo.baz", *sid, headers, "with-hdr"));
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[0].type, EventType::message);
  EXPECT_EQ(evs[0].id, *sid);
  EXPECT_EQ(evs[0].msg.sid, *sid);
  EXPECT_EQ(evs[0].msg.subject, "foo.bar");
  EXPECT_EQ(evs[0].msg.reply, "_INBOX.r1");
  EXPECT_EQ(evs[0].msg.payload, "hello");
  EXPECT_TRUE(evs[0].msg.headers.empty());

  EXPECT_EQ(evs[1].type, EventType::message);
  EXPECT_EQ(evs[1].msg.subject, "foo.baz");
  EXPECT_TRUE(evs[1].msg.reply.empty());
  EXPECT_EQ(evs[1].msg.headers, headers);
  EXPECT_EQ(evs[1].msg.payload, "with-hdr");
  EXPECT_EQ(engine().subscription_progress(*sid),
            std::make_pair(std::uint64_t{2}, std::uint64_t{0}));
}

TEST_F(EngineTest, MaxMsgsAutoUnsubscribes) {
  peer_.handshake();
  auto sid = engine().subscribe("foo", {}, 2);
  ASSERT_TRUE(sid.ok());
  EXPECT_EQ(peer_.written(), (Ops{"SUB foo 1", "UNSUB 1 2"}));
  auto t = peer_.feed_summaries(msg("foo", 1, "m1") + msg("foo", 1, "m2") + msg("foo", 1, "m3"));
  // The close follows the second message; the third raced the UNSUB.
  EXPECT_EQ(t, (Transcript{"message 1 m1", "message 1 m2", "subscription_closed 1"}));
  EXPECT_EQ(engine().subscription_count(), 0u);
  EXPECT_FALSE(engine().subscription_progress(1).has_value());
  EXPECT_TRUE(peer_.written().empty()) << "the server already knows the max";
}

TEST_F(EngineTest, UnsubscribeWithMaxLater) {
  peer_.handshake();
  auto sid = engine().subscribe("foo");
  ASSERT_TRUE(sid.ok());
  peer_.written();
  EXPECT_EQ(peer_.feed_summaries(msg("foo", 1, "a")), Transcript{"message 1 a"});
  // max counts the messages already delivered.
  EXPECT_FALSE(engine().unsubscribe(*sid, 3));
  EXPECT_EQ(peer_.written(), Ops{"UNSUB 1 3"});
  EXPECT_EQ(engine().subscription_progress(*sid),
            std::make_pair(std::uint64_t{1}, std::uint64_t{3}));
  EXPECT_EQ(peer_.feed_summaries(msg("foo", 1, "b") + msg("foo", 1, "c")),
            (Transcript{"message 1 b", "message 1 c", "subscription_closed 1"}));
}

TEST_F(EngineTest, UnsubscribeNowClosesAtOnce) {
  peer_.handshake();
  auto sid = engine().subscribe("foo");
  ASSERT_TRUE(sid.ok());
  peer_.written();
  EXPECT_FALSE(engine().unsubscribe(*sid));
  EXPECT_EQ(peer_.written(), Ops{"UNSUB 1"});
  EXPECT_EQ(nats_test::summaries(peer_.events()), Transcript{"subscription_closed 1"});
  EXPECT_TRUE(peer_.feed(msg("foo", 1, "late")).empty());
}

TEST_F(EngineTest, UnsubscribeUnknownSidIsBadSubscription) {
  peer_.handshake();
  auto e = engine().unsubscribe(42);
  EXPECT_EQ(e.code, Errc::bad_subscription);
  EXPECT_TRUE(e.local());
  EXPECT_EQ(engine().drain_subscription(42).code, Errc::bad_subscription);
  // The request mux is internal: users cannot unsubscribe it.
  ASSERT_TRUE(engine().request("svc", "", Time{0}, Duration{100}).ok());
  Ops ops = peer_.written();
  ASSERT_FALSE(ops.empty());
  ASSERT_EQ(ops[0].substr(ops[0].size() - 2), " 1") << "the mux took sid 1";
  EXPECT_EQ(engine().unsubscribe(1).code, Errc::bad_subscription);
  EXPECT_EQ(engine().drain_subscription(1).code, Errc::bad_subscription);
  EXPECT_TRUE(peer_.written().empty());
}

TEST_F(EngineTest, SubscriptionCountExcludesMux) {
  peer_.handshake();
  EXPECT_EQ(engine().subscription_count(), 0u);
  auto a = engine().subscribe("a");
  ASSERT_TRUE(engine().subscribe("b").ok());
  EXPECT_EQ(engine().subscription_count(), 2u);
  ASSERT_TRUE(engine().request("svc", "", Time{0}, Duration{100}).ok());
  EXPECT_EQ(engine().subscription_count(), 2u);
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(engine().unsubscribe(*a));
  EXPECT_EQ(engine().subscription_count(), 1u);
}

// --- drain ---------------------------------------------------------------------

TEST_F(EngineTest, DrainDeliversInFlightMessagesThenCloses) {
  peer_.handshake();
  ASSERT_TRUE(engine().subscribe("foo").ok());
  ASSERT_TRUE(engine().subscribe("bar").ok());
  peer_.written();

  EXPECT_FALSE(engine().drain());
  EXPECT_EQ(engine().state(), State::draining);
  Ops ops = peer_.written();
  ASSERT_EQ(ops.size(), 3u);
  // UNSUB order among subs is not part of the contract; the PING after them is.
  EXPECT_EQ((std::set<std::string>{ops[0], ops[1]}), (std::set<std::string>{"UNSUB 1", "UNSUB 2"}));
  EXPECT_EQ(ops[2], "PING");

  auto t = peer_.feed_summaries(msg("foo", 1, "f") + msg("bar", 2, "b") + "PONG\r\n");
  EXPECT_EQ(t, (Transcript{"message 1 f", "message 2 b", "subscription_closed 1",
                           "subscription_closed 2", "closed 0"}));
  EXPECT_EQ(engine().state(), State::closed);
  EXPECT_FALSE(engine().last_error());
}

TEST_F(EngineTest, DrainingRejectsNewWorkButAllowsPublish) {
  peer_.handshake();
  ASSERT_TRUE(engine().subscribe("foo").ok());
  ASSERT_FALSE(engine().drain());
  peer_.written();

  auto s = engine().subscribe("bar");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, Errc::connection_draining);
  EXPECT_TRUE(s.error().local());
  auto r = engine().request("svc", "", Time{0}, Duration{100});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::connection_draining);

  EXPECT_FALSE(engine().publish("out", "bye"));
  EXPECT_EQ(peer_.written(), Ops{"PUB out 3\r\nbye"});
  // A second drain() is refused as nats.js refuses it, and sends nothing.
  EXPECT_EQ(engine().drain().code, Errc::connection_draining);
  EXPECT_TRUE(peer_.written().empty());
}

TEST_F(EngineTest, DrainStillDeliversRepliesToPendingRequests) {
  std::uint64_t id = 0;
  std::string prefix = connect_and_request(id);
  ASSERT_FALSE(engine().drain());
  // The mux is drained like any sub: UNSUB, then the final PING.
  EXPECT_EQ(peer_.written(), (Ops{"UNSUB 1", "PING"}));
  auto t = peer_.feed_summaries(msg(prefix + std::to_string(id), 1, "just in time") + "PONG\r\n");
  EXPECT_EQ(t, (Transcript{"request_reply " + std::to_string(id) + " just in time", "closed 0"}));
}

TEST_F(EngineTest, DrainSubscriptionClosesAfterItsPong) {
  peer_.handshake();
  auto foo = engine().subscribe("foo");
  auto bar = engine().subscribe("bar");
  ASSERT_TRUE(foo.ok() && bar.ok());
  peer_.written();

  EXPECT_FALSE(engine().drain_subscription(*foo));
  EXPECT_EQ(peer_.written(), (Ops{"UNSUB 1", "PING"}));
  auto t = peer_.feed_summaries(msg("foo", 1, "in-flight") + msg("bar", 2, "other") + "PONG\r\n" +
                                msg("foo", 1, "after") + msg("bar", 2, "still"));
  EXPECT_EQ(t, (Transcript{"message 1 in-flight", "message 2 other", "subscription_closed 1",
                           "message 2 still"}));
  EXPECT_EQ(engine().subscription_count(), 1u);
  EXPECT_EQ(engine().state(), State::connected);
}

// --- flush ---------------------------------------------------------------------

TEST_F(EngineTest, FlushesResolveInOrderOnPongs) {
  peer_.handshake();
  auto f1 = engine().flush(Time{0});
  auto f2 = engine().flush(Time{0});
  auto f3 = engine().flush(Time{0});
  ASSERT_TRUE(f1.ok() && f2.ok() && f3.ok());
  EXPECT_EQ(peer_.written(), (Ops{"PING", "PING", "PING"}));
  EXPECT_EQ(peer_.feed_summaries("PONG\r\n"), Transcript{"flush_done " + std::to_string(*f1)});
  EXPECT_EQ(peer_.feed_summaries("PONG\r\nPONG\r\n"),
            (Transcript{"flush_done " + std::to_string(*f2), "flush_done " + std::to_string(*f3)}));
  EXPECT_EQ(deadline_ms(engine()), 120000) << "untimed flushes arm no deadline";
}

TEST_F(EngineTest, FlushTimeoutFailsAndKeepsPongsAligned) {
  peer_.handshake();
  auto f1 = engine().flush(Time{0}, Duration{100});
  ASSERT_TRUE(f1.ok());
  EXPECT_EQ(deadline_ms(engine()), 100);
  engine().handle_timeout(Time{100});
  EXPECT_EQ(nats_test::summaries(peer_.events()),
            Transcript{"flush_done " + std::to_string(*f1) + " timeout"});

  auto f2 = engine().flush(Time{100});
  ASSERT_TRUE(f2.ok());
  // The first PONG answers the timed-out PING, not the new one.
  EXPECT_TRUE(peer_.feed("PONG\r\n").empty());
  EXPECT_EQ(peer_.feed_summaries("PONG\r\n"), Transcript{"flush_done " + std::to_string(*f2)});
}

TEST_F(EngineTest, FlushAfterCloseIsConnectionClosed) {
  peer_.handshake();
  engine().close();
  auto f = engine().flush(Time{0});
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, Errc::connection_closed);
  EXPECT_TRUE(f.error().local());
}

TEST_F(EngineTest, FlushWhileDrainingIsRejected) {
  peer_.handshake();
  ASSERT_FALSE(engine().drain());
  auto f = engine().flush(Time{0});
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, Errc::connection_draining);
}

TEST_F(EngineTest, FailedRequestSendsNothing) {
  peer_.handshake(info_line(R"({"server_id":"S","proto":1,"headers":false,"max_payload":8})"));
  EXPECT_EQ(engine().request("svc", "123456789", Time{0}, Duration{100}).error().code,
            Errc::max_payload_exceeded);
  EXPECT_EQ(
      engine().request("svc", "", Time{0}, Duration{100}, "NATS/1.0\r\nK: v\r\n\r\n").error().code,
      Errc::invalid_header);
  EXPECT_TRUE(peer_.written().empty()) << "no reply subscription for a request that failed";
  EXPECT_EQ(engine().pending_requests(), 0u);
}

TEST_F(EngineTest, InvalidInboxPrefixFailsAtStart) {
  nats::Options o;
  o.inbox_prefix = "my inbox";
  EXPECT_EQ(nats::validate_options(o).code, Errc::invalid_argument);
  nats::Engine e(o);
  e.connect(Time{0});
  EXPECT_EQ(e.state(), State::closed);
  EXPECT_EQ(e.last_error().code, Errc::invalid_argument);
  EXPECT_TRUE(e.pending_output().empty());
}

TEST_F(EngineTest, DeniedReplySubscriptionFailsPendingRequests) {
  std::uint64_t id = 0;
  std::string prefix = connect_and_request(id);
  auto t = peer_.feed_summaries("-ERR 'Permissions Violation for Subscription to \"" + prefix +
                                "*\"'\r\n");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0], "request_failed " + std::to_string(id) + " permission_violation");
  EXPECT_EQ(engine().pending_requests(), 0u);
  EXPECT_EQ(engine().state(), State::connected);
}

// --- -ERR ----------------------------------------------------------------------

TEST_F(EngineTest, ErrAuthorizationViolationCloses) {
  peer_.open(Time{0});
  peer_.feed(kInfo);
  peer_.written();
  auto t = peer_.feed_summaries("-ERR 'Authorization Violation'\r\n");
  EXPECT_EQ(t, Transcript{"closed 0 authorization_violation"});
  EXPECT_EQ(engine().last_error().code, Errc::authorization_violation);
  EXPECT_FALSE(engine().last_error().local());
}

TEST_F(EngineTest, ErrMaximumPayloadViolationCloses) {
  peer_.handshake();
  auto t = peer_.feed_summaries("-ERR 'Maximum Payload Violation'\r\n");
  EXPECT_EQ(t, Transcript{"closed 0 max_payload_violation"});
  EXPECT_EQ(engine().state(), State::closed);
}

TEST_F(EngineTest, ErrSubscriptionPermissionClosesThatSubOnly) {
  peer_.handshake();
  ASSERT_TRUE(engine().subscribe("foo").ok());
  ASSERT_TRUE(engine().subscribe("bar").ok());
  auto evs = peer_.feed("-ERR 'Permissions Violation for Subscription to \"foo\"'\r\n");
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[0].type, EventType::subscription_closed);
  EXPECT_EQ(evs[0].id, 1u);
  EXPECT_EQ(evs[0].error.code, Errc::permission_violation);
  EXPECT_EQ(evs[1].type, EventType::error);
  EXPECT_EQ(evs[1].error.code, Errc::permission_violation);
  EXPECT_NE(evs[1].error.message.find("foo"), std::string::npos);
  EXPECT_EQ(engine().state(), State::connected);
  EXPECT_EQ(engine().subscription_count(), 1u);
  EXPECT_EQ(peer_.feed_summaries(msg("bar", 2, "ok")), Transcript{"message 2 ok"});
}

TEST_F(EngineTest, ErrQueueSubscriptionPermissionMatchesQueueToo) {
  peer_.handshake();
  auto plain = engine().subscribe("foo");
  auto queued = engine().subscribe("foo", "q");
  ASSERT_TRUE(plain.ok() && queued.ok());
  auto t = peer_.feed_summaries(
      "-ERR 'Permissions Violation for Subscription to \"foo\" using queue \"q\"'\r\n");
  EXPECT_EQ(t,
            (Transcript{"subscription_closed " + std::to_string(*queued) + " permission_violation",
                        "error 0 permission_violation"}));
  EXPECT_EQ(engine().subscription_count(), 1u);
  EXPECT_TRUE(engine().subscription_progress(*plain).has_value());
}

TEST_F(EngineTest, ErrInvalidSubjectIsNotFatal) {
  peer_.handshake();
  // nats-server keeps the connection after this -ERR, so the client must too.
  EXPECT_EQ(peer_.feed_summaries("-ERR 'Invalid Subject'\r\n"), Transcript{"error 0 server_error"});
  EXPECT_EQ(engine().state(), State::connected);
  EXPECT_FALSE(engine().last_error());
}

TEST_F(EngineTest, ErrPublishPermissionFailsMatchingRequest) {
  peer_.handshake();
  auto to_bar = engine().request("bar", "x", Time{0}, Duration{1000});
  auto to_baz = engine().request("baz", "x", Time{0}, Duration{1000});
  ASSERT_TRUE(to_bar.ok() && to_baz.ok());
  auto t = peer_.feed_summaries("-ERR 'Permissions Violation for Publish to \"bar\"'\r\n");
  EXPECT_EQ(t, (Transcript{"request_failed " + std::to_string(*to_bar) + " permission_violation",
                           "error 0 permission_violation"}));
  EXPECT_EQ(engine().state(), State::connected);
  EXPECT_EQ(engine().pending_requests(), 1u);
  // The failed request's deadline is gone; only baz can still time out.
  engine().handle_timeout(Time{1000});
  EXPECT_EQ(nats_test::summaries(peer_.events()),
            Transcript{"request_failed " + std::to_string(*to_baz) + " timeout"});
}

TEST_F(EngineTest, UnknownErrClosesWithServerError) {
  peer_.handshake();
  auto evs = peer_.feed("-ERR 'Something Unexpected'\r\n");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, EventType::closed);
  EXPECT_EQ(evs[0].error.code, Errc::server_error);
  EXPECT_NE(evs[0].error.message.find("Something Unexpected"), std::string::npos);
  EXPECT_EQ(engine().last_error().code, Errc::server_error);
}

// --- local validation ----------------------------------------------------------

TEST_F(EngineTest, PublishRejectsInvalidSubjects) {
  peer_.handshake();
  for (const char *subject :
       {"", "foo.*", "foo.>", "*", "foo bar", "foo\tbar", "foo..bar", "foo."}) {
    auto e = engine().publish(subject, "x");
    EXPECT_EQ(e.code, Errc::invalid_subject) << "'" << subject << "'";
    EXPECT_TRUE(e.local()) << "'" << subject << "'";
    EXPECT_TRUE(nats::is_local(e.code));
  }
  EXPECT_TRUE(peer_.written().empty()) << "a rejected publish writes nothing";
  EXPECT_EQ(engine().stats().out_msgs, 0u);
}

TEST_F(EngineTest, PublishRejectsInvalidReply) {
  peer_.handshake();
  for (const char *reply : {"bad reply", "r.*", "r..x", "r.>"}) {
    auto e = engine().publish("foo", "x", reply);
    EXPECT_EQ(e.code, Errc::invalid_subject) << "'" << reply << "'";
    EXPECT_TRUE(e.local());
  }
  EXPECT_TRUE(peer_.written().empty());
  EXPECT_FALSE(engine().publish("foo", "x", "good.reply"));
  EXPECT_EQ(peer_.written(), Ops{"PUB foo good.reply 1\r\nx"});
}

TEST_F(EngineTest, SubscribeRejectsBadSubjectAndQueue) {
  peer_.handshake();
  for (const char *subject : {"", "foo bar", "foo..bar", "foo.>.bar"}) {
    auto r = engine().subscribe(subject);
    ASSERT_FALSE(r.ok()) << "'" << subject << "'";
    EXPECT_EQ(r.error().code, Errc::invalid_subject);
    EXPECT_TRUE(r.error().local());
  }
  for (const char *queue : {"bad queue", "tab\tq", "nl\nq"}) {
    auto r = engine().subscribe("foo", queue);
    ASSERT_FALSE(r.ok()) << "'" << queue << "'";
    EXPECT_EQ(r.error().code, Errc::invalid_queue);
    EXPECT_TRUE(r.error().local());
  }
  EXPECT_TRUE(peer_.written().empty());
  EXPECT_EQ(engine().subscription_count(), 0u);
}

TEST_F(EngineTest, PayloadLimitIsMaxPayloadInclusive) {
  peer_.handshake(info_line(R"({"server_id":"S","proto":1,"headers":true,"max_payload":16})"));
  const std::string exact(16, 'x');
  EXPECT_FALSE(engine().publish("foo", exact));
  EXPECT_EQ(peer_.written(), Ops{"PUB foo 16\r\n" + exact});

  auto e = engine().publish("foo", exact + "y");
  EXPECT_EQ(e.code, Errc::max_payload_exceeded);
  EXPECT_TRUE(e.local());
  auto r = engine().request("svc", exact + "y", Time{0}, Duration{100});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::max_payload_exceeded);
  EXPECT_EQ(engine().pending_requests(), 0u);
}

TEST_F(EngineTest, HeadersCountTowardsMaxPayload) {
  peer_.handshake(info_line(R"({"server_id":"S","proto":1,"headers":true,"max_payload":32})"));
  const std::string hdr = "NATS/1.0\r\nK: v\r\n\r\n";  // 18 bytes
  ASSERT_EQ(hdr.size(), 18u);
  EXPECT_FALSE(engine().publish("foo", std::string(14, 'p'), {}, hdr));
  EXPECT_EQ(peer_.written(), Ops{"HPUB foo 18 32\r\n" + hdr + std::string(14, 'p')});
  auto e = engine().publish("foo", std::string(15, 'p'), {}, hdr);
  EXPECT_EQ(e.code, Errc::max_payload_exceeded);
  EXPECT_TRUE(e.local());
  EXPECT_TRUE(peer_.written().empty());
}

TEST_F(EngineTest, MalformedHeaderBlockIsInvalidHeader) {
  peer_.handshake();
  for (const char *block :
       {"K: v\r\n\r\n", "NATS/1.0\r\nK: v\r\n", "NATS/1.0", "HTTP/1.1\r\n\r\n"}) {
    auto e = engine().publish("foo", "x", {}, std::string_view(block));
    EXPECT_EQ(e.code, Errc::invalid_header) << ::testing::PrintToString(std::string(block));
    EXPECT_TRUE(e.local());
  }
  nats::Headers bad;
  bad.append("bad key", "v");
  EXPECT_EQ(engine().publish("foo", "x", {}, bad).code, Errc::invalid_header);
  nats::Headers crlf;
  crlf.append("K", "a\r\nb");
  EXPECT_EQ(engine().publish("foo", "x", {}, crlf).code, Errc::invalid_header);
  EXPECT_TRUE(peer_.written().empty());

  nats::Headers good;
  good.append("K", "v");
  EXPECT_FALSE(engine().publish("foo", "x", {}, good));
  EXPECT_EQ(peer_.written(), Ops{"HPUB foo 18 19\r\nNATS/1.0\r\nK: v\r\n\r\nx"});
}

TEST_F(EngineTest, HeadersRejectedWhenServerLacksThem) {
  peer_.handshake(info_line(R"({"server_id":"S","proto":1,"headers":false})"));
  auto e = engine().publish("foo", "x", {}, std::string_view("NATS/1.0\r\nK: v\r\n\r\n"));
  EXPECT_EQ(e.code, Errc::invalid_header);
  EXPECT_TRUE(e.local());
  auto r = engine().request("svc", "x", Time{0}, Duration{100}, "NATS/1.0\r\nK: v\r\n\r\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::invalid_header);
  EXPECT_FALSE(engine().publish("foo", "x")) << "plain PUB still works";
}

TEST_F(EngineTest, OperationsBeforeInfoAreNotConnected) {
  peer_.open(Time{0});
  auto e = engine().publish("foo", "x");
  EXPECT_EQ(e.code, Errc::not_connected);
  EXPECT_TRUE(e.local());
  auto s = engine().subscribe("foo");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, Errc::not_connected);
  auto r = engine().request("foo", "x", Time{0}, Duration{100});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::not_connected);
  EXPECT_EQ(engine().drain().code, Errc::not_connected);
  EXPECT_TRUE(peer_.written().empty());
}

TEST_F(EngineTest, EveryOperationAfterCloseIsConnectionClosed) {
  peer_.handshake();
  auto sid = engine().subscribe("foo");
  ASSERT_TRUE(sid.ok());
  engine().close();
  peer_.written();

  auto expect_closed = [](const nats::Error &e, const char *what) {
    EXPECT_EQ(e.code, Errc::connection_closed) << what;
    EXPECT_TRUE(e.local()) << what;
  };
  expect_closed(engine().publish("foo", "x"), "publish");
  auto s = engine().subscribe("foo");
  ASSERT_FALSE(s.ok());
  expect_closed(s.error(), "subscribe");
  expect_closed(engine().unsubscribe(*sid), "unsubscribe");
  expect_closed(engine().drain_subscription(*sid), "drain_subscription");
  auto r = engine().request("foo", "x", Time{0}, Duration{100});
  ASSERT_FALSE(r.ok());
  expect_closed(r.error(), "request");
  auto f = engine().flush(Time{0});
  ASSERT_FALSE(f.ok());
  expect_closed(f.error(), "flush");
  expect_closed(engine().drain(), "drain");
  EXPECT_TRUE(peer_.written().empty());
}

// --- close, EOF, protocol errors -----------------------------------------------

TEST_F(EngineTest, CloseFailsPendingWorkInOrder) {
  peer_.handshake();
  auto sid = engine().subscribe("foo");
  auto req = engine().request("svc", "x", Time{0}, Duration{1000});
  auto fl = engine().flush(Time{0});
  ASSERT_TRUE(sid.ok() && req.ok() && fl.ok());
  engine().close();
  auto evs = peer_.events();
  ASSERT_EQ(evs.size(), 4u);
  EXPECT_EQ(evs[0].type, EventType::request_failed);
  EXPECT_EQ(evs[0].id, *req);
  EXPECT_EQ(evs[0].error.code, Errc::connection_closed);
  EXPECT_EQ(evs[1].type, EventType::flush_done);
  EXPECT_EQ(evs[1].id, *fl);
  EXPECT_EQ(evs[1].error.code, Errc::connection_closed);
  EXPECT_EQ(evs[2].type, EventType::subscription_closed);
  EXPECT_EQ(evs[2].id, *sid);
  EXPECT_EQ(evs[3].type, EventType::closed);
  EXPECT_FALSE(evs[3].error) << "a requested close is not a failure";
  EXPECT_EQ(engine().pending_requests(), 0u);
  EXPECT_EQ(deadline_ms(engine()), -1);
}

TEST_F(EngineTest, CloseTwiceIsHarmless) {
  peer_.handshake();
  engine().close();
  EXPECT_EQ(nats_test::summaries(peer_.events()), Transcript{"closed 0"});
  engine().close();
  EXPECT_TRUE(peer_.events().empty());
  EXPECT_EQ(engine().state(), State::closed);
  EXPECT_FALSE(engine().last_error());
}

TEST_F(EngineTest, ReceiveAfterCloseIsIgnored) {
  peer_.handshake();
  ASSERT_TRUE(engine().subscribe("foo").ok());
  engine().close();
  peer_.events();
  peer_.written();
  EXPECT_TRUE(peer_.feed(msg("foo", 1, "ghost") + "PING\r\n").empty());
  EXPECT_TRUE(peer_.written().empty()) << "no PONG from a closed connection";
  EXPECT_EQ(engine().receive_buffered(), 0u);
  EXPECT_EQ(engine().stats().in_msgs, 0u);
  // The in-place path drops post-close bytes the same way.
  const std::string late = msg("foo", 1, "ghost");
  auto room = engine().prepare_receive(late.size());
  ASSERT_GE(room.size(), late.size());
  std::memcpy(room.data(), late.data(), late.size());
  engine().commit_receive(late.size(), Time{0});
  EXPECT_TRUE(peer_.events().empty());
  EXPECT_EQ(engine().receive_buffered(), 0u);
  engine().transport_closed(Time{0});
  EXPECT_TRUE(peer_.events().empty());
  EXPECT_FALSE(engine().last_error());
}

TEST(EngineEofTest, EofClosesWithConnectionLostWithoutReconnect) {
  Options o;
  o.allow_reconnect = false;
  ScriptedPeer peer_(o);
  auto engine = [&]() -> Engine & { return peer_.engine(); };
  peer_.handshake();
  engine().transport_closed(Time{0});
  auto evs = peer_.events();
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, EventType::closed);
  EXPECT_EQ(evs[0].error.code, Errc::connection_lost);
  EXPECT_EQ(engine().last_error().code, Errc::connection_lost);
  EXPECT_FALSE(engine().last_error().local());
}

TEST_F(EngineTest, ErrJustBeforeEofWins) {
  nats::Options o;
  o.allow_reconnect = false;  // (with reconnects, one refusal is one failed attempt)
  ScriptedPeer peer(o);
  peer.handshake();
  ASSERT_TRUE(peer.engine().subscribe("foo").ok());
  // Not drained before EOF: the engine must parse these last bytes itself.
  peer.send(msg("foo", 1, "last") + "-ERR 'Authorization Violation'\r\n");
  peer.engine().transport_closed(Time{0});
  auto evs = peer.events();
  EXPECT_EQ(nats_test::summaries(evs),
            (Transcript{"message 1 last", "subscription_closed 1 authorization_violation",
                        "closed 0 authorization_violation"}));
  EXPECT_EQ(peer.engine().last_error().code, Errc::authorization_violation);
}

TEST_F(EngineTest, EofRightAfterFinalDrainPongIsCleanClose) {
  peer_.handshake();
  ASSERT_TRUE(engine().subscribe("foo").ok());
  ASSERT_FALSE(engine().drain());
  // The server answers the drain PING and hangs up before we parse it.
  peer_.send("PONG\r\n");
  engine().transport_closed(Time{0});
  EXPECT_EQ(nats_test::summaries(peer_.events()),
            (Transcript{"subscription_closed 1", "closed 0"}));
  EXPECT_FALSE(engine().last_error());
}

TEST_F(EngineTest, GarbageLineIsStickyProtocolError) {
  peer_.handshake();
  ASSERT_TRUE(engine().subscribe("foo").ok());
  auto t = peer_.feed_summaries(msg("foo", 1, "before") + "HELLO world\r\n" + msg("foo", 1, "x"));
  EXPECT_EQ(t, (Transcript{"message 1 before", "subscription_closed 1 protocol_error",
                           "closed 0 protocol_error"}));
  EXPECT_EQ(engine().state(), State::closed);
  EXPECT_EQ(engine().last_error().code, Errc::protocol_error);
  EXPECT_FALSE(engine().last_error().message.empty());
  Event ev;
  EXPECT_FALSE(engine().next_event(ev));
  EXPECT_EQ(engine().publish("foo", "x").code, Errc::connection_closed);
}

TEST_F(EngineTest, MessageBeforeInfoIsProtocolError) {
  peer_.open(Time{0});
  EXPECT_EQ(peer_.feed_summaries(msg("foo", 1, "early")), Transcript{"closed 0 protocol_error"});
  EXPECT_EQ(engine().last_error().code, Errc::protocol_error);
  EXPECT_TRUE(peer_.written().empty()) << "no CONNECT to a server that skipped INFO";
}

TEST_F(EngineTest, ServerPayloadOverMaxPayloadIsPayloadTooLarge) {
  peer_.handshake(info_line(R"({"server_id":"S","proto":1,"headers":true,"max_payload":8})"));
  ASSERT_TRUE(engine().subscribe("foo").ok());
  // Up to 64 KiB over max_payload is accepted (server-added headers); more is fatal.
  auto t = peer_.feed_summaries(msg("foo", 1, "12345678") +
                                msg("foo", 1, std::string(8 + 64 * 1024 + 1, 'x')));
  EXPECT_EQ(t, (Transcript{"message 1 12345678", "subscription_closed 1 payload_too_large",
                           "closed 0 payload_too_large"}));
}

// --- stats, inboxes, buffers ----------------------------------------------------

TEST_F(EngineTest, StatsCountMessagesAndBytes) {
  peer_.handshake();
  ASSERT_TRUE(engine().subscribe("foo").ok());
  const std::string hdr = "NATS/1.0\r\nA: b\r\n\r\n";
  EXPECT_FALSE(engine().publish("foo", "hello"));
  EXPECT_FALSE(engine().publish("foo", "xy", {}, std::string_view(hdr)));
  EXPECT_EQ(engine().stats().out_msgs, 2u);
  EXPECT_EQ(engine().stats().out_bytes, 5u + hdr.size() + 2u);

  peer_.feed(msg("foo", 1, "abc") + hmsg("foo", 1, hdr, "de"));
  EXPECT_EQ(engine().stats().in_msgs, 2u);
  EXPECT_EQ(engine().stats().in_bytes, 3u + hdr.size() + 2u);
  // Control traffic is not message traffic.
  peer_.feed("PING\r\nPONG\r\n");
  EXPECT_EQ(engine().stats().in_msgs, 2u);
}

TEST_F(EngineTest, NewInboxIsPrefixDotTwentyTwoCharsAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string inbox = engine().new_inbox();
    ASSERT_TRUE(is_inbox(inbox, "_INBOX")) << inbox;
    seen.insert(std::move(inbox));
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(EngineInboxTest, InboxPrefixOptionIsHonoured) {
  Options o;
  o.inbox_prefix = "_R.me";
  ScriptedPeer peer(o);
  std::string inbox = peer.engine().new_inbox();
  EXPECT_TRUE(is_inbox(inbox, "_R.me")) << inbox;
  peer.handshake();
  ASSERT_TRUE(peer.engine().request("svc", "", Time{0}, Duration{100}).ok());
  Ops ops = peer.written();
  ASSERT_FALSE(ops.empty());
  std::string prefix = mux_prefix_from_sub(ops[0], "_R.me");
  EXPECT_EQ(prefix.rfind("_R.me.", 0), 0u) << ops[0];
  EXPECT_EQ(ops[0], "SUB " + prefix + "* 1");
}

TEST(EngineBufferTest, PrepareCommitReceiveEqualsReceive) {
  const std::string chunk = msg("foo", 1, "one") + "PING\r\n" +
                            hmsg("foo", 1, "NATS/1.0\r\nK: v\r\n\r\n", "two", "r.x") +
                            msg("foo", 1, "three");
  auto run = [&](bool in_place) {
    ScriptedPeer peer;
    peer.handshake();
    EXPECT_TRUE(peer.engine().subscribe("foo").ok());
    peer.written();
    if (in_place) {
      // Ask for more room than used: commit must drop the slack.
      auto room = peer.engine().prepare_receive(chunk.size() + 100);
      EXPECT_GE(room.size(), chunk.size() + 100);
      std::memcpy(room.data(), chunk.data(), chunk.size());
      peer.engine().commit_receive(chunk.size(), Time{0});
    } else {
      peer.engine().receive(chunk, Time{0});
    }
    auto evs = peer.events();
    std::vector<std::string> out = nats_test::summaries(evs);
    for (const auto &ev : evs) {
      out.push_back(std::string(ev.msg.subject) + "|" + std::string(ev.msg.reply) + "|" +
                    std::string(ev.msg.headers));
    }
    for (auto &op : peer.written()) out.push_back("wrote " + op);
    out.push_back("buffered " + std::to_string(peer.engine().receive_buffered()));
    return out;
  };
  auto via_receive = run(false);
  EXPECT_EQ(run(true), via_receive);
  EXPECT_EQ(via_receive.front(), "message 1 one");
}

TEST(EngineBufferTest, ByteAtATimeMatchesWholeChunk) {
  const std::string chunk = msg("foo", 1, "alpha", "r") + "PING\r\n" +
                            hmsg("foo", 1, "NATS/1.0\r\nK: v\r\n\r\n", "beta") +
                            info_line(R"({"server_id":"S","proto":1,"headers":true,"ldm":true})");
  auto run = [&](bool byte_at_a_time) {
    ScriptedPeer peer;
    peer.handshake();
    EXPECT_TRUE(peer.engine().subscribe("foo").ok());
    peer.written();
    std::vector<std::string> out;
    // Summaries are taken per feed: views die at the next receive().
    auto take = [&](std::string_view bytes) {
      for (auto &s : peer.feed_summaries(bytes)) out.push_back(std::move(s));
    };
    if (byte_at_a_time) {
      for (char c : chunk) take(std::string_view(&c, 1));
    } else {
      take(chunk);
    }
    for (auto &op : peer.written()) out.push_back("wrote " + op);
    return out;
  };
  auto whole = run(false);
  EXPECT_EQ(whole, (Transcript{"message 1 alpha", "message 1 beta", "info 0", "lame_duck 0",
                               "wrote PONG"}));
  EXPECT_EQ(run(true), whole);
}

TEST_F(EngineTest, PayloadViewsSurviveDrainingAllEventsOfOneReceive) {
  peer_.handshake();
  ASSERT_TRUE(engine().subscribe("bulk").ok());
  std::vector<std::string> payloads;
  std::string chunk;
  for (int i = 0; i < 8; ++i) {
    // Mixed sizes so nothing fits a small-buffer optimisation by accident.
    payloads.push_back(
        std::string(static_cast<std::size_t>(1 + i * 997), static_cast<char>('a' + i)));
    chunk += msg("bulk", 1, payloads.back());
  }
  peer_.send(chunk);
  chunk.assign(chunk.size(), '#');  // the engine must not point into our copy
  auto evs = peer_.events();
  ASSERT_EQ(evs.size(), payloads.size());
  for (std::size_t i = 0; i < evs.size(); ++i) {
    EXPECT_EQ(evs[i].msg.payload, payloads[i]) << "message " << i;
    EXPECT_EQ(evs[i].msg.subject, "bulk");
  }
}

TEST_F(EngineTest, PendingOutputAndConsumeOutput) {
  peer_.handshake();
  EXPECT_FALSE(engine().publish("foo", "abc"));
  std::string all(engine().pending_output());
  EXPECT_EQ(all, "PUB foo 3\r\nabc\r\n");
  engine().consume_output(4);
  EXPECT_EQ(engine().pending_output(), "foo 3\r\nabc\r\n");
  // take_output() hands over only what was not consumed yet.
  EXPECT_EQ(engine().take_output(), "foo 3\r\nabc\r\n");
  EXPECT_TRUE(engine().pending_output().empty());
}

// Regression: closing clears the subscriptions, the request mux included, so
// the user-visible count must not underflow.
TEST_F(EngineTest, SubscriptionCountIsZeroAfterCloseWithRequestMux) {
  peer_.handshake();
  ASSERT_TRUE(engine().subscribe("foo").ok());
  ASSERT_TRUE(engine().request("svc", "", Time{0}, Duration{100}).ok());
  EXPECT_EQ(engine().subscription_count(), 1u);
  engine().close();
  EXPECT_EQ(engine().subscription_count(), 0u);
}

}  // namespace
