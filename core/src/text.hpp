// Small text helpers shared by the engine's readers (protocol lines, header
// blocks).
#pragma once

#include <string_view>

namespace nats::detail {

/// `s` without the blanks (spaces and tabs) at either end.
inline std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace nats::detail
