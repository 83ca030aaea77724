// Runs every protocol vector in tests/vectors under every split strategy.

#include <gtest/gtest.h>

#include <cstddef>
#include <numeric>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "vectors.hpp"

namespace nats::test {
namespace {

/// One test case: a vector and the way its input is cut.
struct VectorCase {
  const Vector *vector = nullptr;
  Split split;
};

// Keeps gtest from dumping the raw bytes of a failing parameter.
void PrintTo(const VectorCase &c, std::ostream *os) {
  *os << c.vector->name << " (" << c.split.name() << ")";
}

std::vector<VectorCase> all_cases() {
  std::vector<VectorCase> out;
  for (const Vector &v : all_vectors().vectors) {
    for (const Split &s : all_splits()) out.push_back({&v, s});
  }
  return out;
}

class VectorTest : public ::testing::TestWithParam<VectorCase> {};

TEST_P(VectorTest, GivesExpectedOpsAndError) {
  const Vector &v = *GetParam().vector;
  const Split &split = GetParam().split;
  SCOPED_TRACE(v.name + ": " + v.description);
  RunResult got = run_vector(v, split);

  std::size_t common = std::min(got.ops.size(), v.expect.size());
  for (std::size_t i = 0; i < common; ++i) {
    const ExpectedOp &want = v.expect[i];
    EXPECT_EQ(describe(got.ops[i], want.payload_size.has_value()), describe(want)) << "op #" << i;
  }
  for (std::size_t i = common; i < got.ops.size(); ++i) {
    ADD_FAILURE() << "unexpected op #" << i << ": " << describe(got.ops[i]);
  }
  for (std::size_t i = common; i < v.expect.size(); ++i) {
    ADD_FAILURE() << "missing op #" << i << ": " << describe(v.expect[i]);
  }

  EXPECT_EQ(got.error, v.error) << "message: " << got.error_message;
  if (!v.error.empty()) {
    EXPECT_FALSE(got.error_message.empty());
    EXPECT_TRUE(got.sticky) << "next() stopped repeating the error";
    return;
  }

  // Without an error the input ends in need_more, and what stays buffered
  // must be just the incomplete op at the end: the same amount whatever the
  // split, and unable to produce an op on its own.
  EXPECT_EQ(got.buffered, run_vector(v, Split{SplitKind::whole, 0}).buffered);
  ASSERT_LE(got.buffered, v.input.size());
  Parser rest(v.max_line, v.max_payload);
  rest.feed(std::string_view(v.input).substr(v.input.size() - got.buffered));
  Op op;
  EXPECT_EQ(rest.next(op), ParseStatus::need_more) << "a complete op was left buffered";
}

std::string case_name(const ::testing::TestParamInfo<VectorCase> &info) {
  // gtest allows only [A-Za-z0-9_] here, so "__" stands for "/".
  return info.param.vector->name + "__" + info.param.split.name();
}

INSTANTIATE_TEST_SUITE_P(Vectors, VectorTest, ::testing::ValuesIn(all_cases()), case_name);

TEST(VectorFiles, AllLoad) {
  for (const std::string &e : all_vectors().errors) ADD_FAILURE() << e;
}

TEST(VectorFiles, AtLeastThirty) { EXPECT_GE(all_vectors().vectors.size(), 30u); }

TEST(VectorFiles, CoverEveryOpTypeAndErrorKind) {
  // A guard against the vector set silently losing a whole area.
  std::vector<int> seen(7, 0);
  bool line_too_long = false, payload_too_large = false, protocol_error = false;
  for (const Vector &v : all_vectors().vectors) {
    for (const ExpectedOp &e : v.expect) ++seen[static_cast<std::size_t>(e.op.type)];
    line_too_long |= v.error == "control_line_too_long";
    payload_too_large |= v.error == "payload_too_large";
    protocol_error |= v.error == "protocol_error";
  }
  for (std::size_t t = 0; t < seen.size(); ++t) {
    EXPECT_GT(seen[t], 0) << "no vector expects " << op_name(static_cast<OpType>(t));
  }
  EXPECT_TRUE(line_too_long);
  EXPECT_TRUE(payload_too_large);
  EXPECT_TRUE(protocol_error);
}

TEST(VectorLoader, DecodesCodePointsAsBytes) {
  Vector v = parse_vector(
      R"({"description": "d", "input": "a\u0000\u007f\u0080\u00ff\r\n", "expect": []})", "x");
  EXPECT_EQ(v.input, std::string("a\0\x7f\x80\xff\r\n", 7));
}

TEST(VectorLoader, RejectsCodePointsAbove255) {
  EXPECT_THROW(parse_vector(R"({"description": "d", "input": "\u0100", "expect": []})", "x"),
               std::runtime_error);
  EXPECT_THROW(parse_vector(R"({"description": "d", "input": "\u20ac", "expect": []})", "x"),
               std::runtime_error);
  EXPECT_THROW(parse_vector(R"({"description": "d", "input": "\ud83d\ude00", "expect": []})", "x"),
               std::runtime_error);
}

TEST(VectorLoader, ExpandsInputRepeat) {
  Vector v = parse_vector(
      R"({"description": "d", "input": "ab", "input_repeat": {"text": "xy", "count": 3},
          "expect": []})",
      "x");
  EXPECT_EQ(v.input, "abxyxyxy");
}

TEST(VectorLoader, RejectsTyposAndBadFields) {
  // Unknown key in an op.
  EXPECT_THROW(parse_vector(R"({"description": "d", "input": "",
                  "expect": [{"op": "MSG", "subject": "s", "sid": 1, "payload_sise": 3}]})",
                            "x"),
               std::runtime_error);
  // Unknown op, unknown error name, negative sid, both payload forms.
  EXPECT_THROW(parse_vector(R"({"description": "d", "input": "", "expect": [{"op": "PIN"}]})", "x"),
               std::runtime_error);
  EXPECT_THROW(parse_vector(R"({"description": "d", "input": "", "expect": [],
                               "error": "protocol_eror"})",
                            "x"),
               std::runtime_error);
  EXPECT_THROW(parse_vector(R"({"description": "d", "input": "",
                  "expect": [{"op": "MSG", "subject": "s", "sid": -1, "payload": ""}]})",
                            "x"),
               std::runtime_error);
  EXPECT_THROW(parse_vector(R"({"description": "d", "input": "",
                  "expect": [{"op": "MSG", "subject": "s", "sid": 1, "payload": "",
                              "payload_size": 0}]})",
                            "x"),
               std::runtime_error);
}

TEST(SplitStrategies, CoverTheInputExactly) {
  for (const Split &s : all_splits()) {
    for (std::size_t n : {0u, 1u, 17u, 5000u}) {
      std::vector<std::size_t> sizes = chunk_sizes(n, s);
      EXPECT_EQ(std::accumulate(sizes.begin(), sizes.end(), std::size_t{0}), n) << s.name();
      for (std::size_t len : sizes) EXPECT_GT(len, 0u) << s.name();
    }
  }
  EXPECT_EQ(chunk_sizes(5, {SplitKind::bytewise, 0}).size(), 5u);
  EXPECT_EQ(chunk_sizes(5, {SplitKind::whole, 0}).size(), 1u);
  // Different seeds must give different cuts, or the extra seeds test nothing.
  EXPECT_NE(chunk_sizes(5000, {SplitKind::random, 1}), chunk_sizes(5000, {SplitKind::random, 7}));
}

}  // namespace
}  // namespace nats::test
