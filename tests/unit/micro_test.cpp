// Micro services (nats/micro/service.hpp): names and versions, groups and
// queue groups, discovery subjects, the three discovery replies, stats and
// error replies, and how a reply of a stream is read.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nats/micro/service.hpp"

namespace {

using nats::Errc;
namespace micro = nats::micro;
using json = nlohmann::json;

micro::Service make(micro::ServiceConfig cfg = {"svc", "1.0.0", "", {}, std::nullopt}) {
  auto s = micro::Service::create(std::move(cfg), "ID1", 1'700'000'000'123'456'789);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return std::move(*s);
}

TEST(MicroRules, Names) {
  EXPECT_FALSE(micro::validate_name("service", "my-svc_2"));
  for (const char *bad : {"", "a.b", "a b", "a*", "ü", "a>"}) {
    EXPECT_EQ(micro::validate_name("service", bad).code, Errc::invalid_name) << bad;
  }
}

TEST(MicroRules, SemanticVersions) {
  for (const char *good :
       {"0.0.1", "1.2.3", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7",
        "1.0.0-x.7.z.92", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85", "1.0.0-x-y-z.--"}) {
    EXPECT_FALSE(micro::validate_version(good)) << good;
  }
  for (const char *bad :
       {"", "1", "1.2", "1.2.3.4", "01.1.1", "1.01.1", "v1.2.3", "1.2.3-", "1.2.3-01", "1.2.3-a..b",
        "1.2.3+", "1.2.3+a..b", "1.2.x", "1.2.3-a$", " 1.2.3"}) {
    EXPECT_EQ(micro::validate_version(bad).code, Errc::invalid_argument) << bad;
  }
}

TEST(MicroRules, CreateChecksTheConfig) {
  EXPECT_EQ(micro::Service::create({"bad name", "1.0.0", "", {}, {}}, "x", 0).error().code,
            Errc::invalid_name);
  EXPECT_EQ(micro::Service::create({"ok", "1.0", "", {}, {}}, "x", 0).error().code,
            Errc::invalid_argument);
  EXPECT_EQ(micro::Service::create({"ok", "1.0.0", "", {}, "a b"}, "x", 0).error().code,
            Errc::invalid_queue);
  EXPECT_EQ(micro::Service::create({"ok", "1.0.0", "", {}, {}}, "", 0).error().code,
            Errc::invalid_name);
}

TEST(MicroRules, StartedIsRfc3339InUtcWithMilliseconds) {
  EXPECT_EQ(micro::rfc3339_millis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(micro::rfc3339_millis(1'700'000'000'123'456'789), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(micro::rfc3339_millis(951'782'400'000'000'000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(micro::rfc3339_millis(-1'000'000), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(make().started(), "2023-11-14T22:13:20.123Z");
}

TEST(MicroRules, EndpointsGroupsAndQueueGroups) {
  auto svc = make();
  ASSERT_EQ(*svc.add_endpoint({"echo", "", {}, {}}), 0U);
  EXPECT_EQ(svc.endpoints()[0].subject, "echo");
  EXPECT_EQ(svc.endpoints()[0].queue_group, "q");
  auto g = micro::Service::add_group({}, "calc.v1", std::nullopt);
  ASSERT_TRUE(g.ok());
  auto g2 = micro::Service::add_group(*g, "ops", std::string("workers"));
  ASSERT_TRUE(g2.ok());
  EXPECT_EQ(g2->prefix, "calc.v1.ops");
  ASSERT_EQ(*svc.add_endpoint({"add", "", {}, {}}, *g2), 1U);
  EXPECT_EQ(svc.endpoints()[1].subject, "calc.v1.ops.add");
  EXPECT_EQ(svc.endpoints()[1].queue_group, "workers");
  // "" below the service inherits; an endpoint's own subject follows the prefix.
  ASSERT_TRUE(svc.add_endpoint({"sub", "x.*", std::string(""), {}}, *g2).ok());
  EXPECT_EQ(svc.endpoints()[2].subject, "calc.v1.ops.x.*");
  EXPECT_EQ(svc.endpoints()[2].queue_group, "workers");
  ASSERT_TRUE(svc.add_endpoint({"own", "", std::string("mine"), {}}, *g2).ok());
  EXPECT_EQ(svc.endpoints()[3].queue_group, "mine");
  // Errors: a duplicate name, a bad subject, a group with '>' or a bad token.
  EXPECT_EQ(svc.add_endpoint({"echo", "", {}, {}}).error().code, Errc::invalid_argument);
  EXPECT_EQ(svc.add_endpoint({"e2", "a..b", {}, {}}).error().code, Errc::invalid_subject);
  EXPECT_EQ(svc.add_endpoint({"e.3", "", {}, {}}).error().code, Errc::invalid_name);
  EXPECT_EQ(micro::Service::add_group({}, "a.>", {}).error().code, Errc::invalid_name);
  EXPECT_EQ(micro::Service::add_group({}, "a..b", {}).error().code, Errc::invalid_name);
  EXPECT_EQ(micro::Service::add_group({}, "", {}).error().code, Errc::invalid_name);
  EXPECT_TRUE(micro::Service::add_group({}, "a.*", {}).ok());
}

TEST(MicroRules, AnEmptyServiceQueueGroupTurnsQueueingOff) {
  auto svc = make({"svc", "1.0.0", "", {}, std::string("")});
  ASSERT_TRUE(svc.add_endpoint({"e", "", {}, {}}).ok());
  EXPECT_EQ(svc.endpoints()[0].queue_group, "");
  auto info = json::parse(svc.info_json());
  EXPECT_FALSE(info["endpoints"][0].contains("queue_group"));
}

TEST(MicroRules, DiscoverySubjects) {
  auto svc = make();
  std::vector<std::string> subjects;
  for (const auto &d : svc.discovery()) subjects.push_back(d.subject);
  EXPECT_EQ(subjects,
            (std::vector<std::string>{"$SRV.PING", "$SRV.PING.svc", "$SRV.PING.svc.ID1",
                                      "$SRV.INFO", "$SRV.INFO.svc", "$SRV.INFO.svc.ID1",
                                      "$SRV.STATS", "$SRV.STATS.svc", "$SRV.STATS.svc.ID1"}));
  EXPECT_EQ(svc.discovery()[4].verb, micro::Verb::info);
  EXPECT_EQ(*micro::control_subject(micro::Verb::stats, "svc"), "$SRV.STATS.svc");
  EXPECT_EQ(micro::control_subject(micro::Verb::ping, "", "ID1").error().code,
            Errc::invalid_argument);
  EXPECT_EQ(micro::control_subject(micro::Verb::ping, "a.b").error().code, Errc::invalid_name);
  EXPECT_EQ(*micro::control_subject(micro::Verb::info, "svc", "", "my.srv"), "my.srv.INFO.svc")
      << "a client's own discovery prefix";
  EXPECT_EQ(micro::control_subject(micro::Verb::info, "", "", "my.*").error().code,
            Errc::invalid_argument);
  EXPECT_EQ(micro::control_subject(micro::Verb::ping, "a", "x y").error().code, Errc::invalid_name);
}

TEST(MicroRules, PingAndInfoReplies) {
  auto svc = make({"svc", "1.2.3", "adds numbers", {{"team", "a"}}, std::nullopt});
  ASSERT_TRUE(svc.add_endpoint({"add", "math.add", {}, {{"unit", "n"}}}).ok());
  auto ping = json::parse(svc.ping_json());
  EXPECT_EQ(ping, json::parse(R"({"type":"io.nats.micro.v1.ping_response","name":"svc","id":"ID1",
      "version":"1.2.3","metadata":{"team":"a"}})"));
  auto info = json::parse(svc.info_json());
  EXPECT_EQ(info, json::parse(R"({"type":"io.nats.micro.v1.info_response","name":"svc","id":"ID1",
      "version":"1.2.3","metadata":{"team":"a"},"description":"adds numbers",
      "endpoints":[{"name":"add","subject":"math.add","queue_group":"q","metadata":{"unit":"n"}}]})"));
}

TEST(MicroRules, StatsCountRequestsErrorsAndTime) {
  auto svc = make();
  ASSERT_TRUE(svc.add_endpoint({"a", "", {}, {}}).ok());
  ASSERT_TRUE(svc.add_endpoint({"b", "", {}, {}}).ok());
  EXPECT_FALSE(svc.record(0, 100));
  micro::ServiceError err{"503", "busy"};
  EXPECT_FALSE(svc.record(0, 300, &err));
  EXPECT_EQ(svc.record(2, 1).code, Errc::invalid_argument);
  std::vector<std::string> data{R"({"hits":7})", ""};
  auto stats = json::parse(svc.stats_json(&data));
  EXPECT_EQ(stats["type"], "io.nats.micro.v1.stats_response");
  EXPECT_EQ(stats["started"], "2023-11-14T22:13:20.123Z");
  auto a = stats["endpoints"][0];
  EXPECT_EQ(a["num_requests"], 2);
  EXPECT_EQ(a["num_errors"], 1);
  EXPECT_EQ(a["last_error"], "503:busy");
  EXPECT_EQ(a["processing_time"], 400);
  EXPECT_EQ(a["average_processing_time"], 200);
  EXPECT_EQ(a["data"], json::parse(R"({"hits":7})"));
  auto b = stats["endpoints"][1];
  EXPECT_EQ(b["num_requests"], 0);
  EXPECT_EQ(b["average_processing_time"], 0);
  EXPECT_EQ(b["last_error"], "");
  EXPECT_TRUE(b["data"].is_null());
  svc.reset(0);
  stats = json::parse(svc.stats_json());
  EXPECT_EQ(stats["started"], "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(stats["endpoints"][0]["num_requests"], 0);
  EXPECT_EQ(stats["endpoints"][0]["last_error"], "");
}

TEST(MicroRules, ErrorRepliesAndStreamReplies) {
  auto h = micro::error_headers("400", "bad\r\ninput");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->get("Nats-Service-Error"), "bad  input");
  EXPECT_EQ(h->get("Nats-Service-Error-Code"), "400");
  EXPECT_EQ(micro::error_headers("", "x").error().code, Errc::invalid_argument);
  auto r = micro::classify_reply(h->encode(), 0);
  EXPECT_EQ(r.kind, micro::Reply::Kind::error);
  EXPECT_EQ(r.error.code, "400");
  EXPECT_EQ(r.error.description, "bad  input");
  EXPECT_EQ(micro::classify_reply("", 3).kind, micro::Reply::Kind::data);
  EXPECT_EQ(micro::classify_reply("", 0).kind, micro::Reply::Kind::end);
  EXPECT_EQ(micro::classify_reply("NATS/1.0\r\nX: y\r\n\r\n", 0).kind, micro::Reply::Kind::end);
  // A description without a code is still an error (code 500).
  EXPECT_EQ(micro::classify_reply("NATS/1.0\r\nNats-Service-Error: x\r\n\r\n", 5).error.code,
            "500");
}

TEST(MicroRules, ConfigsFromJson) {
  auto c = micro::service_config_from_json(
      R"({"name":"s","version":"1.0.0","description":"d","metadata":{"k":"v"},"queue_group":"g"})");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->metadata.at("k"), "v");
  EXPECT_EQ(*c->queue_group, "g");
  EXPECT_EQ(micro::service_config_from_json("[]").error().code, Errc::invalid_argument);
  EXPECT_EQ(micro::service_config_from_json(R"({"name":1})").error().code, Errc::invalid_argument);
  EXPECT_EQ(micro::service_config_from_json(R"({"metadata":{"k":1}})").error().code,
            Errc::invalid_argument);
  auto e = micro::endpoint_config_from_json(R"({"name":"e","subject":"x.y","queue_group":null})");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->subject, "x.y");
  EXPECT_FALSE(e->queue_group.has_value());
}

}  // namespace
