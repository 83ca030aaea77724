// Integration tests: KeyValue::purge_deletes against a real nats-server 2.9
// (markers cleared, recent ones kept alone, values never touched).
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "jetstream_fixture.hpp"
#include "nats/native/kv.hpp"

namespace {

using namespace std::chrono_literals;
using nats::Errc;
using nats::testing::JsTransport;
namespace kv = nats::js::kv;

class KvPurgeTest : public nats::testing::JetStreamFixture {};

TEST_P(KvPurgeTest, PurgeDeletesClearsMarkersAndNeverAValue) {
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

INSTANTIATE_TEST_SUITE_P(Transports, KvPurgeTest,
                         ::testing::Values(JsTransport::tcp, JsTransport::ws),
                         nats::testing::js_transport_name);

}  // namespace
