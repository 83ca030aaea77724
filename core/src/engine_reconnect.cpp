// Staying connected: what a lost connection ends and what it keeps, the
// attempts at the servers of the pool with their backoff, and how the
// session resumes on the new connection (subscriptions, the reconnect
// buffer, JetStream publishes with a msg id, consumers, flushes).
#include <algorithm>

#include "nats/encoder.hpp"
#include "nats/engine.hpp"

namespace nats {

bool Engine::wire_up() const {
  // In a reconnect's handshake the session's subscriptions are not back
  // yet: what the user does then waits behind them, in reconnect_buf_.
  if (state_ == State::handshaking) return !ever_connected_;
  return state_ == State::connected || state_ == State::draining;
}

Error Engine::check_buffer(std::size_t bytes) const {
  if (wire_up()) return {};
  if (reconnect_buf_.size() + bytes > options_.reconnect_buffer_size) {
    return {Errc::outbound_buffer_full, "reconnecting: the reconnect buffer (" +
                                            std::to_string(options_.reconnect_buffer_size) +
                                            " bytes) is full"};
  }
  return {};
}

void Engine::lost(Error why) {
  if (state_ == State::closed) return;
  if (state_ == State::draining) {
    fail(std::move(why));  // a drain ends in close, whatever happens
    return;
  }
  const bool was_connected = state_ == State::connected;
  if (!ever_connected_) {
    // The first connect tries each given server once (or keeps trying with
    // wait_on_first_connect); then it fails with why the last one failed.
    pool_.failed(now_, false);
    ++first_failures_;
    const bool more = options_.wait_on_first_connect ? options_.allow_reconnect
                                                     : first_failures_ < options_.servers.size();
    if (!more) {
      fail(std::move(why));
      return;
    }
    last_error_ = why;
    move_to(State::reconnecting);
    return;
  }
  if (!options_.allow_reconnect) {
    fail(std::move(why));
    return;
  }
  pool_.failed(now_, was_connected);
  if (was_connected) {
    attempts_ = 0;
    drop_in_flight();
    emit(EventType::disconnected, 0, why, pool_.servers().back().url.str());
  }
  last_error_ = why;
  move_to(State::reconnecting);
}

void Engine::drop_in_flight() {
  // Requests and API calls sent on the lost connection may or may not have
  // been served: they fail now rather than time out later. A JetStream
  // publish with a msg id is the exception: the server dedupes it, so it is
  // sent again on the new connection.
  const Error gone{Errc::connection_lost, "the connection was lost while waiting for the reply"};
  for (auto id : mux_.ids()) {
    const detail::MuxEntry *r = mux_.find(id);
    if (r->owner == detail::RequestOwner::internal) {
      auto t = js_.by_mux.find(id);
      if (t != js_.by_mux.end() && t->second.kind == detail::JsMuxTarget::Kind::publish) {
        auto pub = js_.pubs.find(t->second.id);
        if (pub != js_.pubs.end() && pub->second.resend) continue;
      }
      mux_.remove(id);
      js_on_failed(id, gone);
    } else {
      mux_.remove(id);
      emit(EventType::request_failed, id, gone);
    }
  }
  // A subscription being drained got its UNSUB through or lost it with the
  // connection: either way nothing more comes for it.
  for (auto sid : subs_.sids()) {
    const detail::SubEntry *sub = subs_.find(sid);
    if (sub->draining && sub->owner == detail::SubOwner::user) close_subscription(sid, {});
  }
  // A fetch ends with what it got; a consume pulls again once reconnected.
  std::vector<std::uint64_t> pulls;
  for (const auto &[id, p] : js_.pulls) pulls.push_back(id);
  std::sort(pulls.begin(), pulls.end());
  for (auto id : pulls) {
    auto &s = js_.pulls.at(id);
    if (s.options.mode == js::PullMode::consume || s.options.mode == js::PullMode::push) {
      s.pending_msgs = 0;
      s.pending_bytes = 0;
    } else {
      pull_finish(id, {});
    }
  }
}

void Engine::schedule_attempt() {
  auto at = pool_.next(now_, backoff_);
  if (!at) {
    attempt_at_.reset();
    Error e{Errc::no_servers, "no server could be reached"};
    if (last_error_) e.message += " (last: " + last_error_.message + ")";
    fail(std::move(e));
    return;
  }
  attempt_at_ = *at;
}

void Engine::attempt() {
  attempt_at_.reset();
  ++attempts_;
  // Every attempt after the first connection's is reported, first connect
  // or reconnect: nats.py tells error_cb of every failed attempt.
  Event ev;
  ev.type = EventType::reconnecting;
  ev.text = pool_.current().url.str();
  ev.num = attempts_;
  // Why the attempt before this one failed. The first one of an outage
  // follows the disconnect, which said why already; during the first
  // connect every attempt here follows a failed one.
  if (attempts_ > 1 || !ever_connected_) ev.error = last_error_;
  queue(std::move(ev));
  if (options_.connect_timeout.count() > 0) connect_deadline_ = now_ + options_.connect_timeout;
  move_to(State::connecting);
}

void Engine::resume_session() {
  // After CONNECT's PONG: the subscriptions first (with what is left of an
  // auto-unsubscribe), then what waited in the reconnect buffer, in order.
  for (auto sid : subs_.sids()) {
    const detail::SubEntry *sub = subs_.find(sid);
    encode_sub(out_, sub->subject, sub->queue, sid);
    if (sub->max > 0) encode_unsub(out_, sid, sub->max - std::min(sub->max, sub->delivered));
  }
  out_ += reconnect_buf_;
  reconnect_buf_.clear();
  // JetStream publishes with a msg id that were in flight, again.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> resend;  // mux id, pub id
  for (const auto &[mux_id, t] : js_.by_mux) {
    if (t.kind != detail::JsMuxTarget::Kind::publish) continue;
    auto pub = js_.pubs.find(t.id);
    if (pub != js_.pubs.end() && pub->second.resend && mux_.find(mux_id) != nullptr) {
      resend.emplace_back(mux_id, t.id);
    }
  }
  std::sort(resend.begin(), resend.end(),
            [](const auto &a, const auto &b) { return a.second < b.second; });
  for (const auto &[mux_id, pub_id] : resend) {
    const auto &p = js_.pubs.at(pub_id);
    write_publish(p.subject, p.payload, mux_.prefix() + std::to_string(mux_id), p.headers);
  }
  // Flushes waiting since before: their PONGs went with the old connection.
  std::vector<std::uint64_t> flush_ids;
  for (const auto &[id, f] : flushes_) flush_ids.push_back(id);
  std::sort(flush_ids.begin(), flush_ids.end());
  for (auto id : flush_ids) send_ping(PongFor::flush, id);
  // Consumers: pull again; ordered ones start over from their next message.
  std::vector<std::uint64_t> pulls;
  for (const auto &[id, p] : js_.pulls) pulls.push_back(id);
  std::sort(pulls.begin(), pulls.end());
  for (auto id : pulls) {
    auto it = js_.pulls.find(id);
    if (it == js_.pulls.end()) continue;
    it->second.heartbeat_deadline = now_ + 2 * it->second.options.idle_heartbeat;
    it->second.heartbeats_missed = 0;
    if (it->second.ordered != 0) {
      ordered_reset(id);
    } else if (it->second.options.mode == js::PullMode::push) {
      push_flow_control(id);  // replies held while down, if consumed meanwhile
    } else {
      pull_refill(id);
    }
  }
}

Error Engine::reconnect(Time now) {
  now_ = now;
  if (state_ == State::closed) return check_usable(true);
  if (state_ != State::connected) return {Errc::not_connected, "not connected"};
  if (!options_.allow_reconnect) {
    return {Errc::illegal_state, "reconnecting is not allowed (allow_reconnect is off)"};
  }
  lost({Errc::connection_lost, "reconnect requested"});
  return {};
}

void Engine::set_online(bool online, Time now) {
  now_ = now;
  const bool was = online_;
  online_ = online;
  if (online && !was && state_ == State::reconnecting) attempt_at_ = now;  // at once
  if (online && !was && state_ == State::connected) check_connection(now, Duration{2000});
}

void Engine::check_connection(Time now, Duration timeout) {
  now_ = now;
  if (state_ == State::reconnecting) {
    if (online_) attempt_at_ = now;
    return;
  }
  if (state_ != State::connected || probe_deadline_) return;
  send_ping(PongFor::probe, 0);
  probe_deadline_ = now + timeout;
}

Error Engine::set_servers(const std::vector<std::string> &urls) {
  if (state_ == State::closed) return {Errc::connection_closed, "the connection is closed"};
  if (urls.empty()) return {Errc::invalid_argument, "servers cannot be empty"};
  std::vector<ServerUrl> given;
  for (const auto &u : urls) {
    auto url = parse_server_url(u, options_.default_scheme, options_.schemes);
    if (!url) return url.error();
    given.push_back(std::move(*url));
  }
  pool_.replace(std::move(given), !options_.no_randomize);
  return {};
}

}  // namespace nats
