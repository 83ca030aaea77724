#pragma once
// The tables JavaScript and Python derive from, as JSON: error codes with
// their nats.js / nats.py class names, event types, states, and the record
// layout. scripts/gen-abi.mjs turns it into js/dist/abi.mjs at build time.

#include <string>

namespace nats::wasm {

/// {"errors":[...], "events":{...}, "states":{...}, "record":{...}, "strategies":{...}}
std::string abi_json();

}  // namespace nats::wasm
