#pragma once
/// The request mux (internal): one wildcard inbox subscription
/// "<inbox>.*" serves every request; the last token is the request id.

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace nats {

/// How a request collects replies (nats.js requestMany strategies).
enum class ReplyStrategy : std::uint8_t {
  single,    ///< the first reply ends it; no reply by the timeout is an error
  timer,     ///< every reply until the max wait
  count,     ///< until max_messages replies (or the max wait)
  stall,     ///< until no reply came for `stall` after the previous one (or the max wait)
  sentinel,  ///< until an empty reply, which is delivered too (or the max wait)
};

}  // namespace nats

namespace nats::detail {

using Time = std::chrono::milliseconds;

/// Who waits for a request's replies.
enum class RequestOwner : std::uint8_t { user, internal };

/// One request in flight.
struct MuxEntry {
  std::string subject;  ///< where it was sent (for error messages)
  ReplyStrategy strategy = ReplyStrategy::single;
  Time max_deadline{0};  ///< timeout (single) or max wait (many)
  Time deadline{0};      ///< when it ends now: max_deadline or an earlier stall
  std::uint64_t max_messages = 0;
  std::uint64_t count = 0;  ///< replies delivered so far
  std::chrono::milliseconds stall{0};
  RequestOwner owner = RequestOwner::user;
};

/// Pending requests by id, with their deadlines in order.
class RequestMux {
public:
  /// True once the wildcard subscription exists.
  bool open() const { return sid_ != 0; }
  std::uint64_t sid() const { return sid_; }
  /// "<inbox>." : a reply subject is prefix + id.
  const std::string &prefix() const { return prefix_; }
  /// Records the wildcard subscription.
  void attach(std::uint64_t sid, std::string prefix);
  /// Forgets the subscription (requests stay; the caller decides their fate).
  void detach();

  /// Adds a request; returns its id (below 2^32).
  std::uint64_t add(MuxEntry entry);
  MuxEntry *find(std::uint64_t id);
  /// Removes a request and its deadline.
  void remove(std::uint64_t id);
  /// Moves a request's deadline (stall re-arm).
  void reschedule(std::uint64_t id, Time deadline);
  /// The request id a reply subject names, if it is one of ours.
  std::optional<std::uint64_t> id_of(std::string_view reply_subject) const;
  /// The earliest deadline, if any.
  std::optional<Time> next_deadline() const;
  /// Removes and returns one request whose deadline is at or before now.
  std::optional<std::pair<std::uint64_t, MuxEntry>> pop_expired(Time now);
  /// Ids in ascending order.
  std::vector<std::uint64_t> ids() const;
  std::size_t size() const { return requests_.size(); }
  /// Forgets everything (connection closed).
  void clear();

private:
  std::uint64_t sid_ = 0;
  std::string prefix_;
  std::unordered_map<std::uint64_t, MuxEntry> requests_;
  std::set<std::pair<Time, std::uint64_t>> deadlines_;
  std::uint64_t next_id_ = 1;
};

}  // namespace nats::detail
