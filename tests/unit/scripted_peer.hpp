#pragma once
/// A scripted NATS server for engine unit tests: it feeds server bytes into a
/// nats::Engine, splits what the engine wrote into client ops, and drains
/// events. Nothing here touches a socket or a clock; tests pass time in.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nats/engine.hpp"

namespace nats_test {

/// The INFO a 2.9 server sends, with headers and a 1 MiB max_payload.
inline constexpr std::string_view kInfo =
    "INFO {\"server_id\":\"S\",\"version\":\"2.9.10\",\"proto\":1,\"headers\":true,"
    "\"max_payload\":1048576} \r\n";

/// `INFO <json> \r\n` for a custom INFO body.
inline std::string info_line(std::string_view json) {
  return "INFO " + std::string(json) + " \r\n";
}

/// `MSG <subject> <sid> [reply] <len>\r\n<payload>\r\n`
inline std::string msg(std::string_view subject, std::uint64_t sid, std::string_view payload,
                       std::string_view reply = {}) {
  std::string out = "MSG " + std::string(subject) + " " + std::to_string(sid) + " ";
  if (!reply.empty()) out += std::string(reply) + " ";
  out += std::to_string(payload.size()) + "\r\n";
  out += payload;
  out += "\r\n";
  return out;
}

/// `HMSG <subject> <sid> [reply] <hdr len> <total len>\r\n<headers><payload>\r\n`
inline std::string hmsg(std::string_view subject, std::uint64_t sid, std::string_view headers,
                        std::string_view payload, std::string_view reply = {}) {
  std::string out = "HMSG " + std::string(subject) + " " + std::to_string(sid) + " ";
  if (!reply.empty()) out += std::string(reply) + " ";
  out += std::to_string(headers.size()) + " " + std::to_string(headers.size() + payload.size()) +
         "\r\n";
  out += headers;
  out += payload;
  out += "\r\n";
  return out;
}

/// Splits client output into ops. Control lines lose their CRLF; PUB and
/// HPUB keep their body after the line ("PUB foo 2\r\nhi") so one string
/// compares a whole publish. A truncated tail is kept as-is so a test sees it.
inline std::vector<std::string> split_ops(std::string_view out) {
  std::vector<std::string> ops;
  while (!out.empty()) {
    std::size_t eol = out.find("\r\n");
    if (eol == std::string_view::npos) {
      ops.emplace_back(out);
      break;
    }
    std::string line(out.substr(0, eol));
    out.remove_prefix(eol + 2);
    if (line.rfind("PUB ", 0) == 0 || line.rfind("HPUB ", 0) == 0) {
      std::size_t size = std::stoul(line.substr(line.rfind(' ') + 1));
      line += "\r\n";
      line += out.substr(0, size);
      out.remove_prefix(std::min(out.size(), size + 2));
    }
    ops.push_back(std::move(line));
  }
  return ops;
}

/// "<type> <id>[ <payload>][ <errc>]", e.g. "message 1 hello" or
/// "closed 0 stale_connection". Whole transcripts then compare in one line.
inline std::string summary(const nats::Event &ev) {
  std::string out(nats::event_name(ev.type));
  out += " " + std::to_string(ev.id);
  if (ev.type == nats::EventType::message || ev.type == nats::EventType::request_reply) {
    out += " ";
    out += ev.msg.payload;
  }
  if (ev.error) {
    out += " ";
    out += nats::errc_name(ev.error.code);
  }
  return out;
}

inline std::vector<std::string> summaries(const std::vector<nats::Event> &events) {
  std::vector<std::string> out;
  for (const auto &ev : events) out.push_back(summary(ev));
  return out;
}

/// The server side of one connection, driven by the test.
/// A PUB or HPUB the engine wrote, split into its parts.
struct Published {
  std::string subject, reply, headers, body;
};

/// The PUB/HPUB ops among `ops` (from ScriptedPeer::written()), in order.
inline std::vector<Published> published(const std::vector<std::string> &ops) {
  std::vector<Published> out;
  for (const auto &op : ops) {
    const bool h = op.rfind("HPUB ", 0) == 0;
    if (!h && op.rfind("PUB ", 0) != 0) continue;
    const auto eol = op.find("\r\n");
    std::vector<std::string> t;
    const std::string line = op.substr(0, eol);
    for (std::size_t a = 0, b; a < line.size(); a = b + 1) {
      b = line.find(' ', a);
      if (b == std::string::npos) b = line.size();
      t.push_back(line.substr(a, b - a));
    }
    // PUB <subject> [reply] <size>, HPUB <subject> [reply] <header size> <size>
    const bool has_reply = t.size() == (h ? 5u : 4u);
    Published p{t[1], has_reply ? t[2] : "", "", op.substr(eol + 2)};
    if (h) {
      const auto hl = std::stoul(t[t.size() - 2]);
      p.headers = p.body.substr(0, hl);
      p.body = p.body.substr(hl);
    }
    out.push_back(p);
  }
  return out;
}

class ScriptedPeer {
public:
  explicit ScriptedPeer(nats::Options options = {}) : engine_(std::move(options)) {}

