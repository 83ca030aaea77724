// Offsets: each kind as a deliver policy, the search for the last n of a
// filter checked against a model of a stream, and the engine resolving an
// offset over the API (stream info, count probes, each probe deleted).
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>
#include <vector>

#include "nats/engine.hpp"
#include "nats/jetstream/offset.hpp"
#include "scripted_peer.hpp"

namespace {

using nats::Errc;
using nats::js::ApiOp;
using nats::js::DeliverStart;
using nats::js::FromEndSearch;
using nats::js::Offset;
using json = nlohmann::json;

TEST(Offset, EachKindIsADeliverPolicy) {
  EXPECT_EQ(deliver_start(Offset::beginning(), 1, 10), (DeliverStart{"all", 0, {}}));
  EXPECT_EQ(deliver_start(Offset::end(), 1, 10), (DeliverStart{"new", 0, {}}));
  EXPECT_EQ(deliver_start(Offset::absolute(7), 1, 10), (DeliverStart{"by_start_sequence", 7, {}}));
  EXPECT_EQ(deliver_start(Offset::from_time("2026-01-02T03:04:05Z"), 1, 10),
            (DeliverStart{"by_start_time", 0, "2026-01-02T03:04:05Z"}));
  EXPECT_EQ(deliver_start(Offset::from_end(3), 1, 10), (DeliverStart{"by_start_sequence", 8, {}}));
  EXPECT_EQ(deliver_start(Offset::from_end(30), 5, 10), (DeliverStart{"all", 0, {}}));
  EXPECT_EQ(deliver_start(Offset::from_end(0), 1, 10), (DeliverStart{"new", 0, {}}));
  EXPECT_EQ(deliver_start(Offset::from_end(3), 0, 0), (DeliverStart{"all", 0, {}})) << "empty";
  EXPECT_EQ(deliver_start(Offset::from_end(3), 11, 10), (DeliverStart{"all", 0, {}})) << "purged";
}

TEST(Offset, JsonAndValidation) {
  auto o = nats::js::offset_from_json(R"({"kind":"from_end","value":5})");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(*o, Offset::from_end(5));
  EXPECT_EQ(*nats::js::offset_from_json(nats::js::offset_json(Offset::from_time("t"))),
            Offset::from_time("t"));
  EXPECT_EQ(nats::js::offset_from_json(R"({"kind":"absolute","value":0})").error().code,
            Errc::invalid_argument);
  EXPECT_EQ(nats::js::offset_from_json(R"({"kind":"sideways"})").error().code,
            Errc::invalid_argument);
  EXPECT_EQ(nats::js::offset_from_json(R"({"kind":"from_end","value":-1})").error().code,
            Errc::invalid_argument);
  EXPECT_EQ(nats::js::offset_from_json(R"({"kind":"from_time"})").error().code,
            Errc::invalid_argument);
}

// Runs the search against a stream whose matching sequences are `matches`.
DeliverStart search(const std::vector<std::uint64_t> &matches, std::uint64_t n, std::uint64_t first,
                    std::uint64_t last, int *probes = nullptr) {
  FromEndSearch s(n, first, last);
  int count = 0;
  while (auto p = s.next_probe()) {
    ++count;
    s.on_count(static_cast<std::uint64_t>(
        std::count_if(matches.begin(), matches.end(), [&](auto m) { return m >= *p; })));
  }
  if (probes != nullptr) *probes = count;
  return s.result();
}

TEST(Offset, FromEndSearchFindsTheNthMatchFromTheEnd) {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    const std::uint64_t first = 1 + rng() % 50;
    const std::uint64_t last = first + rng() % 2000;
    std::vector<std::uint64_t> matches;
    for (auto q = first; q <= last; ++q) {
      if (rng() % 3 == 0) matches.push_back(q);
    }
    const std::uint64_t n = 1 + rng() % 40;
    int probes = 0;
    DeliverStart got = search(matches, n, first, last, &probes);
    if (matches.size() <= n) {
      EXPECT_EQ(got.policy, "all");
    } else {
      EXPECT_EQ(got, (DeliverStart{"by_start_sequence", matches[matches.size() - n], {}}))
          << "round " << round;
    }
    EXPECT_LE(probes, 2 + 12) << "a binary search over at most 2050 sequences";
  }
  EXPECT_EQ(search({}, 3, 0, 0).policy, "all");
  EXPECT_EQ(search({4, 9}, 0, 1, 10).policy, "new");
}

class OffsetCallTest : public ::testing::Test {
protected:
  void SetUp() override {
    peer_.handshake();
    ctx_ = *peer_.engine().js_context({});
  }
  // The PUBs written since last asked: {subject, reply, body}.
  std::vector<std::array<std::string, 3>> pubs() {
    std::vector<std::array<std::string, 3>> out;
    for (const auto &op : peer_.written()) {
      if (op.rfind("PUB ", 0) != 0) continue;
      const auto eol = op.find("\r\n");
      std::string line = op.substr(4, eol - 4);
      const auto a = line.find(' ');
      const auto b = line.find(' ', a + 1);
      out.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1), op.substr(eol + 2)});
    }
    return out;
  }
  std::vector<nats::Event> answer(const std::string &reply, const std::string &body) {
    return peer_.feed(nats_test::msg(reply, 1, body));
  }
  nats_test::ScriptedPeer peer_;
  std::uint64_t ctx_ = 0;
};

