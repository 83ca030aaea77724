#include "abi.hpp"

#include "nats/engine.hpp"
#include "nats/jetstream/advisory.hpp"
#include "nats/jetstream/consumer.hpp"
#include "nats/micro/service.hpp"
#include "records.hpp"

namespace nats::wasm {
namespace {

// Every string here is an identifier or a dotted class path: nothing to
// escape, so a few appends beat pulling JSON serialisation into the module.
void key(std::string &out, std::string_view k) {
  if (out.back() != '{' && out.back() != '[') out += ',';
  out += '"';
  out += k;
  out += "\":";
}

void str(std::string &out, std::string_view k, std::string_view v) {
  key(out, k);
  out += '"';
  out += v;
  out += '"';
}

void num(std::string &out, std::string_view k, long long v) {
  key(out, k);
  out += std::to_string(v);
}

}  // namespace

std::string abi_json() {
  std::string out = "{";
  key(out, "errors");
  out += '[';
  for (const auto &row : errc_table()) {
    if (out.back() != '[') out += ',';
    out += '{';
    num(out, "code", static_cast<int>(row.code));
    str(out, "name", row.name);
    key(out, "local");
    out += is_local(row.code) ? "true" : "false";
    str(out, "js", row.js_class);
    str(out, "py", row.py_class);
    out += '}';
  }
  out += ']';
  key(out, "apiErrors");
  out += '[';
  for (const auto &row : api_error_classes()) {
    if (out.back() != '[') out += ',';
    out += '{';
    num(out, "errCode", row.err_code);
    num(out, "status", row.status);
    str(out, "js", row.js_class);
    str(out, "py", row.py_class);
    out += '}';
  }
  out += ']';
  key(out, "events");
  out += '{';
  for (auto t : all_event_types()) num(out, event_name(t), static_cast<int>(t));
  out += '}';
  key(out, "states");
  out += '{';
  for (auto s : all_states()) num(out, state_name(s), static_cast<int>(s));
  out += '}';
  key(out, "record");
  out += '{';
  for (std::uint32_t w = 0; w < kWords; ++w) num(out, kWordNames[w], w);
  num(out, "words", kWords);
  out += '}';
  key(out, "jsOps");
  out += '{';
  for (auto op : js::all_api_ops()) num(out, js::api_op_name(op), static_cast<int>(op));
  out += '}';
  key(out, "flags");
  out += '{';
  num(out, "duplicate", kFlagDuplicate);
  num(out, "arenaBody", kFlagArenaBody);
  out += '}';
  key(out, "pullModes");
  out += '{';
  num(out, "fetch", static_cast<int>(js::PullMode::fetch));
  num(out, "consume", static_cast<int>(js::PullMode::consume));
  num(out, "fetch_prompt", static_cast<int>(js::PullMode::fetch_prompt));
  out += '}';
  key(out, "ackKinds");
  out += '{';
  num(out, "ack", static_cast<int>(js::AckKind::ack));
  num(out, "nak", static_cast<int>(js::AckKind::nak));
  num(out, "working", static_cast<int>(js::AckKind::working));
  num(out, "term", static_cast<int>(js::AckKind::term));
  out += '}';
  key(out, "microResponseTypes");
  out += '{';
  for (auto v : {micro::Verb::ping, micro::Verb::info, micro::Verb::stats}) {
    str(out, micro::verb_name(v), micro::response_type(v));
  }
  out += '}';
  key(out, "advisoryKinds");
  out += '{';
  for (const auto &k : js::kAdvisoryKinds) str(out, k.name, k.kind);
  out += '}';
  key(out, "limits");
  out += '{';
  num(out, "kvMaxHistory", static_cast<int>(js::kv::kMaxHistory));
  num(out, "objChunkSize", static_cast<int>(js::obj::kDefaultChunkSize));
  num(out, "pushPendingMsgs", static_cast<int>(js::kPushPendingMsgsLimit));
  num(out, "pushPendingBytes", static_cast<int>(js::kPushPendingBytesLimit));
  out += '}';
  key(out, "strategies");
  out += '{';
  num(out, "timer", static_cast<int>(ReplyStrategy::timer));
  num(out, "count", static_cast<int>(ReplyStrategy::count));
  num(out, "stall", static_cast<int>(ReplyStrategy::stall));
  num(out, "sentinel", static_cast<int>(ReplyStrategy::sentinel));
  out += "}}";
  return out;
}

}  // namespace nats::wasm
