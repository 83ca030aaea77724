#pragma once
// What a native watch delivered (KV entries, object infos) and where its
// caught-up signal fell, for tests that wait on it from the test thread.
// Declare it before the watch: the watch (destroyed first) stops its calls.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <vector>

namespace nats::testing {

template <typename Item>
class WatchCollector {
public:
  explicit WatchCollector(std::chrono::milliseconds wait = std::chrono::seconds(5)) : wait_(wait) {}

  std::function<void(const Item &)> on_item() {
    return [this](const Item &item) {
      std::lock_guard lock(mu_);
      items_.push_back(item);
      cv_.notify_all();
    };
  }
  std::function<void()> on_caught_up() {
    return [this] {
      std::lock_guard lock(mu_);
      caught_up_at_.push_back(items_.size());
      cv_.notify_all();
    };
  }
  bool wait_caught_up() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, wait_, [&] { return !caught_up_at_.empty(); });
  }
  bool wait_items(std::size_t n) { return wait_items(n, wait_); }
  bool wait_items(std::size_t n, std::chrono::milliseconds limit) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return items_.size() >= n; });
  }
  std::vector<Item> items() {
    std::lock_guard lock(mu_);
    return items_;
  }
  /// Where each caught-up signal fell (items before it); one is expected.
  std::vector<std::size_t> caught_up_at() {
    std::lock_guard lock(mu_);
    return caught_up_at_;
  }

private:
  std::chrono::milliseconds wait_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Item> items_;
  std::vector<std::size_t> caught_up_at_;
};

}  // namespace nats::testing
