#include "nats/detail/request_mux.hpp"

#include <algorithm>
#include <charconv>

#include "nats/detail/subscription_table.hpp"

namespace nats::detail {

void RequestMux::attach(std::uint64_t sid, std::string prefix) {
  sid_ = sid;
  prefix_ = std::move(prefix);
}

void RequestMux::detach() {
  sid_ = 0;
  prefix_.clear();
}

std::uint64_t RequestMux::add(MuxEntry entry) {
  std::uint64_t id = take_id(next_id_, [&](std::uint64_t i) { return requests_.count(i) != 0; });
  entry.deadline = entry.max_deadline;
  deadlines_.emplace(entry.deadline, id);
  requests_.emplace(id, std::move(entry));
  return id;
}

MuxEntry *RequestMux::find(std::uint64_t id) {
  auto it = requests_.find(id);
  return it == requests_.end() ? nullptr : &it->second;
}

void RequestMux::remove(std::uint64_t id) {
  auto it = requests_.find(id);
  if (it == requests_.end()) return;
  deadlines_.erase({it->second.deadline, id});
  requests_.erase(it);
}

void RequestMux::reschedule(std::uint64_t id, Time deadline) {
  auto it = requests_.find(id);
  if (it == requests_.end()) return;
  deadlines_.erase({it->second.deadline, id});
  it->second.deadline = deadline;
  deadlines_.emplace(deadline, id);
}

std::optional<std::uint64_t> RequestMux::id_of(std::string_view subject) const {
  if (sid_ == 0 || subject.size() <= prefix_.size() ||
      subject.substr(0, prefix_.size()) != prefix_) {
    return std::nullopt;
  }
  std::string_view token = subject.substr(prefix_.size());
  std::uint64_t id = 0;
  auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), id);
  if (ec != std::errc() || p != token.data() + token.size()) return std::nullopt;
  return id;
}

std::optional<Time> RequestMux::next_deadline() const {
  if (deadlines_.empty()) return std::nullopt;
  return deadlines_.begin()->first;
}

std::optional<std::pair<std::uint64_t, MuxEntry>> RequestMux::pop_expired(Time now) {
  if (deadlines_.empty() || deadlines_.begin()->first > now) return std::nullopt;
  std::uint64_t id = deadlines_.begin()->second;
  deadlines_.erase(deadlines_.begin());
  auto it = requests_.find(id);
  std::pair<std::uint64_t, MuxEntry> out{id, std::move(it->second)};
  requests_.erase(it);
  return out;
}

std::vector<std::uint64_t> RequestMux::ids() const {
  std::vector<std::uint64_t> out;
  out.reserve(requests_.size());
  for (const auto &[id, r] : requests_) out.push_back(id);
  std::sort(out.begin(), out.end());
  return out;
}

void RequestMux::clear() {
  requests_.clear();
  deadlines_.clear();
  detach();
}

}  // namespace nats::detail
