// What the server sends that is not a message: INFO (server pool updates,
// lame duck), -ERR (permissions, fatal errors, refused credentials), PONG
// and PING.
#include <algorithm>

#include "nats/encoder.hpp"
#include "nats/engine.hpp"
#include "nats/server_errors.hpp"

namespace nats {
namespace {

// Inbound messages may exceed max_payload by what the server adds (e.g.
// JetStream headers on a full-size stored message): accept that much more.
constexpr std::size_t kInboundSlack = 64 * 1024;

// ["a:1","b:2"] (host:port strings need no escaping beyond quotes).
std::string json_string_array(const std::vector<std::string> &items) {
  std::string out = "[";
  for (const auto &item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "]";
}

}  // namespace

bool Engine::handle_op(const Op &op, Event &event) {
  switch (op.type) {
    case OpType::msg:
    case OpType::hmsg: return handle_msg(op, event);
    case OpType::ping: encode_pong(out_); return false;
    case OpType::pong: handle_pong(); return false;
    case OpType::ok: return false;
    case OpType::err: handle_err(op.text); return false;
    case OpType::info: handle_info(op.text); return false;
  }
  return false;
}

void Engine::handle_info(std::string_view json) {
  auto parsed = parse_server_info(json);
  if (!parsed) {
    fail(parsed.error());
    return;
  }
  bool was_lame = info_.lame_duck;
  info_ = std::move(*parsed);
  info_json_.assign(json);
  parser_.set_max_payload(std::min(info_.max_payload, options_.max_inbound_payload) +
                          kInboundSlack);
  if (!options_.ignore_cluster_updates) {
    detail::PoolChange change = pool_.update(info_.connect_urls);
    // nats.py: discovered servers are news after the first connect only.
    if (!change.empty() && ever_connected_) {
      Event ev;
      ev.type = EventType::servers_changed;
      ev.text = json_string_array(change.added);
      ev.text2 = json_string_array(change.removed);
      queue(std::move(ev));
    }
  }
  if (state_ == State::awaiting_info) {
    begin_auth();
    return;
  }
  emit(EventType::info, 0);
  if (info_.lame_duck && !was_lame) {
    emit(EventType::lame_duck, 0);
    // Leave before the server goes, for another one when there is one.
    if (state_ == State::connected && options_.allow_reconnect && pool_.has_other()) {
      lost({Errc::connection_lost, "the server entered lame duck mode"});
    }
  }
}

void Engine::handle_err(std::string_view text) {
  ServerErr se = classify_server_error(text);
  Error &err = se.error;
  if (err.code == Errc::permission_violation) {
    if (err.operation == "subscription" && mux_.open() && err.subject == mux_.prefix() + "*") {
      // No reply subscription means no request can ever get a reply.
      subs_.erase(mux_.sid());
      mux_.detach();
      fail_requests(err, nullptr);
    } else if (err.operation == "subscription") {
      for (auto sid : subs_.matching(err.subject, err.queue)) close_subscription(sid, err);
      // A consumer's inbox or deliver subject refused: nothing will come.
      std::vector<std::uint64_t> refused;
      for (const auto &[id, s] : js_.pulls) {
        if (s.sid != 0 && s.inbox == err.subject && s.push_queue == err.queue)
          refused.push_back(id);
      }
      std::sort(refused.begin(), refused.end());
      for (auto id : refused) pull_finish(id, err);
    } else {
      fail_requests(err, &err.subject);
    }
    emit(EventType::error, 0, err);
    return;
  }
  if (!se.fatal) {
    emit(EventType::error, 0, err);
    return;
  }
  if (err.code == Errc::stale_connection && state_ == State::connected) {
    lost(std::move(err));  // the server gave up on us: a reconnect may fix it
    return;
  }
  if (err.code == Errc::authorization_violation && ever_connected_ && options_.allow_reconnect) {
    // Credentials that worked may be refused for a while (a server restarting
    // with its accounts still loading): one refusal is one failed attempt.
    // The same refusal twice in a row is taken as final (nats.js), unless
    // ignore_auth_error_abort.
    if (++auth_errors_in_a_row_ < 2 || options_.ignore_auth_error_abort) {
      emit(EventType::error, 0, err);  // each refusal is reported (nats.py error_cb)
      lost(std::move(err));
      return;
    }
  }
  fail(std::move(err));
}

void Engine::handle_pong() {
  pings_out_ = 0;  // any PONG proves the server is alive
  if (pongs_.empty()) return;
  PongWaiter w = pongs_.front();
  pongs_.pop_front();
  switch (w.kind) {
    case PongFor::handshake: move_to(State::connected); break;
    case PongFor::keepalive: break;
    case PongFor::flush:
      if (flushes_.erase(w.id) != 0) emit(EventType::flush_done, w.id);
      break;
    case PongFor::sub_drain:
      if (subs_.find(w.id) != nullptr) close_subscription(w.id, {});
      break;
    case PongFor::conn_drain: move_to(State::closed); break;
    case PongFor::probe: probe_deadline_.reset(); break;
  }
}

void Engine::send_ping(PongFor kind, std::uint64_t id) {
  encode_ping(out_);
  pongs_.push_back({kind, id});
}

}  // namespace nats
