// Subscription handles: a pull queue (next_msg) or a callback.
#include "client_impl.hpp"

namespace nats::native {

using std::chrono::milliseconds;

Result<Headers> Msg::headers() const {
  if (headers_raw.empty()) return Headers{};
  return Headers::parse(headers_raw);
}

Result<Msg> Subscription::next_msg(milliseconds timeout) {
  if (impl_->on_io_thread()) {
    return Error{Errc::illegal_state, "blocking call from a callback on the I/O thread"};
  }
  std::unique_lock lock(impl_->mu);
  bool ready =
      impl_->cv.wait_for(lock, timeout, [&] { return !state_->queue.empty() || state_->closed; });
  if (!state_->queue.empty()) {
    Msg m = std::move(state_->queue.front());
    state_->queue.pop_front();
    impl_->engine.subscription_consumed(sid_, 1, m.headers_raw.size() + m.data.size());
    return m;
  }
  if (!ready) return Error{Errc::timeout, "no message within the timeout"};
  if (state_->reason) return state_->reason;
  return Error{Errc::bad_subscription, "subscription closed"};
}

Error Subscription::unsubscribe(std::uint64_t max) {
  if (max == 0) state_->unsubscribed = true;
  Error e;
  {
    std::lock_guard lock(impl_->mu);
    e = impl_->engine.unsubscribe(sid_, max);
  }
  impl_->kick();
  return e;
}

Error Subscription::drain() {
  Error e;
  {
    std::lock_guard lock(impl_->mu);
    e = impl_->engine.drain_subscription(sid_);
  }
  impl_->kick();
  return e;
}

bool Subscription::is_closed() const {
  std::lock_guard lock(impl_->mu);
  return state_->closed;
}

bool Subscription::wait_closed(milliseconds timeout) {
  if (impl_->on_io_thread()) return is_closed();
  std::unique_lock lock(impl_->mu);
  return impl_->cv.wait_for(lock, timeout, [&] { return state_->closed; });
}

std::uint64_t Subscription::delivered() const {
  std::lock_guard lock(impl_->mu);
  return state_->delivered;
}

std::size_t Subscription::pending() const {
  std::lock_guard lock(impl_->mu);
  return state_->queue.size();
}

Error Subscription::set_pending_limits(std::uint64_t msgs, std::uint64_t bytes) {
  std::lock_guard lock(impl_->mu);
  if (state_->callback) {
    return {Errc::invalid_argument, "a callback subscription holds no queue to limit"};
  }
  return impl_->engine.set_pending_limits(sid_, PendingLimits{msgs, bytes, 0});
}

std::uint64_t Subscription::dropped() const {
  std::lock_guard lock(impl_->mu);
  auto p = impl_->engine.subscription_pending(sid_);
  return p ? p->dropped : state_->dropped;
}

}  // namespace nats::native
