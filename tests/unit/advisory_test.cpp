// JetStream advisories: the subject and the kind of each advisory, from the
// shapes nats-server 2.9 publishes.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "nats/jetstream/advisory.hpp"

namespace {

TEST(Advisory, TheKindIsTheLastTokenOfTheType) {
  EXPECT_EQ(nats::js::kAdvisorySubject, "$JS.EVENT.ADVISORY.>");
  auto k = nats::js::advisory_kind(
      R"({"type":"io.nats.jetstream.advisory.v1.stream_action","id":"x","stream":"S","action":"create"})");
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(*k, "stream_action");
  EXPECT_EQ(*nats::js::advisory_kind(R"({"type":"io.nats.jetstream.advisory.v1.api_audit"})"),
            "api_audit");
}

TEST(Advisory, NotAnAdvisoryIsAProtocolError) {
  for (const char *bad : {"", "nope", "[]", R"({"id":"x"})", R"({"type":7})", R"({"type":"a."})"}) {
    auto k = nats::js::advisory_kind(bad);
    ASSERT_FALSE(k.ok()) << bad;
    EXPECT_EQ(k.error().code, nats::Errc::protocol_error) << bad;
  }
}

TEST(Advisory, EveryNatsJsKindOnce) {
  std::set<std::string_view> names, kinds;
  for (const auto &k : nats::js::kAdvisoryKinds) {
    names.insert(k.name);
    kinds.insert(k.kind);
  }
  EXPECT_EQ(names.size(), nats::js::kAdvisoryKinds.size());
  EXPECT_EQ(kinds.size(), nats::js::kAdvisoryKinds.size());
  EXPECT_TRUE(kinds.count("max_deliver"));
}

}  // namespace
