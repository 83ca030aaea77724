// Integration tests: the JetStream API through the native client against a
// real nats-server 2.9 — streams, stored messages, consumers, the account,
// and the server's own error codes. Tests that exercise the transport run
// over TCP and WebSocket; the rest over TCP only.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "jetstream_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using nats::Errc;
using nats::native::Client;
using nats::testing::contains;
using nats::testing::JsTransport;
using nats::testing::NatsServer;
namespace js = nats::js;

class JetStreamApiTest : public nats::testing::JetStreamFixture {};
// Tests where the transport does not matter.
class JetStreamApiTcpTest : public nats::testing::JetStreamFixture {};

TEST_P(JetStreamApiTest, AddUpdateInfoNamesListDelete) {
  const std::string name = unique("LIFE");
  js::StreamConfig cfg;
  cfg.name = name;
  cfg.subjects = {name + ".>"};
  auto created = js_->add_stream(cfg);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->config.subjects, cfg.subjects);
  EXPECT_EQ(created->config.storage, js::StorageType::file) << "the server's default";
  EXPECT_EQ(created->config.max_msgs, -1);
  EXPECT_EQ(created->state.messages, 0u);
  EXPECT_FALSE(created->created.empty());

  js::StreamConfig change = created->config;
  change.max_msgs = 100;
  change.description = "updated";
  auto updated = js_->update_stream(change);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->config.max_msgs, 100);
  EXPECT_EQ(updated->config.description, "updated");

  for (const char *s : {".a", ".b", ".b"}) publish(name + s, "x");
  auto info = js_->stream_info(name);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->state.messages, 3u);
  EXPECT_EQ(info->state.last_seq, 3u);
  EXPECT_TRUE(info->state.subjects.empty()) << "subjects only with a filter";
  auto filtered = js_->stream_info(name, name + ".b");
  ASSERT_TRUE(filtered.ok()) << filtered.error().message;
  EXPECT_EQ(filtered->state.subjects, (std::map<std::string, std::uint64_t>{{name + ".b", 2}}));
  auto all = js_->stream_info(name, ">");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->state.subjects.size(), 2u);

  auto names = js_->stream_names();
  ASSERT_TRUE(names.ok()) << names.error().message;
  EXPECT_TRUE(contains(*names, name));
  auto by_subject = js_->stream_names(name + ".a");
  ASSERT_TRUE(by_subject.ok());
  EXPECT_EQ(*by_subject, std::vector<std::string>{name});
  auto list = js_->streams_info(name + ".a");
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().config.name, name);
  EXPECT_EQ(list->front().state.messages, 3u);

  auto deleted = js_->delete_stream(name);
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_TRUE(*deleted);
  auto gone = js_->stream_info(name);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, Errc::js_api_error);
  EXPECT_EQ(gone.error().status, 404);
  EXPECT_EQ(gone.error().err_code, 10059);
  EXPECT_FALSE(contains(*js_->stream_names(), name));
}

TEST_P(JetStreamApiTcpTest, PurgeByFilterSequenceAndKeep) {
  const std::string name = unique("PURGE");
  make_stream(name);
  // Seqs 1,3,5,7,9 on .even and 2,4,6,8,10 on .odd.
  for (int i = 0; i < 10; ++i) publish(name + (i % 2 == 0 ? ".even" : ".odd"), "x");
  EXPECT_EQ(js_->purge_stream(name, name + ".even").value(), 5u);
  EXPECT_EQ(js_->purge_stream(name, {}, 6).value(), 2u) << "below seq 6: 2 and 4";
  EXPECT_EQ(js_->purge_stream(name, {}, 0, 1).value(), 2u) << "keep the last: 10";
  auto info = js_->stream_info(name);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->state.messages, 1u);
  EXPECT_EQ(info->state.first_seq, 10u);
  EXPECT_EQ(js_->purge_stream(name).value(), 1u);
  EXPECT_EQ(js_->stream_info(name)->state.messages, 0u);
}

TEST_P(JetStreamApiTcpTest, ServerErrorsKeepTheirCodes) {
  auto missing = js_->stream_info(unique("NO_SUCH_STREAM"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().err_code, 10059);
  EXPECT_EQ(missing.error().status, 404);

  const std::string name = unique("OVERLAP");
  make_stream(name);
  js::StreamConfig overlapping;
  overlapping.name = name + "_2";
  overlapping.subjects = {name + ".a"};
  auto o = js_->add_stream(overlapping);
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().code, Errc::js_api_error);
  EXPECT_EQ(o.error().err_code, 10065);

  auto nowhere = js_->publish("no.stream.here", "x");
  ASSERT_FALSE(nowhere.ok());
  EXPECT_EQ(nowhere.error().code, Errc::no_stream_response);
}

