// JetStream in the engine with a scripted server: API requests and their
// subjects, replies folded into results (pages, merges, stored messages),
// PubAcks, the publish window, and every way a call can fail.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nats/base64.hpp"
#include "nats/engine.hpp"
#include "nats/jetstream/partitions.hpp"
#include "scripted_peer.hpp"

namespace {

using nats::Duration;
using nats::Errc;
using nats::Event;
using nats::EventType;
using nats::Time;
using nats::js::ApiOp;
using json = nlohmann::json;

// A published request as the server sees it: subject, reply, headers, body.
using Sent = nats_test::Published;

class JetStreamTest : public ::testing::Test {
protected:
  void SetUp() override {
    peer_.handshake();
    auto ctx = engine().js_context({});
    ASSERT_TRUE(ctx.ok());
    ctx_ = *ctx;
  }
  nats::Engine &engine() { return peer_.engine(); }

  // The requests written since the last call (mux SUB lines skipped).
  std::vector<Sent> sent() { return nats_test::published(peer_.written()); }
  Sent one_sent() {
    auto s = sent();
    EXPECT_EQ(s.size(), 1u);
    return s.empty() ? Sent{} : s[0];
  }
  std::vector<Event> reply(const Sent &to, std::string_view payload) {
    return peer_.feed(nats_test::msg(to.reply, 1, payload));
  }
  std::vector<Event> reply_hdr(const Sent &to, std::string_view headers, std::string_view payload) {
    return peer_.feed(nats_test::hmsg(to.reply, 1, headers, payload));
  }
  std::uint64_t call(ApiOp op, const json &args) {
    auto r = engine().js_api(ctx_, op, args.dump(), peer_.now);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : 0;
  }

