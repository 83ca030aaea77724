// NATS/1.0 header blocks: building, encoding, parsing and validation.

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "nats/headers.hpp"

namespace nats {
namespace {

using Values = std::vector<std::string_view>;

TEST(Headers, EmptyEncodesToTheBareVersionLine) {
  Headers h;
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.encode(), "NATS/1.0\r\n\r\n");
  EXPECT_FALSE(h.validate());
}

TEST(Headers, EncodeWritesEntriesInInsertionOrder) {
  Headers h;
  h.append("B", "2");
  h.append("A", "1");
  h.append("B", "3");
  EXPECT_FALSE(h.empty());
  EXPECT_EQ(h.encode(), "NATS/1.0\r\nB: 2\r\nA: 1\r\nB: 3\r\n\r\n");
}

TEST(Headers, RoundTripKeepsEverything) {
  Headers h;
  h.status = 408;
  h.description = "Request Timeout";
  h.append("Nats-Msg-Id", "abc-123");
  h.append("X-Multi", "one");
  h.append("x-multi", "case differs");
  h.append("X-Multi", "two: with colon");
  h.append("Empty", "");
  ASSERT_FALSE(h.validate());
  Result<Headers> back = Headers::parse(h.encode());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->status, 408);
  EXPECT_EQ(back->description, "Request Timeout");
  EXPECT_EQ(back->entries(), h.entries());
  EXPECT_EQ(back->encode(), h.encode());
}

TEST(Headers, MultiValuedKeysKeepOrder) {
  Headers h;
  h.append("A", "1");
  h.append("B", "x");
  h.append("A", "2");
  h.append("A", "3");
  EXPECT_EQ(h.values("A"), (Values{"1", "2", "3"}));
  EXPECT_EQ(h.get("A"), "1");
  EXPECT_EQ(h.values("B"), (Values{"x"}));
  EXPECT_TRUE(h.values("C").empty());
  EXPECT_EQ(h.get("C"), "");
  EXPECT_TRUE(h.has("B"));
  EXPECT_FALSE(h.has("C"));
}

TEST(Headers, LookupsAreCaseSensitive) {
  Headers h;
  h.append("Key", "v");
  EXPECT_TRUE(h.has("Key"));
  EXPECT_FALSE(h.has("key"));
  EXPECT_EQ(h.get("KEY"), "");
}

TEST(Headers, SetReplacesAllValues) {
  Headers h;
  h.append("A", "1");
  h.append("B", "x");
  h.append("A", "2");
  h.set("A", "new");
  EXPECT_EQ(h.values("A"), (Values{"new"}));
  EXPECT_EQ(h.values("B"), (Values{"x"}));
  h.set("C", "added");
  EXPECT_EQ(h.get("C"), "added");
  EXPECT_EQ(h.entries().size(), 3u);
}

TEST(Headers, EraseRemovesEveryValueAndCounts) {
  Headers h;
  h.append("A", "1");
  h.append("B", "x");
  h.append("A", "2");
  EXPECT_EQ(h.erase("A"), 2u);
  EXPECT_FALSE(h.has("A"));
  EXPECT_EQ(h.erase("A"), 0u);
  EXPECT_EQ(h.erase("b"), 0u);
  EXPECT_EQ(h.erase("B"), 1u);
  EXPECT_TRUE(h.empty());
}

