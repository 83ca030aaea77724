// Reconnecting, with a scripted server: what a lost connection fails and
// keeps, the attempts and their backoff, the session replayed on the new
// connection (subscriptions, the reconnect buffer, JetStream publishes with
// a msg id, consumers, flushes), discovery, lame duck, the first connect,
// the network going away and coming back.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nats/engine.hpp"
#include "scripted_peer.hpp"

namespace {

using nats::Duration;
using nats::Engine;
using nats::Errc;
using nats::Error;
using nats::Event;
using nats::EventType;
using nats::Options;
using nats::State;
using nats::Time;
using nats_test::ScriptedPeer;
using Ops = std::vector<std::string>;
using Transcript = std::vector<std::string>;

Options reconnecting(std::vector<std::string> servers = {"nats://a:4222"}) {
  Options o;
  o.servers = std::move(servers);
  o.no_randomize = true;
  o.reconnect_jitter = Duration{0};
  o.reconnect_jitter_tls = Duration{0};
  o.ping_interval = Duration{0};
  o.connect_timeout = Duration{0};
  return o;
}

// The transport instructions among the events (their URL for transport_open).
std::vector<std::string> transport_of(const std::vector<Event> &evs) {
  std::vector<std::string> out;
  for (const auto &ev : evs) {
    if (ev.type == EventType::transport_open) out.push_back("open " + ev.text);
    if (ev.type == EventType::transport_close) out.push_back("close");
  }
  return out;
}

class ReconnectTest : public ::testing::Test {
protected:
  explicit ReconnectTest(Options o = reconnecting()) : peer_(std::move(o)) {}
  Engine &engine() { return peer_.engine(); }

  // Runs the transport open → INFO → CONNECT/PING → PONG of a reconnect at
  // `at`; returns the events of the PONG (reconnected ...).
  std::vector<Event> complete_reconnect(Time at, std::string_view info = nats_test::kInfo) {
    peer_.now = at;
    engine().transport_opened(at);
    EXPECT_TRUE(peer_.feed(info).empty());
    EXPECT_EQ(peer_.written().size(), 2u) << "CONNECT and PING first";
    return peer_.feed("PONG\r\n");
  }
  // Loses the transport at `at` and returns the events.
  std::vector<Event> lose(Time at) {
    peer_.now = at;
    engine().transport_closed(at);
    return peer_.all_events();
  }
  // Fires the timers at `at` and returns every event.
  std::vector<Event> tick(Time at) {
    peer_.now = at;
    engine().handle_timeout(at);
    return peer_.all_events();
  }