TEST_P(JetStreamApiTcpTest, InvalidNamesFailBeforeAnythingIsSent) {
  const nats::Stats before = nc_->stats();
  js::StreamConfig spaced;
  spaced.name = "a b";
  js::ConsumerConfig dotted;
  dotted.durable_name = "x.y";
  std::vector<Errc> codes = {
      js_->stream_info("a.b").error().code,       js_->add_stream(spaced).error().code,
      js_->delete_stream("").error().code,        js_->purge_stream("a*").error().code,
      js_->get_msg("a>", 1).error().code,         js_->add_consumer("S", dotted).error().code,
      js_->consumer_info("S", "c*").error().code, js_->delete_consumer("S/x", "c").error().code,
  };
  for (Errc code : codes) EXPECT_EQ(code, Errc::invalid_name);
  EXPECT_EQ(nc_->stats().out_msgs, before.out_msgs);
  EXPECT_EQ(nc_->stats().out_bytes, before.out_bytes);
}

TEST_P(JetStreamApiTest, GetMsgBySequenceAndLastBySubject) {
  for (bool direct : {false, true}) {
    SCOPED_TRACE(direct ? "direct get" : "STREAM.MSG.GET");
    const std::string name = unique(direct ? "DGET" : "GET");
    make_stream(name, direct);
    nats::Headers h;
    h.set("X-Trace", "t1");
    publish(name + ".a", "first", &h);
    publish(name + ".b", "second");
    publish(name + ".a", "third");

    auto m = js_->get_msg(name, 2);
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_EQ(m->subject, name + ".b");
    EXPECT_EQ(m->seq, 2u);
    EXPECT_EQ(m->data, "second");
    EXPECT_EQ(m->stream, name);
    EXPECT_FALSE(m->time.empty());
    // A direct get answers in headers; STREAM.MSG.GET in JSON.
    EXPECT_EQ(m->headers.find("Nats-Sequence: 2") != std::string::npos, direct);

    auto last = js_->get_last_msg(name, name + ".a");
    ASSERT_TRUE(last.ok()) << last.error().message;
    EXPECT_EQ(last->seq, 3u);
    EXPECT_EQ(last->data, "third");

    auto first = js_->get_msg(name, 1);
    ASSERT_TRUE(first.ok()) << first.error().message;
    auto hdrs = nats::Headers::parse(first->headers);
    ASSERT_TRUE(hdrs.ok()) << hdrs.error().message;
    EXPECT_EQ(hdrs->get("X-Trace"), "t1");

    for (auto r : {js_->get_msg(name, 99), js_->get_last_msg(name, name + ".none")}) {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.error().code, Errc::js_api_error);
      EXPECT_EQ(r.error().err_code, 10037);
    }
  }
}

TEST_P(JetStreamApiTcpTest, DirectGetFallsBackWhenAllowDirectIsTurnedOff) {
  const std::string name = unique("DIRECT_OFF");
  auto created = make_stream(name, true);
  publish(name + ".x", "v");
  js::ContextOptions quick;
  quick.timeout = 1s;  // the direct get that times out, then the stream info and MSG.GET
  auto reader = nc_->jetstream(quick);
  ASSERT_TRUE(reader.ok());
  auto m = (*reader)->get_msg(name, 1);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_NE(m->headers.find("Nats-Sequence"), std::string::npos) << "read directly";
  // Another context turns direct gets off; the reader still thinks they are on.
  js::StreamConfig off = created.config;
  off.allow_direct = false;
  auto updated = js_->update_stream(off);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->config.allow_direct, false);
  m = (*reader)->get_msg(name, 1);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->data, "v");
  EXPECT_EQ(m->headers.find("Nats-Sequence"), std::string::npos) << "read by STREAM.MSG.GET";
}

TEST_P(JetStreamApiTcpTest, DeleteMsg) {
  const std::string name = unique("DELMSG");
  make_stream(name);
  for (int i = 0; i < 3; ++i) publish(name + ".x", std::to_string(i));
  auto erased = js_->delete_msg(name, 2);
  ASSERT_TRUE(erased.ok()) << erased.error().message;
  EXPECT_TRUE(*erased);
  EXPECT_EQ(js_->get_msg(name, 2).error().err_code, 10037);
  EXPECT_TRUE(js_->delete_msg(name, 3, false).value());
  auto info = js_->stream_info(name);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->state.messages, 1u);
  auto twice = js_->delete_msg(name, 2);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, Errc::js_api_error);
}

TEST_P(JetStreamApiTest, ConsumersAddInfoNamesListDelete) {
  const std::string name = unique("CONS");
  make_stream(name);
  for (const char *s : {".a", ".a", ".b"}) publish(name + s, "x");

  js::ConsumerConfig durable;
  durable.durable_name = "dur";
  durable.filter_subject = name + ".a";
  durable.ack_wait = 10s;
  auto d = js_->add_consumer(name, durable);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->name, "dur");
  EXPECT_EQ(d->stream_name, name);
  EXPECT_EQ(d->config.ack_policy, js::AckPolicy::explicit_);
  EXPECT_EQ(d->config.ack_wait, 10s);
  EXPECT_EQ(d->num_pending, 2u);

  js::ConsumerConfig ephemeral;
  ephemeral.deliver_policy = js::DeliverPolicy::last;
  auto e = js_->add_consumer(name, ephemeral);
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_FALSE(e->name.empty());
  EXPECT_FALSE(e->config.durable_name);
  EXPECT_EQ(e->config.deliver_policy, js::DeliverPolicy::last);

  auto info = js_->consumer_info(name, "dur");
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->config.filter_subject, name + ".a");
  auto names = js_->consumer_names(name);
  ASSERT_TRUE(names.ok()) << names.error().message;
  EXPECT_EQ(names->size(), 2u);
  EXPECT_TRUE(contains(*names, "dur"));
  EXPECT_TRUE(contains(*names, e->name));
  auto list = js_->consumers_info(name);
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_EQ(list->size(), 2u);

  auto deleted = js_->delete_consumer(name, "dur");
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_TRUE(*deleted);
  auto gone = js_->consumer_info(name, "dur");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().err_code, 10014);
  EXPECT_EQ(gone.error().status, 404);
  EXPECT_EQ(js_->consumer_names(name)->size(), 1u);
}

