// The headers a JetStream publish's options stand for.
#include "nats/jetstream/publish.hpp"

#include <algorithm>
#include <array>

namespace nats::js {

Error add_publish_headers(Headers &h, const PublishOptions &o) {
  if (!o.msg_id.empty()) h.set("Nats-Msg-Id", o.msg_id);
  if (!o.expected_stream.empty()) h.set("Nats-Expected-Stream", o.expected_stream);
  if (!o.expected_last_msg_id.empty()) h.set("Nats-Expected-Last-Msg-Id", o.expected_last_msg_id);
  // Sent whenever given, 0 included: "the subject has no message yet".
  if (o.expected_last_sequence) {
    h.set("Nats-Expected-Last-Sequence", std::to_string(*o.expected_last_sequence));
  }
  if (o.expected_last_subject_sequence) {
    h.set("Nats-Expected-Last-Subject-Sequence", std::to_string(*o.expected_last_subject_sequence));
  }
  return h.validate();
}

std::chrono::milliseconds publish_retry_delay(std::uint32_t attempt) {
  static constexpr std::array<int, 7> kPolicy{0, 250, 250, 500, 500, 3000, 5000};
  return std::chrono::milliseconds(kPolicy[std::min<std::size_t>(attempt, kPolicy.size() - 1)]);
}

std::chrono::milliseconds publish_max_time(std::chrono::milliseconds timeout,
                                           std::uint32_t retries) {
  const std::uint32_t attempts = std::max<std::uint32_t>(retries, 1);
  std::chrono::milliseconds total = timeout * attempts;
  for (std::uint32_t i = 0; i + 1 < attempts; ++i) total += publish_retry_delay(i);
  return total;
}

}  // namespace nats::js
