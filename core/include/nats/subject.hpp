#pragma once
/// Subject and queue-group validation.

#include <string_view>

#include "nats/error.hpp"

namespace nats {

/// A publish subject: non-empty tokens, no whitespace, no wildcards.
Error validate_publish_subject(std::string_view subject);
/// A subscribe subject: non-empty tokens, no whitespace; `*` may be a whole
/// token anywhere, `>` only as the whole last token.
Error validate_subscribe_subject(std::string_view subject);
/// A queue group name: non-empty, no whitespace. Empty means "no queue" and
/// must be checked by the caller.
Error validate_queue(std::string_view queue);

}  // namespace nats
