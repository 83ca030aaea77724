// The headers a JetStream publish's options stand for.
#include "nats/jetstream/publish.hpp"

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

}  // namespace nats::js
