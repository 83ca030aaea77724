// Key-value buckets with a scripted server: the rules (names, keys, the
// bucket's stream, write headers, entry operations), create over a
// tombstone, reads by direct get, and watches (entries as keys with their
// operation, deletes ignored on request, the caught-up signal).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nats/engine.hpp"
#include "nats/jetstream/kv.hpp"
#include "scripted_peer.hpp"

namespace {

using nats::Errc;
using nats::Event;
using nats::EventType;
using nats::Time;
using nats::js::ApiOp;
namespace kv = nats::js::kv;
using json = nlohmann::json;

TEST(KvRules, NamesKeysAndSubjects) {
  EXPECT_FALSE(kv::validate_bucket("my-bucket_1"));
  EXPECT_EQ(kv::validate_bucket("a.b").code, Errc::invalid_bucket_name);
  EXPECT_EQ(kv::validate_bucket("").code, Errc::invalid_bucket_name);
  EXPECT_FALSE(kv::validate_key("a/b=c.d-e_f"));
  for (const char *bad : {"", ".a", "a.", "a..b", "a b", "a*", "a.>"}) {
    EXPECT_EQ(kv::validate_key(bad).code, Errc::invalid_key) << bad;
  }
  EXPECT_FALSE(kv::validate_key("a.*.c", true));
  EXPECT_FALSE(kv::validate_key(">", true));
  EXPECT_EQ(kv::validate_key("a.>.c", true).code, Errc::invalid_key) << "> only last";
  EXPECT_EQ(kv::stream_name("b"), "KV_b");
  EXPECT_EQ(kv::key_subject("b", "k.1"), "$KV.b.k.1");
  EXPECT_EQ(kv::key_of("b", "$KV.b.k.1"), "k.1");
  EXPECT_EQ(kv::key_of("b", "$KV.other.k"), "");
}

TEST(KvRules, BucketStreamConfig) {
  kv::BucketConfig c;
  c.bucket = "cfg";
  c.history = 5;
  c.ttl = std::chrono::milliseconds(60000);
  auto j = json::parse(*kv::stream_config_json(c));
  EXPECT_EQ(j["name"], "KV_cfg");
  EXPECT_EQ(j["subjects"], json({"$KV.cfg.>"}));
  EXPECT_EQ(j["max_msgs_per_subject"], 5);
  EXPECT_EQ(j["max_age"], 60000000000LL);
  EXPECT_EQ(j["duplicate_window"], 60000000000LL) << "no longer than the ttl";
  EXPECT_EQ(j["allow_rollup_hdrs"], true);
  EXPECT_EQ(j["deny_delete"], true);
  EXPECT_EQ(j["discard"], "new");
  EXPECT_EQ(j["allow_direct"], true);
  c.history = 65;
  EXPECT_EQ(kv::stream_config_json(c).error().code, Errc::history_too_large);
  c.history = 0;
  EXPECT_EQ(kv::stream_config_json(c).error().code, Errc::invalid_argument);
}

TEST(KvRules, WriteHeadersAndOperations) {
  EXPECT_TRUE(kv::write_headers(kv::Operation::put).empty());
  auto del = kv::write_headers(kv::Operation::del, 7);
  EXPECT_EQ(del.get("KV-Operation"), "DEL");
  EXPECT_EQ(del.get("Nats-Expected-Last-Subject-Sequence"), "7");
  auto purge = kv::write_headers(kv::Operation::purge);
  EXPECT_EQ(purge.get("KV-Operation"), "PURGE");
  EXPECT_EQ(purge.get("Nats-Rollup"), "sub");
  EXPECT_EQ(kv::operation_of(""), kv::Operation::put);
  EXPECT_EQ(kv::operation_of("NATS/1.0\r\nKV-Operation: DEL\r\n\r\n"), kv::Operation::del);
  EXPECT_EQ(kv::operation_of("NATS/1.0\r\nNats-Marker-Reason: MaxAge\r\n\r\n"),
            kv::Operation::purge);
  EXPECT_EQ(kv::operation_of("NATS/1.0\r\nNats-Marker-Reason: Remove\r\n\r\n"), kv::Operation::del);
  EXPECT_FALSE(kv::operation_of("NATS/1.0\r\nNats-Marker-Reason: Other\r\n\r\n").has_value());
}

using KvTest = nats_test::JsCallTest;

TEST_F(KvTest, CreateOverATombstoneWritesAfterIt) {
  auto id = engine().js_api(ctx_, ApiOp::kv_create, R"({"bucket":"b","key":"k","direct":false})",
                            peer_.now, {}, "v1");
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto p = pubs();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].subject, "$KV.b.k");
  EXPECT_NE(p[0].headers.find("Nats-Expected-Last-Subject-Sequence: 0"), std::string::npos);
  EXPECT_EQ(p[0].body, "v1");
  EXPECT_TRUE(
      answer(p[0].reply,
             R"({"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 4"}})")
          .empty());
  p = pubs();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].subject, "$JS.API.STREAM.MSG.GET.KV_b");
  EXPECT_EQ(json::parse(p[0].body), json({{"last_by_subj", "$KV.b.k"}}));
  // The last entry is a delete (KV-Operation: DEL, base64 in hdrs).
  EXPECT_TRUE(
      answer(
          p[0].reply,
          R"({"message":{"subject":"$KV.b.k","seq":4,"hdrs":"TkFUUy8xLjANCktWLU9wZXJhdGlvbjogREVMDQoNCg==","time":"2026-01-01T00:00:00Z"}})")
          .empty());
  p = pubs();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].subject, "$KV.b.k");
  EXPECT_NE(p[0].headers.find("Nats-Expected-Last-Subject-Sequence: 4"), std::string::npos);
  auto evs = answer(p[0].reply, R"({"stream":"KV_b","seq":5})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_FALSE(evs[0].error);
  EXPECT_EQ(json::parse(evs[0].text)["seq"], 5);
}

