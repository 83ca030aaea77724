#pragma once
/// The engine's table of open subscriptions (internal).

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace nats::detail {

/// Who receives a subscription's messages.
enum class SubOwner : std::uint8_t {
  user,      ///< delivered to the host as message events
  mux,       ///< the request mux's wildcard inbox
  internal,  ///< an engine module (JetStream consumers, watchers): owner_id says which
};

/// One open subscription.
struct SubEntry {
  std::string subject;
  std::string queue;
  std::uint64_t max = 0;        ///< auto-unsubscribe after this many (0 = none)
  std::uint64_t delivered = 0;  ///< received from the server (dropped ones too)
  // Pending accounting, on once the host set limits (set_pending_limits):
  // delivered to the host and not yet consumed by the user.
  bool tracked = false;
  std::uint64_t limit_msgs = 0, limit_bytes = 0, slow_at = 0;  ///< 0: none
  std::uint64_t pending_msgs = 0, pending_bytes = 0, dropped = 0;
  bool slow_reported = false;  ///< over slow_at: reported once until back under
  bool drop_reported = false;  ///< dropping: reported once until back under the limits
  bool draining = false;
  SubOwner owner = SubOwner::user;
  std::uint64_t owner_id = 0;
};

/// sid → subscription. Sids stay below 2^32 (WASM records carry 32 bits).
class SubscriptionTable {
public:
  /// Adds a subscription under a fresh sid.
  std::uint64_t add(SubEntry entry);
  SubEntry *find(std::uint64_t sid);
  const SubEntry *find(std::uint64_t sid) const;
  void erase(std::uint64_t sid) { subs_.erase(sid); }
  void clear() { subs_.clear(); }
  std::size_t size() const { return subs_.size(); }
  /// Sids in ascending order (a stable order for events and replay).
  std::vector<std::uint64_t> sids() const;
  /// Sids of user subscriptions on exactly this subject and queue.
  std::vector<std::uint64_t> matching(std::string_view subject, std::string_view queue) const;

private:
  std::unordered_map<std::uint64_t, SubEntry> subs_;
  std::uint64_t next_sid_ = 1;
};

/// A fresh id from `counter` that `in_use(id)` rejects, below 2^32.
template <typename InUse>
std::uint64_t take_id(std::uint64_t &counter, InUse in_use) {
  std::uint64_t id;
  do {
    id = counter;
    counter = counter >= 0xFFFFFFFFu ? 1 : counter + 1;
  } while (in_use(id));
  return id;
}

}  // namespace nats::detail
