// Rules that used to live in the hosts and are now the engine's: structured
// permission violations, the transport lifecycle, parser reset, headers
// validated in the engine, malformed header blocks delivered.
#include <gtest/gtest.h>

#include <limits>

#include "nats/engine.hpp"
#include "nats/server_errors.hpp"
#include "nats/server_info.hpp"
#include "scripted_peer.hpp"

namespace {

using nats::Errc;
using nats::EventType;
using nats::State;
using nats::Time;
using nats_test::hmsg;
using nats_test::kInfo;
using nats_test::msg;

TEST(ServerErrors, PermissionViolationsCarryWhatWasDenied) {
  auto sub = nats::classify_server_error(
      "Permissions Violation for Subscription to \"a.b\" using queue \"q1\"");
  EXPECT_EQ(sub.error.code, Errc::permission_violation);
  EXPECT_FALSE(sub.fatal);
  EXPECT_EQ(sub.error.operation, "subscription");
  EXPECT_EQ(sub.error.subject, "a.b");
  EXPECT_EQ(sub.error.queue, "q1");
  auto pub = nats::classify_server_error("Permissions Violation for Publish to \"x.y\"");
  EXPECT_EQ(pub.error.operation, "publish");
  EXPECT_EQ(pub.error.subject, "x.y");
  EXPECT_TRUE(pub.error.queue.empty());
}

TEST(ServerErrors, FatalAndNonFatalKinds) {
  EXPECT_TRUE(nats::classify_server_error("Authorization Violation").fatal);
  EXPECT_EQ(nats::classify_server_error("Authorization Violation").error.code,
            Errc::authorization_violation);
  EXPECT_EQ(nats::classify_server_error("Maximum Payload Violation").error.code,
            Errc::max_payload_violation);
  EXPECT_EQ(nats::classify_server_error("Stale Connection").error.code, Errc::stale_connection);
  EXPECT_FALSE(nats::classify_server_error("Invalid Subject").fatal);
  auto other = nats::classify_server_error("Something Else");
  EXPECT_TRUE(other.fatal);
  EXPECT_EQ(other.error.code, Errc::server_error);
  EXPECT_EQ(other.error.message, "Something Else");
}

TEST(EngineRules, PermissionEventCarriesDetails) {
  nats_test::ScriptedPeer peer;
  peer.handshake();
  ASSERT_TRUE(peer.engine().subscribe("foo", "g").ok());
  auto evs =
      peer.feed("-ERR 'Permissions Violation for Subscription to \"foo\" using queue \"g\"'\r\n");
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[0].type, EventType::subscription_closed);
  EXPECT_EQ(evs[1].type, EventType::error);
  EXPECT_EQ(evs[1].error.queue, "g");
  EXPECT_EQ(evs[1].error.subject, "foo");
}

TEST(EngineRules, CloseAsksTheHostToCloseTheTransportFirst) {
  nats_test::ScriptedPeer peer;
  peer.handshake();
  ASSERT_TRUE(peer.engine().subscribe("foo").ok());
  ASSERT_FALSE(peer.engine().publish("foo", "last"));
  peer.engine().close();
  auto evs = peer.all_events();
  ASSERT_EQ(evs.size(), 3u);
  EXPECT_EQ(evs[0].type, EventType::transport_close);
  EXPECT_EQ(evs[1].type, EventType::subscription_closed);
  EXPECT_EQ(evs[2].type, EventType::closed);
  // What was published before close() is still there for the host to write.
  EXPECT_EQ(peer.written().back(), "PUB foo 4\r\nlast");
}

