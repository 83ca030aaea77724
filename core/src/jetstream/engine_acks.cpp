// Acknowledgements: fire-and-forget and confirmed acks, ack-and-pull-next
// (+NXT), and what this connection acknowledged while consuming (so a
// redelivery of an acked message after a restart or failover is acked again
// instead of handed out twice).
#include <algorithm>

#include "nats/engine.hpp"
#include "nats/subject.hpp"

namespace nats {

void Engine::forget_acks(const std::string &stream, const std::string &consumer,
                         std::uint64_t except) {
  const bool other = std::any_of(js_.pulls.begin(), js_.pulls.end(), [&](const auto &p) {
    return p.first != except && p.second.ordered == 0 && p.second.stream == stream &&
           p.second.consumer == consumer;
  });
  if (!other || except == 0) js_.acked.erase(stream + ' ' + consumer);
}

Error Engine::js_ack(std::string_view reply, js::AckKind kind, Duration nak_delay) {
  if (Error e = check_usable(true)) return e;
  if (Error e = validate_publish_subject(reply)) {
    return {Errc::invalid_argument, "not a JetStream message (no ack subject)"};
  }
  if (nak_delay.count() < 0) return {Errc::invalid_argument, "nak delay must be >= 0"};
  write_publish(reply, js::ack_payload(kind, nak_delay), {}, {});
  remember_ack(reply, kind);
  return {};
}

Result<std::uint64_t> Engine::js_ack_sync(std::string_view reply, Time now, Duration timeout) {
  if (Error e = validate_publish_subject(reply)) {
    return Error{Errc::invalid_argument, "not a JetStream message (no ack subject)"};
  }
  auto id = request(reply, js::ack_payload(js::AckKind::ack), now, timeout, std::string_view{});
  if (id) remember_ack(reply, js::AckKind::ack);
  return id;
}

void Engine::remember_ack(std::string_view reply, js::AckKind kind) {
  auto info = js::parse_ack_reply(reply);
  if (!info) return;
  // Only while a session consumes it here: a consumer consumed again later
  // (or deleted and made anew) starts with nothing remembered.
  const bool consumed_here = std::any_of(js_.pulls.begin(), js_.pulls.end(), [&](const auto &p) {
    return p.second.ordered == 0 && p.second.stream == info->stream &&
           p.second.consumer == info->consumer;
  });
  if (!consumed_here) return;
  auto &seqs = js_.acked[info->stream + ' ' + info->consumer];
  if (kind == js::AckKind::nak) {
    seqs.erase(info->stream_seq);  // asked to see it again
    return;
  }
  if (kind == js::AckKind::working) return;
  seqs.insert(info->stream_seq);
  while (seqs.size() > detail::JetStreamState::kAckedKept) seqs.erase(seqs.begin());
}

bool Engine::acked_before(detail::PullSession &s, std::uint64_t stream_seq) const {
  if (s.acked_key.empty()) s.acked_key = s.stream + ' ' + s.consumer;
  auto it = js_.acked.find(s.acked_key);
  return it != js_.acked.end() && it->second.count(stream_seq) != 0;
}

Error Engine::js_ack_next(std::string_view reply, std::string_view deliver_to, std::uint64_t batch,
                          Duration expires, bool no_wait) {
  if (Error e = check_usable(true)) return e;
  if (Error e = validate_publish_subject(reply)) {
    return {Errc::invalid_argument, "not a JetStream message (no ack subject)"};
  }
  if (!deliver_to.empty()) {
    if (Error e = validate_publish_subject(deliver_to)) return e;
  }
  if (expires.count() < 0) return {Errc::invalid_argument, "expires must be >= 0"};
  write_publish(reply, js::ack_next_payload(batch, expires, no_wait), deliver_to, {});
  remember_ack(reply, js::AckKind::ack);
  return {};
}

}  // namespace nats
