#pragma once
/// What a server `-ERR` means: its code, whether the server closes the
/// connection after it, and for permission violations what was denied.
/// The only place that reads -ERR text.

#include <string_view>

#include "nats/error.hpp"

namespace nats {

/// A classified -ERR.
struct ServerErr {
  Error error;         ///< code + text; permission violations fill operation/subject/queue
  bool fatal = false;  ///< the server closes the connection after it
};

/// Classifies the text of `-ERR '<text>'` (without quotes).
ServerErr classify_server_error(std::string_view text);

}  // namespace nats