TEST_P(JetStreamApiTcpTest, AccountInfo) {
  make_stream(unique("ACCOUNT"));
  auto a = js_->account_info();
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_GE(a->streams, 1);
  EXPECT_GT(a->api.total, 0u);
  EXPECT_EQ(a->limits.max_streams, -1);
}

TEST_P(JetStreamApiTcpTest, RawApiAndBadArguments) {
  auto account = js_->api(js::ApiOp::account_info, "{}");
  ASSERT_TRUE(account.ok()) << account.error().message;
  EXPECT_NE(account->find("\"limits\""), std::string::npos);
  const std::string name = unique("RAW");
  make_stream(name);
  publish(name + ".x", "hi");
  auto msg = js_->api(js::ApiOp::stream_msg_get, R"({"name":")" + name + R"(","seq":1})");
  ASSERT_TRUE(msg.ok()) << msg.error().message;
  EXPECT_NE(msg->find("\"data\":\"aGk=\""), std::string::npos) << *msg;
  EXPECT_EQ(js_->api(js::ApiOp::stream_info, "not json").error().code, Errc::invalid_argument);
  js::ContextOptions bad;
  bad.timeout = 0ms;
  EXPECT_EQ(nc_->jetstream(bad).error().code, Errc::invalid_argument);
}

TEST_P(JetStreamApiTcpTest, AdvisoriesYieldTheirKindsAndStopUnsubscribes) {
  auto advisories = js_->advisories();
  ASSERT_TRUE(advisories.ok()) << advisories.error().message;
  ASSERT_FALSE(nc_->flush());  // subscribed before the actions below
  const std::string name = unique("ADV");
  make_stream(name);
  js::ConsumerConfig cc;
  cc.durable_name = "watcher";
  ASSERT_TRUE(js_->add_consumer(name, cc).ok());
  bool stream_created = false;
  bool consumer_created = false;
  while (!(stream_created && consumer_created)) {
    auto a = advisories->next(5s);
    ASSERT_TRUE(a.ok()) << a.error().message;
    const bool known = std::any_of(js::kAdvisoryKinds.begin(), js::kAdvisoryKinds.end(),
                                   [&](const auto &k) { return k.kind == a->kind; });
    EXPECT_TRUE(known) << a->kind;
    const bool ours = a->json.find("\"stream\":\"" + name + "\"") != std::string::npos;
    const bool created = a->json.find("\"action\":\"create\"") != std::string::npos;
    if (ours && created && a->kind == "stream_action") stream_created = true;
    if (ours && created && a->kind == "consumer_action") consumer_created = true;
  }
  ASSERT_FALSE(advisories->stop());
  auto after = advisories->next(100ms);
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code, Errc::bad_subscription);
}

INSTANTIATE_TEST_SUITE_P(Transports, JetStreamApiTest,
                         ::testing::Values(JsTransport::tcp, JsTransport::ws),
                         nats::testing::js_transport_name);
INSTANTIATE_TEST_SUITE_P(Tcp, JetStreamApiTcpTest, ::testing::Values(JsTransport::tcp),
                         nats::testing::js_transport_name);

// --- a server without JetStream ------------------------------------------------------
class NoJetStreamTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() { server_ = std::make_unique<NatsServer>("no_jetstream.conf"); }
  static void TearDownTestSuite() { server_.reset(); }
  static std::unique_ptr<NatsServer> server_;
};

std::unique_ptr<NatsServer> NoJetStreamTest::server_;

TEST_F(NoJetStreamTest, CallsFailWithNotEnabledAndPublishesFindNoStream) {
  auto nc = Client::connect(server_->tcp_url());
  ASSERT_TRUE(nc.ok()) << nc.error().message;
  EXPECT_FALSE((*nc)->info().jetstream);
  auto j = (*nc)->jetstream();
  ASSERT_TRUE(j.ok());
  auto info = (*j)->account_info();
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, Errc::js_not_enabled);
  js::StreamConfig cfg;
  cfg.name = "S";
  EXPECT_EQ((*j)->add_stream(cfg).error().code, Errc::js_not_enabled);
  EXPECT_EQ((*j)->publish("a.b", "x").error().code, Errc::no_stream_response);
}

}  // namespace
