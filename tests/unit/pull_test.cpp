// Pull consumers in the engine with a scripted server: requests, pending
// accounting, every status message, heartbeats and recovery, ordered
// consumers and their resets, acks.
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

// --- rules ----------------------------------------------------------------------

TEST(PullRules, OptionsTakeNatsJsDefaults) {
  auto o = nats::js::normalize_pull_options({});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->max_messages, 100u);
  EXPECT_EQ(o->expires, Ms{30000});
  EXPECT_EQ(o->idle_heartbeat, Ms{15000});
  PullOptions c;
  c.mode = PullMode::consume;
  c.max_messages = 10;
  auto consume = nats::js::normalize_pull_options(c);
  EXPECT_EQ(consume->threshold_messages, 8u);  // round(0.75 * 10)
  PullOptions both;
  both.max_messages = 1;
  both.max_bytes = 1;
  EXPECT_EQ(nats::js::normalize_pull_options(both).error().code, Errc::invalid_argument);
  PullOptions bytes;
  bytes.max_bytes = 4096;
  EXPECT_EQ(nats::js::normalize_pull_options(bytes)->max_messages, 1000000u)
      << "with max_bytes alone the bytes bound the batch";
  PullOptions quick;
  quick.expires = Ms{200};
  EXPECT_EQ(nats::js::normalize_pull_options(quick)->idle_heartbeat, Ms{0})
      << "a short fetch has no heartbeat";
  quick.mode = PullMode::consume;
  EXPECT_EQ(nats::js::normalize_pull_options(quick).error().code, Errc::invalid_argument)
      << "a continuous pull needs requests of at least 1 s";
  PullOptions hb;
  hb.expires = Ms{1000};
  EXPECT_EQ(nats::js::normalize_pull_options(hb)->idle_heartbeat, Ms{500});
  hb.idle_heartbeat = Ms{900};
  EXPECT_EQ(nats::js::normalize_pull_options(hb).error().code, Errc::invalid_argument)
      << "the server refuses a heartbeat over half the expiry";
}

TEST(PullRules, RequestBody) {
  EXPECT_EQ(nats::js::pull_request_json(5, 0, Ms{2000}, Ms{1000}, false),
            R"({"batch":5,"expires":2000000000,"idle_heartbeat":1000000000})");
  EXPECT_EQ(nats::js::pull_request_json(3, 1024, Ms{0}, Ms{0}, true),
            R"({"batch":3,"max_bytes":1024,"no_wait":true})");
}

TEST(PullRules, EveryStatusIsClassified) {
  using K = nats::js::PullStatus::Kind;
  struct Case {
    const char *block;
    K kind;
  } cases[] = {
      {"NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 7\r\nNats-Last-Stream: 9\r\n\r\n",
       K::heartbeat},
      {"NATS/1.0 404 No Messages\r\n\r\n", K::no_messages},
      {"NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 6\r\nNats-Pending-Bytes: 0\r\n\r\n",
       K::request_timeout},
      {"NATS/1.0 408 Requests Pending\r\n\r\n", K::requests_pending},
      {"NATS/1.0 408 Interest Expired\r\n\r\n", K::interest_expired},
      {"NATS/1.0 409 Message Size Exceeds MaxBytes\r\n\r\n", K::max_bytes},
      {"NATS/1.0 409 Exceeded MaxWaiting\r\n\r\n", K::exceeded_limits},
      {"NATS/1.0 409 Exceeded MaxRequestBatch of 10\r\n\r\n", K::exceeded_limits},
      {"NATS/1.0 409 Exceeded MaxRequestExpires of 2s\r\n\r\n", K::exceeded_limits},
      {"NATS/1.0 409 Exceeded MaxRequestMaxBytes of 5\r\n\r\n", K::exceeded_limits},
      {"NATS/1.0 409 Consumer Deleted\r\n\r\n", K::consumer_deleted},
      {"NATS/1.0 409 Consumer is push based\r\n\r\n", K::push_based},
      {"NATS/1.0 409 Leadership Change\r\n\r\n", K::leadership_change},
      {"NATS/1.0 400 Bad Request - heartbeat value too large\r\n\r\n", K::bad_request},
      {"NATS/1.0 503\r\n\r\n", K::no_responders},
  };
  for (const auto &c : cases) {
    auto h = nats::Headers::parse(c.block);
    ASSERT_TRUE(h.ok()) << c.block;
    EXPECT_EQ(nats::js::classify_pull_status(*h).kind, c.kind) << c.block;
  }
  auto hb = nats::js::classify_pull_status(*nats::Headers::parse(cases[0].block));
  EXPECT_EQ(hb.last_consumer_seq, 7u);
  EXPECT_EQ(hb.last_stream_seq, 9u);
  auto t = nats::js::classify_pull_status(*nats::Headers::parse(cases[2].block));
  EXPECT_EQ(t.pending_messages, 6u);
}

