// Pull consumers in the engine with a scripted server: requests, pending
// accounting, every status message, heartbeats and recovery, ordered
// consumers and their resets, acks (the rules alone: pull_rules_test.cpp).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nats/engine.hpp"
#include "nats/jetstream/consumer.hpp"
#include "scripted_peer.hpp"

namespace {

using nats::Errc;
using nats::Event;
using nats::EventType;
using nats::Time;
using nats::js::PullMode;
using nats::js::PullOptions;
using json = nlohmann::json;
using Ms = std::chrono::milliseconds;

using Sent = nats_test::Published;

class PullTest : public ::testing::Test {
protected:
  void SetUp() override {
    peer_.handshake();
    ctx_ = *engine().js_context({});
  }
  nats::Engine &engine() { return peer_.engine(); }

  // PUBs written since the last call (SUB/UNSUB lines go to `lines_`).
  std::vector<Sent> sent() {
    lines_.clear();
    const auto ops = peer_.written();
    for (const auto &op : ops) {
      if (op.rfind("PUB ", 0) == 0) continue;
      lines_.push_back(op);
      if (op.rfind("SUB ", 0) == 0 && op.find(".* ") != std::string::npos) {
        mux_sid_ = std::stoull(op.substr(op.rfind(' ') + 1));
      }
    }
    return nats_test::published(ops);
  }
  std::uint64_t start(PullOptions o) {
    auto r = engine().pull_start(ctx_, "S", "c", o, peer_.now);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    auto s = sent();
    EXPECT_EQ(s.size(), 1u);
    if (!s.empty()) {
      pull_ = s[0];
      EXPECT_EQ(pull_.subject, "$JS.API.CONSUMER.MSG.NEXT.S.c");
    }
    return r.ok() ? *r : 0;
  }
  std::uint64_t inbox_sid() {
    // "SUB <inbox> <sid>"
    for (const auto &l : lines_) {
      if (l.rfind("SUB " + pull_.reply + " ", 0) == 0)
        return std::stoull(l.substr(l.rfind(' ') + 1));
    }
    return 0;
  }
  std::string data(std::uint64_t sseq, std::uint64_t dseq, std::string_view payload = "x",
                   std::uint64_t delivered = 1, std::string_view consumer = "c",
                   std::uint64_t pending = 0, std::string_view subject = "S.a") {
    const std::string reply = "$JS.ACK.S." + std::string(consumer) + "." +
                              std::to_string(delivered) + "." + std::to_string(sseq) + "." +
                              std::to_string(dseq) + ".1700000000000000000." +
                              std::to_string(pending);
    return nats_test::msg(subject, sid_, payload, reply);
  }
  std::string status(std::string_view block) {
    return nats_test::hmsg(pull_.reply, sid_, block, "");
  }
  std::vector<std::string> types(const std::vector<Event> &evs) {
    std::vector<std::string> out;
    for (const auto &e : evs) {
      std::string s(nats::event_name(e.type));
      if (e.type == EventType::pull_status) s += ":" + e.text;
      if (e.error) s += "!" + std::string(nats::errc_name(e.error.code));
      out.push_back(s);
    }
    return out;
  }