  nats::Engine &engine() { return engine_; }

  /// The time the peer passes with received bytes.
  nats::Time now{0};

  /// Server → client bytes, without draining events (the engine parses
  /// lazily, inside next_event()).
  void send(std::string_view bytes) { engine_.receive(bytes, now); }

  /// connect() + transport_opened() at `at`; drops the transport_open event.
  void open(nats::Time at = nats::Time{0}) {
    now = at;
    engine_.connect(at);
    engine_.transport_opened(at);
    nats::Event ev;
    std::vector<nats::Event> rest;
    while (engine_.next_event(ev)) {
      if (ev.type != nats::EventType::transport_open) rest.push_back(ev);
    }
    held_ = std::move(rest);
  }

  /// Every event available now, transport_open/transport_close included.
  std::vector<nats::Event> all_events() {
    std::vector<nats::Event> out = std::move(held_);
    held_.clear();
    nats::Event ev;
    while (engine_.next_event(ev)) out.push_back(ev);
    return out;
  }

  /// Every event available now but the transport instructions (those are
  /// checked where they are the point). Message views stay valid until the
  /// next send()/feed(), so tests may read payloads from the returned events.
  std::vector<nats::Event> events() {
    std::vector<nats::Event> out;
    for (auto &ev : all_events()) {
      if (ev.type != nats::EventType::transport_open &&
          ev.type != nats::EventType::transport_close) {
        out.push_back(std::move(ev));
      }
    }
    return out;
  }

  /// send() then events().
  std::vector<nats::Event> feed(std::string_view bytes) {
    send(bytes);
    return events();
  }

  /// send() then the transcript of the events it produced.
  std::vector<std::string> feed_summaries(std::string_view bytes) { return summaries(feed(bytes)); }

  /// Client ops written since the last call.
  std::vector<std::string> written() { return split_ops(engine_.take_output()); }

  /// Runs INFO → CONNECT+PING → PONG at `now` and returns the CONNECT JSON.
  /// Clears output and events so tests start from a quiet connected engine.
  std::string handshake(std::string_view info = kInfo, nats::Time at = nats::Time{0}) {
    open(at);
    auto evs = feed(info);
    EXPECT_TRUE(evs.empty()) << "events before the handshake PONG";
    auto ops = written();
    std::string json;
    if (ops.size() == 2 && ops[0].rfind("CONNECT ", 0) == 0 && ops[1] == "PING") {
      json = ops[0].substr(8);
    } else {
      ADD_FAILURE() << "expected CONNECT then PING, got " << ::testing::PrintToString(ops);
    }
    EXPECT_EQ(feed_summaries("PONG\r\n"), std::vector<std::string>{"connected 0"});
    EXPECT_EQ(engine_.state(), nats::State::connected);
    return json;
  }

private:
  nats::Engine engine_;
  std::vector<nats::Event> held_;
};

/// A handshaken peer with one JetStream context, for tests of API calls:
/// what the engine published, and answers to it.
class JsCallTest : public ::testing::Test {
protected:
  void SetUp() override {
    peer_.handshake();
    ctx_ = *peer_.engine().js_context({});
  }
  nats::Engine &engine() { return peer_.engine(); }
  /// The PUB/HPUBs written since the last call.
  std::vector<Published> pubs() { return published(peer_.written()); }
  /// A reply (as MSG) to `reply`, and the events it produced.
  std::vector<nats::Event> answer(const std::string &reply, const std::string &body) {
    return peer_.feed(msg(reply, 1, body));
  }
  ScriptedPeer peer_;
  std::uint64_t ctx_ = 0;
};

}  // namespace nats_test
