#include "records.hpp"

namespace nats::wasm {
namespace {

std::uint32_t ptr32(const void *p) {
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(p));
}

}  // namespace

std::uint32_t RecordBatch::add_text(std::string_view s, std::uint32_t *len_word) {
  auto off = static_cast<std::uint32_t>(text_.size());
  text_.append(s);
  *len_word = static_cast<std::uint32_t>(s.size());
  return off;
}

void RecordBatch::set_fresh(const char *at, std::size_t n) {
  fresh_lo_ = ptr32(at);
  fresh_hi_ = fresh_lo_ + static_cast<std::uint32_t>(n);
}

void RecordBatch::add_body(std::string_view bytes) {
  if (bytes.empty()) return;
  const auto lo = ptr32(bytes.data());
  const auto hi = lo + static_cast<std::uint32_t>(bytes.size());
  if (lo >= fresh_lo_ && hi <= fresh_hi_) return;  // JavaScript has these bytes
  if (lo < bodies_lo_) bodies_lo_ = lo;
  if (hi > bodies_hi_) bodies_hi_ = hi;
  bodies_bytes_ += static_cast<std::uint32_t>(bytes.size());
}

const BatchSummary &RecordBatch::summary() {
  const bool any = bodies_bytes_ > 0;
  summary_ = {ptr32(words_.data()), static_cast<std::uint32_t>(count()),
              ptr32(text_.data()),  static_cast<std::uint32_t>(text_.size()),
              any ? bodies_lo_ : 0, any ? bodies_hi_ : 0,
              bodies_bytes_,        batch_fresh_lo_,
              batch_fresh_len_};
  return summary_;
}

void RecordBatch::append(const Event &ev) {
  std::size_t at = words_.size();
  words_.resize(at + kWords, 0);
  std::uint32_t *r = words_.data() + at;
  r[kType] = static_cast<std::uint32_t>(ev.type);
  r[kId] = static_cast<std::uint32_t>(ev.id);
  r[kErrc] = static_cast<std::uint32_t>(ev.error.code);
  if (ev.type == EventType::message || ev.type == EventType::request_reply ||
      ev.type == EventType::js_msg) {
    const Message &m = ev.msg;
    r[kSid] = static_cast<std::uint32_t>(m.sid);
    r[kSubjectPtr] = ptr32(m.subject.data());
    r[kSubjectLen] = static_cast<std::uint32_t>(m.subject.size());
    r[kReplyPtr] = ptr32(m.reply.data());
    r[kReplyLen] = static_cast<std::uint32_t>(m.reply.size());
    r[kHeadersPtr] = ptr32(m.headers.data());
    r[kHeadersLen] = static_cast<std::uint32_t>(m.headers.size());
    r[kPayloadPtr] = ptr32(m.payload.data());
    r[kPayloadLen] = static_cast<std::uint32_t>(m.payload.size());
    add_body(m.headers);
    add_body(m.payload);
    if (ev.type == EventType::js_msg) {
      r[kNumLo] = static_cast<std::uint32_t>(ev.num);
      r[kNumHi] = static_cast<std::uint32_t>(ev.num >> 32);
      r[kNum2Lo] = static_cast<std::uint32_t>(ev.num2);
      r[kNum2Hi] = static_cast<std::uint32_t>(ev.num2 >> 32);
      r[kFlags] = ev.flags << 8;  // the delivery count, above the flag bits
    }
    return;
  }
  if (ev.error) {
    const Error &e = ev.error;
    r[kTextOff] = add_text(e.message, &r[kTextLen]);
    r[kText2Off] = add_text(e.subject, &r[kText2Len]);
    // An event with an error and a text (disconnected: the server) has no
    // queue: its text goes in the third slot.
    r[kText3Off] = add_text(e.queue.empty() ? std::string_view(ev.text) : e.queue, &r[kText3Len]);
    r[kStatus] = static_cast<std::uint32_t>(e.status);
    r[kErrCode] = static_cast<std::uint32_t>(e.err_code);
    r[kOperation] = e.operation == "publish" ? 1u : e.operation == "subscription" ? 2u : 0u;
    r[kNumLo] = static_cast<std::uint32_t>(ev.num);  // reconnecting: the attempt
    r[kNumHi] = static_cast<std::uint32_t>(ev.num >> 32);
    return;
  }
  if (!ev.text.empty()) r[kTextOff] = add_text(ev.text, &r[kTextLen]);
  if (!ev.text2.empty()) r[kText2Off] = add_text(ev.text2, &r[kText2Len]);
  if (!ev.text3.empty()) r[kText3Off] = add_text(ev.text3, &r[kText3Len]);
  r[kNumLo] = static_cast<std::uint32_t>(ev.num);
  r[kNumHi] = static_cast<std::uint32_t>(ev.num >> 32);
  r[kNum2Lo] = static_cast<std::uint32_t>(ev.num2);
  r[kNum2Hi] = static_cast<std::uint32_t>(ev.num2 >> 32);
  r[kFlags] = ev.flags;
  if (!ev.data.empty()) {
    // Owned bytes (a stored message) live in the arena, not the receive
    // buffer: offsets, not pointers (the arena may still grow).
    const std::string_view d(ev.data);
    r[kHeadersPtr] = add_text(d.substr(0, ev.data_headers), &r[kHeadersLen]);
    r[kPayloadPtr] = add_text(d.substr(ev.data_headers), &r[kPayloadLen]);
    r[kFlags] |= kFlagArenaBody;
  }
}

}  // namespace nats::wasm