  nats_test::ScriptedPeer peer_;
  std::uint64_t ctx_ = 0;
};

TEST_F(JetStreamTest, AccountInfoIsOneRequestAndTheReplyIsTheResult) {
  auto id = call(ApiOp::account_info, json::object());
  Sent s = one_sent();
  EXPECT_EQ(s.subject, "$JS.API.INFO");
  EXPECT_EQ(s.body, "");
  auto evs = reply(s, R"({"type":"io.nats.jetstream.api.v1.account_info_response","streams":2})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, EventType::js_result);
  EXPECT_EQ(evs[0].id, id);
  EXPECT_EQ(json::parse(evs[0].text)["streams"], 2);
  EXPECT_EQ(engine().js_in_flight(), 0u);
}

TEST_F(JetStreamTest, ApiErrorsCarryStatusAndErrCode) {
  call(ApiOp::stream_info, {{"name", "NOPE"}});
  Sent s = one_sent();
  EXPECT_EQ(s.subject, "$JS.API.STREAM.INFO.NOPE");
  auto evs = reply(
      s,
      R"({"type":"x","error":{"code":404,"err_code":10059,"description":"stream not found"},"total":0})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.code, Errc::js_api_error);
  EXPECT_EQ(evs[0].error.status, 404);
  EXPECT_EQ(evs[0].error.err_code, 10059);
  EXPECT_EQ(evs[0].error.message, "stream not found");
}

TEST_F(JetStreamTest, AccountWithoutJetStreamIsNotEnabled) {
  call(ApiOp::account_info, json::object());
  auto evs = reply(
      one_sent(),
      R"({"error":{"code":503,"err_code":10039,"description":"JetStream not enabled for account"}})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.code, Errc::js_not_enabled);
  EXPECT_EQ(evs[0].error.err_code, 10039);
}

TEST_F(JetStreamTest, ServerWithoutJetStreamAnswersNoRespondersWhichIsNotEnabled) {
  call(ApiOp::account_info, json::object());
  auto evs = reply_hdr(one_sent(), "NATS/1.0 503\r\n\r\n", "");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, EventType::js_result);
  EXPECT_EQ(evs[0].error.code, Errc::js_not_enabled);
  EXPECT_EQ(evs[0].error.status, 503);
}

TEST_F(JetStreamTest, ApiTimeoutIsTheContextsTimeout) {
  call(ApiOp::account_info, json::object());
  one_sent();
  engine().handle_timeout(Time{4999});
  EXPECT_TRUE(peer_.events().empty());
  engine().handle_timeout(Time{5000});
  auto evs = peer_.events();
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.code, Errc::timeout);
  EXPECT_EQ(engine().js_in_flight(), 0u);
}

TEST_F(JetStreamTest, DomainChangesThePrefix) {
  nats::js::ContextOptions o;
  o.domain = "hub";
  auto ctx = engine().js_context(o);
  ASSERT_TRUE(ctx.ok());
  ASSERT_TRUE(engine().js_api(*ctx, ApiOp::account_info, "{}", Time{0}).ok());
  EXPECT_EQ(one_sent().subject, "$JS.hub.API.INFO");
  nats::js::ContextOptions bad;
  bad.prefix = "";
  EXPECT_EQ(engine().js_context(bad).error().code, Errc::invalid_argument);
}

TEST_F(JetStreamTest, NamesAreCheckedBeforeAnythingIsSent) {
  for (const char *name : {"a.b", "a*", "a>", "a b", "a/b", "a\\b", ""}) {
    auto r = engine().js_api(ctx_, ApiOp::stream_info, json{{"name", name}}.dump(), Time{0});
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.error().code, Errc::invalid_name) << name;
  }
  auto r = engine().js_api(ctx_, ApiOp::stream_create, R"({"config":{"name":"a.b"}})", Time{0});
  EXPECT_EQ(r.error().code, Errc::invalid_name);
  EXPECT_EQ(r.error().message, "stream name ('a.b') cannot contain '.'");
  auto c = engine().js_api(ctx_, ApiOp::consumer_create,
                           R"({"stream":"S","config":{"durable_name":"x.y"}})", Time{0});
  EXPECT_EQ(c.error().code, Errc::invalid_name);
  EXPECT_TRUE(sent().empty());
  EXPECT_EQ(engine().js_in_flight(), 0u);
}

TEST_F(JetStreamTest, StreamCreateSendsTheConfigAndMapsMirrorDomain) {
  call(ApiOp::stream_create,
       {{"config",
         {{"name", "S"}, {"subjects", {"a.>"}}, {"mirror", {{"name", "O"}, {"domain", "hub"}}}}}});
  Sent s = one_sent();
  EXPECT_EQ(s.subject, "$JS.API.STREAM.CREATE.S");
  auto body = json::parse(s.body);
  EXPECT_EQ(body["mirror"]["external"]["api"], "$JS.hub.API");
  EXPECT_FALSE(body["mirror"].contains("domain"));
}

TEST_F(JetStreamTest, MergedUpdateReadsTheConfigFirst) {
  call(ApiOp::stream_update, {{"config", {{"name", "S"}, {"max_msgs", 10}}}, {"merge", true}});
  Sent info = one_sent();
  EXPECT_EQ(info.subject, "$JS.API.STREAM.INFO.S");
  EXPECT_TRUE(
      reply(info, R"({"config":{"name":"S","subjects":["a"],"max_msgs":-1},"state":{}})").empty());
  Sent update = one_sent();
  EXPECT_EQ(update.subject, "$JS.API.STREAM.UPDATE.S");
  auto body = json::parse(update.body);
  EXPECT_EQ(body["max_msgs"], 10);
  EXPECT_EQ(body["subjects"], json({"a"}));
  auto evs = reply(update, R"({"config":{"name":"S","max_msgs":10}})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, EventType::js_result);
}

TEST_F(JetStreamTest, PurgeRefusesSeqWithKeep) {
  auto r = engine().js_api(ctx_, ApiOp::stream_purge, R"({"name":"S","seq":3,"keep":1})", Time{0});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  call(ApiOp::stream_purge, {{"name", "S"}, {"filter", "a.b"}, {"keep", 1}});
  Sent s = one_sent();
  EXPECT_EQ(s.subject, "$JS.API.STREAM.PURGE.S");
  EXPECT_EQ(json::parse(s.body), json({{"filter", "a.b"}, {"keep", 1}}));
}

TEST_F(JetStreamTest, NamesAreGatheredOverEveryPage) {
  call(ApiOp::stream_names, {{"subject", "a.>"}});
  Sent p1 = one_sent();
  EXPECT_EQ(p1.subject, "$JS.API.STREAM.NAMES");
  EXPECT_EQ(json::parse(p1.body), json({{"offset", 0}, {"subject", "a.>"}}));
  EXPECT_TRUE(reply(p1, R"({"total":3,"offset":0,"limit":2,"streams":["A","B"]})").empty());
  Sent p2 = one_sent();
  EXPECT_EQ(json::parse(p2.body)["offset"], 2);
  auto evs = reply(p2, R"({"total":3,"offset":2,"limit":2,"streams":["C"]})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(json::parse(evs[0].text)["streams"], json({"A", "B", "C"}));
}

TEST_F(JetStreamTest, PagesShareOneDeadline) {
  call(ApiOp::stream_names, json::object());
  Sent p1 = one_sent();
  peer_.now = Time{4000};
  EXPECT_TRUE(reply(p1, R"({"total":3,"offset":0,"limit":2,"streams":["A","B"]})").empty());
  one_sent();
  engine().handle_timeout(Time{5000});
  auto evs = peer_.events();
  ASSERT_EQ(evs.size(), 1u) << "the second page has what is left of the call's 5 s";
  EXPECT_EQ(evs[0].error.code, Errc::timeout);
  EXPECT_EQ(engine().js_in_flight(), 0u);
}

TEST_F(JetStreamTest, WrongJsonTypesAreErrorsNotExceptions) {
  auto bad = engine().js_api(ctx_, ApiOp::stream_update, R"({"merge":"yes","config":{"name":"S"}})",
                             peer_.now);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::invalid_argument);
  auto filter =
      engine().js_api(ctx_, ApiOp::consumer_create,
                      R"({"stream":"S","config":{"name":"n","filter_subject":5}})", peer_.now);
  ASSERT_FALSE(filter.ok());
  EXPECT_EQ(filter.error().code, Errc::invalid_argument);
  // A reply whose fields have the wrong types fails the call, typed.
  call(ApiOp::stream_names, json::object());
  auto evs = reply(one_sent(), R"({"total":"three","offset":0,"limit":2,"streams":["A"]})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.code, Errc::js_bad_reply);
  EXPECT_EQ(engine().js_in_flight(), 0u);
}

TEST_F(JetStreamTest, NoStreamsIsAnEmptyListNotNull) {
  call(ApiOp::stream_names, json::object());
  auto evs = reply(one_sent(), R"({"total":0,"offset":0,"limit":1024,"streams":null})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(json::parse(evs[0].text)["streams"], json::array());
}

TEST_F(JetStreamTest, StreamInfoGathersSubjectPages) {
  call(ApiOp::stream_info, {{"name", "S"}, {"subjects_filter", ">"}});
  Sent p1 = one_sent();
  EXPECT_EQ(json::parse(p1.body), json({{"subjects_filter", ">"}, {"offset", 0}}));
  EXPECT_TRUE(
      reply(p1, R"({"total":3,"offset":0,"limit":2,"state":{"subjects":{"a":1,"b":2}}})").empty());
  Sent p2 = one_sent();
  EXPECT_EQ(json::parse(p2.body)["offset"], 2);
  auto evs = reply(p2, R"({"total":3,"offset":2,"limit":2,"state":{"subjects":{"c":5}}})");
  ASSERT_EQ(evs.size(), 1u);
  auto info = json::parse(evs[0].text);
  EXPECT_EQ(info["state"]["subjects"], json({{"a", 1}, {"b", 2}, {"c", 5}}));
  EXPECT_EQ(info["total"], 0) << "gathered: no page describes the result";
}

TEST_F(JetStreamTest, StreamInfoInOnePageKeepsThePagingFields) {
  call(ApiOp::stream_info, {{"name", "S"}, {"subjects_filter", ">"}});
  auto evs = reply(one_sent(),
                   R"({"total":2,"offset":0,"limit":100000,"state":{"subjects":{"a":1,"b":2}}})");
  ASSERT_EQ(evs.size(), 1u);
  auto info = json::parse(evs[0].text);
  EXPECT_EQ(info["total"], 2) << "as nats.js";
  EXPECT_EQ(info["limit"], 100000);
}

TEST_F(JetStreamTest, MsgGetDecodesBase64) {
  call(ApiOp::stream_msg_get, {{"name", "S"}, {"last_by_subj", "a.b"}});
  Sent s = one_sent();
  EXPECT_EQ(s.subject, "$JS.API.STREAM.MSG.GET.S");
  const std::string hdrs = "NATS/1.0\r\nK: v\r\n\r\n";
  json msg = {{"message",
               {{"subject", "a.b"},
                {"seq", 7},
                {"time", "2026-01-01T00:00:00.5Z"},
                {"hdrs", nats::base64_encode(hdrs)},
                {"data", nats::base64_encode(std::string("hi\x00!", 4))}}}};
  auto evs = reply(s, msg.dump());
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, EventType::js_stored_msg);
  EXPECT_EQ(evs[0].text, "a.b");
  EXPECT_EQ(evs[0].num, 7u);
  EXPECT_EQ(evs[0].text2, "2026-01-01T00:00:00.5Z");
  EXPECT_EQ(evs[0].data.substr(0, evs[0].data_headers), hdrs);
  EXPECT_EQ(evs[0].data.substr(evs[0].data_headers), std::string("hi\x00!", 4));
}

TEST_F(JetStreamTest, MsgGetMissingDataIsEmptyAndNotFoundIs10037) {
  call(ApiOp::stream_msg_get, {{"name", "S"}, {"seq", 1}});
  auto evs = reply(one_sent(), R"({"message":{"subject":"a","seq":1,"time":"t"}})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_TRUE(evs[0].data.empty());
  call(ApiOp::stream_msg_get, {{"name", "S"}, {"seq", 9}});
  evs = reply(one_sent(),
              R"({"error":{"code":404,"err_code":10037,"description":"no message found"}})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, EventType::js_stored_msg);
  EXPECT_EQ(evs[0].error.err_code, 10037);
}

TEST_F(JetStreamTest, DirectGetUsesTheSubjectFormAndReadsHeaders) {
  call(ApiOp::direct_get, {{"name", "S"}, {"last_by_subj", "a.b"}});
  Sent s = one_sent();
  EXPECT_EQ(s.subject, "$JS.API.DIRECT.GET.S.a.b");
  EXPECT_EQ(s.body, "");
  auto evs = reply_hdr(s,
                       "NATS/1.0\r\nNats-Stream: S\r\nNats-Subject: a.b\r\nNats-Sequence: 42\r\n"
                       "Nats-Time-Stamp: 2026-01-01T00:00:00Z\r\n\r\n",
                       "v");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].num, 42u);
  EXPECT_EQ(evs[0].text, "a.b");
  EXPECT_EQ(evs[0].text3, "S");
  EXPECT_EQ(evs[0].data.substr(evs[0].data_headers), "v");
  call(ApiOp::direct_get, {{"name", "S"}, {"seq", 5}});
  Sent by_seq = one_sent();
  EXPECT_EQ(by_seq.subject, "$JS.API.DIRECT.GET.S");
  evs = reply_hdr(by_seq, "NATS/1.0 404 Message Not Found\r\n\r\n", "");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.code, Errc::js_api_error);
  EXPECT_EQ(evs[0].error.err_code, 10037);
}

TEST_F(JetStreamTest, ConsumerCreatePicksTheSubjectAsNatsJsDoes) {
  struct Case {
    json config;
    std::string subject;
  } cases[] = {
      {{{"durable_name", "d"}}, "$JS.API.CONSUMER.CREATE.S.d"},
      {{{"name", "n"}, {"filter_subject", "a.b"}}, "$JS.API.CONSUMER.CREATE.S.n.a.b"},
      {{{"name", "n"}, {"filter_subject", ">"}}, "$JS.API.CONSUMER.CREATE.S.n"},
      {{{"name", "n"}, {"filter_subject", "a.*.c"}}, "$JS.API.CONSUMER.CREATE.S.n"},
      {{{"ack_policy", "none"}}, "$JS.API.CONSUMER.CREATE.S"},
      {{{"durable_name", "d"}, {"filter_subjects", {"a", "b"}}},
       "$JS.API.CONSUMER.DURABLE.CREATE.S.d"},
  };
  for (const auto &c : cases) {
    call(ApiOp::consumer_create, {{"stream", "S"}, {"config", c.config}});
    Sent s = one_sent();
    EXPECT_EQ(s.subject, c.subject) << c.config.dump();
    auto body = json::parse(s.body);
    EXPECT_EQ(body["stream_name"], "S");
    EXPECT_EQ(body["config"], c.config);
  }
  auto r = engine().js_api(ctx_, ApiOp::consumer_create,
                           R"({"stream":"S","config":{"deliver_group":"g","flow_control":true}})",
                           Time{0});
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
}

TEST_F(JetStreamTest, PublishAddsHeadersAndResolvesWithThePubAck) {
  nats::js::PublishOptions o;
  o.msg_id = "m1";
  o.expected_stream = "S";
  o.expected_last_sequence = 0;
  auto id = engine().js_publish(ctx_, "orders.1", "data", nullptr, o, Time{0});
  ASSERT_TRUE(id.ok());
  Sent s = one_sent();
  EXPECT_EQ(s.subject, "orders.1");
  EXPECT_NE(s.headers.find("Nats-Msg-Id: m1\r\n"), std::string::npos);
  EXPECT_NE(s.headers.find("Nats-Expected-Stream: S\r\n"), std::string::npos);
  EXPECT_NE(s.headers.find("Nats-Expected-Last-Sequence: 0\r\n"), std::string::npos);
  EXPECT_EQ(s.body, "data");
  EXPECT_EQ(engine().js_pending(ctx_), 1u);
  // The server writes this one by hand, spaces and all.
  auto evs = reply(s, R"({"stream":"S", "seq":6,"duplicate": true})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, EventType::js_pub_ack);
  EXPECT_EQ(evs[0].id, *id);
  EXPECT_EQ(evs[0].text, "S");
  EXPECT_EQ(evs[0].num, 6u);
  EXPECT_EQ(evs[0].flags & 1u, 1u);
  EXPECT_EQ(engine().js_pending(ctx_), 0u);
}

TEST_F(JetStreamTest, PublishWithoutAStreamIsNoStreamResponse) {
  auto id = engine().js_publish(ctx_, "nowhere", "x", nullptr, {}, Time{0});
  ASSERT_TRUE(id.ok());
  Sent s = one_sent();
  EXPECT_TRUE(s.headers.empty()) << "no options, no headers: a plain PUB";
  auto evs = reply_hdr(s, "NATS/1.0 503\r\n\r\n", "");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.code, Errc::no_stream_response);
  EXPECT_EQ(evs[0].error.subject, "nowhere");
}

TEST_F(JetStreamTest, PublishApiErrorAndEmptyAck) {
  ASSERT_TRUE(engine().js_publish(ctx_, "a", "x", nullptr, {}, Time{0}).ok());
  auto evs = reply(
      one_sent(),
      R"({"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 1"},"stream":"S","seq":0})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.code, Errc::js_api_error);
  EXPECT_EQ(evs[0].error.err_code, 10071);
  ASSERT_TRUE(engine().js_publish(ctx_, "a", "x", nullptr, {}, Time{0}).ok());
  evs = reply(one_sent(), R"({"seq":1})");
  EXPECT_EQ(evs[0].error.code, Errc::js_bad_reply);
}

TEST_F(JetStreamTest, TheWindowBoundsPublishesInFlight) {
  nats::js::ContextOptions o;
  o.max_pending = 2;
  auto ctx = engine().js_context(o);
  ASSERT_TRUE(ctx.ok());
  ASSERT_TRUE(engine().js_publish(*ctx, "a", "1", nullptr, {}, Time{0}).ok());
  ASSERT_TRUE(engine().js_publish(*ctx, "a", "2", nullptr, {}, Time{0}).ok());
  auto full = engine().js_publish(*ctx, "a", "3", nullptr, {}, Time{0});
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, Errc::window_full);
  auto s = sent();
  ASSERT_EQ(s.size(), 2u) << "nothing is sent over the window";
  reply(s[0], R"({"stream":"S","seq":1})");
  EXPECT_EQ(engine().js_pending(*ctx), 1u);
  EXPECT_TRUE(engine().js_publish(*ctx, "a", "3", nullptr, {}, Time{0}).ok());
  // A timed-out publish frees its slot too.
  engine().handle_timeout(Time{60000});
  auto evs = peer_.events();
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[0].error.code, Errc::timeout);
  EXPECT_EQ(engine().js_pending(*ctx), 0u);
}

TEST_F(JetStreamTest, CloseFailsEverythingInFlight) {
  auto a = call(ApiOp::account_info, json::object());
  auto p = engine().js_publish(ctx_, "a", "x", nullptr, {}, Time{0});
  ASSERT_TRUE(p.ok());
  engine().close();
  auto evs = peer_.events();
  int closed = 0;
  for (const auto &ev : evs) {
    if ((ev.id == a || ev.id == *p) && ev.error.code == Errc::connection_closed) ++closed;
  }
  EXPECT_EQ(closed, 2);
  EXPECT_EQ(engine().js_in_flight(), 0u);
}

TEST_F(JetStreamTest, CancelForgetsACallAndItsReply) {
  auto id = call(ApiOp::account_info, json::object());
  Sent s = one_sent();
  EXPECT_FALSE(engine().js_cancel(id));
  EXPECT_TRUE(reply(s, "{}").empty());
  EXPECT_EQ(engine().js_in_flight(), 0u);
  EXPECT_EQ(engine().pending_requests(), 0u);
}

TEST(JetStreamReplies, PubAckForms) {
  auto a = nats::js::parse_pub_ack(R"({"stream":"S","seq":1})");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->seq, 1u);
  EXPECT_FALSE(a->duplicate);
  auto d = nats::js::parse_pub_ack(R"({"stream":"S","seq":2,"domain":"hub","duplicate":true})");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->domain, "hub");
  EXPECT_TRUE(d->duplicate);
  EXPECT_EQ(nats::js::parse_pub_ack("not json").error().code, Errc::protocol_error);
  EXPECT_EQ(nats::js::parse_pub_ack("[1]").error().code, Errc::protocol_error);
}

