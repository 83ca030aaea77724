#include "nats/jetstream/partitions.hpp"

#include <charconv>

#include "nats/jetstream/api.hpp"

namespace nats::js {

std::uint32_t key_hash(std::string_view key) {
  std::uint32_t h = 2166136261u;
  for (char c : key) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

std::uint32_t partition_for(std::string_view key, std::uint32_t partitions) {
  return partitions == 0 ? 0 : key_hash(key) % partitions;
}

std::string partition_subject(std::string_view topic, std::uint32_t p) {
  return std::string(topic) + "." + std::to_string(p);
}

Result<std::vector<std::string>> topic_subjects(std::string_view topic, std::uint32_t partitions) {
  if (Error e = validate_stream_name(topic)) return e;
  if (partitions == 0 || partitions > kMaxPartitions) {
    return Error{Errc::invalid_argument,
                 "a topic needs 1 to " + std::to_string(kMaxPartitions) + " partitions"};
  }
  std::vector<std::string> out;
  out.reserve(partitions);
  for (std::uint32_t p = 0; p < partitions; ++p) out.push_back(partition_subject(topic, p));
  return out;
}

std::uint32_t partition_count(std::string_view topic, std::span<const std::string> subjects) {
  if (subjects.empty() || subjects.size() > kMaxPartitions) return 0;
  std::vector<bool> seen(subjects.size(), false);
  for (const auto &s : subjects) {
    if (s.size() <= topic.size() + 1 || s.compare(0, topic.size(), topic) != 0 ||
        s[topic.size()] != '.') {
      return 0;
    }
    std::string_view digits = std::string_view(s).substr(topic.size() + 1);
    std::uint32_t p = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), p);
    if (ec != std::errc() || end != digits.data() + digits.size() || p >= subjects.size() ||
        seen[p] || (digits.size() > 1 && digits[0] == '0')) {
      return 0;
    }
    seen[p] = true;
  }
  return static_cast<std::uint32_t>(subjects.size());
}

}  // namespace nats::js
