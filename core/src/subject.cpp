#include "nats/subject.hpp"

namespace nats {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v' || c == '\0';
}

// Walks the '.'-separated tokens; wildcards decide per token.
Error validate(std::string_view subject, bool allow_wildcards) {
  if (subject.empty()) {
    return {Errc::invalid_subject, "subject is empty"};
  }
  std::size_t start = 0;
  while (true) {
    std::size_t end = subject.find('.', start);
    bool last = end == std::string_view::npos;
    std::string_view token = subject.substr(start, last ? std::string_view::npos : end - start);
    if (token.empty()) {
      return {Errc::invalid_subject, "subject '" + std::string(subject) + "' has an empty token"};
    }
    for (char c : token) {
      if (is_space(c)) {
        return {Errc::invalid_subject,
                "subject '" + std::string(subject) + "' contains whitespace"};
      }
    }
    // A wildcard is a whole token; like nats-server, '*' or '>' inside a
    // longer token is a literal character.
    if (token == "*" || token == ">") {
      if (!allow_wildcards) {
        return {Errc::invalid_subject,
                "publish subject '" + std::string(subject) + "' contains a wildcard"};
      }
      if (token == ">" && !last) {
        return {Errc::invalid_subject,
                "subject '" + std::string(subject) + "' has '>' before the last token"};
      }
    }
    if (last) {
      return {};
    }
    start = end + 1;
  }
}

}  // namespace

Error validate_publish_subject(std::string_view subject) { return validate(subject, false); }

Error validate_subscribe_subject(std::string_view subject) { return validate(subject, true); }

Error validate_queue(std::string_view queue) {
  if (queue.empty()) {
    return {Errc::invalid_queue, "queue group name is empty"};
  }
  for (char c : queue) {
    if (is_space(c)) {
      return {Errc::invalid_queue, "queue group '" + std::string(queue) + "' contains whitespace"};
    }
  }
  return {};
}

}  // namespace nats