  // An ordered consumer "oc" created, consumed, and reset by a sequence gap:
  // returns its id; reset_ holds what the reset sent (delete, create).
  std::uint64_t ordered_until_reset() {
    nats::js::OrderedOptions oo;
    oo.name_prefix = "oc";
    auto id = engine().ordered_create(ctx_, "S", oo, Time{0});
    EXPECT_TRUE(id.ok());
    auto info = sent();
    EXPECT_EQ(info.size(), 1u);
    if (!id.ok() || info.empty()) return 0;
    EXPECT_EQ(info[0].subject, "$JS.API.STREAM.INFO.S");
    peer_.feed(nats_test::msg(info[0].reply, 1, R"({"config":{"name":"S"}})"));
    auto create = sent();
    EXPECT_EQ(create.size(), 1u);
    if (create.empty()) return 0;
    EXPECT_EQ(create[0].subject, "$JS.API.CONSUMER.CREATE.S.oc_1");
    auto evs = peer_.feed(nats_test::msg(create[0].reply, 1, R"({"name":"oc_1","num_pending":9})"));
    EXPECT_EQ(evs.size(), 1u);
    if (evs.empty()) return 0;
    EXPECT_EQ(evs[0].type, EventType::js_result);
    EXPECT_EQ(evs[0].id, *id);
    PullOptions o;
    o.mode = PullMode::consume;
    auto session = engine().ordered_pull(*id, o, Time{0});
    EXPECT_TRUE(session.ok());
    EXPECT_EQ(engine().ordered_pull(*id, o, Time{0}).error().code, Errc::illegal_state)
        << "one session at a time";
    auto s = sent();
    EXPECT_EQ(s.size(), 1u);
    if (s.empty()) return 0;
    pull_ = s[0];
    EXPECT_EQ(pull_.subject, "$JS.API.CONSUMER.MSG.NEXT.S.oc_1");
    sid_ = inbox_sid();
    evs = peer_.feed(data(5, 1, "a", 1, "oc_1", 8) + data(6, 2, "b", 1, "oc_1", 7) +
                     data(9, 4, "gap", 1, "oc_1", 5));
    EXPECT_EQ(types(evs), (std::vector<std::string>{"js_msg", "js_msg", "pull_status:reset"}));
    reset_ = sent();
    return *id;
  }

