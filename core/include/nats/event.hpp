#pragma once
/// What the engine tells its host: events and the messages they carry.
/// Views in a Message: see engine.hpp.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "nats/error.hpp"

namespace nats {

/// A received message. Its views point into the engine's receive buffer
/// (how long they stay valid: engine.hpp).
struct Message {
  std::string_view subject;
  std::string_view reply;
  std::string_view headers;  ///< raw header block, empty when none
  std::string_view payload;
  std::uint64_t sid = 0;
};

/// What happened. Numbers reach hosts through the exported ABI.
enum class EventType : std::uint8_t {
  connected,            ///< handshake done (PONG to the first PING)
  message,              ///< msg for subscription `id`
  request_reply,        ///< request `id` got `msg` (a multi-reply request may get more)
  request_failed,       ///< request `id` ended with `error`
  flush_done,           ///< flush `id` round-tripped (or failed: `error`)
  subscription_closed,  ///< sub `id` ended: max reached, drained,
                        ///< unsubscribed, or `error` (e.g. permissions)
  error,                ///< a non-fatal server error (e.g. permissions)
  info,                 ///< INFO changed after connect (info())
  lame_duck,            ///< the server entered lame-duck mode
  closed,               ///< terminal; `error` says why when it failed
  transport_open,       ///< open a transport to `text` (a URL), then transport_opened()
  transport_close,      ///< write pending output, then close the transport
  request_done,         ///< multi-reply request `id` ended without error
  js_result,            ///< JetStream API call `id` ended: `text` is the JSON result, or `error`
  js_pub_ack,           ///< JetStream publish `id`: stream `text`, domain `text2`, seq `num`,
                        ///< duplicate `flags` bit 0; or `error`
  js_stored_msg,        ///< API call `id` read a message: subject `text`, time `text2`,
                        ///< stream `text3`, seq `num`, `data` = headers (`data_headers`
                        ///< bytes) then payload
  js_msg,               ///< pull session `id` got `msg`: stream seq `num`, delivery seq `num2`,
                        ///< delivery count `flags`
  pull_status,          ///< pull session `id` notification: type `text`, detail `text2`,
                        ///< numbers `num`/`num2` (see docs/design.md)
  pull_done,            ///< pull session `id` ended (`error` when it failed)
  disconnected,         ///< the connection to `text` was lost (`error` says why); reconnecting
  reconnecting,         ///< attempt `num` to reach `text` starts
  reconnected,          ///< connected again, to `text`; subscriptions and consumers resumed
  servers_changed,      ///< the cluster announced servers: `text` added, `text2` removed
                        ///< (JSON arrays of "host:port")
  slow_consumer,        ///< sub `id` is behind: `num` messages pending, `num2` dropped in all;
                        ///< `flags` 1 when messages are being dropped (a limit was hit), 0
                        ///< when only over the `slow` threshold. Once per episode.
  auth_needed,          ///< host_auth: the server's nonce is `text` ("" none); answer
                        ///< with authenticate() or auth_failed()
  sign_nonce,           ///< sign `text` (the nonce) with the Ed25519 seed `data` (32 bytes);
                        ///< answer with nonce_signed() or auth_failed()
  tls_upgrade,          ///< INFO asks for TLS on this TCP connection: stop reading, run the
                        ///< TLS handshake with host `text`, then call tls_upgraded()
};

/// A stable name for an event type ("request_reply").
std::string_view event_name(EventType type);
/// Every event type, in numeric order.
std::span<const EventType> all_event_types();

/// One engine event.
struct Event {
  EventType type = EventType::closed;
  std::uint64_t id = 0;  ///< sid, request id, flush id, JetStream call or publish id
  Message msg;
  Error error;
  std::string text;   ///< transport_open: the URL; JetStream: see the event type
  std::string text2;  ///< JetStream: see the event type
  std::string text3;  ///< JetStream: see the event type
  std::string data;   ///< js_stored_msg: headers then payload (owned: no receive-buffer views)
  std::size_t data_headers = 0;
  std::uint64_t num = 0;
  std::uint64_t num2 = 0;
  std::uint32_t flags = 0;
};

}  // namespace nats
