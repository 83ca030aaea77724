#pragma once
/// Protocol vectors (tests/vectors/*.json, format in tests/vectors/README.md):
/// loading them and running them through nats::Parser under several splits.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nats/parser.hpp"

namespace nats::test {

/// An owned copy of one parsed op: parser views die at the next feed().
struct OpRecord {
  OpType type = OpType::ping;
  std::uint64_t sid = 0;
  std::string subject;
  std::string reply;
  std::string headers;
  std::string payload;
  std::string text;
};

/// One entry of a vector's `expect` list.
struct ExpectedOp {
  OpRecord op;
  /// Set when the vector gives `payload_size`: only the length is checked.
  std::optional<std::size_t> payload_size;
};

/// One vector file, with `input_repeat` already expanded into `input`.
struct Vector {
  std::string name;  ///< file name without ".json"
  std::string description;
  std::size_t max_payload = Parser::default_max_payload;
  std::size_t max_line = Parser::default_max_line;
  std::string input;  ///< raw bytes
  std::vector<ExpectedOp> expect;
  std::string error;  ///< errc_name of the sticky error; empty for need_more
};

/// How the input is cut into feed() calls.
enum class SplitKind : std::uint8_t { whole, bytewise, random };

/// A split strategy; `seed` only matters for SplitKind::random.
struct Split {
  SplitKind kind = SplitKind::whole;
  std::uint32_t seed = 0;

  /// A name usable in a gtest parameter name ("whole", "random_7").
  std::string name() const;
};

/// Whole, byte-at-a-time, and random splits with several fixed seeds.
std::vector<Split> all_splits();
/// Chunk lengths (all > 0, summing to n) for an input of n bytes.
std::vector<std::size_t> chunk_sizes(std::size_t n, const Split &split);

/// What the parser produced for one run of a vector.
struct RunResult {
  std::vector<OpRecord> ops;
  std::string error;          ///< errc_name of the error, empty when none
  std::string error_message;  ///< the error's text
  std::size_t buffered = 0;   ///< parser.buffered() after the last chunk
  /// False when, after the first error, next() ever returned anything but
  /// the same error (the error must be sticky).
  bool sticky = true;
};

/// Decodes a UTF-8 JSON string whose code points are bytes (< 256).
/// Throws std::runtime_error on a code point >= 256 or bad UTF-8.
std::string decode_bytes(std::string_view utf8);
/// Parses one vector file's text. Throws std::runtime_error when the text
/// does not follow tests/vectors/README.md.
Vector parse_vector(std::string_view json_text, std::string name);

/// Every vector of a directory, sorted by name, and the files that failed.
struct VectorSet {
  std::vector<Vector> vectors;
  std::vector<std::string> errors;  ///< "file: reason", one per bad file
};

/// Loads every *.json file in dir.
VectorSet load_vectors(const std::filesystem::path &dir);
/// The vectors in NATS_VECTORS_DIR, loaded once.
const VectorSet &all_vectors();

/// Feeds the vector's input to a fresh parser in the split's chunks, draining
/// next() after each chunk, and records every op and the error.
RunResult run_vector(const Vector &vector, const Split &split);

/// The op-type name used in vector files ("MSG", "OK", ...).
std::string_view op_name(OpType type);
/// Printable form of raw bytes: C-style escapes for anything not printable.
std::string escape(std::string_view bytes);
/// One line describing an op; with payload_size_only the payload's bytes are
/// left out and only its length is shown.
std::string describe(const OpRecord &op, bool payload_size_only = false);
/// One line describing an expected op, in the same form as describe().
std::string describe(const ExpectedOp &op);

}  // namespace nats::test
