// The server pool: order, discovery and the reconnect backoff.
#include "nats/detail/server_pool.hpp"

#include <algorithm>

namespace nats::detail {

ServerPool::ServerPool(std::vector<ServerUrl> given, bool randomize, std::uint64_t seed)
    : rng_(seed == 0 ? 1 : seed) {
  for (auto &url : given) servers_.push_back(PoolServer{std::move(url), false, false, 0, {}});
  // nats.js and nats.py shuffle the given servers so clients spread over a
  // cluster; the first connect then goes to a random one.
  if (randomize && servers_.size() > 1) std::shuffle(servers_.begin(), servers_.end(), rng_);
}

void ServerPool::failed(PoolTime now, bool was_connected) {
  if (servers_.empty()) return;
  PoolServer s = servers_[current_];
  s.last_attempt = now;
  if (was_connected) {
    s.failures = 0;  // it worked until now: its count starts again
  } else {
    ++s.failures;
  }
  // To the back: the others get their turn first (round robin).
  servers_.erase(servers_.begin() + static_cast<std::ptrdiff_t>(current_));
  servers_.push_back(std::move(s));
  current_ = servers_.size() - 1;
}

void ServerPool::replace(std::vector<ServerUrl> given, bool randomize) {
  const std::string current = servers_.empty() ? std::string() : servers_[current_].url.str();
  std::vector<PoolServer> merged;
  for (auto &url : given) {
    auto known = std::find_if(servers_.begin(), servers_.end(),
                              [&](const PoolServer &s) { return s.url.str() == url.str(); });
    PoolServer s =
        known != servers_.end() ? *known : PoolServer{std::move(url), false, false, 0, {}};
    s.implicit = false;  // asked for: a cluster update may not remove it
    merged.push_back(std::move(s));
  }
  if (randomize && merged.size() > 1) std::shuffle(merged.begin(), merged.end(), rng_);
  servers_ = std::move(merged);
  auto at = std::find_if(servers_.begin(), servers_.end(),
                         [&](const PoolServer &s) { return s.url.str() == current; });
  current_ = at != servers_.end() ? static_cast<std::size_t>(at - servers_.begin()) : 0;
}

void ServerPool::connected() {
  if (servers_.empty()) return;
  servers_[current_].did_connect = true;
  servers_[current_].failures = 0;
}

PoolTime ServerPool::pause(const PoolServer &server, const Backoff &backoff) {
  if (server.failures == 0 && !server.last_attempt) return PoolTime{0};
  const int k = std::min(server.failures, 10);
  PoolTime base = server.failures == 0 ? PoolTime{0} : PoolTime{100} * (1 << (k - 1));
  base = std::min(base, backoff.time_wait);
  const PoolTime jitter = server.url.secure() ? backoff.jitter_tls : backoff.jitter;
  if (jitter.count() > 0 && base.count() > 0) {
    std::uniform_int_distribution<std::int64_t> d(0, jitter.count());
    base += PoolTime{d(rng_)};
  }
  return base;
}

std::optional<PoolTime> ServerPool::next(PoolTime now, const Backoff &backoff) {
  // Servers that used up their attempts leave the pool.
  if (backoff.max_attempts >= 0) {
    std::erase_if(servers_, [&](const PoolServer &s) { return s.failures > backoff.max_attempts; });
  }
  if (servers_.empty()) return std::nullopt;
  current_ = 0;
  const PoolServer &s = servers_.front();
  if (!s.last_attempt) return now;
  const PoolTime at = *s.last_attempt + pause(s, backoff);
  return std::max(at, now);
}

bool ServerPool::has_other() const { return servers_.size() > 1; }

PoolChange ServerPool::update(const std::vector<std::string> &announced) {
  PoolChange change;
  if (servers_.empty()) return change;
  const ServerUrl &here = servers_[current_].url;
  const std::vector<std::string> schemes{here.scheme};
  std::vector<ServerUrl> urls;
  for (const auto &a : announced) {
    auto url = parse_server_url(a, here.scheme, schemes);
    if (!url) continue;  // not something this host can open: skip it
    if (here.websocket()) url->path = here.path;
    urls.push_back(std::move(*url));
  }
  auto same = [](const ServerUrl &a, const ServerUrl &b) {
    return a.host == b.host && a.port == b.port && a.scheme == b.scheme;
  };
  for (auto &u : urls) {
    const bool known = std::any_of(servers_.begin(), servers_.end(),
                                   [&](const PoolServer &s) { return same(s.url, u); });
    if (!known) {
      change.added.push_back(u.host_port());
      servers_.push_back(PoolServer{u, true, false, 0, {}});
    }
  }
  // Announced ones that are gone leave (never the current one, never a given one).
  const ServerUrl current_url = servers_[current_].url;
  std::vector<PoolServer> kept;
  for (auto &s : servers_) {
    const bool listed =
        std::any_of(urls.begin(), urls.end(), [&](const ServerUrl &u) { return same(s.url, u); });
    if (s.implicit && !listed && !same(s.url, current_url)) {
      change.removed.push_back(s.url.host_port());
    } else {
      kept.push_back(std::move(s));
    }
  }
  servers_ = std::move(kept);
  for (std::size_t i = 0; i < servers_.size(); ++i) {
    if (same(servers_[i].url, current_url)) current_ = i;
  }
  return change;
}

}  // namespace nats::detail