TEST_F(OffsetCallTest, UnfilteredLastNIsOneStreamInfo) {
  auto id =
      peer_.engine().js_api(ctx_, ApiOp::offset_start,
                            R"({"stream":"S","offset":{"kind":"from_end","value":5}})", peer_.now);
  ASSERT_TRUE(id.ok());
  auto p = pubs();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0][0], "$JS.API.STREAM.INFO.S");
  auto evs = answer(p[0][1], R"({"state":{"messages":100,"first_seq":1,"last_seq":100}})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(json::parse(evs[0].text),
            json({{"deliver_policy", "by_start_sequence"}, {"opt_start_seq", 96}}));
}

TEST_F(OffsetCallTest, FilteredLastNCountsWithProbesAndDeletesEach) {
  // Matches of the filter: every third sequence of 1..300.
  std::vector<std::uint64_t> matches;
  for (std::uint64_t q = 3; q <= 300; q += 3) matches.push_back(q);
  auto id = peer_.engine().js_api(
      ctx_, ApiOp::consumer_create,
      R"({"stream":"S","offset":{"kind":"from_end","value":4},"config":{"durable_name":"g","filter_subject":"t.1","deliver_policy":"all"}})",
      peer_.now);
  ASSERT_TRUE(id.ok());
  auto p = pubs();
  ASSERT_EQ(p.size(), 1u);
  auto evs = answer(p[0][1], R"({"state":{"messages":300,"first_seq":1,"last_seq":300}})");
  int probes = 0;
  for (;;) {
    ASSERT_TRUE(evs.empty());
    p = pubs();
    ASSERT_EQ(p.size(), 1u);
    if (p[0][0] == "$JS.API.CONSUMER.DURABLE.CREATE.S.g" ||
        p[0][0] == "$JS.API.CONSUMER.CREATE.S.g.t.1") {
      auto cfg = json::parse(p[0][2])["config"];
      EXPECT_EQ(cfg["deliver_policy"], "by_start_sequence");
      EXPECT_EQ(cfg["opt_start_seq"], 291) << "the 4th match from the end";
      evs = answer(p[0][1], R"({"name":"g","config":{}})");
      ASSERT_EQ(evs.size(), 1u);
      EXPECT_FALSE(evs[0].error);
      break;
    }
    ASSERT_EQ(p[0][0], "$JS.API.CONSUMER.CREATE.S");
    auto probe = json::parse(p[0][2])["config"];
    EXPECT_EQ(probe["filter_subject"], "t.1");
    EXPECT_EQ(probe["ack_policy"], "none");
    const auto from = probe["opt_start_seq"].get<std::uint64_t>();
    const auto pending =
        std::count_if(matches.begin(), matches.end(), [&](auto m) { return m >= from; });
    evs = answer(
        p[0][1],
        json({{"name", "probe" + std::to_string(++probes)}, {"num_pending", pending}}).dump());
    ASSERT_TRUE(evs.empty());
    p = pubs();
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0][0], "$JS.API.CONSUMER.DELETE.S.probe" + std::to_string(probes));
    evs = answer(p[0][1], R"({"success":true})");
  }
  EXPECT_LE(probes, 11);
  EXPECT_EQ(peer_.engine().js_in_flight(), 0u);
}

TEST_F(OffsetCallTest, MissingStreamFailsTyped) {
  ASSERT_TRUE(peer_.engine()
                  .js_api(ctx_, ApiOp::offset_start, R"({"stream":"NO","offset":{"kind":"end"}})",
                          peer_.now)
                  .ok());
  auto p = pubs();
  auto evs = answer(p[0][1],
                    R"({"error":{"code":404,"err_code":10059,"description":"stream not found"}})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.err_code, 10059);
  EXPECT_EQ(peer_.engine()
                .js_api(ctx_, ApiOp::offset_start, R"({"stream":"S","offset":{"kind":"absolute"}})",
                        peer_.now)
                .error()
                .code,
            Errc::invalid_argument);
}

TEST_F(OffsetCallTest, ConsumerGroupsAreDurablePullConsumersWithLag) {
  ASSERT_TRUE(
      peer_.engine().js_api(ctx_, ApiOp::consumer_groups, R"({"stream":"S"})", peer_.now).ok());
  auto p = pubs();
  EXPECT_EQ(p[0][0], "$JS.API.CONSUMER.LIST.S");
  auto evs = answer(p[0][1], R"({"total":3,"offset":0,"limit":256,"consumers":[
    {"name":"g","config":{"durable_name":"g","filter_subject":"t.0"},"ack_floor":{"stream_seq":40},
     "delivered":{"stream_seq":45},"num_pending":10,"num_ack_pending":5},
    {"name":"eph","config":{},"num_pending":1},
    {"name":"push","config":{"durable_name":"push","deliver_subject":"x"}}]})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(json::parse(evs[0].text)["groups"],
            json::parse(R"([{"name":"g","filter":"t.0","committed":40,"delivered":45,"pending":10,
                             "ack_pending":5,"lag":15}])"));
}

}  // namespace