  nats_test::ScriptedPeer peer_;
  std::uint64_t ctx_ = 0;
  Sent pull_;
  std::vector<Sent> reset_;
  std::vector<std::string> lines_;
  std::uint64_t sid_ = 0;
  std::uint64_t mux_sid_ = 0;
};

TEST_F(PullTest, FetchAsksForTheBatchAndEndsWhenItIsDelivered) {
  PullOptions o;
  o.max_messages = 3;
  o.expires = Ms{2000};
  auto id = start(o);
  sid_ = inbox_sid();
  ASSERT_NE(sid_, 0u);
  EXPECT_EQ(json::parse(pull_.body),
            json({{"batch", 3}, {"expires", 2000000000}, {"idle_heartbeat", 1000000000}}));
  auto evs = peer_.feed(data(10, 1, "a") + data(11, 2, "b") + data(12, 3, "c"));
  EXPECT_EQ(types(evs), (std::vector<std::string>{"js_msg", "js_msg", "js_msg", "pull_done"}));
  EXPECT_EQ(evs[0].id, id);
  EXPECT_EQ(evs[0].num, 10u);
  EXPECT_EQ(evs[0].num2, 1u);
  EXPECT_EQ(evs[0].flags, 1u);
  EXPECT_EQ(evs[2].msg.payload, "c");
  EXPECT_EQ(engine().pull_sessions(), 0u);
  sent();
  EXPECT_EQ(lines_.back(), "UNSUB " + std::to_string(sid_)) << "the inbox is released";
}

TEST_F(PullTest, FetchOnAnEmptyConsumerEndsWithoutAnError) {
  PullOptions o;
  o.expires = Ms{1000};
  start(o);
  sid_ = inbox_sid();
  auto evs =
      peer_.feed(status("NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: "
                        "100\r\nNats-Pending-Bytes: 0\r\n\r\n"));
  EXPECT_EQ(types(evs), (std::vector<std::string>{"pull_status:discard", "pull_done"}));
  EXPECT_FALSE(evs.back().error);
}

TEST_F(PullTest, FetchErrorsOnConflictsAndBadRequests) {
  for (const char *block :
       {"NATS/1.0 409 Consumer Deleted\r\n\r\n", "NATS/1.0 409 Exceeded MaxWaiting\r\n\r\n",
        "NATS/1.0 400 Bad Request\r\n\r\n"}) {
    start({});
    sid_ = inbox_sid();
    auto evs = peer_.feed(status(block));
    ASSERT_EQ(evs.size(), 1u) << block;
    EXPECT_EQ(evs[0].type, EventType::pull_done);
    const bool deleted = std::string_view(block).find("Deleted") != std::string_view::npos;
    EXPECT_EQ(evs[0].error.code, deleted ? Errc::consumer_deleted : Errc::js_status_error) << block;
    EXPECT_EQ(evs[0].error.status, std::atoi(block + 9));
  }
}

TEST_F(PullTest, FetchFailsWhenHeartbeatsStop) {
  PullOptions o;
  o.expires = Ms{4000};
  o.idle_heartbeat = Ms{1000};
  start(o);
  sid_ = inbox_sid();
  engine().handle_timeout(Time{1999});
  EXPECT_TRUE(peer_.events().empty());
  peer_.now = Time{1500};
  peer_.feed(status("NATS/1.0 100 Idle Heartbeat\r\n\r\n"));  // activity moves the deadline
  engine().handle_timeout(Time{3000});
  EXPECT_TRUE(peer_.events().empty());
  engine().handle_timeout(Time{3500});
  auto evs = peer_.events();
  EXPECT_EQ(types(evs), (std::vector<std::string>{"pull_status:heartbeats_missed",
                                                  "pull_done!heartbeats_missed"}));
  EXPECT_EQ(evs[0].num, 2u);
}

TEST_F(PullTest, ConsumePullsOnlyAsMessagesAreConsumed) {
  PullOptions o;
  o.mode = PullMode::consume;
  o.max_messages = 4;  // threshold 3
  auto id = start(o);
  sid_ = inbox_sid();
  EXPECT_EQ(json::parse(pull_.body)["batch"], 4);
  peer_.feed(data(1, 1) + data(2, 2));
  EXPECT_TRUE(sent().empty()) << "two delivered but not consumed: 4 outstanding";
  EXPECT_FALSE(engine().pull_consumed(id, 2, 2 * 40));
  auto more = sent();
  ASSERT_EQ(more.size(), 1u);
  EXPECT_EQ(json::parse(more[0].body)["batch"], 2) << "refills what was consumed";
  // The request expires with some unused: that much is asked again.
  peer_.feed(status(
      "NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 4\r\nNats-Pending-Bytes: 0\r\n\r\n"));
  auto again = sent();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(json::parse(again[0].body)["batch"], 4);
}

TEST_F(PullTest, ConsumeSurvivesConflictsAndRecoversAfterLostHeartbeats) {
  PullOptions o;
  o.mode = PullMode::consume;
  o.expires = Ms{2000};
  o.idle_heartbeat = Ms{1000};
  auto id = start(o);
  sid_ = inbox_sid();
  auto evs = peer_.feed(status("NATS/1.0 409 Consumer Deleted\r\n\r\n"));
  EXPECT_EQ(types(evs), (std::vector<std::string>{"pull_status:consumer_deleted"}));
  engine().handle_timeout(Time{2000});
  EXPECT_EQ(types(peer_.events()), (std::vector<std::string>{"pull_status:heartbeats_missed"}));
  auto info = sent();
  ASSERT_EQ(info.size(), 1u);
  EXPECT_EQ(info[0].subject, "$JS.API.CONSUMER.INFO.S.c");
  // Not found: reported, tried again after the expiry.
  evs = peer_.feed(nats_test::msg(
      info[0].reply, mux_sid_,
      R"({"error":{"code":404,"err_code":10014,"description":"consumer not found"}})"));
  EXPECT_EQ(types(evs), (std::vector<std::string>{"pull_status:consumer_not_found"}));
  peer_.now = Time{2100};
  engine().handle_timeout(Time{4100});
  auto retry = sent();
  ASSERT_FALSE(retry.empty());
  EXPECT_EQ(retry.back().subject, "$JS.API.CONSUMER.INFO.S.c");
  // Found again: pending forgotten, pulling again.
  peer_.feed(nats_test::msg(retry.back().reply, mux_sid_, R"({"name":"c"})"));
  auto pulls = sent();
  ASSERT_EQ(pulls.size(), 1u);
  EXPECT_EQ(pulls[0].subject, "$JS.API.CONSUMER.MSG.NEXT.S.c");
  EXPECT_EQ(engine().pull_sessions(), 1u);
  EXPECT_FALSE(engine().pull_stop(id));
  EXPECT_EQ(types(peer_.events()), (std::vector<std::string>{"pull_done"}));
}

TEST_F(PullTest, PromptFetchLooksFirstThenWaits) {
  PullOptions o;
  o.mode = PullMode::fetch_prompt;
  o.max_messages = 5;
  o.expires = Ms{3000};
  start(o);
  sid_ = inbox_sid();
  EXPECT_EQ(json::parse(pull_.body), json({{"batch", 5}, {"no_wait", true}}));
  EXPECT_TRUE(peer_.feed(status("NATS/1.0 404 No Messages\r\n\r\n")).empty());
  auto wait = sent();
  ASSERT_EQ(wait.size(), 1u);
  EXPECT_EQ(json::parse(wait[0].body)["expires"], 3000000000);
  auto evs = peer_.feed(data(1, 1) +
                        status("NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 4\r\n\r\n"));
  EXPECT_EQ(types(evs), (std::vector<std::string>{"js_msg", "pull_status:discard", "pull_done"}));
}

TEST_F(PullTest, PromptFetchReturnsWhatIsThereAtOnce) {
  PullOptions o;
  o.mode = PullMode::fetch_prompt;
  o.max_messages = 5;
  start(o);
  sid_ = inbox_sid();
  auto evs = peer_.feed(data(1, 1) + data(2, 2) +
                        status("NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 3\r\n\r\n"));
  EXPECT_EQ(types(evs),
            (std::vector<std::string>{"js_msg", "js_msg", "pull_status:discard", "pull_done"}));
  EXPECT_TRUE(sent().size() <= 0u) << "no second request";
}

TEST_F(PullTest, OrderedConsumerCreatesThenRecreatesAfterAGap) {
  auto id = ordered_until_reset();
  ASSERT_EQ(reset_.size(), 2u);
  EXPECT_EQ(reset_[0].subject, "$JS.API.CONSUMER.DELETE.S.oc_1");
  EXPECT_EQ(reset_[1].subject, "$JS.API.CONSUMER.CREATE.S.oc_2");
  auto cfg = json::parse(reset_[1].body)["config"];
  EXPECT_EQ(cfg["deliver_policy"], "by_start_sequence");
  EXPECT_EQ(cfg["opt_start_seq"], 7) << "resumes after the last message handed out";
  auto evs = peer_.feed(nats_test::msg(reset_[1].reply, 1, R"({"name":"oc_2"})"));
  EXPECT_EQ(types(evs), (std::vector<std::string>{"pull_status:ordered_consumer_recreated"}));
  auto resumed = sent();
  ASSERT_EQ(resumed.size(), 1u);
  EXPECT_EQ(resumed[0].subject, "$JS.API.CONSUMER.MSG.NEXT.S.oc_2");
  EXPECT_NE(resumed[0].reply, pull_.reply)
      << "a fresh inbox: the old consumer's messages go nowhere";
  EXPECT_EQ(engine().ordered_name(id), "oc_2");
}

TEST_F(PullTest, TheDeleteOfTheOldOrderedConsumerIsNotTakenForTheRecreation) {
  ordered_until_reset();
  ASSERT_EQ(reset_.size(), 2u);
  // The old consumer is gone (a restarted server): its delete fails first.
  auto evs = peer_.feed(nats_test::msg(
      reset_[0].reply, 1,
      R"({"error":{"code":404,"err_code":10014,"description":"consumer not found"}})"));
  EXPECT_TRUE(evs.empty()) << "the delete's outcome moves nothing";
  EXPECT_TRUE(sent().empty()) << "no pull before the creation is answered";
  evs = peer_.feed(nats_test::msg(reset_[1].reply, 1, R"({"name":"oc_2"})"));
  EXPECT_EQ(types(evs), (std::vector<std::string>{"pull_status:ordered_consumer_recreated"}));
  auto pulls = sent();
  ASSERT_EQ(pulls.size(), 1u);
  EXPECT_EQ(pulls[0].subject, "$JS.API.CONSUMER.MSG.NEXT.S.oc_2");
  // No retry was scheduled by the failed delete: time passing resets nothing.
  peer_.now = Time{Ms{1000}};
  engine().handle_timeout(peer_.now);
  EXPECT_TRUE(sent().empty()) << "a working consumer is not recreated";
  EXPECT_TRUE(peer_.events().empty());
}

TEST_F(PullTest, ASuccessfulDeleteDoesNotAnnounceTheRecreation) {
  ordered_until_reset();
  ASSERT_EQ(reset_.size(), 2u);
  auto evs = peer_.feed(nats_test::msg(reset_[0].reply, 1, R"({"success":true})"));
  EXPECT_TRUE(evs.empty());
  EXPECT_TRUE(sent().empty()) << "oc_2 does not exist yet: nothing is pulled from it";
  evs = peer_.feed(nats_test::msg(reset_[1].reply, 1, R"({"name":"oc_2"})"));
  EXPECT_EQ(types(evs), (std::vector<std::string>{"pull_status:ordered_consumer_recreated"}));
  EXPECT_EQ(sent().size(), 1u) << "one pull, from the consumer just created";
}

TEST_F(PullTest, OrderedConsumerOnAMissingStreamFails) {
  auto id = engine().ordered_create(ctx_, "NOPE", {}, Time{0});
  ASSERT_TRUE(id.ok());
  auto info = sent();
  auto evs = peer_.feed(nats_test::msg(
      info[0].reply, 1,
      R"({"error":{"code":404,"err_code":10059,"description":"stream not found"}})"));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.err_code, 10059);
  EXPECT_EQ(engine().ordered_pull(*id, {}, Time{0}).error().code, Errc::illegal_state);
}

