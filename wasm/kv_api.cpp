#include "kv_api.hpp"

#include "boundary.hpp"
#include "nats/jetstream/advisory.hpp"
#include "nats/jetstream/kv.hpp"

namespace nats::wasm {

emscripten::val kv_stream_name(const std::string &bucket) {
  if (Error e = js::kv::validate_bucket(bucket)) return failure(e);
  return emscripten::val(js::kv::stream_name(bucket));
}

std::string advisory_subject() { return std::string(js::kAdvisorySubject); }

emscripten::val advisory_kind(const std::string &json) {
  auto kind = js::advisory_kind(json);
  return kind ? emscripten::val(*kind) : failure(kind.error());
}

}  // namespace nats::wasm
