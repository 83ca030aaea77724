// Push consumers for C++: the engine's push sessions (engine_push.cpp)
// behind the same consume()/messages() handles as pull sessions.
#include "client_impl.hpp"
#include "nats/native/consumer.hpp"
#include "nats/native/jetstream.hpp"

namespace nats::native {

PushConsumer::PushConsumer(std::shared_ptr<JetStream> js, std::shared_ptr<detail::ClientImpl> impl,
                           std::uint64_t context, std::string stream, std::string name,
                           js::PushOptions push)
    : ConsumerBase(std::move(js), std::move(impl), std::move(stream)),
      context_(context),
      name_(std::move(name)),
      push_(std::move(push)) {}

Result<std::uint64_t> PushConsumer::start_locked(const js::PullOptions &options) {
  if (options.mode != js::PullMode::consume) {
    return Error{Errc::illegal_state, "a push consumer is consumed, not fetched"};
  }
  js::PushOptions o = push_;
  o.abort_on_missing_resource = options.abort_on_missing_resource;
  return impl_->engine.push_start(context_, stream_, name_, o, detail::now_ms());
}

Result<js::ConsumerInfo> PushConsumer::info() {
  if (name_.empty()) return Error{Errc::illegal_state, "bound consumers cannot info"};
  return js_->consumer_info(stream_, name_);
}

Result<PushConsumer> JetStream::push_consumer(std::string_view stream, std::string_view name) {
  auto info = consumer_info(stream, name);
  if (!info) return info.error();
  auto push = js::push_options_of(*info, false);
  if (!push) return push.error();
  return PushConsumer(shared_from_this(), impl_, context_, info->stream_name, info->name,
                      std::move(*push));
}

Result<PushConsumer> JetStream::bound_push_consumer(const js::PushOptions &options) {
  if (Error e = js::validate_push_options(options)) return e;
  return PushConsumer(shared_from_this(), impl_, context_, "", "", options);
}

}  // namespace nats::native
