#pragma once
// What the reconnect, cluster and lifecycle tests share: options that
// reconnect at once and forever, a watch over a client's status changes
// that waits for one with a bound, a bounded poll, and which acknowledged
// messages a consumer has not seen.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "nats/native/client.hpp"

namespace nats::testing {

/// Reconnects forever, 500 ms apart, without jitter.
inline nats::Options fast_reconnect() {
  nats::Options o;
  o.max_reconnect_attempts = -1;
  o.reconnect_time_wait = std::chrono::milliseconds(500);
  o.reconnect_jitter = std::chrono::milliseconds(0);
  o.connect_timeout = std::chrono::milliseconds(2000);
  return o;
}

/// Polls `done` every 10 ms for up to `limit`; returns done() at the end.
template <typename Done>
bool polled_within(std::chrono::milliseconds limit, Done done) {
  for (auto waited = std::chrono::milliseconds(0); waited < limit && !done();
       waited += std::chrono::milliseconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

/// How many of `<prefix>-0` .. `<prefix>-<n-1>` are not in `seen`. The
/// restart and cluster tests publish those ids in order, each retried until
/// acknowledged, and wait on this rather than on seen.size(): a message
/// stored while its PubAck was lost is delivered but not counted.
inline int missing_ids(const std::set<std::string> &seen, const std::string &prefix, int n) {
  int missing = 0;
  for (int i = 0; i < n; ++i) missing += seen.count(prefix + "-" + std::to_string(i)) == 0 ? 1 : 0;
  return missing;
}

/// Counts a client's status changes; waits for them.
class StatusWatch {
public:
  using Status = nats::native::Status;
  void attach(nats::native::Client &c) {
    c.on_status([this](const Status &st) {
      std::lock_guard lock(mu_);
      if (st.type == Status::Type::reconnected) ++reconnects_;
      if (st.type == Status::Type::disconnected) ++disconnects_;
      if (st.type == Status::Type::lame_duck) ++lame_ducks_;
      if (st.type == Status::Type::reconnecting && st.error) failed_attempts_.push_back(st);
      cv_.notify_all();
    });
  }
  bool wait_reconnects(int n, std::chrono::milliseconds limit) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return reconnects_ >= n; });
  }
  bool wait_lame_ducks(int n, std::chrono::milliseconds limit) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return lame_ducks_ >= n; });
  }
  int reconnects() {
    std::lock_guard lock(mu_);
    return reconnects_;
  }
  int disconnects() {
    std::lock_guard lock(mu_);
    return disconnects_;
  }
  /// The first reconnecting status that says why an attempt failed.
  std::optional<Status> wait_failed_attempt(std::chrono::milliseconds limit) {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, limit, [&] { return !failed_attempts_.empty(); })) return {};
    return failed_attempts_.front();
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  int reconnects_ = 0;
  int disconnects_ = 0;
  int lame_ducks_ = 0;
  std::vector<Status> failed_attempts_;
};

}  // namespace nats::testing