  ScriptedPeer peer_;
};

TEST_F(ReconnectTest, LossReconnectsAtOnceAndReplaysSubscriptions) {
  peer_.handshake();
  auto foo = engine().subscribe("foo", {}, 5);
  auto bar = engine().subscribe("bar", "q");
  ASSERT_TRUE(foo.ok() && bar.ok());
  peer_.feed(nats_test::msg("foo", *foo, "1") + nats_test::msg("foo", *foo, "2"));
  peer_.written();

  auto evs = lose(Time{100});
  EXPECT_EQ(transport_of(evs), Ops{"close"});
  ASSERT_EQ(nats_test::summaries(peer_.events()).size(), 0u);
  bool disconnected = false;
  for (const auto &ev : evs) {
    if (ev.type == EventType::disconnected) {
      disconnected = true;
      EXPECT_EQ(ev.error.code, Errc::connection_lost);
      EXPECT_EQ(ev.text, "nats://a:4222");
    }
  }
  EXPECT_TRUE(disconnected);
  EXPECT_EQ(engine().state(), State::reconnecting);
  EXPECT_EQ(engine().next_deadline(), Time{100}) << "the first attempt comes at once";

  evs = tick(Time{100});
  EXPECT_EQ(transport_of(evs), Ops{"open nats://a:4222"});
  ASSERT_FALSE(evs.empty());
  EXPECT_EQ(evs[0].type, EventType::reconnecting);
  EXPECT_EQ(evs[0].num, 1u);

  auto done = complete_reconnect(Time{120});
  EXPECT_EQ(nats_test::summaries(done), Transcript{"reconnected 0"});
  EXPECT_EQ(peer_.written(), (Ops{"SUB foo 1", "UNSUB 1 3", "SUB bar q 2"}))
      << "the subscriptions again, with what is left of an auto-unsubscribe";
  EXPECT_EQ(engine().state(), State::connected);
  EXPECT_EQ(peer_.feed_summaries(nats_test::msg("bar", *bar, "back")),
            Transcript{"message 2 back"});
}

TEST_F(ReconnectTest, EachAttemptAfterTheFirstSaysWhyTheOneBeforeFailed) {
  peer_.handshake();
  lose(Time{100});
  auto evs = tick(Time{100});
  ASSERT_FALSE(evs.empty());
  ASSERT_EQ(evs[0].type, EventType::reconnecting);
  EXPECT_FALSE(evs[0].error) << "the disconnect said why already";
  // The attempt fails: the next one carries that failure (nats.py's error_cb).
  peer_.now = Time{101};
  engine().transport_closed(Time{101}, "refused");
  peer_.all_events();
  ASSERT_TRUE(engine().next_deadline());
  evs = tick(*engine().next_deadline());
  ASSERT_FALSE(evs.empty());
  ASSERT_EQ(evs[0].type, EventType::reconnecting);
  EXPECT_EQ(evs[0].num, 2u);
  EXPECT_EQ(evs[0].error.message, "cannot connect to nats://a:4222: refused");
  EXPECT_EQ(evs[0].text, "nats://a:4222");
}

TEST_F(ReconnectTest, PublishesWhileDownWaitInOrderAndOverflowTyped) {
  Options o = reconnecting();
  o.reconnect_buffer_size = 100;
  ScriptedPeer peer(o);
  peer.handshake();
  peer.now = Time{10};
  peer.engine().transport_closed(Time{10});
  peer.all_events();
  EXPECT_FALSE(peer.engine().publish("a", "1"));
  EXPECT_FALSE(peer.engine().publish("b", "2"));
  EXPECT_TRUE(peer.written().empty()) << "nothing goes to a transport that is gone";
  Error full = peer.engine().publish("c", std::string(80, 'x'));
  EXPECT_EQ(full.code, Errc::outbound_buffer_full);
  peer.engine().handle_timeout(Time{10});
  peer.all_events();
  peer.engine().transport_opened(Time{11});
  peer.feed(nats_test::kInfo);
  EXPECT_EQ(peer.written().size(), 2u);
  // In the reconnect's handshake: still behind the buffered ones.
  EXPECT_FALSE(peer.engine().publish("d", "4"));
  EXPECT_EQ(nats_test::summaries(peer.feed("PONG\r\n")), Transcript{"reconnected 0"});
  EXPECT_EQ(peer.written(), (Ops{"PUB a 1\r\n1", "PUB b 1\r\n2", "PUB d 1\r\n4"}));
}

TEST_F(ReconnectTest, RequestsFailAtTheLossFlushesWaitForTheReconnect) {
  peer_.handshake();
  auto req = engine().request("svc", "x", Time{0}, Duration{5000});
  auto flush = engine().flush(Time{0}, Duration{5000});
  ASSERT_TRUE(req.ok() && flush.ok());
  peer_.written();
  auto evs = lose(Time{10});
  bool failed = false;
  for (const auto &ev : evs) {
    if (ev.type == EventType::request_failed) {
      failed = true;
      EXPECT_EQ(ev.id, *req);
      EXPECT_EQ(ev.error.code, Errc::connection_lost);
    }
    EXPECT_NE(ev.type, EventType::flush_done) << "a flush waits for the reconnect";
  }
  EXPECT_TRUE(failed);
  tick(Time{10});
  complete_reconnect(Time{20});
  auto ops = peer_.written();
  ASSERT_FALSE(ops.empty());
  EXPECT_EQ(ops.back(), "PING") << "the flush's PING, on the new connection";
  EXPECT_EQ(nats_test::summaries(peer_.feed("PONG\r\n")),
            Transcript{"flush_done " + std::to_string(*flush)});
}

TEST_F(ReconnectTest, BackoffGrowsToTimeWaitThenGivesUp) {
  Options o = reconnecting();
  o.max_reconnect_attempts = 4;
  o.reconnect_time_wait = Duration{300};
  ScriptedPeer peer(o);
  peer.handshake();
  peer.engine().transport_closed(Time{0});
  peer.all_events();
  std::vector<long long> at;
  for (int i = 0; i < 10 && peer.engine().state() == State::reconnecting; ++i) {
    auto next = peer.engine().next_deadline();
    ASSERT_TRUE(next.has_value());
    at.push_back(next->count());
    peer.now = *next;
    peer.engine().handle_timeout(*next);
    peer.all_events();
    peer.engine().transport_closed(*next);  // refused
  }
  EXPECT_EQ(at, (std::vector<long long>{0, 100, 300, 600, 900}))
      << "0, then 100 ms doubling, at most reconnect_time_wait";
  auto evs = peer.all_events();
  ASSERT_FALSE(evs.empty());
  EXPECT_EQ(evs.back().type, EventType::closed);
  EXPECT_EQ(evs.back().error.code, Errc::no_servers);
}

TEST_F(ReconnectTest, JetStreamPublishWithMsgIdIsSentAgainOthersFail) {
  peer_.handshake();
  auto ctx = engine().js_context({});
  nats::js::PublishOptions with_id;
  with_id.msg_id = "m-1";
  auto a = engine().js_publish(*ctx, "orders.1", "A", nullptr, with_id, Time{0});
  auto b = engine().js_publish(*ctx, "orders.1", "B", nullptr, {}, Time{0});
  ASSERT_TRUE(a.ok() && b.ok());
  peer_.written();
  auto evs = lose(Time{5});
  int failed = 0;
  for (const auto &ev : evs) {
    if (ev.type == EventType::js_pub_ack) {
      EXPECT_EQ(ev.id, *b) << "only the publish without a msg id fails";
      EXPECT_EQ(ev.error.code, Errc::connection_lost);
      ++failed;
    }
  }
  EXPECT_EQ(failed, 1);
  tick(Time{5});
  complete_reconnect(Time{6});
  auto ops = peer_.written();
  ASSERT_GE(ops.size(), 2u);
  EXPECT_EQ(ops[0].rfind("SUB _INBOX.", 0), 0u) << "the reply subscription first";
  EXPECT_EQ(ops[1].rfind("HPUB orders.1 _INBOX.", 0), 0u);
  EXPECT_NE(ops[1].find("Nats-Msg-Id: m-1"), std::string::npos);
  EXPECT_EQ(engine().js_pending(*ctx), 1u);
}

TEST_F(ReconnectTest, DiscoveredServersAreTriedAndLameDuckMovesAway) {
  peer_.handshake(nats_test::info_line(
      R"({"server_id":"S","proto":1,"headers":true,"connect_urls":["a:4222","b:4222"]})"));
  ASSERT_EQ(engine().servers().size(), 2u);
  EXPECT_TRUE(engine().servers()[1].implicit);
  auto evs = peer_.feed(nats_test::info_line(
      R"({"server_id":"S","proto":1,"headers":true,"ldm":true,"connect_urls":["a:4222","b:4222"]})"));
  auto all = nats_test::summaries(evs);
  EXPECT_EQ(all, (Transcript{"info 0", "lame_duck 0", "disconnected 0 connection_lost"}));
  auto opened = tick(Time{0});
  EXPECT_EQ(transport_of(opened), Ops{"open nats://b:4222"}) << "another server, not the lame one";
}

TEST(ReconnectFirstConnect, EachGivenServerOnceThenTheLastError) {
  ScriptedPeer peer(reconnecting({"nats://a:1", "nats://b:2"}));
  peer.engine().connect(Time{0});
  EXPECT_EQ(transport_of(peer.all_events()), Ops{"open nats://a:1"});
  peer.engine().transport_closed(Time{0});
  auto evs = peer.all_events();
  peer.engine().handle_timeout(Time{0});
  evs = peer.all_events();
  EXPECT_EQ(transport_of(evs), Ops{"open nats://b:2"});
  // The next server is an attempt like a reconnect's, saying why the one
  // before failed (nats.py's error_cb hears of each).
  ASSERT_FALSE(evs.empty());
  EXPECT_EQ(evs[0].type, EventType::reconnecting);
  EXPECT_EQ(evs[0].text, "nats://b:2");
  EXPECT_EQ(evs[0].error.code, Errc::no_servers);
  EXPECT_NE(evs[0].error.message.find("nats://a:1"), std::string::npos) << evs[0].error.message;
  peer.engine().transport_closed(Time{0});
  evs = peer.all_events();
  ASSERT_FALSE(evs.empty());
  EXPECT_EQ(evs.back().type, EventType::closed);
  EXPECT_EQ(evs.back().error.code, Errc::no_servers);
}

TEST(ReconnectFirstConnect, WaitOnFirstConnectKeepsTrying) {
  Options o = reconnecting();
  o.wait_on_first_connect = true;
  ScriptedPeer peer(o);
  peer.engine().connect(Time{0});
  peer.all_events();
  for (int i = 0; i < 5; ++i) {
    peer.engine().transport_closed(peer.now);
    peer.all_events();
    ASSERT_EQ(peer.engine().state(), State::reconnecting);
    peer.now = *peer.engine().next_deadline();
    peer.engine().handle_timeout(peer.now);
    auto evs = peer.all_events();
    EXPECT_EQ(transport_of(evs), Ops{"open nats://a:4222"});
    // Each retry is reported like a reconnect attempt, with why the one
    // before failed (nats.py's error_cb hears of every failed attempt).
    ASSERT_FALSE(evs.empty());
    EXPECT_EQ(evs[0].type, EventType::reconnecting);
    EXPECT_EQ(evs[0].num, static_cast<std::uint64_t>(i + 1));
    EXPECT_EQ(evs[0].error.code, Errc::no_servers) << "attempt " << i + 1;
  }
  peer.engine().transport_opened(peer.now);
  peer.feed(nats_test::kInfo);
  peer.written();
  EXPECT_EQ(nats_test::summaries(peer.feed("PONG\r\n")), Transcript{"connected 0"});
}

TEST_F(ReconnectTest, OfflinePausesAttemptsOnlineTriesAtOnce) {
  peer_.handshake();
  engine().set_online(false, Time{0});
  lose(Time{0});
  EXPECT_FALSE(engine().next_deadline().has_value()) << "no attempt while offline";
  EXPECT_TRUE(transport_of(tick(Time{5000})).empty());
  engine().set_online(true, Time{6000});
  EXPECT_EQ(engine().next_deadline(), Time{6000});
  EXPECT_EQ(transport_of(tick(Time{6000})), Ops{"open nats://a:4222"});
}

TEST_F(ReconnectTest, ConnectionCheckFindsADeadConnection) {
  peer_.handshake();
  engine().check_connection(Time{0}, Duration{500});
  EXPECT_EQ(peer_.written(), Ops{"PING"});
  EXPECT_TRUE(tick(Time{499}).empty());
  auto evs = tick(Time{500});
  ASSERT_FALSE(evs.empty());
  bool stale = false;
  for (const auto &ev : evs) {
    if (ev.type == EventType::disconnected) stale = ev.error.code == Errc::stale_connection;
  }
  EXPECT_TRUE(stale);
  // A live one answers, and nothing happens.
  tick(Time{500});
  complete_reconnect(Time{501});
  peer_.written();
  engine().check_connection(Time{600}, Duration{500});
  EXPECT_EQ(peer_.written(), Ops{"PING"});
  peer_.feed("PONG\r\n");
  EXPECT_TRUE(tick(Time{2000}).empty());
  EXPECT_EQ(engine().state(), State::connected);
}

TEST_F(ReconnectTest, ConsumeAndOrderedConsumersPullAgain) {
  peer_.handshake();
  auto ctx = engine().js_context({});
  nats::js::PullOptions o;
  o.mode = nats::js::PullMode::consume;
  o.max_messages = 10;
  o.expires = Duration{5000};
  auto consume = engine().pull_start(*ctx, "S", "c", o, Time{0});
  nats::js::PullOptions f;
  f.max_messages = 10;
  auto fetch = engine().pull_start(*ctx, "S", "c", f, Time{0});
  ASSERT_TRUE(consume.ok() && fetch.ok());
  peer_.written();
  auto evs = lose(Time{10});
  bool fetch_done = false;
  for (const auto &ev : evs) {
    if (ev.type == EventType::pull_done) {
      EXPECT_EQ(ev.id, *fetch) << "a fetch ends with what it got; a consume goes on";
      EXPECT_FALSE(ev.error);
      fetch_done = true;
    }
  }
  EXPECT_TRUE(fetch_done);
  EXPECT_EQ(engine().pull_sessions(), 1u);
  tick(Time{10});
  complete_reconnect(Time{20});
  auto ops = peer_.written();
  int subs = 0;
  int pulls = 0;
  for (const auto &op : ops) {
    if (op.rfind("SUB ", 0) == 0) ++subs;
    if (op.rfind("PUB $JS.API.CONSUMER.MSG.NEXT.S.c ", 0) == 0) {
      ++pulls;
      EXPECT_NE(op.find("\"batch\":10"), std::string::npos) << op;
    }
  }
  EXPECT_EQ(subs, 1) << "the consume's inbox";
  EXPECT_EQ(pulls, 1) << "a fresh pull for the whole batch";
}

TEST_F(ReconnectTest, ARedeliveryOfAnAckedMessageIsAckedAgainNotHandedOut) {
  peer_.handshake();
  auto ctx = engine().js_context({});
  nats::js::PullOptions o;
  o.mode = nats::js::PullMode::consume;
  o.max_messages = 10;
  auto session = engine().pull_start(*ctx, "S", "c", o, Time{0});
  ASSERT_TRUE(session.ok());
  auto ops = peer_.written();
  const std::string inbox = ops[0].substr(4, ops[0].rfind(' ') - 4);
  const std::string first = "$JS.ACK.S.c.1.5.1.1700000000000000000.0";
  auto evs = peer_.feed(nats_test::msg(inbox, 1, "five", first));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, EventType::js_msg);
  ASSERT_FALSE(engine().js_ack(first, nats::js::AckKind::ack));
  engine().pull_consumed(*session, 1, 40);
  peer_.written();
  // The server lost the ack and its delivery state (a kill -9): stream seq 5 again.
  const std::string again = "$JS.ACK.S.c.1.5.3.1700000000000000000.0";
  EXPECT_TRUE(peer_.feed(nats_test::msg(inbox, 1, "five", again)).empty());
  auto acks = peer_.written();
  ASSERT_FALSE(acks.empty());
  EXPECT_EQ(acks[0], "PUB " + again + " 4\r\n+ACK");
  // A message nak'd is wanted again: not filtered.
  const std::string six = "$JS.ACK.S.c.1.6.4.1700000000000000000.0";
  ASSERT_EQ(peer_.feed(nats_test::msg(inbox, 1, "six", six)).size(), 1u);
  ASSERT_FALSE(engine().js_ack(six, nats::js::AckKind::nak));
  EXPECT_EQ(
      peer_.feed(nats_test::msg(inbox, 1, "six", "$JS.ACK.S.c.2.6.5.1700000000000000000.0")).size(),
      1u);
}

