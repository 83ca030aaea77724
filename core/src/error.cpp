#include "nats/error.hpp"

#include <array>

namespace nats {
namespace {

// The one error table. Python class names are paths under the nats_wasm
// package ("errors.TimeoutError" is nats_wasm.errors.TimeoutError), the way
// nats.py splits nats.errors and nats.js.errors.
constexpr std::array kTable{
    ErrcInfo{Errc::invalid_subject, "invalid_subject", "InvalidSubjectError",
             "errors.BadSubjectError"},
    ErrcInfo{Errc::invalid_queue, "invalid_queue", "InvalidArgumentError",
             "errors.BadSubjectError"},
    ErrcInfo{Errc::max_payload_exceeded, "max_payload_exceeded", "MaxPayloadError",
             "errors.MaxPayloadError"},
    ErrcInfo{Errc::connection_closed, "connection_closed", "ClosedConnectionError",
             "errors.ConnectionClosedError"},
    ErrcInfo{Errc::connection_draining, "connection_draining", "DrainingConnectionError",
             "errors.ConnectionDrainingError"},
    ErrcInfo{Errc::not_connected, "not_connected", "ConnectionError",
             "errors.ConnectionClosedError"},
    ErrcInfo{Errc::invalid_argument, "invalid_argument", "InvalidArgumentError",
             "errors.InvalidArgumentError"},
    ErrcInfo{Errc::invalid_header, "invalid_header", "InvalidArgumentError",
             "errors.InvalidArgumentError"},
    ErrcInfo{Errc::bad_subscription, "bad_subscription", "InvalidOperationError",
             "errors.BadSubscriptionError"},
    ErrcInfo{Errc::cancelled, "cancelled", "AbortError", "errors.Error"},
    ErrcInfo{Errc::illegal_state, "illegal_state", "InvalidOperationError", "errors.Error"},
    ErrcInfo{Errc::invalid_name, "invalid_name", "InvalidNameError", "errors.InvalidArgumentError"},
    ErrcInfo{Errc::invalid_key, "invalid_key", "InvalidArgumentError", "js.errors.InvalidKeyError"},
    ErrcInfo{Errc::window_full, "window_full", "InvalidOperationError", "errors.Error"},
    ErrcInfo{Errc::outbound_buffer_full, "outbound_buffer_full", "OutboundBufferLimitError",
             "errors.OutboundBufferLimitError"},
    ErrcInfo{Errc::protocol_error, "protocol_error", "ProtocolError", "errors.ProtocolError"},
    ErrcInfo{Errc::control_line_too_long, "control_line_too_long", "ProtocolError",
             "errors.ProtocolError"},
    ErrcInfo{Errc::payload_too_large, "payload_too_large", "ProtocolError", "errors.ProtocolError"},
    ErrcInfo{Errc::authorization_violation, "authorization_violation", "AuthorizationError",
             "errors.AuthorizationError"},
    ErrcInfo{Errc::permission_violation, "permission_violation", "PermissionViolationError",
             "errors.PermissionViolationError"},
    ErrcInfo{Errc::server_error, "server_error", "ProtocolError", "errors.ProtocolError"},
    ErrcInfo{Errc::stale_connection, "stale_connection", "ConnectionError",
             "errors.StaleConnectionError"},
    ErrcInfo{Errc::connection_lost, "connection_lost", "ConnectionError", "errors.UnexpectedEOF"},
    ErrcInfo{Errc::timeout, "timeout", "TimeoutError", "errors.TimeoutError"},
    ErrcInfo{Errc::no_responders, "no_responders", "NoRespondersError", "errors.NoRespondersError"},
    ErrcInfo{Errc::max_payload_violation, "max_payload_violation", "MaxPayloadError",
             "errors.MaxPayloadError"},
    ErrcInfo{Errc::slow_consumer, "slow_consumer", "SlowConsumerError", "errors.SlowConsumerError"},
    ErrcInfo{Errc::no_servers, "no_servers", "ConnectionError", "errors.NoServersError"},
    ErrcInfo{Errc::bad_header_block, "bad_header_block", "ProtocolError", "errors.ProtocolError"},
    ErrcInfo{Errc::js_api_error, "js_api_error", "JetStreamApiError", "js.errors.APIError"},
    ErrcInfo{Errc::js_not_enabled, "js_not_enabled", "JetStreamNotEnabled",
             "js.errors.ServiceUnavailableError"},
    ErrcInfo{Errc::no_stream_response, "no_stream_response", "JetStreamNotEnabled",
             "js.errors.NoStreamResponseError"},
    ErrcInfo{Errc::heartbeats_missed, "heartbeats_missed", "JetStreamError", "js.errors.Error"},
    ErrcInfo{Errc::consumer_deleted, "consumer_deleted", "ConsumerNotFoundError",
             "js.errors.ConsumerDeletedError"},
    ErrcInfo{Errc::js_status_error, "js_status_error", "JetStreamStatusError",
             "js.errors.APIError"},
    ErrcInfo{Errc::digest_mismatch, "digest_mismatch", "JetStreamError",
             "js.errors.DigestMismatchError"},
    ErrcInfo{Errc::js_bad_reply, "js_bad_reply", "JetStreamError", "js.errors.Error"},
    ErrcInfo{Errc::bucket_not_found, "bucket_not_found", "StreamNotFoundError",
             "js.errors.BucketNotFoundError"},
    ErrcInfo{Errc::key_not_found, "key_not_found", "JetStreamError", "js.errors.KeyNotFoundError"},
    ErrcInfo{Errc::object_not_found, "object_not_found", "JetStreamError",
             "js.errors.ObjectNotFoundError"},
    ErrcInfo{Errc::object_exists, "object_exists", "JetStreamError",
             "js.errors.ObjectAlreadyExists"},
    ErrcInfo{Errc::link_is_bucket, "link_is_bucket", "JetStreamError",
             "js.errors.LinkIsABucketError"},
    ErrcInfo{Errc::invalid_bucket_name, "invalid_bucket_name", "InvalidNameError",
             "js.errors.InvalidBucketNameError"},
    ErrcInfo{Errc::history_too_large, "history_too_large", "InvalidArgumentError",
             "js.errors.KeyHistoryTooLargeError"},
    ErrcInfo{Errc::tls_failed, "tls_failed", "ConnectionError", "errors.Error"},
    ErrcInfo{Errc::bad_bucket, "bad_bucket", "JetStreamError", "js.errors.BadBucketError"},
};

constexpr std::array kApiClasses{
    ApiErrorClass{10059, 0, "StreamNotFoundError", ""},
    ApiErrorClass{10014, 0, "ConsumerNotFoundError", ""},
    ApiErrorClass{10039, 0, "JetStreamNotEnabled", ""},
    // nats.py raises this for a KV update at the wrong revision; it is a
    // BadRequestError too, so JetStream publish callers still catch it.
    ApiErrorClass{10071, 0, "", "js.errors.KeyWrongLastSequenceError"},
    ApiErrorClass{10164, 0, "", "js.errors.KeyWrongLastSequenceError"},
    ApiErrorClass{0, 404, "", "js.errors.NotFoundError"},
    ApiErrorClass{0, 400, "", "js.errors.BadRequestError"},
    ApiErrorClass{0, 500, "", "js.errors.ServerError"},
    ApiErrorClass{0, 503, "", "js.errors.ServiceUnavailableError"},
};

}  // namespace

std::span<const ErrcInfo> errc_table() { return kTable; }

std::span<const ApiErrorClass> api_error_classes() { return kApiClasses; }

std::string_view errc_name(Errc code) {
  if (code == Errc::ok) return "ok";
  for (const auto &row : kTable) {
    if (row.code == code) return row.name;
  }
  return "unknown";
}

}  // namespace nats
