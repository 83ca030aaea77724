// The engine's JetStream side: contexts, API calls over the request mux
// (several requests for paged and merged calls), publishes with their
// window, and the events they end in.
#include "nats/engine.hpp"
#include "nats/subject.hpp"

namespace nats {
namespace {

bool is_no_responders(const Op &op) {
  return !op.headers.empty() && op.payload.empty() && header_status(op.headers) == 503;
}

/// Calls that end in js_stored_msg (a stored message), failed or not.
bool reads_stored(js::ApiOp op) {
  return op == js::ApiOp::stream_msg_get || op == js::ApiOp::direct_get || op == js::ApiOp::kv_get;
}

}  // namespace

Result<std::uint64_t> Engine::js_context(const js::ContextOptions &options) {
  auto prefix = js::api_prefix(options);
  if (!prefix) return prefix.error();
  std::uint64_t id = js_.next_context++;
  js_.contexts.emplace(id, detail::JsContext{options, std::move(*prefix), 0, {}});
  return id;
}

Error Engine::js_send_call(std::uint64_t call_id) {
  auto &entry = js_.calls.at(call_id);
  detail::MuxEntry m;
  m.strategy = ReplyStrategy::single;
  m.max_deadline = entry.deadline;
  m.owner = detail::RequestOwner::internal;
  auto r =
      start_request(entry.call.subject(), entry.call.body(), entry.call.headers(), std::move(m));
  if (!r) return r.error();
  js_.by_mux[*r] = {detail::JsMuxTarget::Kind::call, call_id};
  return {};
}

Result<std::uint64_t> Engine::js_api(std::uint64_t context, js::ApiOp op,
                                     std::string_view args_json, Time now, Duration timeout,
                                     std::string_view payload) {
  now_ = now;
  auto ctx = js_.contexts.find(context);
  if (ctx == js_.contexts.end()) {
    return Error{Errc::invalid_argument, "no JetStream context " + std::to_string(context)};
  }
  if (timeout.count() < 0) return Error{Errc::invalid_argument, "timeout must be >= 0"};
  auto call = detail::JsApiCall::start(op, args_json, ctx->second.prefix, std::string(payload),
                                       &ctx->second.kv_mirrors);
  if (!call) return call.error();
  std::uint64_t id = detail::take_id(js_.next_op, [&](std::uint64_t i) { return js_.in_use(i); });
  const Duration t = timeout.count() > 0 ? timeout : ctx->second.options.timeout;
  js_.calls.emplace(id, detail::JsCallEntry{context, t, std::move(*call), 0, now_ + t});
  if (Error e = js_send_call(id)) {
    js_.calls.erase(id);
    return e;
  }
  return id;
}

Result<std::uint64_t> Engine::js_publish(std::uint64_t context, std::string_view subject,
                                         std::string_view payload, const Headers *headers,
                                         const js::PublishOptions &options, Time now) {
  now_ = now;
  auto ctx = js_.contexts.find(context);
  if (ctx == js_.contexts.end()) {
    return Error{Errc::invalid_argument, "no JetStream context " + std::to_string(context)};
  }
  if (ctx->second.in_flight >= ctx->second.options.max_pending) {
    return Error{Errc::window_full, "too many JetStream publishes waiting for their ack"};
  }
  if (options.timeout.count() < 0) return Error{Errc::invalid_argument, "timeout must be >= 0"};
  Headers h = headers != nullptr ? *headers : Headers{};
  if (Error e = js::add_publish_headers(h, options)) return e;
  const std::string block = h.empty() && headers == nullptr ? std::string() : h.encode();
  detail::MuxEntry m;
  m.strategy = ReplyStrategy::single;
  const Duration m_timeout =
      options.timeout.count() > 0 ? options.timeout : ctx->second.options.timeout;
  m.max_deadline = now + m_timeout;
  m.owner = detail::RequestOwner::internal;
  auto r = start_request(subject, payload, block, std::move(m));
  if (!r) return r.error();
  std::uint64_t id = detail::take_id(js_.next_op, [&](std::uint64_t i) { return js_.in_use(i); });
  detail::JsPubEntry entry;
  entry.context = context;
  entry.subject.assign(subject);
  entry.resend = !h.get("Nats-Msg-Id").empty();
  entry.retries_left = std::max<std::uint32_t>(options.retries, 1) - 1;
  entry.timeout = m_timeout;
  if (entry.resend || entry.retries_left > 0) {
    entry.payload.assign(payload);
    entry.headers = block;
  }
  js_.pubs.emplace(id, std::move(entry));
  js_.by_mux[*r] = {detail::JsMuxTarget::Kind::publish, id};
  ++ctx->second.in_flight;
  return id;
}

std::size_t Engine::js_pending(std::uint64_t context) const {
  auto ctx = js_.contexts.find(context);
  return ctx == js_.contexts.end() ? 0 : ctx->second.in_flight;
}

Error Engine::js_cancel(std::uint64_t id) {
  for (auto it = js_.by_mux.begin(); it != js_.by_mux.end(); ++it) {
    if (it->second.id != id) continue;
    mux_.remove(it->first);
    js_.by_mux.erase(it);
    break;
  }
  if (auto p = js_.pubs.find(id); p != js_.pubs.end()) {
    if (auto ctx = js_.contexts.find(p->second.context); ctx != js_.contexts.end()) {
      --ctx->second.in_flight;
    }
    if (p->second.retry_at) --js_.pubs_waiting_retry;
    js_.pubs.erase(p);
    return {};
  }
  if (js_.calls.erase(id) != 0) return {};
  return {Errc::invalid_argument, "no JetStream call or publish " + std::to_string(id)};
}

bool Engine::js_finish_call(std::uint64_t call_id, Event &event) {
  auto it = js_.calls.find(call_id);
  detail::JsApiCall &call = it->second.call;
  if (const std::uint64_t owner = it->second.owner; owner != 0) {
    // A call the engine made for a pull session or an ordered consumer.
    const Error error = call.error();
    const std::string result = error ? std::string() : call.take_result();
    js_.calls.erase(it);
    pull_call_done(owner, call_id, error, result);
    return false;
  }
  event = Event{};
  event.id = call_id;
  if (call.error()) {
    event.type = reads_stored(call.op()) ? EventType::js_stored_msg : EventType::js_result;
    event.error = call.error();
  } else if (call.has_stored()) {
    js::StoredMessage m = call.take_stored();
    event.type = EventType::js_stored_msg;
    event.text = std::move(m.subject);
    event.text2 = std::move(m.time);
    event.text3 = std::move(m.stream);
    event.num = m.seq;
    event.num2 = m.operation;  // key-value reads: put, del or purge
    event.data_headers = m.headers.size();
    event.data = std::move(m.headers);
    event.data += m.data;
  } else {
    event.type = EventType::js_result;
    event.text = call.take_result();
    if (call.op() == js::ApiOp::kv_bucket_create || call.op() == js::ApiOp::kv_bucket_info) {
      kv_note_bucket(it->second.context, event.text);
    }
  }
  js_.calls.erase(it);
  return true;
}

Result<std::uint64_t> Engine::js_start_internal(std::uint64_t context, js::ApiOp op,
                                                const std::string &args, std::uint64_t owner) {
  auto ctx = js_.contexts.find(context);
  if (ctx == js_.contexts.end()) return Error{Errc::invalid_argument, "no JetStream context"};
  auto call = detail::JsApiCall::start(op, args, ctx->second.prefix);
  if (!call) return call.error();
  std::uint64_t id = detail::take_id(js_.next_op, [&](std::uint64_t i) { return js_.in_use(i); });
  const Duration t = ctx->second.options.timeout;
  js_.calls.emplace(id, detail::JsCallEntry{context, t, std::move(*call), owner, now_ + t});
  if (Error e = js_send_call(id)) {
    js_.calls.erase(id);
    return e;
  }
  return id;
}

bool Engine::js_on_reply(std::uint64_t mux_id, const Op &op, Event &event) {
  auto target = js_.by_mux.find(mux_id);
  if (target == js_.by_mux.end()) return false;
  const detail::JsMuxTarget t = target->second;
  js_.by_mux.erase(target);
  if (t.kind == detail::JsMuxTarget::Kind::publish) {
    auto pub = js_.pubs.find(t.id);
    if (pub == js_.pubs.end()) return false;
    if (is_no_responders(op) && js_publish_retry_later(t.id, {Errc::no_responders, ""})) {
      return false;
    }
    if (auto ctx = js_.contexts.find(pub->second.context); ctx != js_.contexts.end()) {
      --ctx->second.in_flight;
    }
    event = Event{};
    event.type = EventType::js_pub_ack;
    event.id = t.id;
    if (is_no_responders(op)) {
      event.error = {Errc::no_stream_response,
                     "no stream matches subject '" + pub->second.subject + "'"};
      event.error.status = 503;
      event.error.subject = pub->second.subject;
    } else if (auto ack = js::parse_pub_ack(op.payload); ack) {
      event.text = std::move(ack->stream);
      event.text2 = std::move(ack->domain);
      event.num = ack->seq;
      event.flags = ack->duplicate ? 1u : 0u;
    } else {
      event.error = ack.error();
    }
    js_.pubs.erase(pub);
    return true;
  }
  auto call = js_.calls.find(t.id);
  if (call == js_.calls.end()) return false;
  if (is_no_responders(op)) {
    js_.by_mux[mux_id] = t;  // js_on_failed looks the target up again
    js_on_failed(mux_id, {Errc::no_responders, "no responders"});
    return false;  // js_on_failed queued the event
  }
  if (!call->second.call.on_reply(op.headers, op.payload)) {
    // More to ask: the next page, or the update after reading the config.
    if (Error e = js_send_call(t.id)) {
      const std::uint64_t owner = call->second.owner;
      js_.calls.erase(call);
      if (owner != 0) {
        pull_call_done(owner, t.id, e, {});
        return false;
      }
      event = Event{};
      event.type = EventType::js_result;
      event.id = t.id;
      event.error = std::move(e);
      return true;
    }
    return false;
  }
  return js_finish_call(t.id, event);
}

void Engine::js_on_failed(std::uint64_t mux_id, const Error &error) {
  auto target = js_.by_mux.find(mux_id);
  if (target == js_.by_mux.end()) return;
  const detail::JsMuxTarget t = target->second;
  js_.by_mux.erase(target);
  Error e = error;
  if (t.kind == detail::JsMuxTarget::Kind::publish) {
    auto pub = js_.pubs.find(t.id);
    if (pub == js_.pubs.end()) return;
    if (js_publish_retry_later(t.id, e)) return;
    if (auto ctx = js_.contexts.find(pub->second.context); ctx != js_.contexts.end()) {
      --ctx->second.in_flight;
    }
    if (e.code == Errc::no_responders) {
      e = {Errc::no_stream_response, "no stream matches subject '" + pub->second.subject + "'"};
      e.status = 503;
      e.subject = pub->second.subject;
    }
    js_.pubs.erase(pub);
    emit(EventType::js_pub_ack, t.id, std::move(e));
    return;
  }
  auto call = js_.calls.find(t.id);
  if (call == js_.calls.end()) return;
  if (e.code == Errc::timeout && call->second.call.on_timeout()) {
    // The call asks something else first (kv_get: is the stream still there?).
    call->second.deadline = now_ + call->second.timeout;
    Error sent = js_send_call(t.id);
    if (!sent) return;
    e = std::move(sent);
  }
  if (e.code == Errc::no_responders && call->second.call.op() == js::ApiOp::kv_create) {
    // kv_create writes to the key's subject, not the API: nobody there means
    // no bucket's stream takes it.
    e = {Errc::bucket_not_found, "no bucket stores '" + call->second.call.subject() + "'"};
    e.status = 404;
    e.subject = call->second.call.subject();
  } else if (e.code == Errc::no_responders) {
    e = {Errc::js_not_enabled, "JetStream not enabled"};
    e.status = 503;
  } else if (e.code == Errc::timeout) {
    e.message = "JetStream API request timed out";
  }
  const bool stored = reads_stored(call->second.call.op());
  const std::uint64_t owner = call->second.owner;
  js_.calls.erase(call);
  if (owner != 0) {
    pull_call_done(owner, t.id, e, {});
    return;
  }
  emit(stored ? EventType::js_stored_msg : EventType::js_result, t.id, std::move(e));
}

}  // namespace nats
