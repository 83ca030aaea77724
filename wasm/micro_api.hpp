#pragma once
// Micro services (core/include/nats/micro/service.hpp) for JavaScript and
// Python: the hosts subscribe and call handlers; every rule (names,
// versions, subjects, discovery JSON, stats, error headers, how a streamed
// reply reads) is the core's. Errors come back as [errc, message].

#include <emscripten/val.h>

#include <optional>
#include <string>

#include "nats/micro/service.hpp"

namespace nats::wasm {

class MicroService {
public:
  /// Checks the config (JSON, micro::service_config_from_json): undefined,
  /// or [errc, message].
  emscripten::val init(const std::string &config_json, const std::string &id, double started_ms);
  /// An endpoint (JSON config) in the group (prefix, queue or undefined):
  /// {index, name, subject, queue}, or [errc, message].
  emscripten::val add_endpoint(const std::string &config_json, const std::string &group_prefix,
                               const emscripten::val &group_queue);
  /// [[verb, subject], ...]: verb 0 PING, 1 INFO, 2 STATS.
  emscripten::val discovery() const;
  /// The discovery reply of `verb`; for stats, `data` is an array of JSON
  /// texts (or "") per endpoint, or undefined.
  std::string reply(int verb, const emscripten::val &data) const;
  /// A request of endpoint `index` took `elapsed_ms`; `code` undefined or
  /// the error code it was answered with.
  void record(double index, double elapsed_ms, const emscripten::val &code,
              const std::string &description);
  void reset(double now_ms);
  std::string id() const { return svc_ ? svc_->id() : std::string(); }

private:
  std::optional<micro::Service> svc_;
};

/// A group under (prefix, queue): {prefix, queue?}, or [errc, message].
emscripten::val micro_group(const std::string &parent_prefix, const emscripten::val &parent_queue,
                            const std::string &name, const emscripten::val &queue);
/// $SRV.<VERB>[.<name>[.<id>]] (verb 0 PING, 1 INFO, 2 STATS), or [errc, message].
/// ("" prefix: $SRV.)
emscripten::val micro_control_subject(int verb, const std::string &name, const std::string &id,
                                      const std::string &prefix);
/// The wire header block of an error reply (Uint8Array), or [errc, message].
emscripten::val micro_error_headers(const std::string &code, const std::string &description);
/// How a reply reads: [0 data | 1 end | 2 error, code, description]. `raw`
/// is the header block (bytes) or an empty string.
emscripten::val micro_classify(const std::string &raw_headers, double payload_size);

}  // namespace nats::wasm
