#include "nats/detail/subscription_table.hpp"

#include <algorithm>

namespace nats::detail {

std::uint64_t SubscriptionTable::add(SubEntry entry) {
  std::uint64_t sid = take_id(next_sid_, [&](std::uint64_t id) { return subs_.count(id) != 0; });
  subs_.emplace(sid, std::move(entry));
  return sid;
}

SubEntry *SubscriptionTable::find(std::uint64_t sid) {
  auto it = subs_.find(sid);
  return it == subs_.end() ? nullptr : &it->second;
}

const SubEntry *SubscriptionTable::find(std::uint64_t sid) const {
  auto it = subs_.find(sid);
  return it == subs_.end() ? nullptr : &it->second;
}

std::vector<std::uint64_t> SubscriptionTable::sids() const {
  std::vector<std::uint64_t> out;
  out.reserve(subs_.size());
  for (const auto &[sid, s] : subs_) out.push_back(sid);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::uint64_t> SubscriptionTable::matching(std::string_view subject,
                                                       std::string_view queue) const {
  std::vector<std::uint64_t> out;
  for (const auto &[sid, s] : subs_) {
    if (s.owner == SubOwner::user && s.subject == subject && s.queue == queue) out.push_back(sid);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace nats::detail
