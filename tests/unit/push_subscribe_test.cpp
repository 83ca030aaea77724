// nats.py's js.subscribe as core rules: which consumer it means, and the
// config of the push consumer it creates.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "nats/jetstream/consumer.hpp"
#include "nats/jetstream/push.hpp"

namespace {

using nats::Errc;
using nats::js::PushSubscribe;
using nlohmann::json;

PushSubscribe request(std::string subject = "orders.>", std::string inbox = "_INBOX.x") {
  PushSubscribe r;
  r.subject = std::move(subject);
  r.inbox = std::move(inbox);
  return r;
}

json made(std::string_view config, const PushSubscribe &r) {
  auto out = nats::js::push_subscribe_config(config, r);
  EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().message);
  return out.ok() ? json::parse(*out) : json();
}

TEST(PushSubscribe, TheQueueNamesTheConsumerAndMustAgreeWithDurable) {
  EXPECT_EQ(*nats::js::push_subscribe_name("workers", ""), "workers");
  EXPECT_EQ(*nats::js::push_subscribe_name("workers", "workers"), "workers");
  EXPECT_EQ(*nats::js::push_subscribe_name("", "d"), "d");
  EXPECT_EQ(*nats::js::push_subscribe_name("", ""), "");
  auto clash = nats::js::push_subscribe_name("workers", "other");
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code, Errc::illegal_state);
  EXPECT_EQ(clash.error().message,
            "cannot create queue subscription 'workers' to consumer 'other'");
}

TEST(PushSubscribe, AnEphemeralConsumerDeliversToTheInboxFilteredByTheSubject) {
  auto c = made("", request());
  EXPECT_EQ(c, json::parse(R"({"deliver_subject":"_INBOX.x","filter_subject":"orders.>",
                               "flow_control":false})"));
}

TEST(PushSubscribe, TheRequestFillsWhatTheConfigLeavesOpen) {
  auto r = request();
  r.queue = "workers";
  r.name = "workers";
  r.flow_control = true;
  r.idle_heartbeat = std::chrono::seconds(5);
  r.deliver_policy = nats::js::DeliverPolicy::last;
  r.headers_only = true;
  r.inactive_threshold = std::chrono::seconds(30);
  auto c = made(R"({"ack_policy":"explicit","max_deliver":3,"metadata":{"k":"v"}})", r);
  EXPECT_EQ(c["durable_name"], "workers");
  EXPECT_EQ(c["deliver_group"], "workers");
  EXPECT_EQ(c["deliver_subject"], "_INBOX.x");
  EXPECT_EQ(c["filter_subject"], "orders.>");
  EXPECT_EQ(c["flow_control"], true);
  EXPECT_EQ(c["idle_heartbeat"], 5'000'000'000LL);
  EXPECT_EQ(c["deliver_policy"], "last");
  EXPECT_EQ(c["headers_only"], true);
  EXPECT_EQ(c["inactive_threshold"], 30'000'000'000LL);
  // What the core does not model stays as the caller wrote it.
  EXPECT_EQ(c["ack_policy"], "explicit");
  EXPECT_EQ(c["max_deliver"], 3);
  EXPECT_EQ(c["metadata"], json::parse(R"({"k":"v"})"));
}

TEST(PushSubscribe, TheConfigsOwnNamesWinButFlowControlIsTheRequests) {
  auto r = request();
  r.queue = "workers";
  r.name = "workers";
  r.flow_control = false;
  auto c = made(R"({"durable_name":"mine","deliver_group":"g","deliver_subject":"my.inbox",
                    "headers_only":true,"flow_control":true,"idle_heartbeat":7})",
                r);
  EXPECT_EQ(c["durable_name"], "mine");
  EXPECT_EQ(c["deliver_group"], "g");
  EXPECT_EQ(c["deliver_subject"], "my.inbox");
  EXPECT_EQ(c["headers_only"], true);
  EXPECT_EQ(c["flow_control"], false);
  EXPECT_EQ(c["idle_heartbeat"], 7) << "no heartbeat asked: the config's stays";
}

TEST(PushSubscribe, SeveralFiltersAreKeptAndOneIsReplacedByTheSubject) {
  auto many = made(R"({"filter_subjects":["a.1","a.2"]})", request("a.*"));
  EXPECT_FALSE(many.contains("filter_subject"));
  EXPECT_EQ(many["filter_subjects"], json::parse(R"(["a.1","a.2"])"));
  auto one = made(R"({"filter_subject":"old.x","filter_subjects":[]})", request("a.*"));
  EXPECT_EQ(one["filter_subject"], "a.*");
}

TEST(PushSubscribe, BadInputIsRefusedWithTheFieldNamed) {
  auto code = [](std::string_view config, const PushSubscribe &r) {
    auto out = nats::js::push_subscribe_config(config, r);
    return out.ok() ? Errc{} : out.error().code;
  };
  EXPECT_EQ(code("", request("bad subject")), Errc::invalid_subject);
  EXPECT_EQ(code("", request("a.b", "inbox.*")), Errc::invalid_subject);
  auto queued = request();
  queued.queue = "has space";
  EXPECT_EQ(code("", queued), Errc::invalid_queue);
  EXPECT_EQ(code("[1,2]", request()), Errc::invalid_argument);
  EXPECT_EQ(code("{not json", request()), Errc::invalid_argument);
  auto negative = request();
  negative.idle_heartbeat = std::chrono::nanoseconds(-1);
  EXPECT_EQ(code("", negative), Errc::invalid_argument);
  auto out = nats::js::push_subscribe_config("", request("bad subject"));
  EXPECT_NE(out.error().message.find("subject: "), std::string::npos);
}

TEST(PullSubscribe, FilteredOnTheSubjectNamedByDurableOrAFreshName) {
  auto durable = nats::js::pull_subscribe_config(R"({"ack_wait":5,"filter_subject":"old"})",
                                                 "orders.>", "d", "FRESH");
  ASSERT_TRUE(durable.ok());
  EXPECT_EQ(
      json::parse(*durable),
      json::parse(R"({"ack_wait":5,"filter_subject":"orders.>","name":"d","durable_name":"d"})"));
  auto ephemeral = nats::js::pull_subscribe_config("", "orders.>", "", "FRESH");
  ASSERT_TRUE(ephemeral.ok());
  EXPECT_EQ(json::parse(*ephemeral),
            json::parse(R"({"filter_subject":"orders.>","name":"FRESH"})"));
  auto many =
      nats::js::pull_subscribe_config(R"({"filter_subjects":["a.1","a.2"]})", "a.*", "", "F");
  ASSERT_TRUE(many.ok());
  EXPECT_FALSE(json::parse(*many).contains("filter_subject"));
  EXPECT_EQ(nats::js::pull_subscribe_config("", "bad subject", "", "F").error().code,
            Errc::invalid_subject);
  EXPECT_EQ(nats::js::pull_subscribe_config("", "a", "bad.name", "F").error().code,
            Errc::invalid_name);
  EXPECT_EQ(nats::js::pull_subscribe_config("[]", "a", "", "F").error().code,
            Errc::invalid_argument);
}

}  // namespace