TEST(Headers, StatusWithDescription) {
  Headers h;
  h.status = 503;
  h.description = "No Responders";
  EXPECT_EQ(h.encode(), "NATS/1.0 503 No Responders\r\n\r\n");
  EXPECT_FALSE(h.empty());

  Result<Headers> r = Headers::parse(
      "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 12\r\nNats-Last-Stream: 40\r\n\r\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 100);
  EXPECT_EQ(r->description, "Idle Heartbeat");
  EXPECT_EQ(r->get("Nats-Last-Consumer"), "12");
  EXPECT_EQ(r->get("Nats-Last-Stream"), "40");
}

TEST(Headers, StatusOnly) {
  Headers h;
  h.status = 503;
  EXPECT_EQ(h.encode(), "NATS/1.0 503\r\n\r\n");
  Result<Headers> r = Headers::parse("NATS/1.0 503\r\n\r\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->description, "");
  EXPECT_TRUE(r->entries().empty());
  EXPECT_FALSE(r->empty());
}

TEST(Headers, ParseTrimsBlanksAroundKeysAndValues) {
  Result<Headers> r = Headers::parse("NATS/1.0\r\nA:1\r\nB :\t two words \r\nC: x:y\r\n\r\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 0);
  EXPECT_EQ(r->get("A"), "1");
  EXPECT_EQ(r->get("B"), "two words");
  // Only the first colon separates key and value.
  EXPECT_EQ(r->get("C"), "x:y");
}

TEST(Headers, ParseKeepsRepeatedKeysInOrder) {
  Result<Headers> r = Headers::parse("NATS/1.0\r\nA: 1\r\nB: x\r\nA: 2\r\n\r\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->values("A"), (Values{"1", "2"}));
  ASSERT_EQ(r->entries().size(), 3u);
  EXPECT_EQ(r->entries()[1].first, "B");
}

TEST(Headers, ParseRejectsMalformedBlocks) {
  for (std::string_view bad : {
           std::string_view(""),                      // nothing
           std::string_view("NATS/1.0"),              // no CRLF at all
           std::string_view("NATS/1.0\r\n"),          // no blank line
           std::string_view("NATS/1.0\r\nk: v\r\n"),  // no blank line
           std::string_view("HTTP/1.0\r\n\r\n"),      // wrong protocol
           std::string_view("NATS/1.1\r\n\r\n"),      // wrong version
           std::string_view("nats/1.0\r\n\r\n"),      // the version is case-sensitive
           std::string_view("NATS/1.0\r\nno colon\r\n\r\n"),
           std::string_view("NATS/1.0\r\n: no key\r\n\r\n"),
           std::string_view("NATS/1.0\r\nk: v\r\n\r\n\r\n"),  // an empty header line
           std::string_view("NATS/1.0 50\r\n\r\n"),           // status of 2 digits
           std::string_view("NATS/1.0 5031\r\n\r\n"),         // status of 4 digits
           std::string_view("NATS/1.0 abc\r\n\r\n"),          // status not a number
       }) {
    Result<Headers> r = Headers::parse(bad);
    EXPECT_FALSE(r.ok()) << "accepted: '" << bad << "'";
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, Errc::bad_header_block);
      EXPECT_FALSE(r.error().message.empty());
    }
  }
}

TEST(Headers, HeaderStatus) {
  EXPECT_EQ(header_status("NATS/1.0 503\r\n\r\n"), 503);
  EXPECT_EQ(header_status("NATS/1.0 503 No Responders\r\n\r\n"), 503);
  EXPECT_EQ(header_status("NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Stream: 1\r\n\r\n"), 100);
  EXPECT_EQ(header_status("NATS/1.0 408 Request Timeout\r\n"), 408);
  EXPECT_EQ(header_status("NATS/1.0\r\nStatus: 503\r\n\r\n"), 0);  // a key, not the status
  EXPECT_EQ(header_status("NATS/1.0\r\n\r\n"), 0);
}

TEST(Headers, HeaderStatusOfMalformedBlocksIsZero) {
  EXPECT_EQ(header_status(""), 0);
  EXPECT_EQ(header_status("NATS/1.0 503"), 0);  // no CRLF
  EXPECT_EQ(header_status("HTTP/1.1 503\r\n\r\n"), 0);
  EXPECT_EQ(header_status("NATS/1.0 50\r\n\r\n"), 0);
  EXPECT_EQ(header_status("NATS/1.0 5030\r\n\r\n"), 0);
  EXPECT_EQ(header_status("NATS/1.0 abc\r\n\r\n"), 0);
  EXPECT_EQ(header_status("NATS/1.0 50x Bad\r\n\r\n"), 0);
}

TEST(Headers, ValidateRejectsBadKeys) {
  for (const std::string &key :
       std::vector<std::string>{"", "a:b", "a b", "a\tb", "a\r\nb", "a\rb", "a\nb", " lead",
                                "trail ", std::string("nul\0", 4), "del\x7f"}) {
    Headers h;
    h.append("Good", "v");
    h.append(key, "v");
    Error e = h.validate();
    EXPECT_EQ(e.code, Errc::invalid_header) << "key accepted: '" << key << "'";
    EXPECT_TRUE(e.local());
    EXPECT_FALSE(e.message.empty());
  }
}

TEST(Headers, ValidateRejectsValuesWithCrOrLf) {
  for (std::string value : {"a\r\nb", "a\rb", "a\nb", "\n", "end\r"}) {
    Headers h;
    h.append("Key", value);
    Error e = h.validate();
    EXPECT_EQ(e.code, Errc::invalid_header) << "value accepted";
    EXPECT_NE(e.message.find("Key"), std::string::npos) << e.message;
  }
}

TEST(Headers, ValidateChecksStatusAndDescription) {
  Headers h;
  h.status = 1000;
  EXPECT_EQ(h.validate().code, Errc::invalid_header);
  h.status = -1;
  EXPECT_EQ(h.validate().code, Errc::invalid_header);
  h.status = 503;
  h.description = "No\r\nResponders";
  EXPECT_EQ(h.validate().code, Errc::invalid_header);
  h.description = "No Responders";
  EXPECT_FALSE(h.validate());
}

TEST(Headers, ValidateAcceptsOrdinaryEntries) {
  Headers h;
  h.append("Nats-Msg-Id", "x1");
  h.append("Content-Type", "application/json; charset=utf-8");
  h.append("Colon-In-Value", "a:b");
  h.append("Tab-In-Value", "a\tb");
  h.append("Empty-Value", "");
  EXPECT_FALSE(h.validate()) << h.validate().message;
}

}  // namespace
}  // namespace nats

TEST(HeaderKeys, CanonicalFormAsNatsJs) {
  EXPECT_EQ(*nats::canonical_header_key("content-type"), "Content-Type");
  EXPECT_EQ(*nats::canonical_header_key("CONTENT-TYPE"), "Content-Type");
  EXPECT_EQ(*nats::canonical_header_key("-a-"), "-A-");
  EXPECT_EQ(*nats::canonical_header_key("x_y"), "X_y");
  EXPECT_EQ(*nats::canonical_header_key(""), "");
  EXPECT_EQ(nats::canonical_header_key("has space").error().code, nats::Errc::invalid_header);
  EXPECT_EQ(nats::canonical_header_key("a:b").error().code, nats::Errc::invalid_header);
}
