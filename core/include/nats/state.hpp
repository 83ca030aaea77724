#pragma once
/// Connection states and the table of legal moves between them.
///
///   disconnected → connecting → awaiting_info → [signing →] handshaking → connected
///   connected → draining → closed
///   connecting … connected → reconnecting → connecting   (connection lost, reconnect allowed)
///   anything but closed → closed
///
/// Engine code moves only through the table; an illegal move is an
/// Errc::illegal_state error, never silently ignored.

#include <cstdint>
#include <span>
#include <string_view>

namespace nats {

/// Connection states. Numbers reach hosts through the exported ABI.
enum class State : std::uint8_t {
  disconnected,   ///< created; no transport yet
  connecting,     ///< the host is opening the transport the engine named
  awaiting_info,  ///< transport open; waiting for INFO
  signing,        ///< INFO asked for a signed nonce; waiting for the host's signature
  handshaking,    ///< CONNECT + PING sent; waiting for the PONG
  connected,      ///< handshake done
  draining,       ///< unsubscribed everything; waiting for the final PONG
  reconnecting,   ///< the connection was lost; waiting to try the next server
  closed,         ///< terminal
};

/// One legal move.
struct StateMove {
  State from;
  State to;
};

/// Every legal move, as data.
std::span<const StateMove> state_moves();

/// True when `from → to` is in the table.
bool legal_move(State from, State to);

/// A stable name for a state ("connected").
std::string_view state_name(State s);

/// Every state, in numeric order (for the exported ABI and tests).
std::span<const State> all_states();

/// True while the transport carries a session the client may use
/// (handshaking counts: operations queue behind CONNECT).
constexpr bool is_open(State s) {
  return s == State::handshaking || s == State::connected || s == State::draining;
}

}  // namespace nats
