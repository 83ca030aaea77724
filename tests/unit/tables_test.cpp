// The tables hosts derive from (errors, states, events) and URL parsing.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "nats/engine.hpp"
#include "nats/state.hpp"
#include "nats/url.hpp"

namespace {

using nats::Errc;
using nats::State;

TEST(ErrorTable, EveryCodeOnceWithNamesAndClasses) {
  std::set<int> codes;
  std::set<std::string> names;
  for (const auto &row : nats::errc_table()) {
    EXPECT_TRUE(codes.insert(static_cast<int>(row.code)).second) << row.name;
    EXPECT_TRUE(names.insert(std::string(row.name)).second) << row.name;
    EXPECT_EQ(nats::errc_name(row.code), row.name);
    EXPECT_FALSE(row.js_class.empty()) << row.name;
    // Python classes are module paths under nats_wasm: errors.X or js.errors.X.
    const std::string py(row.py_class);
    EXPECT_TRUE(py.rfind("errors.", 0) == 0 || py.rfind("js.errors.", 0) == 0) << py;
  }
  EXPECT_EQ(codes.count(0), 0u) << "ok is not an error";
  // The enum has no gaps the table forgot: every value up to the largest
  // named code in each range is in the table.
  for (int c = 1; c <= static_cast<int>(Errc::window_full); ++c) EXPECT_EQ(codes.count(c), 1u) << c;
  for (int c = 32; c <= static_cast<int>(Errc::js_bad_reply); ++c) {
    EXPECT_EQ(codes.count(c), 1u) << c;
  }
}

TEST(ErrorTable, LocalMeansBelow32) {
  EXPECT_TRUE(nats::is_local(Errc::invalid_subject));
  EXPECT_TRUE(nats::is_local(Errc::window_full));
  EXPECT_FALSE(nats::is_local(Errc::protocol_error));
  EXPECT_FALSE(nats::is_local(Errc::ok));
}

TEST(StateTable, MovesAreDataAndIllegalOnesAreRejected) {
  EXPECT_TRUE(nats::legal_move(State::disconnected, State::connecting));
  EXPECT_TRUE(nats::legal_move(State::handshaking, State::connected));
  EXPECT_TRUE(nats::legal_move(State::connected, State::reconnecting));
  EXPECT_TRUE(nats::legal_move(State::reconnecting, State::connecting));
  EXPECT_FALSE(nats::legal_move(State::closed, State::connecting)) << "closed is terminal";
  EXPECT_FALSE(nats::legal_move(State::draining, State::connected));
  EXPECT_FALSE(nats::legal_move(State::disconnected, State::connected));
  // Every state but closed can be closed; closed goes nowhere.
  for (State s : nats::all_states()) {
    if (s == State::closed) continue;
    EXPECT_TRUE(nats::legal_move(s, State::closed)) << nats::state_name(s);
  }
  for (State s : nats::all_states()) EXPECT_FALSE(nats::legal_move(State::closed, s));
  for (const auto &m : nats::state_moves()) EXPECT_NE(m.from, m.to);
}

TEST(StateTable, StatesAndEventsHaveDistinctNames) {
  std::set<std::string> names;
  for (State s : nats::all_states())
    EXPECT_TRUE(names.insert(std::string(nats::state_name(s))).second);
  names.clear();
  int expect = 0;
  for (auto t : nats::all_event_types()) {
    EXPECT_EQ(static_cast<int>(t), expect++) << "event types are listed in numeric order";
    EXPECT_NE(nats::event_name(t), "unknown");
    EXPECT_TRUE(names.insert(std::string(nats::event_name(t))).second);
  }
}

class UrlTest : public ::testing::Test {
protected:
  std::vector<std::string> ws_only{"ws", "wss"};
  std::vector<std::string> native{"nats", "ws"};
};

TEST_F(UrlTest, HostPortTakesTheDefaultScheme) {
  auto u = nats::parse_server_url("127.0.0.1:8080", "ws", ws_only);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->scheme, "ws");
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->str(), "ws://127.0.0.1:8080");
  EXPECT_EQ(u->host_port(), "127.0.0.1:8080");
}

TEST_F(UrlTest, DefaultPortsAndPaths) {
  EXPECT_EQ(nats::parse_server_url("wss://example.com", "ws", ws_only)->port, 443);
  EXPECT_EQ(nats::parse_server_url("ws://example.com", "ws", ws_only)->port, 80);
  EXPECT_EQ(nats::parse_server_url("nats://h", "nats", native)->port, 4222);
  EXPECT_EQ(nats::parse_server_url("tcp://h:1", "nats", native)->scheme, "nats");
  auto p = nats::parse_server_url("ws://h:1/nats/ws", "ws", ws_only);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->path, "/nats/ws");
  EXPECT_EQ(p->str(), "ws://h:1/nats/ws");
  auto v6 = nats::parse_server_url("ws://[::1]:9", "ws", ws_only);
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->str(), "ws://[::1]:9");
}

TEST_F(UrlTest, BadUrlsAreInvalidArgument) {
  for (const char *bad : {"nats://h:1", "ws://", "ws://h:0", "ws://h:70000", "ws://h:x",
                          "ws://u:p@h:1", "ws://h:", "ws://::1:4", "ws://[::1", "ws://a b:1"}) {
    auto u = nats::parse_server_url(bad, "ws", ws_only);
    ASSERT_FALSE(u.ok()) << bad;
    EXPECT_EQ(u.error().code, Errc::invalid_argument) << bad;
    EXPECT_NE(u.error().message.find(bad), std::string::npos) << u.error().message;
  }
}

TEST_F(UrlTest, EngineRejectsBadServerAtConnect) {
  nats::Options o;
  o.servers = {"http://h:1"};
  EXPECT_EQ(nats::validate_options(o).code, Errc::invalid_argument);
  nats::Engine e(o);
  e.connect(nats::Time{0});
  EXPECT_EQ(e.state(), State::closed);
  EXPECT_EQ(e.last_error().code, Errc::invalid_argument);
}

}  // namespace