TEST_F(PullTest, AcksArePublishedToTheReplySubject) {
  const std::string reply = "$JS.ACK.S.c.1.1.1.1.0";
  EXPECT_FALSE(engine().js_ack(reply, nats::js::AckKind::ack));
  EXPECT_FALSE(engine().js_ack(reply, nats::js::AckKind::nak, Ms{250}));
  EXPECT_FALSE(engine().js_ack(reply, nats::js::AckKind::term));
  auto s = sent();
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].subject, reply);
  EXPECT_EQ(s[0].body, "+ACK");
  EXPECT_EQ(s[1].body, R"(-NAK {"delay":250000000})");
  EXPECT_EQ(s[2].body, "+TERM");
  EXPECT_EQ(engine().js_ack("", nats::js::AckKind::ack).code, Errc::invalid_argument);
  auto sync = engine().js_ack_sync(reply, Time{0}, Ms{1000});
  ASSERT_TRUE(sync.ok());
  auto req = sent();
  ASSERT_EQ(req.size(), 1u);
  EXPECT_EQ(req[0].body, "+ACK");
  EXPECT_FALSE(req[0].reply.empty()) << "ackAck waits for the server's empty reply";
}

TEST_F(PullTest, CloseEndsSessionsAndAcksAfterCloseFail) {
  start({});
  engine().close();
  auto evs = peer_.events();
  bool done = false;
  for (const auto &e : evs) done |= e.type == EventType::pull_done;
  EXPECT_TRUE(done);
  EXPECT_EQ(engine().pull_sessions(), 0u);
  EXPECT_EQ(engine().js_ack("$JS.ACK.S.c.1.1.1.1.0", nats::js::AckKind::ack).code,
            Errc::connection_closed);
}

}  // namespace
