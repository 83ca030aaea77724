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
  /// Attempts (nats.js retries; 0 and 1: one): a publish that gets no
  /// responders or times out is sent again after publish_retry_delay().
  std::uint32_t retries = 1;
};

/// The wait before attempt `attempt` + 1 of a retried publish (nats.js's
/// backoff policy without its jitter: 0, 250, 250, 500, 500, 3000, then 5000 ms).
std::chrono::milliseconds publish_retry_delay(std::uint32_t attempt);

/// The longest a publish can take with its retries: every attempt timing
/// out, and the waits between them (hosts that guard the engine's deadline).
std::chrono::milliseconds publish_max_time(std::chrono::milliseconds timeout,
                                           std::uint32_t retries);

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
