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

/// A batch of records plus the text they refer to.
class RecordBatch {
public:
  void clear() {
    words_.clear();
    text_.clear();
  }
  /// Appends one event.
  void append(const Event &ev);
  std::size_t count() const { return words_.size() / kWords; }
  const std::uint32_t *words() const { return words_.data(); }
  const char *text() const { return text_.data(); }

private:
  std::uint32_t add_text(std::string_view s, std::uint32_t *len_word);
  std::vector<std::uint32_t> words_;
  std::string text_;
};

}  // namespace nats::wasm
