// The engine's one way into nlohmann's parser. Parsing a std::string and a
// std::string_view instantiates the parser and lexer once per input type
// (about 17 KB of WebAssembly each), so every caller parses a pointer range
// through here instead.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace nats::detail {

/** Parses `text`; invalid JSON gives a discarded value (is_discarded()), never a throw. */
nlohmann::json parse_json(std::string_view text);

}  // namespace nats::detail
