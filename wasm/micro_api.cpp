#include "micro_api.hpp"

#include <cmath>

#include "boundary.hpp"

namespace nats::wasm {
namespace {

using emscripten::val;

std::optional<std::string> optional_string(const val &v) {
  if (v.isString()) return v.as<std::string>();
  return std::nullopt;
}

std::int64_t ms_to_ns(double ms) {
  return std::isfinite(ms) ? static_cast<std::int64_t>(ms * 1e6) : 0;
}

}  // namespace

val MicroService::init(const std::string &config_json, const std::string &id, double started_ms) {
  auto config = micro::service_config_from_json(config_json);
  if (!config) return failure(config.error());
  auto svc = micro::Service::create(std::move(*config), id, ms_to_ns(started_ms));
  if (!svc) return failure(svc.error());
  svc_.emplace(std::move(*svc));
  return val::undefined();
}

val MicroService::add_endpoint(const std::string &config_json, const std::string &group_prefix,
                               const val &group_queue) {
  if (!svc_) return failure({Errc::illegal_state, "the service is not initialised"});
  auto config = micro::endpoint_config_from_json(config_json);
  if (!config) return failure(config.error());
  auto index = svc_->add_endpoint(std::move(*config),
                                  micro::Group{group_prefix, optional_string(group_queue)});
  if (!index) return failure(index.error());
  const auto &ep = svc_->endpoints()[*index];
  val out = val::object();
  out.set("index", static_cast<double>(*index));
  out.set("name", ep.name);
  out.set("subject", ep.subject);
  out.set("queue", ep.queue_group);
  return out;
}

val MicroService::discovery() const {
  val out = val::array();
  if (!svc_) return out;
  for (const auto &d : svc_->discovery()) {
    val pair = val::array();
    pair.call<void>("push", static_cast<int>(d.verb));
    pair.call<void>("push", d.subject);
    out.call<void>("push", pair);
  }
  return out;
}

std::string MicroService::reply(int verb, const val &data) const {
  if (!svc_ || verb < 0 || verb > 2) return "{}";
  std::vector<std::string> texts;
  if (data.isArray()) {
    const auto n = data["length"].as<unsigned>();
    for (unsigned i = 0; i < n; ++i) {
      texts.push_back(data[i].isString() ? data[i].as<std::string>() : std::string());
    }
  }
  return svc_->reply_json(static_cast<micro::Verb>(verb), data.isArray() ? &texts : nullptr);
}

void MicroService::record(double index, double elapsed_ms, const val &code,
                          const std::string &description) {
  auto i = to_count(index, "endpoint index");
  if (!svc_ || !i) return;
  const auto ns = static_cast<std::uint64_t>(ms_to_ns(elapsed_ms < 0 ? 0 : elapsed_ms));
  if (code.isString()) {
    micro::ServiceError err{code.as<std::string>(), description};
    (void)svc_->record(static_cast<std::size_t>(*i), ns, &err);
  } else {
    (void)svc_->record(static_cast<std::size_t>(*i), ns);
  }
}

void MicroService::reset(double now_ms) {
  if (svc_) svc_->reset(ms_to_ns(now_ms));
}

val micro_group(const std::string &parent_prefix, const val &parent_queue, const std::string &name,
                const val &queue) {
  auto g = micro::Service::add_group(micro::Group{parent_prefix, optional_string(parent_queue)},
                                     name, optional_string(queue));
  if (!g) return failure(g.error());
  val out = val::object();
  out.set("prefix", g->prefix);
  if (g->queue_group) out.set("queue", *g->queue_group);
  return out;
}

val micro_control_subject(int verb, const std::string &name, const std::string &id,
                          const std::string &prefix) {
  if (verb < 0 || verb > 2) return failure({Errc::invalid_argument, "unknown discovery verb"});
  auto s = micro::control_subject(static_cast<micro::Verb>(verb), name, id,
                                  prefix.empty() ? micro::kApiPrefix : std::string_view(prefix));
  return s ? val(*s) : failure(s.error());
}

val micro_error_headers(const std::string &code, const std::string &description) {
  auto h = micro::error_headers(code, description);
  if (!h) return failure(h.error());
  const std::string block = h->encode();
  return val(emscripten::typed_memory_view(block.size(),
                                           reinterpret_cast<const std::uint8_t *>(block.data())))
      .call<val>("slice");
}

val micro_classify(const std::string &raw_headers, double payload_size) {
  auto r = micro::classify_reply(raw_headers, payload_size > 0 ? 1 : 0);
  val out = val::array();
  out.call<void>("push", static_cast<int>(r.kind));
  out.call<void>("push", r.error.code);
  out.call<void>("push", r.error.description);
  return out;
}

}  // namespace nats::wasm