TEST(EngineRules, TransportThatNeverOpensIsNoServers) {
  nats::Options o;
  o.servers = {"nats://127.0.0.1:1"};
  nats::Engine e(o);
  e.connect(Time{0});
  nats::Event ev;
  ASSERT_TRUE(e.next_event(ev));
  EXPECT_EQ(ev.type, EventType::transport_open);
  EXPECT_EQ(ev.text, "nats://127.0.0.1:1");
  e.transport_closed(Time{5});
  ASSERT_TRUE(e.next_event(ev));
  EXPECT_EQ(ev.type, EventType::transport_close);
  ASSERT_TRUE(e.next_event(ev));
  EXPECT_EQ(ev.type, EventType::closed);
  EXPECT_EQ(ev.error.code, Errc::no_servers);
  EXPECT_NE(ev.error.message.find("127.0.0.1:1"), std::string::npos);
}

TEST(EngineRules, ConnectTimeoutCoversOpeningTheTransport) {
  nats::Options o;
  o.connect_timeout = nats::Duration{300};
  nats::Engine e(o);
  e.connect(Time{100});
  ASSERT_TRUE(e.next_deadline().has_value());
  EXPECT_EQ(e.next_deadline()->count(), 400);
  e.handle_timeout(Time{400});
  EXPECT_EQ(e.state(), State::closed);
  EXPECT_EQ(e.last_error().code, Errc::timeout);
}

TEST(EngineRules, IllegalOperationsDoNotMoveTheState) {
  nats_test::ScriptedPeer peer;
  // Before connect(): no transport, nothing to drain.
  EXPECT_EQ(peer.engine().drain().code, Errc::not_connected);
  EXPECT_EQ(peer.engine().state(), State::disconnected);
  peer.engine().transport_opened(Time{0});  // not asked to open anything
  EXPECT_EQ(peer.engine().state(), State::disconnected);
  peer.engine().close();
  EXPECT_EQ(peer.engine().state(), State::closed);
  peer.engine().connect(Time{0});
  EXPECT_EQ(peer.engine().state(), State::closed) << "closed is terminal";
}

TEST(EngineRules, HeadersAreValidatedByTheEngine) {
  nats_test::ScriptedPeer peer;
  peer.handshake();
  nats::Headers h;
  h.append("Bad Key", "v");
  EXPECT_EQ(peer.engine().publish("foo", "x", {}, h).code, Errc::invalid_header);
  nats::Headers non_ascii;
  non_ascii.append("K\xc3\xa9y", "v");
  EXPECT_EQ(peer.engine().publish("foo", "x", {}, non_ascii).code, Errc::invalid_header);
  // A pre-encoded block gets the same checks.
  EXPECT_EQ(peer.engine().publish("foo", "x", {}, "NATS/1.0\r\nBad Key: v\r\n\r\n").code,
            Errc::invalid_header);
  EXPECT_EQ(peer.engine().publish("foo", "x", {}, "HTTP/1.1\r\n\r\n").code, Errc::invalid_header);
  EXPECT_TRUE(peer.written().empty());
}

TEST(EngineRules, StatusLineWithoutBlankReadsAsNatsJsDoes) {
  EXPECT_EQ(nats::header_status("NATS/1.0503\r\n\r\n"), 503);
  auto h = nats::Headers::parse("NATS/1.0 404 No Messages\r\n\r\n");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->status, 404);
  EXPECT_EQ(h->description, "No Messages");
}

TEST(EngineRules, MalformedHeaderBlockIsDeliveredNotFatal) {
  // nats-server relays any HPUB header block; one publisher must not be able
  // to disconnect every subscriber.
  nats_test::ScriptedPeer peer;
  peer.handshake();
  ASSERT_TRUE(peer.engine().subscribe("foo").ok());
  auto evs = peer.feed(hmsg("foo", 1, "HTTP/1.1\r\n\r\n", "body") + msg("foo", 1, "next"));
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[0].type, EventType::message);
  EXPECT_EQ(evs[0].msg.payload, "body");
  auto parsed = nats::Headers::parse(evs[0].msg.headers);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, Errc::bad_header_block);
  EXPECT_EQ(evs[1].msg.payload, "next");
  EXPECT_EQ(peer.engine().state(), State::connected);
}