TEST_F(ReconnectTest, ForcedReconnectAndNoReconnectWhenNotAllowed) {
  peer_.handshake();
  EXPECT_FALSE(engine().reconnect(Time{0}));
  auto evs = peer_.all_events();
  EXPECT_EQ(transport_of(evs), Ops{"close"});
  EXPECT_EQ(engine().state(), State::reconnecting);

  Options o = reconnecting();
  o.allow_reconnect = false;
  ScriptedPeer fixed(o);
  fixed.handshake();
  EXPECT_EQ(fixed.engine().reconnect(Time{0}).code, Errc::illegal_state);
  fixed.engine().transport_closed(Time{0});
  auto end = fixed.events();
  ASSERT_EQ(end.size(), 1u);
  EXPECT_EQ(end[0].type, EventType::closed);
}

TEST_F(ReconnectTest, StaleKeepaliveReconnects) {
  Options o = reconnecting();
  o.ping_interval = Duration{1000};
  o.max_pings_out = 1;
  ScriptedPeer peer(o);
  peer.handshake();
  peer.engine().handle_timeout(Time{1000});
  EXPECT_EQ(peer.written(), Ops{"PING"});
  peer.engine().handle_timeout(Time{2000});
  auto evs = peer.all_events();
  bool stale = false;
  for (const auto &ev : evs) {
    if (ev.type == EventType::disconnected) stale = ev.error.code == Errc::stale_connection;
  }
  EXPECT_TRUE(stale);
  EXPECT_EQ(peer.engine().state(), State::reconnecting);
}

