#include "partitions_api.hpp"

#include <vector>

#include "boundary.hpp"
#include "nats/jetstream/partitions.hpp"

namespace nats::wasm {

using emscripten::val;

double partition_for(const std::string &key, double partitions) {
  auto n = to_count(partitions, "partitions");
  if (!n || *n == 0 || *n > js::kMaxPartitions) return -1;
  return js::partition_for(key, static_cast<std::uint32_t>(*n));
}

val topic_subjects(const std::string &topic, double partitions) {
  auto n = to_count(partitions, "partitions");
  auto subjects = n && *n <= js::kMaxPartitions
                      ? js::topic_subjects(topic, static_cast<std::uint32_t>(*n))
                      : Result<std::vector<std::string>>(
                            Error{Errc::invalid_argument, "a topic needs 1 to 4096 partitions"});
  val out = val::array();
  if (!subjects) {
    out.call<void>("push", static_cast<int>(subjects.error().code));
    out.call<void>("push", subjects.error().message);
    return out;
  }
  for (const auto &s : *subjects) out.call<void>("push", s);
  return out;
}

double partition_count(const std::string &topic, const val &subjects) {
  std::vector<std::string> list;
  const auto n = subjects["length"].as<unsigned>();
  for (unsigned i = 0; i < n; ++i) {
    if (!subjects[i].isString()) return 0;
    list.push_back(subjects[i].as<std::string>());
  }
  return js::partition_count(topic, list);
}

}  // namespace nats::wasm
