// embind declarations only: what JavaScript can call (see connection.hpp,
// headers_api.hpp, abi.hpp, probe.hpp; hot paths are raw exports in exports.cpp).
#include <emscripten/bind.h>

#include "abi.hpp"
#include "connection.hpp"
#include "consumers_api.hpp"
#include "headers_api.hpp"
#include "inbox_api.hpp"
#include "kv_api.hpp"
#include "micro_api.hpp"
#include "partitions_api.hpp"
#include "probe.hpp"

namespace nats::wasm {

EMSCRIPTEN_BINDINGS(nats_wasm) {
  using emscripten::class_;
  using emscripten::function;
  class_<Connection>("Connection")
      .constructor<emscripten::val>()
      .function("configError", &Connection::config_error)
      .function("connect", &Connection::connect)
      .function("transportOpened", &Connection::transport_opened)
      .function("transportClosed", &Connection::transport_closed)
      .function("handleTimeout", &Connection::handle_timeout)
      .function("authenticate", &Connection::authenticate)
      .function("nonceSigned", &Connection::nonce_signed)
      .function("authFailed", &Connection::auth_failed)
      .function("poll", &Connection::poll)
      .function("outputPtr", &Connection::output_ptr)
      .function("outputLen", &Connection::output_len)
      .function("consumeOutput", &Connection::consume_output)
      .function("nextDeadline", &Connection::next_deadline)
      .function("stagePtr", &Connection::stage_ptr)
      .function("subscribe", &Connection::subscribe)
      .function("unsubscribe", &Connection::unsubscribe)
      .function("setPendingLimits", &Connection::set_pending_limits)
      .function("subscriptionConsumed", &Connection::subscription_consumed)
      .function("subscriptionPending", &Connection::subscription_pending)
      .function("setSubscriptionTimeout", &Connection::set_subscription_timeout)
      .function("drainSubscription", &Connection::drain_subscription)
      .function("request", &Connection::request)
      .function("requestMany", &Connection::request_many)
      .function("cancelRequest", &Connection::cancel_request)
      .function("flush", &Connection::flush)
      .function("drain", &Connection::drain)
      .function("close", &Connection::close)
      .function("reconnect", &Connection::reconnect)
      .function("setOnline", &Connection::set_online)
      .function("checkConnection", &Connection::check_connection)
      .function("servers", &Connection::servers)
      .function("setServers", &Connection::set_servers)
      .function("state", &Connection::state)
      .function("errorMessage", &Connection::error_message)
      .function("lastError", &Connection::last_error)
      .function("infoJson", &Connection::info_json)
      .function("maxPayload", &Connection::max_payload)
      .function("stats", &Connection::stats)
      .function("pendingRequests", &Connection::pending_requests)
      .function("subscriptionCount", &Connection::subscription_count)
      .function("receiveBuffered", &Connection::receive_buffered)
      .function("newInbox", &Connection::new_inbox)
      .function("newNuid", &Connection::new_nuid)
      .function("currentServer", &Connection::current_server)
      .function("jsContext", &Connection::js_context)
      .function("jsApi", &Connection::js_api)
      .function("kvWrite", &Connection::kv_write)
      .function("kvWatch", &Connection::kv_watch)
      .function("objPutChunk", &Connection::obj_put_chunk)
      .function("objRead", &Connection::obj_read)
      .function("jsPending", &Connection::js_pending)
      .function("jsCancel", &Connection::js_cancel)
      .function("jsInFlight", &Connection::js_in_flight)
      .function("pullStart", &Connection::pull_start)
      .function("pushStart", &Connection::push_start)
      .function("pushCheck", &Connection::push_check)
      .function("jsAckNext", &Connection::js_ack_next)
      .function("pullConsumed", &Connection::pull_consumed)
      .function("pullStop", &Connection::pull_stop)
      .function("pullSessions", &Connection::pull_sessions)
      .function("orderedCreate", &Connection::ordered_create)
      .function("orderedPull", &Connection::ordered_pull)
      .function("orderedDelete", &Connection::ordered_delete)
      .function("orderedName", &Connection::ordered_name)
      .function("jsAck", &Connection::js_ack)
      .function("jsAckSync", &Connection::js_ack_sync)
      .function("handle", &Connection::handle);
  class_<ParserProbe>("ParserProbe")
      .constructor<double, double>()
      .function("receivePtr", &ParserProbe::receive_ptr)
      .function("commit", &ParserProbe::commit)
      .function("next", &ParserProbe::next);
  class_<MicroService>("MicroService")
      .constructor<>()
      .function("init", &MicroService::init)
      .function("addEndpoint", &MicroService::add_endpoint)
      .function("discovery", &MicroService::discovery)
      .function("reply", &MicroService::reply)
      .function("record", &MicroService::record)
      .function("reset", &MicroService::reset)
      .function("id", &MicroService::id);
  function("microGroup", &micro_group);
  function("microControlSubject", &micro_control_subject);
  function("microErrorHeaders", &micro_error_headers);
  function("microClassify", &micro_classify);
  function("abiJson", &abi_json);
  function("decodeHeaders", &decode_headers);
  function("validateHeader", &validate_header);
  function("encodeHeaders", &encode_headers);
  function("canonicalHeaderKey", &canonical_header_key);
  function("freshToken", &fresh_token);
  function("newInbox", &new_inbox);
  function("parseAckReply", &parse_ack_reply);
  function("pushSubscribeConfig", &push_subscribe_config);
  function("jsApiPrefix", &js_api_prefix);
  function("pullSubscribeConfig", &pull_subscribe_config);
  function("objDigestText", &obj_digest_text);
  function("objChunkSize", &obj_chunk_size);
  function("partitionFor", &partition_for);
  function("kvStreamName", &kv_stream_name);
  function("kvPurgeDeletesArgs", &kv_purge_deletes_args);
  function("advisoryKind", &advisory_kind);
  function("advisorySubject", &advisory_subject);
  function("topicSubjects", &topic_subjects);
  function("partitionCount", &partition_count);
}

}  // namespace nats::wasm
