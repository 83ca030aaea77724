#include "kv_api.hpp"

#include "boundary.hpp"
#include "nats/jetstream/advisory.hpp"
#include "nats/jetstream/kv.hpp"

namespace nats::wasm {

emscripten::val kv_stream_name(const std::string &bucket) {
  if (Error e = js::kv::validate_bucket(bucket)) return failure(e);
  return emscripten::val(js::kv::stream_name(bucket));
}

emscripten::val kv_purge_deletes_args(const std::string &bucket, const std::string &key, int op,
                                      double created_ms, double now_ms, double older_than_ms) {
  if (op < 0 || op > static_cast<int>(js::kv::Operation::purge)) {
    return failure({Errc::invalid_argument, "unknown KV operation"});
  }
  auto args = js::kv::purge_deletes_args(
      bucket, key, static_cast<js::kv::Operation>(op), static_cast<std::int64_t>(created_ms),
      static_cast<std::int64_t>(now_ms), static_cast<std::int64_t>(older_than_ms));
  return args ? emscripten::val(*args) : emscripten::val::null();
}

std::string advisory_subject() { return std::string(js::kAdvisorySubject); }

emscripten::val advisory_kind(const std::string &json) {
  auto kind = js::advisory_kind(json);
  return kind ? emscripten::val(*kind) : failure(kind.error());
}

}  // namespace nats::wasm