TEST_F(ReconnectTest, CloseWhileReconnectingEndsEverything) {
  peer_.handshake();
  auto sub = engine().subscribe("foo");
  ASSERT_TRUE(sub.ok());
  lose(Time{0});
  ASSERT_FALSE(engine().publish("x", "held"));
  engine().close();
  auto evs = peer_.events();
  ASSERT_FALSE(evs.empty());
  EXPECT_EQ(evs.back().type, EventType::closed);
  EXPECT_EQ(engine().publish("x", "y").code, Errc::connection_closed);
  EXPECT_FALSE(engine().next_deadline().has_value());
}

}  // namespace

namespace {

TEST_F(ReconnectTest, SetServersReplacesThePoolForTheNextAttempts) {
  peer_.handshake();
  EXPECT_EQ(engine().set_servers({}).code, Errc::invalid_argument);
  EXPECT_EQ(engine().set_servers({"nats://b:4222", "bad url with spaces"}).code,
            Errc::invalid_argument);
  ASSERT_EQ(engine().servers().size(), 1u) << "a failed call changes nothing";
  ASSERT_FALSE(engine().set_servers({"nats://b:4222", "nats://a:4222"}));
  EXPECT_EQ(engine().state(), State::connected) << "the live connection stays";
  ASSERT_EQ(engine().servers().size(), 2u);
  EXPECT_TRUE(engine().servers()[1].did_connect) << "a known server keeps what it did";
  EXPECT_EQ(engine().current_server()->str(), "nats://a:4222") << "the current one stays current";
  // The loss moves on from the current server: the next attempt is b.
  lose(Time{100});
  EXPECT_EQ(transport_of(tick(Time{100})), Ops{"open nats://b:4222"});
  // A pool without the current server: the next attempt is the new pool's first.
  ASSERT_FALSE(engine().set_servers({"nats://c:4222"}));
  engine().transport_closed(Time{200});
  peer_.all_events();
  auto evs = tick(*engine().next_deadline());
  EXPECT_EQ(transport_of(evs), Ops{"open nats://c:4222"});
  engine().close();
  EXPECT_EQ(engine().set_servers({"nats://a:4222"}).code, Errc::connection_closed);
}

}  // namespace