TEST_F(KvTest, CreateOverAValueFailsWithTheWrongLastSequence) {
  ASSERT_TRUE(engine()
                  .js_api(ctx_, ApiOp::kv_create, R"({"bucket":"b","key":"k","direct":true})",
                          peer_.now, {}, "v")
                  .ok());
  auto p = pubs();
  answer(p[0].reply,
         R"({"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 2"}})");
  p = pubs();
  EXPECT_EQ(p[0].subject, "$JS.API.DIRECT.GET.KV_b.$KV.b.k");
  auto evs = peer_.feed(nats_test::hmsg(
      p[0].reply, 1,
      "NATS/1.0\r\nNats-Subject: $KV.b.k\r\nNats-Sequence: 2\r\nNats-Stream: KV_b\r\n\r\n",
      "live"));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.code, Errc::js_api_error);
  EXPECT_EQ(evs[0].error.err_code, 10071);
}

TEST_F(KvTest, GetReadsTheEntryWithItsOperationOrKeyNotFound) {
  ASSERT_TRUE(
      engine()
          .js_api(ctx_, ApiOp::kv_get, R"({"bucket":"b","key":"k","direct":true})", peer_.now)
          .ok());
  auto p = pubs();
  EXPECT_EQ(p[0].subject, "$JS.API.DIRECT.GET.KV_b.$KV.b.k");
  auto evs = peer_.feed(nats_test::hmsg(
      p[0].reply, 1,
      "NATS/1.0\r\nNats-Subject: $KV.b.k\r\nNats-Sequence: 3\r\nKV-Operation: PURGE\r\n\r\n", ""));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, EventType::js_stored_msg);
  EXPECT_EQ(evs[0].num, 3u);
  EXPECT_EQ(evs[0].num2, static_cast<std::uint64_t>(kv::Operation::purge));
  // At a revision that holds another key: not found.
  ASSERT_TRUE(engine()
                  .js_api(ctx_, ApiOp::kv_get,
                          R"({"bucket":"b","key":"k","revision":2,"direct":true})", peer_.now)
                  .ok());
  p = pubs();
  EXPECT_EQ(p[0].subject, "$JS.API.DIRECT.GET.KV_b");
  evs = peer_.feed(nats_test::hmsg(
      p[0].reply, 1, "NATS/1.0\r\nNats-Subject: $KV.b.other\r\nNats-Sequence: 2\r\n\r\n", "x"));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.code, Errc::key_not_found);
  // Nothing stored.
  ASSERT_TRUE(
      engine()
          .js_api(ctx_, ApiOp::kv_get, R"({"bucket":"b","key":"none","direct":true})", peer_.now)
          .ok());
  p = pubs();
  evs = peer_.feed(nats_test::hmsg(p[0].reply, 1, "NATS/1.0 404 Message Not Found\r\n\r\n", ""));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.code, Errc::key_not_found);
  EXPECT_EQ(
      engine().js_api(ctx_, ApiOp::kv_get, R"({"bucket":"b","key":"a b"})", peer_.now).error().code,
      Errc::invalid_key);
}

