#pragma once
/// The servers a client may connect to (internal): the URLs it was given
/// and those the cluster announced (INFO connect_urls), how often each was
/// tried since it last worked, and when each may be tried again.

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "nats/url.hpp"

namespace nats::detail {

using PoolTime = std::chrono::milliseconds;

/// One server of the pool.
struct PoolServer {
  ServerUrl url;
  bool implicit = false;     ///< announced by the cluster, not given
  bool did_connect = false;  ///< a handshake with it completed once
  int failures = 0;          ///< failed attempts since it last connected
  std::optional<PoolTime> last_attempt;
};

/// Reconnect timing: the pause before another attempt at one server.
struct Backoff {
  PoolTime time_wait{2000};   ///< the longest pause between attempts at one server
  PoolTime jitter{100};       ///< added at random, up to this much
  PoolTime jitter_tls{1000};  ///< the same for tls:// and wss://
  int max_attempts = 60;      ///< failures per server before it is dropped; -1 = forever
};

/// What an INFO changed in the pool.
struct PoolChange {
  std::vector<std::string> added;
  std::vector<std::string> removed;
  bool empty() const { return added.empty() && removed.empty(); }
};

class ServerPool {
public:
  ServerPool() = default;
  /// The given servers, shuffled unless `randomize` is false.
  ServerPool(std::vector<ServerUrl> given, bool randomize, std::uint64_t seed);

  const std::vector<PoolServer> &servers() const { return servers_; }
  /// The server in use (or last tried).
  const PoolServer &current() const { return servers_[current_]; }

  /// The attempt at the current server failed (or its connection was lost,
  /// `was_connected`): counts it and moves it to the back of the pool.
  void failed(PoolTime now, bool was_connected);
  /// The current server completed a handshake.
  void connected();
  /// Makes the next server to try current; when it may be tried (now, or
  /// after its pause). nullopt when every server used up its attempts.
  std::optional<PoolTime> next(PoolTime now, const Backoff &backoff);
  /// True when a server other than the current one may still be tried.
  bool has_other() const;
  /// Replaces the pool with `given` (nats.js setServers, nats.py
  /// set_server_pool): a server already known keeps its counts and becomes
  /// explicit; the current server stays current when it is in the list,
  /// else the next attempt goes to the new pool's first. The live
  /// connection is not touched.
  void replace(std::vector<ServerUrl> given, bool randomize);
  /// Servers announced by INFO ("host:port", the scheme of the current
  /// server): new ones are added, implicit ones no longer announced removed.
  PoolChange update(const std::vector<std::string> &announced);
  /// The pause before attempt `failures + 1` at a server: 0 for the first,
  /// then 100 ms doubling, at most time_wait; plus jitter.
  PoolTime pause(const PoolServer &server, const Backoff &backoff);

private:
  std::vector<PoolServer> servers_;
  std::size_t current_ = 0;
  std::mt19937_64 rng_{1};
};

}  // namespace nats::detail