TEST(PullRules, AckSubjectsInBothForms) {
  auto v1 = nats::js::parse_ack_reply("$JS.ACK.S.c.2.10.4.1795833604179540086.3");
  ASSERT_TRUE(v1.has_value());
  EXPECT_EQ(v1->stream, "S");
  EXPECT_EQ(v1->consumer, "c");
  EXPECT_EQ(v1->delivered, 2u);
  EXPECT_EQ(v1->stream_seq, 10u);
  EXPECT_EQ(v1->consumer_seq, 4u);
  EXPECT_EQ(v1->timestamp_ns, 1795833604179540086);
  EXPECT_EQ(v1->pending, 3u);
  EXPECT_EQ(v1->domain, "");
  auto v2 = nats::js::parse_ack_reply("$JS.ACK.hub.ACCHASH.S.c.1.5.5.1700000000000000000.0.xyz");
  ASSERT_TRUE(v2.has_value());
  EXPECT_EQ(v2->domain, "hub");
  EXPECT_EQ(v2->account_hash, "ACCHASH");
  EXPECT_EQ(v2->stream_seq, 5u);
  auto underscore = nats::js::parse_ack_reply("$JS.ACK._.H.S.c.1.5.5.1.0");
  EXPECT_EQ(underscore->domain, "");
  EXPECT_FALSE(nats::js::parse_ack_reply("_INBOX.abc.1").has_value());
  EXPECT_FALSE(nats::js::parse_ack_reply("$JS.ACK.S.c.x.1.1.1.1").has_value());
  EXPECT_FALSE(nats::js::parse_ack_reply("$JS.ACK.S.c.1.1.1.1.1.1").has_value()) << "10 tokens";
}

TEST(PullRules, AckPayloads) {
  using nats::js::AckKind;
  EXPECT_EQ(nats::js::ack_payload(AckKind::ack), "+ACK");
  EXPECT_EQ(nats::js::ack_payload(AckKind::nak), "-NAK");
  EXPECT_EQ(nats::js::ack_payload(AckKind::nak, Ms{1500}), R"(-NAK {"delay":1500000000})");
  EXPECT_EQ(nats::js::ack_payload(AckKind::working), "+WPI");
  EXPECT_EQ(nats::js::ack_payload(AckKind::term), "+TERM") << "2.9 ignores +TERM <reason>";
}

TEST(PullRules, OrderedConfigs) {
  nats::js::OrderedOptions o;
  auto first = json::parse(nats::js::ordered_consumer_config(o, "p_1", 0));
  EXPECT_EQ(first["ack_policy"], "none");
  EXPECT_EQ(first["max_deliver"], 1);
  EXPECT_EQ(first["mem_storage"], true);
  EXPECT_EQ(first["deliver_policy"], "by_start_sequence");
  EXPECT_EQ(first["opt_start_seq"], 1);
  o.deliver_policy = "last_per_subject";
  auto lps = json::parse(nats::js::ordered_consumer_config(o, "p_1", 0));
  EXPECT_EQ(lps["deliver_policy"], "last_per_subject");
  EXPECT_EQ(lps["filter_subject"], ">") << "2.9 needs a filter for last_per_subject";
  auto resumed = json::parse(nats::js::ordered_consumer_config(o, "p_2", 42));
  EXPECT_EQ(resumed["deliver_policy"], "by_start_sequence");
  EXPECT_EQ(resumed["opt_start_seq"], 42);
}

// --- the engine --------------------------------------------------------------------

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

  nats_test::ScriptedPeer peer_;
  std::uint64_t ctx_ = 0;
  Sent pull_;
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
  nats::js::OrderedOptions oo;
  oo.name_prefix = "oc";
  auto id = engine().ordered_create(ctx_, "S", oo, Time{0});
  ASSERT_TRUE(id.ok());
  auto info = sent();
  ASSERT_EQ(info.size(), 1u);
  EXPECT_EQ(info[0].subject, "$JS.API.STREAM.INFO.S");
  peer_.feed(nats_test::msg(info[0].reply, 1, R"({"config":{"name":"S"}})"));
  auto create = sent();
  ASSERT_EQ(create.size(), 1u);
  EXPECT_EQ(create[0].subject, "$JS.API.CONSUMER.CREATE.S.oc_1");
  auto evs = peer_.feed(nats_test::msg(create[0].reply, 1, R"({"name":"oc_1","num_pending":9})"));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, EventType::js_result);
  EXPECT_EQ(evs[0].id, *id);
  PullOptions o;
  o.mode = PullMode::consume;
  auto session = engine().ordered_pull(*id, o, Time{0});
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(engine().ordered_pull(*id, o, Time{0}).error().code, Errc::illegal_state)
      << "one session at a time";
  auto s = sent();
  ASSERT_EQ(s.size(), 1u);
  pull_ = s[0];
  EXPECT_EQ(pull_.subject, "$JS.API.CONSUMER.MSG.NEXT.S.oc_1");
  sid_ = inbox_sid();
  evs = peer_.feed(data(5, 1, "a", 1, "oc_1", 8) + data(6, 2, "b", 1, "oc_1", 7) +
                   data(9, 4, "gap", 1, "oc_1", 5));
  EXPECT_EQ(types(evs), (std::vector<std::string>{"js_msg", "js_msg", "pull_status:reset"}));
  auto reset = sent();
  ASSERT_EQ(reset.size(), 2u);
  EXPECT_EQ(reset[0].subject, "$JS.API.CONSUMER.DELETE.S.oc_1");
  EXPECT_EQ(reset[1].subject, "$JS.API.CONSUMER.CREATE.S.oc_2");
  auto cfg = json::parse(reset[1].body)["config"];
  EXPECT_EQ(cfg["deliver_policy"], "by_start_sequence");
  EXPECT_EQ(cfg["opt_start_seq"], 7) << "resumes after the last message handed out";
  evs = peer_.feed(nats_test::msg(reset[1].reply, 1, R"({"name":"oc_2"})"));
  EXPECT_EQ(types(evs), (std::vector<std::string>{"pull_status:ordered_consumer_recreated"}));
  auto resumed = sent();
  ASSERT_EQ(resumed.size(), 1u);
  EXPECT_EQ(resumed[0].subject, "$JS.API.CONSUMER.MSG.NEXT.S.oc_2");
  EXPECT_NE(resumed[0].reply, pull_.reply)
      << "a fresh inbox: the old consumer's messages go nowhere";
  EXPECT_EQ(engine().ordered_name(*id), "oc_2");
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