TEST_F(KvTest, BucketInfoOfAMissingBucketIsBucketNotFound) {
  ASSERT_TRUE(engine().js_api(ctx_, ApiOp::kv_bucket_info, R"({"bucket":"nope"})", peer_.now).ok());
  auto p = pubs();
  EXPECT_EQ(p[0].subject, "$JS.API.STREAM.INFO.KV_nope");
  auto evs = answer(p[0].reply,
                    R"({"error":{"code":404,"err_code":10059,"description":"stream not found"}})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.code, Errc::bucket_not_found);
  EXPECT_EQ(evs[0].error.err_code, 10059);
}

TEST_F(KvTest, WritesCarryTheirHeaders) {
  ASSERT_TRUE(engine().kv_write(ctx_, "b", "k", "v", kv::Operation::put, 3, peer_.now).ok());
  ASSERT_TRUE(engine().kv_write(ctx_, "b", "k", "ignored", kv::Operation::del, {}, peer_.now).ok());
  ASSERT_TRUE(engine().kv_write(ctx_, "b", "k", "", kv::Operation::purge, {}, peer_.now).ok());
  auto p = pubs();
  ASSERT_EQ(p.size(), 3u);
  EXPECT_NE(p[0].headers.find("Nats-Expected-Last-Subject-Sequence: 3"), std::string::npos);
  EXPECT_EQ(p[0].body, "v");
  EXPECT_NE(p[1].headers.find("KV-Operation: DEL"), std::string::npos);
  EXPECT_EQ(p[1].body, "") << "a delete carries no value";
  EXPECT_NE(p[2].headers.find("Nats-Rollup: sub"), std::string::npos);
  EXPECT_EQ(engine().kv_write(ctx_, "b", "k*", "v", kv::Operation::put, {}, peer_.now).error().code,
            Errc::invalid_key);
}

TEST_F(KvTest, WatchDeliversEntriesAndSaysWhenCaughtUp) {
  auto id = engine().kv_watch(ctx_, "b", "k.*", kv::WatchInclude::last_values, false,
                              kv::Ignore::deletes_and_purges, 0, peer_.now);
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto p = pubs();
  answer(p[0].reply, R"({"config":{"name":"KV_b"}})");
  p = pubs();
  auto cfg = json::parse(p[0].body)["config"];
  EXPECT_EQ(cfg["filter_subject"], "$KV.b.k.*");
  EXPECT_EQ(cfg["deliver_policy"], "last_per_subject");
  auto evs = answer(p[0].reply, json({{"name", cfg["name"]}, {"num_pending", 3}}).dump());
  ASSERT_EQ(evs.size(), 1u);
  nats::js::PullOptions po;
  po.mode = nats::js::PullMode::consume;
  auto session = engine().ordered_pull(*id, po, peer_.now);
  ASSERT_TRUE(session.ok());
  auto ops = peer_.written();
  const std::string inbox = ops[0].substr(4, ops[0].rfind(' ') - 4);
  const std::string name = cfg["name"];
  auto entry = [&](std::uint64_t seq, std::uint64_t pending, std::string_view key,
                   std::string_view headers, std::string_view value) {
    const std::string reply = "$JS.ACK.KV_b." + name + ".1." + std::to_string(seq) + "." +
                              std::to_string(seq) + ".1700000000000000000." +
                              std::to_string(pending);
    const std::string subject = "$KV.b." + std::string(key);
    return headers.empty() ? nats_test::msg(subject, 2, value, reply)
                           : nats_test::hmsg(subject, 2, headers, value, reply);
  };
  evs = peer_.feed(entry(1, 2, "k.a", "", "1") +
                   entry(2, 1, "k.b", "NATS/1.0\r\nKV-Operation: DEL\r\n\r\n", "") +
                   entry(3, 0, "k.c", "", "3"));
  std::vector<std::string> seen;
  for (const auto &e : evs) {
    if (e.type == EventType::js_msg) {
      seen.push_back(std::string(e.msg.subject) + "@" + std::to_string(e.num) + ":" +
                     std::to_string(e.num2));
    } else if (e.type == EventType::pull_status) {
      seen.push_back(e.text);
    }
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"k.a@1:0", "k.c@3:0", "caught_up"}))
      << "keys not subjects; the delete ignored; caught up after the last initial entry";
  evs = peer_.feed(entry(4, 0, "k.a", "", "4"));
  int caught = 0;
  for (const auto &e : evs) caught += e.type == EventType::pull_status && e.text == "caught_up";
  EXPECT_EQ(caught, 0) << "once";
}

}  // namespace

