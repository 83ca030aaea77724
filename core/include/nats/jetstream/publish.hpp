#pragma once
/// JetStream publish: the headers its options become, and the PubAck.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "nats/error.hpp"
#include "nats/headers.hpp"

namespace nats::js {

/// Options of one publish (nats.js JetStreamPublishOptions).
struct PublishOptions {
  std::string msg_id;                ///< Nats-Msg-Id (dedupe within the duplicate window)
  std::string expected_stream;       ///< Nats-Expected-Stream
  std::string expected_last_msg_id;  ///< Nats-Expected-Last-Msg-Id
  std::optional<std::uint64_t> expected_last_sequence;          ///< Nats-Expected-Last-Sequence
  std::optional<std::uint64_t> expected_last_subject_sequence;  ///< ...-Last-Subject-Sequence
  std::chrono::milliseconds timeout{0};                         ///< 0: the context's timeout
};

/// The server's acknowledgement of a stored message.
struct PubAck {
  std::string stream;
  std::uint64_t seq = 0;
  bool duplicate = false;  ///< the msg id was seen within the duplicate window
  std::string domain;
};

/// Adds the headers the options stand for (validated like any header).
Error add_publish_headers(Headers &headers, const PublishOptions &options);

/// Parses a PubAck reply. An {"error":...} reply is Errc::js_api_error with
/// status and err_code; an ack without a stream is a js_api_error
/// "invalid ack response" (as nats.js rejects it).
Result<PubAck> parse_pub_ack(std::string_view json);

/// The num_pending of a ConsumerInfo (0 when absent or not one).
std::uint64_t consumer_num_pending(std::string_view info_json);

}  // namespace nats::js
