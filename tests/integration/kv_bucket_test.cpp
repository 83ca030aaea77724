// Integration tests against a real nats-server 2.9, beyond kv_test.cpp:
// KeyValue::purge_deletes (markers cleared, recent ones kept alone, values
// never touched), mirrored buckets (read replicas), and placement and
// republish reaching the bucket's stream, and a stream that is not a bucket.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

#include "jetstream_fixture.hpp"
#include "nats/native/kv.hpp"

namespace {

using namespace std::chrono_literals;
using nats::Errc;
using nats::testing::JsTransport;
namespace kv = nats::js::kv;

class KvBucketTest : public nats::testing::JetStreamFixture {};

TEST_P(KvBucketTest, PurgeDeletesClearsMarkersAndNeverAValue) {
  kv::BucketConfig cfg;
  cfg.bucket = unique("KVPD");
  cfg.history = 5;
  auto b = js_->create_key_value(cfg);
  ASSERT_TRUE(b.ok()) << b.error().message;
  for (const char *key : {"gone", "wiped", "kept"}) {
    ASSERT_TRUE(b->put(key, "1").ok());
    ASSERT_TRUE(b->put(key, "2").ok());
  }
  ASSERT_TRUE(b->del("gone").ok());
  ASSERT_TRUE(b->purge("wiped").ok());
  EXPECT_EQ(b->status()->values, 6u);
  auto recent = b->purge_deletes();
  ASSERT_TRUE(recent.ok()) << recent.error().message;
  EXPECT_EQ(*recent, 2u) << "the deleted key's two values; markers stay alone";
  EXPECT_EQ(b->status()->values, 4u);
  auto all = b->purge_deletes(0ms);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, 2u) << "then the markers";
  EXPECT_EQ(b->status()->values, 2u);
  EXPECT_EQ(b->get("kept")->value, "2");
  EXPECT_EQ(b->get("gone").error().code, Errc::key_not_found);
}

TEST_P(KvBucketTest, AMirroredBucketReadsTheSourcesKeysAndRefusesWrites) {
  kv::BucketConfig src;
  src.bucket = unique("KVMSRC");
  src.history = 5;
  auto source = js_->create_key_value(src);
  ASSERT_TRUE(source.ok()) << source.error().message;
  ASSERT_TRUE(source->put("a.b", "one").ok());
  kv::BucketConfig cfg;
  cfg.bucket = unique("KVMIR");
  cfg.mirror = src.bucket;
  auto mirror = js_->create_key_value(cfg);
  ASSERT_TRUE(mirror.ok()) << mirror.error().message;
  // The mirror copies asynchronously: a watch sees the entry once it is there.
  std::mutex mu;
  std::condition_variable cv;
  std::string seen;
  auto w = mirror->watch("a.>", {}, [&](const nats::native::KvEntry &e) {
    std::lock_guard lock(mu);
    seen = e.key + "=" + e.value;
    cv.notify_all();
  });
  ASSERT_TRUE(w.ok()) << w.error().message;
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return !seen.empty(); }));
    EXPECT_EQ(seen, "a.b=one");
  }
  EXPECT_EQ(mirror->get("a.b")->value, "one");
  EXPECT_EQ(mirror->put("a.b", "x").error().code, Errc::illegal_state)
      << "a read replica: writes go to the source";
  EXPECT_EQ(mirror->create("n", "x").error().code, Errc::illegal_state);
  EXPECT_EQ(mirror->status()->stream_info.config.mirror->name, "KV_" + src.bucket);
}

TEST_P(KvBucketTest, PlacementAndRepublishReachTheBucketsStream) {
  kv::BucketConfig cfg;
  cfg.bucket = unique("KVREPUB");
  cfg.republish_json = R"({"src":">","dest":"repub.)" + cfg.bucket + R"(.>"})";
  auto b = js_->create_key_value(cfg);
  ASSERT_TRUE(b.ok()) << b.error().message;
  auto sub = nc_->subscribe("repub." + cfg.bucket + ".>");
  ASSERT_TRUE(sub.ok());
  ASSERT_FALSE(nc_->flush(5s));
  ASSERT_TRUE(b->put("k", "v1").ok());
  auto m = (*sub)->next_msg(5s);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->data, "v1");
  cfg.bucket = unique("KVBADPLACE");
  cfg.republish_json.clear();
  cfg.placement_json = "[1]";
  EXPECT_EQ(js_->create_key_value(cfg).error().code, Errc::invalid_argument)
      << "checked by the core, not dropped";
}

TEST_P(KvBucketTest, AStreamThatKeepsNoHistoryIsNotABucket) {
  const std::string name = unique("NOTKV");
  nats::js::StreamConfig cfg;
  cfg.name = "KV_" + name;
  cfg.subjects = {"$KV." + name + ".>"};
  ASSERT_TRUE(js_->add_stream(cfg).ok());
  auto kv = js_->key_value(name);
  ASSERT_FALSE(kv.ok());
  EXPECT_EQ(kv.error().code, Errc::bad_bucket) << kv.error().message;
  ASSERT_TRUE(js_->delete_stream(cfg.name).ok());
}

INSTANTIATE_TEST_SUITE_P(Transports, KvBucketTest,
                         ::testing::Values(JsTransport::tcp, JsTransport::ws),
                         nats::testing::js_transport_name);

}  // namespace
