// The bad-input table (tests/bad_input/cases.json, docs/bad-input.md) in C++:
// each case through the engine, which every host shares, must end in its
// typed error and leave nothing broken. Timeouts that only JS numbers can
// express (NaN, Infinity) are checked at the JS boundary instead.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "nats/engine.hpp"
#include "scripted_peer.hpp"

namespace {

using nats::Errc;
using nats::Error;
using nats::State;
using nats::Time;
using nats_test::ScriptedPeer;
using json = nlohmann::json;

json cases() {
  std::ifstream in(NATS_BAD_INPUT_CASES);
  std::stringstream buf;
  buf << in.rdbuf();
  return json::parse(buf.str());
}

// Runs an operation of the table on a connected engine; its error.
Error run_call(nats::Engine &engine, const json &c, const std::string &call) {
  const std::string subject = c.value("subject", "ok");
  if (call == "publish") {
    std::string payload;
    if (c.value("payload", "") == "over_max") payload.assign(engine.max_payload() + 1, 'x');
    if (c.contains("header")) {
      nats::Headers h;
      h.append(c["header"][0], c["header"][1]);
      return engine.publish(subject, payload, "", h);
    }
    return engine.publish(subject, payload);
  }
  if (call == "subscribe") {
    auto r = engine.subscribe(subject, c.value("queue", ""));
    return r ? Error{} : r.error();
  }
  if (call == "request") {
    auto r = engine.request(subject, "", Time{0}, nats::Duration{c.value("timeout", 1000)});
    return r ? Error{} : r.error();
  }
  if (call == "flush") {
    auto r = engine.flush(Time{0});
    return r ? Error{} : r.error();
  }
  if (call == "drain") return engine.drain();
  ADD_FAILURE() << "unknown call " << call;
  return {};
}

TEST(BadInputTable, HasEnoughCases) { EXPECT_GE(cases().size(), 30u); }

TEST(BadInputTable, EveryCaseEndsInItsTypedError) {
  for (const json &c : cases()) {
    const std::string id = c["id"];
    const std::string op = c["op"];
    const std::string errc = c["errc"];
    SCOPED_TRACE(id);
    if (c.contains("timeout") && c["timeout"].is_string()) continue;  // JS numbers only
    if (op == "connect") {
      nats::Options o;
      if (c.contains("url")) o.servers = {c["url"]};
      o.creds = c.value("creds", "");
      o.nkey_seed = c.value("seed", "");
      ScriptedPeer peer(o);
      peer.engine().connect(Time{0});
      EXPECT_EQ(peer.engine().state(), State::closed);
      EXPECT_EQ(nats::errc_name(peer.engine().last_error().code), errc);
      continue;
    }
    nats::Options o;
    // As the JS and Python runs of the table: frames end the connection
    // instead of a reconnect (an authorization error would be retried).
    if (op == "frame") o.allow_reconnect = false;
    ScriptedPeer peer(o);
    peer.handshake();
    if (op == "frame") {
      std::string bytes;
      for (int i = 0; i < c.value("repeat", 1); ++i) bytes += c["bytes"].get<std::string>();
      peer.feed(bytes);
      EXPECT_EQ(peer.engine().state(), State::closed);
      EXPECT_EQ(nats::errc_name(peer.engine().last_error().code), errc)
          << peer.engine().last_error().message;
      continue;
    }
    std::string call = op;
    if (op == "after_close") {
      peer.engine().close();
      call = c["call"];
    } else if (op == "after_drain") {
      ASSERT_FALSE(peer.engine().drain());
      call = c["call"];
    }
    Error e = run_call(peer.engine(), c, call);
    EXPECT_EQ(nats::errc_name(e.code), errc) << e.message;
    EXPECT_FALSE(e.message.empty());
    if (op != "after_close" && op != "after_drain") {
      // A refused call changes nothing: the connection still works.
      EXPECT_EQ(peer.engine().state(), State::connected);
      peer.written();
      EXPECT_FALSE(peer.engine().publish("still.fine", "yes"));
    }
  }
}

}  // namespace
