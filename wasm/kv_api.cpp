#include "kv_api.hpp"

#include "boundary.hpp"
#include "nats/jetstream/kv.hpp"

namespace nats::wasm {

emscripten::val kv_stream_name(const std::string &bucket) {
  if (Error e = js::kv::validate_bucket(bucket)) return failure(e);
  return emscripten::val(js::kv::stream_name(bucket));
}

}  // namespace nats::wasm