TEST(Base64, RoundTripsBothAlphabets) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\x00"}) {
    EXPECT_EQ(nats::base64_decode(nats::base64_encode(s)).value(), s);
    EXPECT_EQ(
        nats::base64_decode(nats::base64_encode(s, nats::Base64::url), nats::Base64::url).value(),
        s);
  }
  EXPECT_EQ(nats::base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(nats::base64_encode("\xfb\xff", nats::Base64::url), "-_8=");
  EXPECT_FALSE(nats::base64_decode("a$b=").has_value());
  EXPECT_FALSE(nats::base64_decode("abcde").has_value());
}

}  // namespace

namespace {

TEST(Partitions, SharedVectorsAgree) {
  std::ifstream in(std::string(NATS_VECTORS_DIR) + "/jetstream/partitions.json");
  ASSERT_TRUE(in) << "missing tests/vectors/jetstream/partitions.json";
  auto doc = json::parse(in);
  ASSERT_GE(doc["cases"].size(), 50u);
  for (const auto &c : doc["cases"]) {
    const std::string key = c["key"];
    const auto n = c["partitions"].get<std::uint32_t>();
    EXPECT_EQ(nats::js::key_hash(key), c["hash"].get<std::uint32_t>()) << key;
    EXPECT_EQ(nats::js::partition_for(key, n), c["partition"].get<std::uint32_t>())
        << key << " " << n;
  }
}

TEST(Partitions, TopicSubjectsAndCount) {
  auto subjects = nats::js::topic_subjects("orders", 3);
  ASSERT_TRUE(subjects.ok());
  EXPECT_EQ(*subjects, (std::vector<std::string>{"orders.0", "orders.1", "orders.2"}));
  EXPECT_EQ(nats::js::partition_count("orders", *subjects), 3u);
  std::vector<std::string> shuffled{"orders.2", "orders.0", "orders.1"};
  EXPECT_EQ(nats::js::partition_count("orders", shuffled), 3u);
  std::vector<std::string> gap{"orders.0", "orders.2"};
  EXPECT_EQ(nats::js::partition_count("orders", gap), 0u);
  std::vector<std::string> other{"orders.>"};
  EXPECT_EQ(nats::js::partition_count("orders", other), 0u);
  std::vector<std::string> padded{"orders.00"};
  EXPECT_EQ(nats::js::partition_count("orders", padded), 0u);
  EXPECT_EQ(nats::js::topic_subjects("a.b", 2).error().code, Errc::invalid_name);
  EXPECT_EQ(nats::js::topic_subjects("t", 0).error().code, Errc::invalid_argument);
}

}  // namespace
