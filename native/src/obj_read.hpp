#pragma once
// Reads an object store's stream through the engine's ordered consumer
// (Engine::obj_read): the chunks of one object version, or the objects'
// infos. One consume session whose messages either queue for next() (at
// most `read_ahead` of them: the engine pulls more only as next() takes
// them) or go to a callback on the I/O thread (watches).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "nats/error.hpp"
#include "nats/jetstream/obj.hpp"
#include "nats/native/consumer.hpp"

namespace nats::native::detail {

struct ClientImpl;
struct PullState;

/// One read of a store's stream (see above). Not movable: held by pointer.
class ObjRead {
public:
  struct Options {
    std::string bucket;
    std::string nuid;  ///< "": the infos
    js::obj::Include include = js::obj::Include::latest;
    std::uint64_t read_ahead = 0;  ///< messages pulled ahead; 0: the engine's default
    std::function<void(const JsMsg &)> callback;  ///< empty: messages queue for next()
    std::function<void()> on_caught_up;           ///< on the I/O thread
  };

  /// Creates the consumer (waiting up to twice `timeout`) and starts pulling.
  static Result<std::unique_ptr<ObjRead>> open(std::shared_ptr<ClientImpl> impl,
                                               std::uint64_t context, Options options,
                                               std::chrono::milliseconds timeout);
  ObjRead(const ObjRead &) = delete;
  ObjRead &operator=(const ObjRead &) = delete;
  ~ObjRead();

  /// Queue mode: the next message; nullopt once the read is caught up and
  /// the queue is empty, or it was stopped; timeout when nothing came.
  Result<std::optional<JsMsg>> next(std::chrono::milliseconds timeout);
  /// Ends the session and deletes the server consumer; returns once no
  /// callback runs or will run (from the callback itself: after it returns).
  void stop();
  bool is_closed() const;
  Error error() const;

private:
  ObjRead(std::shared_ptr<ClientImpl> impl, std::shared_ptr<PullState> state)
      : impl_(std::move(impl)), state_(std::move(state)) {}
  std::shared_ptr<ClientImpl> impl_;
  std::shared_ptr<PullState> state_;
  std::shared_ptr<bool> caught_up_ = std::make_shared<bool>(false);  ///< under impl_->mu
  std::uint64_t ordered_ = 0;  ///< the engine's ordered consumer; 0 once stopped
  std::uint64_t session_ = 0;
};

}  // namespace nats::native::detail
