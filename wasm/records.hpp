#pragma once
// Engine events as fixed-size records of 32-bit words, read by JavaScript
// with one Uint32Array per batch. The layout is defined here once and
// exported to JavaScript through abi_json() (js/dist/abi.mjs).

#include <cstdint>
#include <string>
#include <vector>

#include "nats/engine.hpp"

namespace nats::wasm {

/// Word offsets inside one record.
enum Word : std::uint32_t {
  kType = 0,    ///< EventType
  kId,          ///< sid, request id, flush id
  kErrc,        ///< Errc (0 = none)
  kSid,         ///< the subscription a message arrived on
  kSubjectPtr,  ///< heap pointers into the receive buffer (valid until the next feed)
  kSubjectLen,
  kReplyPtr,
  kReplyLen,
  kHeadersPtr,
  kHeadersLen,
  kPayloadPtr,
  kPayloadLen,
  kTextOff,  ///< offsets into the batch's text arena: error message or event text
  kTextLen,
  kText2Off,  ///< error subject
  kText2Len,
  kText3Off,  ///< error queue
  kText3Len,
  kStatus,     ///< error status (JetStream API code, pull status)
  kErrCode,    ///< JetStream API err_code
  kOperation,  ///< permission violation: 0 none, 1 publish, 2 subscription
  kNumLo,      ///< a 64-bit number (low, high words)
  kNumHi,
  kNum2Lo,
  kNum2Hi,
  kFlags,  ///< kFlagDuplicate, kFlagArenaBody; js_msg: delivery count << 8
  kWords,  ///< words per record
};

/// Flag bits of kFlags.
enum Flag : std::uint32_t {
  kFlagDuplicate = 1,  ///< js_pub_ack: the msg id was a duplicate
  kFlagArenaBody = 2,  ///< headers/payload pointers are offsets into the text arena
};

/// Word names in order, for the exported ABI.
inline constexpr const char *kWordNames[kWords] = {
    "type",     "id",         "errc",       "sid",        "subjectPtr", "subjectLen", "replyPtr",
    "replyLen", "headersPtr", "headersLen", "payloadPtr", "payloadLen", "textOff",    "textLen",
    "text2Off", "text2Len",   "text3Off",   "text3Len",   "status",     "errCode",    "operation",
    "numLo",    "numHi",      "num2Lo",     "num2Hi",     "flags"};

/// Where one batch is, for JavaScript to copy it out in three slices
/// without a pass over the records: the words, the text arena, and the
/// heap range holding the headers and payloads of its messages that must be
/// copied. Bodies that lie wholly in the bytes just fed (the fresh range)
/// are not counted there: JavaScript still has those bytes and hands out
/// views of them instead of copies.
struct BatchSummary {
  std::uint32_t words_ptr;
  std::uint32_t count;
  std::uint32_t text_ptr;
  std::uint32_t text_len;
  std::uint32_t bodies_lo;     ///< lowest header/payload pointer to copy (0 when none)
  std::uint32_t bodies_hi;     ///< one past the highest
  std::uint32_t bodies_bytes;  ///< their total length (a gap-free range has hi - lo == bytes)
  std::uint32_t fresh_ptr;     ///< where the bytes of the feed behind this batch went (0: none)
  std::uint32_t fresh_len;
};

/// A batch of records plus the text they refer to.
class RecordBatch {
public:
  void clear() {
    words_.clear();
    text_.clear();
    bodies_lo_ = UINT32_MAX;
    bodies_hi_ = 0;
    bodies_bytes_ = 0;
    // The feed (if any) this batch is built from, for summary(): the range
    // itself is cleared as soon as the feed's poll is over.
    batch_fresh_lo_ = fresh_lo_;
    batch_fresh_len_ = fresh_hi_ - fresh_lo_;
  }
  /// The summary JavaScript reads after each poll (valid until the next one).
  const BatchSummary &summary();
  /// The heap range the bytes of the current feed were written to; cleared
  /// with (nullptr, 0) once that feed's batch is built.
  void set_fresh(const char *at, std::size_t n);
  /// Appends one event.
  void append(const Event &ev);
  std::size_t count() const { return words_.size() / kWords; }
  const std::uint32_t *words() const { return words_.data(); }
  const char *text() const { return text_.data(); }

private:
  std::uint32_t add_text(std::string_view s, std::uint32_t *len_word);
  void add_body(std::string_view bytes);
  std::vector<std::uint32_t> words_;
  std::string text_;
  std::uint32_t bodies_lo_ = UINT32_MAX;
  std::uint32_t bodies_hi_ = 0;
  std::uint32_t bodies_bytes_ = 0;
  std::uint32_t fresh_lo_ = 0;
  std::uint32_t fresh_hi_ = 0;
  std::uint32_t batch_fresh_lo_ = 0;
  std::uint32_t batch_fresh_len_ = 0;
  BatchSummary summary_{};
};

}  // namespace nats::wasm
