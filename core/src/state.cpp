#include "nats/state.hpp"

#include <algorithm>
#include <array>

namespace nats {
namespace {

using S = State;

// Read top to bottom: where each state may go. Everything not listed is an
// illegal move.
constexpr std::array kMoves{
    StateMove{S::disconnected, S::connecting},     // connect()
    StateMove{S::disconnected, S::closed},         // close() before connect()
    StateMove{S::connecting, S::awaiting_info},    // the host opened the transport
    StateMove{S::connecting, S::reconnecting},     // it could not; try the next server
    StateMove{S::connecting, S::closed},           // ... or give up
    StateMove{S::awaiting_info, S::signing},       // INFO with a nonce and a signer
    StateMove{S::awaiting_info, S::handshaking},   // INFO: CONNECT + PING sent
    StateMove{S::awaiting_info, S::reconnecting},  // lost before INFO
    StateMove{S::awaiting_info, S::closed},        // bad INFO, timeout, close()
    StateMove{S::signing, S::handshaking},         // the host signed the nonce
    StateMove{S::signing, S::reconnecting},        // lost while signing
    StateMove{S::signing, S::closed},              // signing failed, close()
    StateMove{S::handshaking, S::connected},       // the first PONG
    StateMove{S::handshaking, S::reconnecting},    // lost during the handshake
    StateMove{S::handshaking, S::closed},          // -ERR (auth), timeout, close()
    StateMove{S::connected, S::draining},          // drain()
    StateMove{S::connected, S::reconnecting},      // lost, stale, lame duck
    StateMove{S::connected, S::closed},            // close(), fatal -ERR
    StateMove{S::draining, S::closed},             // the drain's PONG, or any failure
    StateMove{S::reconnecting, S::connecting},     // the backoff passed: next server
    StateMove{S::reconnecting, S::closed},         // attempts used up, close()
};

constexpr std::array kStates{S::disconnected, S::connecting,   S::awaiting_info,
                             S::signing,      S::handshaking,  S::connected,
                             S::draining,     S::reconnecting, S::closed};

}  // namespace

std::span<const StateMove> state_moves() { return kMoves; }

bool legal_move(State from, State to) {
  return std::any_of(kMoves.begin(), kMoves.end(),
                     [&](const StateMove &m) { return m.from == from && m.to == to; });
}

std::span<const State> all_states() { return kStates; }

std::string_view state_name(State s) {
  switch (s) {
    case S::disconnected: return "disconnected";
    case S::connecting: return "connecting";
    case S::awaiting_info: return "awaiting_info";
    case S::signing: return "signing";
    case S::handshaking: return "handshaking";
    case S::connected: return "connected";
    case S::draining: return "draining";
    case S::reconnecting: return "reconnecting";
    case S::closed: return "closed";
  }
  return "unknown";
}

}  // namespace nats
