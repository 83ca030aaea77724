// Micro services from C++ against a real nats-server: discovery replies,
// queue groups, stats and error replies, a throwing handler, requests
// answered later from other threads (100 at once), streamed replies, and
// stop() waiting for requests in flight.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "nats/native/micro.hpp"
#include "server_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using nats::Errc;
using nats::native::Client;
using nats::testing::NatsServer;
namespace micro = nats::native::micro;
using json = nlohmann::json;

class MicroTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() { server_ = new NatsServer("default.conf"); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    auto c = Client::connect(server_->ws_url());
    ASSERT_TRUE(c.ok()) << c.error().message;
    nc_ = std::move(*c);
  }
  static NatsServer *server_;
  std::unique_ptr<Client> nc_;
};
NatsServer *MicroTest::server_ = nullptr;

std::string unique(const std::string &p) {
  static std::atomic<int> n{0};
  return p + "_" + std::to_string(::getpid()) + "_" + std::to_string(++n);
}

TEST_F(MicroTest, DiscoveryByAllNameAndId) {
  auto name = unique("disc");
  auto svc = micro::Service::add(*nc_, {name, "1.0.0", "d", {{"k", "v"}}, std::nullopt});
  ASSERT_TRUE(svc.ok()) << svc.error().message;
  auto g = micro::Service::add_group("calc");
  ASSERT_TRUE(g.ok());
  ASSERT_FALSE((*svc)->add_endpoint(
      {"add", "", {}, {}}, [](micro::Request r) { r.respond("3"); }, *g));
  for (auto verb : {micro::Verb::ping, micro::Verb::info, micro::Verb::stats}) {
    auto named = micro::discover(*nc_, verb, name);
    ASSERT_TRUE(named.ok()) << named.error().message;
    ASSERT_EQ(named->size(), 1U);
    auto j = json::parse((*named)[0]);
    EXPECT_EQ(j["id"], (*svc)->id());
    EXPECT_EQ(j["metadata"]["k"], "v");
    auto by_id = micro::discover(*nc_, verb, name, (*svc)->id());
    ASSERT_TRUE(by_id.ok());
    EXPECT_EQ(by_id->size(), 1U);
    auto all = micro::discover(*nc_, verb);
    ASSERT_TRUE(all.ok());
    EXPECT_GE(all->size(), 1U);
  }
  auto info = json::parse(micro::discover(*nc_, micro::Verb::info, name)->at(0));
  EXPECT_EQ(info["endpoints"][0]["subject"], "calc.add");
  EXPECT_EQ(info["endpoints"][0]["queue_group"], "q");
  EXPECT_EQ(micro::discover(*nc_, micro::Verb::ping, "", "x").error().code, Errc::invalid_argument);
  EXPECT_EQ(micro::Service::add(*nc_, {"bad name", "1.0.0", "", {}, {}}).error().code,
            Errc::invalid_name);
  EXPECT_FALSE((*svc)->stop());
}

TEST_F(MicroTest, StatsErrorsAndAThrowingHandler) {
  auto svc = micro::Service::add(*nc_, {unique("st"), "1.0.0", "", {}, std::nullopt});
  ASSERT_TRUE(svc.ok());
  auto subject = unique("st");
  ASSERT_FALSE((*svc)->add_endpoint({"e", subject, {}, {}}, [](micro::Request r) {
    std::string what(r.data());
    if (what == "throw") throw std::runtime_error("boom");
    if (what == "err") {
      nats::Headers h;
      h.set("X-Trace", "t");
      r.respond_error("422", "bad input", "detail", &h);
      return;
    }
    if (what == "drop") return;  // never answered: counts, no reply
    r.respond("ok");
  }));
  EXPECT_EQ(nc_->request(subject, "x", 2s)->data, "ok");
  auto thrown = nc_->request(subject, "throw", 2s);
  ASSERT_TRUE(thrown.ok());
  EXPECT_EQ(thrown->headers()->get("Nats-Service-Error-Code"), "500");
  EXPECT_EQ(thrown->headers()->get("Nats-Service-Error"), "boom");
  auto err = nc_->request(subject, "err", 2s);
  ASSERT_TRUE(err.ok());
  EXPECT_EQ(err->data, "detail");
  EXPECT_EQ(err->headers()->get("X-Trace"), "t");
  EXPECT_EQ(nc_->request(subject, "drop", 300ms).error().code, Errc::timeout);
  ASSERT_FALSE((*svc)->stop());
  auto stats = json::parse((*svc)->stats_json());
  auto ep = stats["endpoints"][0];
  EXPECT_EQ(ep["num_requests"], 4);
  EXPECT_EQ(ep["num_errors"], 2);
  EXPECT_EQ(ep["last_error"], "422:bad input");
  EXPECT_GT(ep["processing_time"].get<std::uint64_t>(), 0U);
  (*svc)->reset();
  EXPECT_EQ(json::parse((*svc)->stats_json())["endpoints"][0]["num_requests"], 0);
}

