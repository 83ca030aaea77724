// JetStream advisories for C++: a subscription to the advisory subject whose
// messages are read by the core's advisory rule (kind from the JSON "type").
#include "nats/jetstream/advisory.hpp"
#include "nats/native/jetstream.hpp"

namespace nats::native {

Result<Advisories> JetStream::advisories() {
  auto sub = Client::subscribe_impl(impl_, js::kAdvisorySubject, {}, 0, nullptr);
  if (!sub) return sub.error();
  return Advisories(std::move(*sub));
}

Result<Advisory> Advisories::next(std::chrono::milliseconds timeout) {
  if (!sub_) return Error{Errc::bad_subscription, "advisories stopped"};
  auto msg = sub_->next_msg(timeout);
  if (!msg) return msg.error();
  auto kind = js::advisory_kind(msg->data);
  if (!kind) {
    stop();
    return kind.error();
  }
  return Advisory{std::move(*kind), std::move(msg->data)};
}

Error Advisories::stop() {
  if (!sub_) return {};
  Error e = sub_->unsubscribe();
  sub_.reset();
  return e.code == Errc::connection_closed ? Error{} : e;
}

Advisories::~Advisories() { stop(); }

}  // namespace nats::native