namespace {

// The KV direct read that nats-server 2.9 drops: after the timeout the
// engine reads the stream's config and decides from it.
class KvDirectTimeoutTest : public KvTest {
protected:
  std::vector<nats_test::Published> timed_out_read() {
    EXPECT_TRUE(
        engine()
            .js_api(ctx_, ApiOp::kv_get, R"({"bucket":"b","key":"k","direct":true})", peer_.now)
            .ok());
    auto p = pubs();
    EXPECT_EQ(p.at(0).subject, "$JS.API.DIRECT.GET.KV_b.$KV.b.k");
    peer_.now += std::chrono::seconds(6);
    engine().handle_timeout(peer_.now);
    EXPECT_TRUE(peer_.events().empty()) << "no failure yet: the stream is checked first";
    p = pubs();
    EXPECT_EQ(p.at(0).subject, "$JS.API.STREAM.INFO.KV_b");
    return p;
  }
};

TEST_F(KvDirectTimeoutTest, AGoneStreamIsBucketNotFound) {
  auto p = timed_out_read();
  auto evs = answer(p[0].reply,
                    R"({"error":{"code":404,"err_code":10059,"description":"stream not found"}})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, EventType::js_stored_msg);
  EXPECT_EQ(evs[0].error.code, Errc::bucket_not_found);
}

TEST_F(KvDirectTimeoutTest, DirectTurnedOffReadsThroughTheApi) {
  auto p = timed_out_read();
  EXPECT_TRUE(answer(p[0].reply, R"({"config":{"name":"KV_b","allow_direct":false}})").empty());
  p = pubs();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].subject, "$JS.API.STREAM.MSG.GET.KV_b");
  auto evs = answer(
      p[0].reply,
      R"({"message":{"subject":"$KV.b.k","seq":3,"data":"dg==","time":"2026-01-01T00:00:00Z"}})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_FALSE(evs[0].error) << evs[0].error.message;
  EXPECT_EQ(evs[0].num, 3u);
}

TEST_F(KvDirectTimeoutTest, DirectStillAllowedIsATimeout) {
  auto p = timed_out_read();
  auto evs = answer(p[0].reply, R"({"config":{"name":"KV_b","allow_direct":true}})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.code, Errc::timeout);
  // A check that times out too ends the call: no third request.
  timed_out_read();
  peer_.now += std::chrono::seconds(6);
  engine().handle_timeout(peer_.now);
  evs = peer_.events();
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.code, Errc::timeout);
  EXPECT_TRUE(pubs().empty());
}

}  // namespace

namespace {

TEST(KvRules, AMirrorCopiesItsSourceAndHasNoSubjects) {
  kv::BucketConfig c;
  c.bucket = "replica";
  c.mirror = "orders";
  auto cfg = json::parse(*kv::stream_config_json(c));
  EXPECT_FALSE(cfg.contains("subjects"));
  EXPECT_EQ(cfg["mirror"], json({{"name", "KV_orders"}}));
  EXPECT_EQ(cfg["mirror_direct"], true);
  c.mirror = "replica";
  EXPECT_EQ(kv::stream_config_json(c).error().code, Errc::invalid_argument);
  auto m = kv::mirror_of(R"({"config":{"name":"KV_replica","mirror":{"name":"KV_orders"}}})");
  EXPECT_EQ(m.bucket, "replica");
  EXPECT_EQ(m.source, "orders");
  EXPECT_EQ(kv::mirror_of(R"({"config":{"name":"KV_plain"}})").source, "");
  EXPECT_EQ(kv::mirror_of(R"({"config":{"name":"ORDERS"}})").bucket, "") << "not a bucket";
}

TEST(KvRules, PurgeDeletesKeepsRecentMarkersAlone) {
  using Op = kv::Operation;
  EXPECT_FALSE(kv::purge_deletes_args("b", "k", Op::put, 0, 10'000, 1'000).has_value())
      << "a value is never purged";
  auto recent = kv::purge_deletes_args("b", "a.k", Op::del, 9'500, 10'000, 1'000);
  ASSERT_TRUE(recent.has_value());
  EXPECT_EQ(json::parse(*recent), json({{"name", "KV_b"}, {"filter", "$KV.b.a.k"}, {"keep", 1}}));
  auto old = kv::purge_deletes_args("b", "k", Op::purge, 8'000, 10'000, 1'000);
  EXPECT_EQ(json::parse(*old)["keep"], 0) << "older than older_than: the marker goes too";
  auto any = kv::purge_deletes_args("b", "k", Op::del, 10'000, 10'000, 0);
  EXPECT_EQ(json::parse(*any)["keep"], 0) << "older_than 0: every marker goes (nats.py)";
}

TEST(KvRules, PlacementAndRepublishGoToTheStreamConfig) {
  kv::BucketConfig c;
  c.bucket = "b";
  c.placement_json = R"({"cluster":"east","tags":["ssd"]})";
  c.republish_json = R"({"src":">","dest":"repub.>","headers_only":true})";
  auto cfg = json::parse(*kv::stream_config_json(c));
  EXPECT_EQ(cfg["placement"], json::parse(c.placement_json));
  EXPECT_EQ(cfg["republish"]["dest"], "repub.>");
  c.republish_json = "[1]";
  EXPECT_EQ(kv::stream_config_json(c).error().code, Errc::invalid_argument);
  c.republish_json.clear();
  c.placement_json.clear();
  cfg = json::parse(*kv::stream_config_json(c));
  EXPECT_FALSE(cfg.contains("placement") || cfg.contains("republish"));
}

}  // namespace