TEST_F(MicroTest, RequestsAnsweredLaterFromOtherThreadsAllInFlight) {
  auto svc = micro::Service::add(*nc_, {unique("conc"), "1.0.0", "", {}, std::nullopt});
  ASSERT_TRUE(svc.ok());
  auto subject = unique("conc");
  std::mutex mu;
  std::condition_variable cv;
  std::vector<micro::Request> held;
  ASSERT_FALSE((*svc)->add_endpoint({"e", subject, {}, {}}, [&](micro::Request r) {
    std::lock_guard lock(mu);
    held.push_back(std::move(r));
    cv.notify_all();
  }));
  std::vector<std::thread> callers;
  std::atomic<int> answered{0};
  for (int i = 0; i < 100; ++i) {
    callers.emplace_back([&, i] {
      auto r = nc_->request(subject, std::to_string(i), 10s);
      if (r.ok() && r->data == std::to_string(i)) ++answered;
    });
  }
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return held.size() == 100; }))
        << "all 100 requests are in flight at once";
  }
  std::thread responder([&] {
    for (auto &r : held) r.respond(r.data());
  });
  responder.join();
  for (auto &t : callers) t.join();
  EXPECT_EQ(answered.load(), 100);
  held.clear();
  EXPECT_EQ(json::parse((*svc)->stats_json())["endpoints"][0]["num_requests"], 100);
  EXPECT_FALSE((*svc)->stop());
}

TEST_F(MicroTest, StreamedRepliesInOrderThenEndOrError) {
  auto svc = micro::Service::add(*nc_, {unique("gen"), "1.0.0", "", {}, std::nullopt});
  ASSERT_TRUE(svc.ok());
  auto subject = unique("gen");
  ASSERT_FALSE((*svc)->add_endpoint({"g", subject, {}, {}}, [](micro::Request r) {
    int n = std::stoi(std::string(r.data()));
    for (int i = 0; i < n; ++i) r.send_chunk("c" + std::to_string(i));
    if (n == 2) {
      r.respond_error("503", "gone");
      return;
    }
    EXPECT_EQ(r.send_chunk("").code, Errc::invalid_argument);
    r.end_stream();
  }));
  auto s = micro::request_stream(*nc_, subject, "200");
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->chunks.size(), 200U);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(s->chunks[i].data, "c" + std::to_string(i));
  EXPECT_FALSE(s->error);
  auto e = micro::request_stream(*nc_, subject, "2");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->chunks.size(), 2U);
  ASSERT_TRUE(e->error);
  EXPECT_EQ(e->error->code, "503");
  EXPECT_EQ(micro::request_stream(*nc_, unique("nobody"), "").error().code, Errc::no_responders);
  EXPECT_FALSE((*svc)->stop());
}

TEST_F(MicroTest, StopWaitsForRequestsInFlight) {
  auto svc = micro::Service::add(*nc_, {unique("stop"), "1.0.0", "", {}, std::nullopt});
  ASSERT_TRUE(svc.ok());
  auto subject = unique("stop");
  std::mutex mu;
  std::condition_variable cv;
  std::optional<micro::Request> held;
  ASSERT_FALSE((*svc)->add_endpoint({"e", subject, {}, {}}, [&](micro::Request r) {
    std::lock_guard lock(mu);
    held.emplace(std::move(r));
    cv.notify_all();
  }));
  std::thread caller([&] { EXPECT_EQ(nc_->request(subject, "", 5s)->data, "late"); });
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 5s, [&] { return held.has_value(); }));
  }
  EXPECT_EQ((*svc)->stop(200ms).code, Errc::timeout) << "a request is still unanswered";
  held->respond("late");
  EXPECT_FALSE((*svc)->stop(2s));
  caller.join();
  EXPECT_TRUE((*svc)->is_stopped());
  EXPECT_EQ((*svc)->add_endpoint({"x", "", {}, {}}, [](micro::Request) {}).code,
            Errc::illegal_state);
  EXPECT_EQ(nc_->request(subject, "", 1s).error().code, Errc::no_responders);
}

TEST_F(MicroTest, AnsweredOnceAndStopFromAHandlerIsRefused) {
  auto svc = micro::Service::add(*nc_, {unique("once"), "1.0.0", "", {}, std::nullopt});
  ASSERT_TRUE(svc.ok());
  auto subject = unique("once");
  std::atomic<int> second_answer{-1};
  std::atomic<int> stop_code{-1};
  auto *service = svc->get();
  ASSERT_FALSE((*svc)->add_endpoint({"e", subject, {}, {}}, [&](micro::Request r) {
    r.respond("first");
    second_answer = static_cast<int>(r.respond_error("500", "late").code);
    stop_code = static_cast<int>(service->stop(100ms).code);
  }));
  auto reply = nc_->request(subject, "", 2s);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->data, "first");
  EXPECT_FALSE(reply->headers()->has("Nats-Service-Error"));
  ASSERT_FALSE(nc_->flush());
  EXPECT_EQ(second_answer.load(), static_cast<int>(Errc::illegal_state));
  EXPECT_EQ(stop_code.load(), static_cast<int>(Errc::illegal_state));
  EXPECT_FALSE((*svc)->stop());
  EXPECT_EQ(json::parse((*svc)->stats_json())["endpoints"][0]["num_errors"], 0);
}

}  // namespace
