// Pull sessions over time: lost heartbeats, requests the server let expire,
// and recovery (asking again, looking the consumer up, backing off). The
// sessions themselves are engine_pull.cpp's.
#include <algorithm>
#include <vector>

#include "nats/engine.hpp"
#include "nats/jetstream/types.hpp"  // json_quote

namespace nats {

void Engine::pull_recover(std::uint64_t id) {
  auto &s = js_.pulls.at(id);
  if (s.options.mode == js::PullMode::push) return;  // nothing to ask again: notified only
  if (s.ordered != 0) {
    ordered_reset(id);  // recreate from where we are: the server may have lost it
    return;
  }
  if (s.options.bind) {
    s.pending_msgs = 0;
    s.pending_bytes = 0;
    pull_refill(id);
    return;
  }
  if (s.pending_call != 0) return;
  const std::string args =
      "{\"stream\":" + js::json_quote(s.stream) + ",\"name\":" + js::json_quote(s.consumer) + "}";
  auto call = js_start_internal(s.context, js::ApiOp::consumer_info, args, id);
  if (call) s.pending_call = *call;
}

void Engine::pull_call_done(std::uint64_t owner, std::uint64_t call, const Error &error,
                            const std::string &result) {
  if (auto o = js_.ordered.find(owner); o != js_.ordered.end()) {
    // Only the call the ordered consumer waits for (the stream lookup or a
    // creation) moves it on. The best-effort delete of its previous consumer
    // (ordered_reset) also answers here: taken for the creation, a "not
    // found" counted as a failed creation and scheduled a needless reset,
    // and a success announced a consumer not created yet.
    if (call == o->second.pending_call) ordered_call_done(owner, error, result);
    return;
  }
  auto it = js_.pulls.find(owner);
  if (it == js_.pulls.end() || it->second.pending_call != call) return;
  auto &s = it->second;
  s.pending_call = 0;
  if (!error) {
    // The consumer is there: forget what we asked for and ask again.
    s.pending_msgs = 0;
    s.pending_bytes = 0;
    s.retries = 0;
    pull_refill(owner);
    return;
  }
  const bool missing = error.err_code == 10014 || error.err_code == 10059;
  if (missing) {
    forget_acks(s.stream, s.consumer, 0);
    pull_notify(owner, error.err_code == 10059 ? "stream_not_found" : "consumer_not_found",
                s.consumer, static_cast<std::uint64_t>(++s.retries));
    if (s.options.mode != js::PullMode::consume || s.options.abort_on_missing_resource) {
      pull_finish(owner, error);
      return;
    }
  }
  // Try again later (nats.js waits the expiry between attempts).
  s.retry_at = now_ + s.options.expires;
}

void Engine::pull_timeouts(Time now) {
  std::vector<std::uint64_t> ids;
  for (const auto &[id, s] : js_.pulls) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  for (auto id : ids) {
    auto it = js_.pulls.find(id);
    if (it == js_.pulls.end()) continue;
    auto &s = it->second;
    if (s.retry_at && *s.retry_at <= now) {
      s.retry_at.reset();
      pull_recover(id);
      continue;
    }
    if (s.end_at && *s.end_at <= now && s.sid != 0) {
      pull_finish(id, {});  // the request's expiry passed and the server said nothing
      continue;
    }
    if (s.sid == 0 || s.options.idle_heartbeat.count() == 0 || s.heartbeat_deadline > now ||
        !wire_up()) {
      continue;
    }
    // Two heartbeat intervals without a word from the server.
    s.heartbeats_missed += s.heartbeats_missed == 0 ? 2 : 1;
    s.heartbeat_deadline = now + s.options.idle_heartbeat;
    pull_notify(id, "heartbeats_missed", {}, s.heartbeats_missed);
    const bool one_request =
        s.options.mode == js::PullMode::fetch || s.options.mode == js::PullMode::fetch_prompt;
    if (one_request && s.ordered == 0) {
      pull_finish(id, {Errc::heartbeats_missed, "heartbeats missed"});
      continue;
    }
    pull_recover(id);
  }
}

std::optional<Time> Engine::pull_next_deadline() const {
  std::optional<Time> best;
  for (const auto &[id, s] : js_.pulls) {
    if (s.retry_at && (!best || *s.retry_at < *best)) best = s.retry_at;
    if (s.end_at && s.sid != 0 && (!best || *s.end_at < *best)) best = s.end_at;
    // While reconnecting heartbeats are not watched (pull_timeouts skips
    // them), so their deadlines must not wake the host either.
    if (s.sid != 0 && s.options.idle_heartbeat.count() != 0 && wire_up() &&
        (!best || s.heartbeat_deadline < *best)) {
      best = s.heartbeat_deadline;
    }
  }
  return best;
}

}  // namespace nats
