// requestMany strategies, decided in the engine (nats.js semantics): timer,
// count, stall, sentinel; no responders only before the first reply.
#include <gtest/gtest.h>

#include "nats/engine.hpp"
#include "scripted_peer.hpp"

namespace {

using nats::Duration;
using nats::Errc;
using nats::ReplyStrategy;
using nats::RequestManyOptions;
using nats::Time;
using nats_test::hmsg;
using nats_test::msg;
using Transcript = std::vector<std::string>;

class RequestManyTest : public ::testing::Test {
protected:
  // Starts a requestMany and returns the reply subject prefix ("<inbox>.<id>").
  std::string start(RequestManyOptions o) {
    peer_.handshake();
    auto r = peer_.engine().request_many("svc", "q", Time{0}, o);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    id_ = r.ok() ? *r : 0;
    auto ops = peer_.written();
    EXPECT_EQ(ops.size(), 2u);
    // "PUB svc <inbox>.<id> 1\r\nq"
    std::string pub = ops.size() == 2 ? ops[1] : "";
    std::size_t a = pub.find(' ', 4);
    std::size_t b = pub.find(' ', a + 1);
    reply_ = pub.substr(a + 1, b - a - 1);
    return reply_;
  }
  std::vector<std::string> reply(std::string_view payload) {
    return peer_.feed_summaries(msg(reply_, 1, payload));
  }
  std::string tag(std::string_view what) { return std::string(what) + " " + std::to_string(id_); }

  nats_test::ScriptedPeer peer_;
  std::uint64_t id_ = 0;
  std::string reply_;
};

TEST_F(RequestManyTest, TimerCollectsUntilMaxWait) {
  RequestManyOptions o;
  o.strategy = ReplyStrategy::timer;
  o.max_wait = Duration{500};
  start(o);
  EXPECT_EQ(reply("a"), Transcript{tag("request_reply") + " a"});
  EXPECT_EQ(reply("b"), Transcript{tag("request_reply") + " b"});
  peer_.engine().handle_timeout(Time{499});
  EXPECT_TRUE(peer_.events().empty());
  peer_.engine().handle_timeout(Time{500});
  EXPECT_EQ(nats_test::summaries(peer_.events()), Transcript{tag("request_done")});
  EXPECT_EQ(peer_.engine().pending_requests(), 0u);
  EXPECT_TRUE(reply("late").empty()) << "a late reply finds nothing";
}

TEST_F(RequestManyTest, CountEndsAtMaxMessages) {
  RequestManyOptions o;
  o.strategy = ReplyStrategy::count;
  o.max_messages = 2;
  start(o);
  EXPECT_EQ(reply("a").size(), 1u);
  EXPECT_EQ(reply("b"), (Transcript{tag("request_reply") + " b", tag("request_done")}));
  EXPECT_EQ(peer_.engine().pending_requests(), 0u);
}

TEST_F(RequestManyTest, CountWithoutMaxIsInvalid) {
  peer_.handshake();
  RequestManyOptions o;
  o.strategy = ReplyStrategy::count;
  auto r = peer_.engine().request_many("svc", "", Time{0}, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  EXPECT_TRUE(peer_.written().empty()) << "a refused request sends nothing";
}

TEST_F(RequestManyTest, StallEndsAfterSilenceButMaxWaitStillBounds) {
  RequestManyOptions o;
  o.strategy = ReplyStrategy::stall;
  o.stall = Duration{100};
  o.max_wait = Duration{1000};
  start(o);
  // Before the first reply only the max wait counts.
  peer_.engine().handle_timeout(Time{150});
  EXPECT_TRUE(peer_.events().empty());
  peer_.now = Time{200};
  EXPECT_EQ(reply("a").size(), 1u);
  peer_.engine().handle_timeout(Time{299});
  EXPECT_TRUE(peer_.events().empty());
  peer_.now = Time{250};
  EXPECT_EQ(reply("b").size(), 1u) << "each reply re-arms the stall";
  peer_.engine().handle_timeout(Time{349});
  EXPECT_TRUE(peer_.events().empty());
  peer_.engine().handle_timeout(Time{350});
  EXPECT_EQ(nats_test::summaries(peer_.events()), Transcript{tag("request_done")});
}

TEST_F(RequestManyTest, StallNeverOutlivesMaxWait) {
  RequestManyOptions o;
  o.strategy = ReplyStrategy::stall;
  o.stall = Duration{300};
  o.max_wait = Duration{400};
  start(o);
  peer_.now = Time{350};
  EXPECT_EQ(reply("a").size(), 1u);
  peer_.engine().handle_timeout(Time{400});
  EXPECT_EQ(nats_test::summaries(peer_.events()), Transcript{tag("request_done")});
}

TEST_F(RequestManyTest, SentinelDeliversTheEmptyReplyThenEnds) {
  RequestManyOptions o;
  o.strategy = ReplyStrategy::sentinel;
  start(o);
  EXPECT_EQ(reply("a").size(), 1u);
  EXPECT_EQ(reply(""), (Transcript{tag("request_reply") + " ", tag("request_done")}));
}

TEST_F(RequestManyTest, NoRespondersBeforeAnyReplyIsAnError) {
  RequestManyOptions o;
  start(o);
  auto evs = peer_.feed(hmsg(reply_, 1, "NATS/1.0 503\r\n\r\n", ""));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(nats_test::summary(evs[0]), tag("request_failed") + " no_responders");
  EXPECT_EQ(evs[0].error.subject, "svc");
}

TEST_F(RequestManyTest, A503AfterRepliesJustEnds) {
  RequestManyOptions o;
  start(o);
  EXPECT_EQ(reply("a").size(), 1u);
  EXPECT_EQ(peer_.feed_summaries(hmsg(reply_, 1, "NATS/1.0 503\r\n\r\n", "")),
            Transcript{tag("request_done")});
}

TEST_F(RequestManyTest, A503WithABodyIsAReply) {
  RequestManyOptions o;
  start(o);
  EXPECT_EQ(peer_.feed_summaries(hmsg(reply_, 1, "NATS/1.0 503\r\n\r\n", "busy")),
            Transcript{tag("request_reply") + " busy"});
}

TEST_F(RequestManyTest, MaxMessagesBoundsOtherStrategies) {
  RequestManyOptions o;
  o.strategy = ReplyStrategy::timer;
  o.max_messages = 1;
  start(o);
  EXPECT_EQ(reply("a"), (Transcript{tag("request_reply") + " a", tag("request_done")}));
}

TEST_F(RequestManyTest, CancelledManyGetsNoMoreEvents) {
  RequestManyOptions o;
  start(o);
  EXPECT_FALSE(peer_.engine().cancel_request(id_));
  EXPECT_TRUE(reply("a").empty());
  peer_.engine().handle_timeout(Time{10000});
  EXPECT_TRUE(peer_.events().empty());
}

TEST_F(RequestManyTest, CloseFailsAPendingMany) {
  RequestManyOptions o;
  start(o);
  peer_.engine().close();
  auto t = nats_test::summaries(peer_.events());
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t[0], tag("request_failed") + " connection_closed");
}

}  // namespace
