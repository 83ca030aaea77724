// Parser behaviour that the vector format cannot express: in-place writes,
// view lifetimes, stickiness, changing caps and memory bounds.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "nats/parser.hpp"
#include "vectors.hpp"

namespace nats::test {
namespace {

// A mix of every op type, payloads holding CRLFs, and blanks between args.
const std::string kMixed =
    "INFO {\"server_id\":\"x\",\"max_payload\":1048576} \r\n"
    "+OK\r\n"
    "MSG a.b 1 5\r\nhello\r\n"
    "MSG a.b 1 _INBOX.1 4\r\n\r\n\r\n\r\n"
    "HMSG c 2 18 23\r\nNATS/1.0\r\nk: v\r\n\r\nworld\r\n"
    "HMSG c 2 r 16 16\r\nNATS/1.0 503\r\n\r\n\r\n"
    "PING\r\nPONG\r\n"
    "-ERR 'Stale Connection'\r\n"
    "msg\tx  3\t0\r\n\r\n";

// Drains next() until it wants more bytes; fails the test on a parse error.
void drain(Parser &p, std::vector<OpRecord> &out) {
  Op op;
  while (true) {
    ParseStatus s = p.next(op);
    if (s == ParseStatus::need_more) return;
    ASSERT_EQ(s, ParseStatus::op) << p.error().message;
    OpRecord r;
    r.type = op.type;
    r.sid = op.sid;
    r.subject = std::string(op.subject);
    r.reply = std::string(op.reply);
    r.headers = std::string(op.headers);
    r.payload = std::string(op.payload);
    r.text = std::string(op.text);
    out.push_back(std::move(r));
  }
}

std::vector<std::string> describe_all(const std::vector<OpRecord> &ops) {
  std::vector<std::string> out;
  for (const OpRecord &op : ops) out.push_back(describe(op));
  return out;
}

std::vector<std::string> parse_fed(std::string_view input, std::size_t chunk) {
  Parser p;
  std::vector<OpRecord> ops;
  for (std::size_t pos = 0; pos < input.size(); pos += chunk) {
    p.feed(input.substr(pos, chunk));
    drain(p, ops);
  }
  return describe_all(ops);
}

TEST(Parser, MixedInputParsesToTheExpectedOps) {
  // Anchors the feed() baseline that the other tests compare against.
  std::vector<std::string> ops = parse_fed(kMixed, kMixed.size());
  ASSERT_EQ(ops.size(), 10u);
  EXPECT_EQ(ops[0], "INFO text=\"{\\\"server_id\\\":\\\"x\\\",\\\"max_payload\\\":1048576}\"");
  EXPECT_EQ(
      ops[3],
      "MSG subject=\"a.b\" sid=1 reply=\"_INBOX.1\" headers=\"\" payload[4]=\"\\r\\n\\r\\n\"");
  EXPECT_EQ(ops[4],
            "HMSG subject=\"c\" sid=2 reply=\"\" headers=\"NATS/1.0\\r\\nk: v\\r\\n\\r\\n\" "
            "payload[5]=\"world\"");
  EXPECT_EQ(ops[8], "ERR text=\"Stale Connection\"");
  EXPECT_EQ(ops[9], "MSG subject=\"x\" sid=3 reply=\"\" headers=\"\" payload[0]=\"\"");
}

TEST(Parser, PrepareCommitMatchesFeed) {
  const std::vector<std::string> want = parse_fed(kMixed, kMixed.size());
  for (std::size_t chunk : {1u, 3u, 7u, 64u, 1000u}) {
    Parser p;
    std::vector<OpRecord> ops;
    for (std::size_t pos = 0; pos < kMixed.size(); pos += chunk) {
      std::size_t n = std::min(chunk, kMixed.size() - pos);
      // Ask for more room than is written, as a socket read into a fixed
      // buffer does; commit() must drop the unwritten tail.
      std::span<char> room = p.prepare(n + 13);
      ASSERT_EQ(room.size(), n + 13);
      std::memcpy(room.data(), kMixed.data() + pos, n);
      p.commit(n);
      drain(p, ops);
    }
    EXPECT_EQ(describe_all(ops), want) << "chunk " << chunk;
    EXPECT_EQ(p.buffered(), 0u);
  }
}

TEST(Parser, CommitZeroAddsNothing) {
  Parser p;
  p.feed("PI");
  std::span<char> room = p.prepare(100);
  std::fill(room.begin(), room.end(), 'X');
  p.commit(0);
  EXPECT_EQ(p.buffered(), 2u);
  p.feed("NG\r\n");
  Op op;
  ASSERT_EQ(p.next(op), ParseStatus::op) << p.error().message;
  EXPECT_EQ(op.type, OpType::ping);
}

TEST(Parser, ViewsStayValidAcrossNextUntilFeed) {
  Parser p;
  p.feed(
      "MSG first 1 reply.one 5\r\nhello\r\nHMSG second 2 12 15\r\nNATS/1.0\r\n\r\nabc\r\n"
      "-ERR 'boom'\r\nMSG partial 3 10\r\nabc");
  Op a, b, c, d;
  ASSERT_EQ(p.next(a), ParseStatus::op);
  ASSERT_EQ(p.next(b), ParseStatus::op);
  ASSERT_EQ(p.next(c), ParseStatus::op);
  // A need_more with a partial op pending must not move the buffer either.
  ASSERT_EQ(p.next(d), ParseStatus::need_more);
  EXPECT_EQ(a.subject, "first");
  EXPECT_EQ(a.reply, "reply.one");
  EXPECT_EQ(a.payload, "hello");
  EXPECT_EQ(b.subject, "second");
  EXPECT_EQ(b.headers, "NATS/1.0\r\n\r\n");
  EXPECT_EQ(b.payload, "abc");
  EXPECT_EQ(c.text, "boom");
  // Zero-copy: the views point into one buffer, in input order.
  EXPECT_LT(a.payload.data(), b.subject.data());
  EXPECT_EQ(b.headers.data() + b.headers.size(), b.payload.data());
}

TEST(Parser, ErrorIsSticky) {
  Parser p;
  p.feed("PING\r\nBOGUS op\r\n");
  Op op;
  ASSERT_EQ(p.next(op), ParseStatus::op);
  ASSERT_EQ(p.next(op), ParseStatus::error);
  const Error first = p.error();
  EXPECT_EQ(first.code, Errc::protocol_error);
  EXPECT_NE(first.message.find("BOGUS"), std::string::npos) << first.message;
  EXPECT_FALSE(first.local());

  // Valid input afterwards changes nothing.
  p.feed("PING\r\nMSG a 1 1\r\nx\r\n");
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(p.next(op), ParseStatus::error);
    EXPECT_EQ(p.error().code, first.code);
    EXPECT_EQ(p.error().message, first.message);
  }
}

TEST(Parser, ErrorStaysAfterTheCauseGoesAway) {
  // Re-parsing the same bytes would fail again anyway; raising the cap is
  // what shows the error is remembered rather than recomputed.
  Parser p(Parser::default_max_line, 4);
  p.feed("MSG a 1 5\r\nhello\r\n");
  Op op;
  ASSERT_EQ(p.next(op), ParseStatus::error);
  EXPECT_EQ(p.error().code, Errc::payload_too_large);
  p.set_max_payload(1024);
  p.feed("PING\r\n");
  EXPECT_EQ(p.next(op), ParseStatus::error);
  EXPECT_EQ(p.error().code, Errc::payload_too_large);
}

TEST(Parser, SetMaxPayloadAfterConstruction) {
  Parser p(Parser::default_max_line, 4);
  EXPECT_EQ(p.max_payload(), 4u);
  p.set_max_payload(5);
  EXPECT_EQ(p.max_payload(), 5u);
  p.feed("MSG a 1 5\r\nhello\r\n");
  Op op;
  ASSERT_EQ(p.next(op), ParseStatus::op) << p.error().message;
  EXPECT_EQ(op.payload, "hello");

  // Lowering the cap applies to the next control line.
  p.set_max_payload(4);
  p.feed("MSG a 1 4\r\nhell\r\nMSG a 1 5\r\nhello\r\n");
  ASSERT_EQ(p.next(op), ParseStatus::op) << p.error().message;
  EXPECT_EQ(op.payload, "hell");
  ASSERT_EQ(p.next(op), ParseStatus::error);
  EXPECT_EQ(p.error().code, Errc::payload_too_large);
}

TEST(Parser, DefaultCapsMatchTheDocumentedDefaults) {
  Parser p;
  EXPECT_EQ(p.max_payload(), 1024u * 1024u);
  EXPECT_EQ(Parser::default_max_line, 64u * 1024u);
}

TEST(Parser, BufferedReturnsToZeroAfterACompleteOp) {
  Parser p;
  Op op;
  EXPECT_EQ(p.buffered(), 0u);
  p.feed("MSG foo 1 5\r\nhel");
  EXPECT_EQ(p.next(op), ParseStatus::need_more);
  EXPECT_EQ(p.buffered(), 16u);
  p.feed("lo\r");
  EXPECT_EQ(p.next(op), ParseStatus::need_more);
  EXPECT_EQ(p.buffered(), 19u);
  p.feed("\nPI");
  ASSERT_EQ(p.next(op), ParseStatus::op);
  EXPECT_EQ(p.buffered(), 2u);
  EXPECT_EQ(p.next(op), ParseStatus::need_more);
  p.feed("NG\r\n");
  ASSERT_EQ(p.next(op), ParseStatus::op);
  EXPECT_EQ(op.type, OpType::ping);
  EXPECT_EQ(p.buffered(), 0u);
}

std::string many_small_msgs(int n) {
  std::string stream;
  for (int i = 0; i < n; ++i) {
    std::string payload = "payload-" + std::to_string(i);
    stream += "MSG subject.number." + std::to_string(i % 100) + " 7 " +
              std::to_string(payload.size()) + "\r\n" + payload + "\r\n";
  }
  return stream;
}

TEST(Parser, ReceiveBufferStaysBounded) {
  const std::string stream = many_small_msgs(10000);
  Parser p;
  std::size_t count = 0, max_capacity = 0;
  Op op;
  // 1500-byte chunks, as a network read would give, cutting ops anywhere.
  for (std::size_t pos = 0; pos < stream.size(); pos += 1500) {
    p.feed(std::string_view(stream).substr(pos, 1500));
    ParseStatus s;
    while ((s = p.next(op)) == ParseStatus::op) {
      EXPECT_EQ(op.payload, "payload-" + std::to_string(count));
      ++count;
    }
    ASSERT_EQ(s, ParseStatus::need_more) << p.error().message;
    max_capacity = std::max(max_capacity, p.capacity());
  }
  EXPECT_EQ(count, 10000u);
  EXPECT_EQ(p.buffered(), 0u);
  EXPECT_GT(stream.size(), 64u * 1024u);  // else the bound below proves nothing
  EXPECT_LT(max_capacity, 64u * 1024u);
}

TEST(Parser, ReceiveBufferStaysBoundedWithPrepare) {
  const std::string stream = many_small_msgs(10000);
  Parser p;
  std::size_t count = 0, max_capacity = 0;
  Op op;
  for (std::size_t pos = 0; pos < stream.size(); pos += 1500) {
    std::size_t n = std::min<std::size_t>(1500, stream.size() - pos);
    std::span<char> room = p.prepare(4096);
    std::memcpy(room.data(), stream.data() + pos, n);
    p.commit(n);
    ParseStatus s;
    while ((s = p.next(op)) == ParseStatus::op) ++count;
    ASSERT_EQ(s, ParseStatus::need_more) << p.error().message;
    max_capacity = std::max(max_capacity, p.capacity());
  }
  EXPECT_EQ(count, 10000u);
  EXPECT_EQ(p.buffered(), 0u);
  EXPECT_LT(max_capacity, 64u * 1024u);
}

TEST(Parser, LargePayloadIsNotBoundByMaxLine) {
  Parser p(16, 1 << 20);
  std::string payload(100000, 'z');
  p.feed("MSG a 1 100000\r\n");
  Op op;
  EXPECT_EQ(p.next(op), ParseStatus::need_more);
  // In pieces, to check the payload is not scanned as a control line.
  for (std::size_t pos = 0; pos < payload.size(); pos += 4096) {
    p.feed(std::string_view(payload).substr(pos, 4096));
    if (pos + 4096 < payload.size()) {
      ASSERT_EQ(p.next(op), ParseStatus::need_more) << p.error().message;
    }
  }
  p.feed("\r\n");
  ASSERT_EQ(p.next(op), ParseStatus::op) << p.error().message;
  EXPECT_EQ(op.payload.size(), payload.size());
  EXPECT_EQ(op.payload, payload);
}

TEST(Parser, OverlongLineFailsWithoutCrlf) {
  // A server that never sends CRLF must not make the buffer grow forever.
  Parser p(32, 1024);
  Op op;
  std::string junk(1000, 'a');
  ParseStatus s = ParseStatus::need_more;
  std::size_t fed = 0;
  while (s == ParseStatus::need_more && fed < junk.size()) {
    p.feed(std::string_view(junk).substr(fed, 5));
    fed += 5;
    s = p.next(op);
  }
  EXPECT_EQ(s, ParseStatus::error);
  EXPECT_EQ(p.error().code, Errc::control_line_too_long);
  EXPECT_LE(fed, 40u);
}

TEST(Parser, ErrorMessagesAreUsable) {
  Parser p;
  p.feed("MSG foo 1 five\r\nfive\r\n");
  Op op;
  ASSERT_EQ(p.next(op), ParseStatus::error);
  EXPECT_EQ(p.error().code, Errc::protocol_error);
  EXPECT_FALSE(p.error().message.empty());
  EXPECT_TRUE(static_cast<bool>(p.error()));

  Parser q(Parser::default_max_line, 10);
  q.feed("MSG foo 1 11\r\n");
  ASSERT_EQ(q.next(op), ParseStatus::error);
  EXPECT_EQ(q.error().code, Errc::payload_too_large);
  EXPECT_NE(q.error().message.find("11"), std::string::npos) << q.error().message;
}

}  // namespace
}  // namespace nats::test
