// JetStream publish retries (nats.js JetStreamPublishOptions.retries): a
// publish that got no responders (the stream's leader is not there yet,
// e.g. during an election or a restart) or timed out is sent again after
// js::publish_retry_delay(), until its attempts run out. Meanwhile it holds
// its place in the context's window, and the host sees one js_pub_ack.
#include <algorithm>

#include "nats/engine.hpp"

namespace nats {

bool Engine::js_publish_retry_later(std::uint64_t pub_id, const Error &error) {
  auto pub = js_.pubs.find(pub_id);
  if (pub == js_.pubs.end()) return false;
  auto &p = pub->second;
  // A lost connection counts as an attempt that timed out (nats.js's request
  // would): it is sent again once reconnected. Without a msg id the stream
  // may then store it twice if the first one had landed.
  const bool retryable = error.code == Errc::no_responders || error.code == Errc::timeout ||
                         error.code == Errc::connection_lost;
  if (!retryable || p.retries_left == 0 || state_ == State::closed) return false;
  --p.retries_left;
  p.retry_at = now_ + js::publish_retry_delay(p.attempt);
  ++js_.pubs_waiting_retry;
  ++p.attempt;
  return true;
}

void Engine::js_publish_retries(Time now) {
  if (js_.pubs_waiting_retry == 0) return;
  std::vector<std::uint64_t> due;
  for (const auto &[id, p] : js_.pubs) {
    if (p.retry_at && *p.retry_at <= now) due.push_back(id);
  }
  std::sort(due.begin(), due.end());
  for (auto id : due) {
    auto &p = js_.pubs.at(id);
    p.retry_at.reset();
    --js_.pubs_waiting_retry;
    detail::MuxEntry m;
    m.strategy = ReplyStrategy::single;
    m.max_deadline = now + p.timeout;
    m.owner = detail::RequestOwner::internal;
    auto r = start_request(p.subject, p.payload, p.headers, std::move(m));
    if (r) {
      js_.by_mux[*r] = {detail::JsMuxTarget::Kind::publish, id};
      continue;
    }
    if (auto ctx = js_.contexts.find(p.context); ctx != js_.contexts.end()) {
      --ctx->second.in_flight;
    }
    js_.pubs.erase(id);
    emit(EventType::js_pub_ack, id, r.error());
  }
}

std::optional<Time> Engine::js_publish_next_retry() const {
  if (js_.pubs_waiting_retry == 0) return std::nullopt;
  std::optional<Time> best;
  for (const auto &[id, p] : js_.pubs) {
    if (p.retry_at && (!best || *p.retry_at < *best)) best = p.retry_at;
  }
  return best;
}

void Engine::js_publish_fail_waiting(const Error &error) {
  if (js_.pubs_waiting_retry == 0) return;
  std::vector<std::uint64_t> waiting;
  for (const auto &[id, p] : js_.pubs) {
    if (p.retry_at) waiting.push_back(id);
  }
  std::sort(waiting.begin(), waiting.end());
  js_.pubs_waiting_retry = 0;
  for (auto id : waiting) {
    js_.pubs.erase(id);
    emit(EventType::js_pub_ack, id, error);
  }
}

}  // namespace nats