TEST(ParserReset, ForgetsBufferedBytesAndStickyErrors) {
  nats::Parser p;
  p.feed("GARBAGE\r\n");
  nats::Op op;
  ASSERT_EQ(p.next(op), nats::ParseStatus::error);
  p.reset();
  EXPECT_EQ(p.buffered(), 0u);
  p.feed("MSG a 1 2\r\nhi");  // incomplete...
  EXPECT_EQ(p.next(op), nats::ParseStatus::need_more);
  p.reset();  // ...and forgotten: a new connection starts clean
  p.feed("PING\r\n");
  ASSERT_EQ(p.next(op), nats::ParseStatus::op);
  EXPECT_EQ(op.type, nats::OpType::ping);
}

}  // namespace

// --- INFO numbers a server (or anyone in the middle) controls --------------
namespace {

TEST(InboundCapTest, InfoCannotRaiseTheInboundLimitWithoutBound) {
  nats::Options o;
  o.max_inbound_payload = 1024;
  nats_test::ScriptedPeer peer(o);
  peer.handshake(nats_test::info_line(
      R"({"server_id":"S","version":"2.9.10","proto":1,"max_payload":1099511627776})"));
  EXPECT_EQ(peer.engine().max_payload(), std::size_t{1099511627776}) << "what the server said";
  // A message over the client's own cap (plus the JetStream slack) is refused
  // as it arrives, not buffered.
  peer.feed("MSG a 1 200000\r\n");
  EXPECT_EQ(peer.engine().state(), nats::State::closed);
  EXPECT_EQ(peer.engine().last_error().code, nats::Errc::payload_too_large);
}

TEST(InboundCapTest, HugeInfoNumbersSaturateInsteadOfWrapping) {
  auto info = nats::parse_server_info(
      R"({"server_id":"S","max_payload":18446744073709551615,"port":70000,"proto":-1})");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->max_payload, std::numeric_limits<std::size_t>::max());
  EXPECT_EQ(info->port, 65535);
  EXPECT_EQ(info->proto, 0) << "a negative number is ignored";
}

}  // namespace

namespace {

TEST(EngineRules, SubscriptionTimeoutClosesWithoutAMessageAndAMessageCancelsIt) {
  nats_test::ScriptedPeer peer(nats::Options{});
  peer.handshake();
  auto &engine = peer.engine();
  auto quiet = engine.subscribe("quiet");
  auto busy = engine.subscribe("busy");
  ASSERT_TRUE(quiet.ok() && busy.ok());
  peer.written();
  EXPECT_EQ(engine.set_subscription_timeout(*quiet, nats::Time{0}, nats::Duration{0}).code,
            nats::Errc::invalid_argument);
  EXPECT_EQ(engine.set_subscription_timeout(99, nats::Time{0}, nats::Duration{10}).code,
            nats::Errc::bad_subscription);
  ASSERT_FALSE(engine.set_subscription_timeout(*quiet, nats::Time{0}, nats::Duration{100}));
  ASSERT_FALSE(engine.set_subscription_timeout(*busy, nats::Time{0}, nats::Duration{100}));
  EXPECT_EQ(engine.next_deadline(), nats::Time{100});
  EXPECT_EQ(peer.feed_summaries(nats_test::msg("busy", *busy, "in time")),
            std::vector<std::string>{"message 2 in time"});
  engine.handle_timeout(nats::Time{100});
  bool closed = false;
  for (const auto &ev : peer.all_events()) {
    if (ev.type == nats::EventType::subscription_closed) {
      closed = true;
      EXPECT_EQ(ev.id, *quiet);
      EXPECT_EQ(ev.error.code, nats::Errc::timeout);
    }
  }
  EXPECT_TRUE(closed);
  EXPECT_EQ(peer.written(), std::vector<std::string>{"UNSUB 1"});
  EXPECT_EQ(engine.subscription_count(), 1u) << "busy got its message in time and stays";
  EXPECT_FALSE(engine.next_deadline().has_value() && *engine.next_deadline() <= nats::Time{100})
      << "no timer left for either";
}

}  // namespace
