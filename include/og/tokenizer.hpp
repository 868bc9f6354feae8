// Exact token accounting: byte-level BPE with tiktoken's pre-tokenization for cl100k_base and
// o200k_base. encode() gives the same ids as tiktoken's encode_ordinary: text that looks like a
// special token (`<|endoftext|>`) is ordinary text.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "og/result.hpp"

namespace og {

enum class Encoding : uint8_t { cl100k_base, o200k_base };

/// "cl100k_base" / "o200k_base".
std::string_view encoding_name(Encoding encoding);
/// Parses an encoding name; nullopt-like false when unknown.
bool parse_encoding(std::string_view name, Encoding* encoding);

/// Where vocabularies are looked for when no directory is given: $OG_TOKENIZER_DIR, else the
/// directory the build filled at set-up (scripts/fetch-vocab.sh).
std::string default_vocabulary_dir();

/// An immutable, thread-safe tokenizer. Copies share the loaded vocabulary.
class Tokenizer {
public:
  /// Loads `<dir>/<encoding>.json` (the `encoders/*.json` of the npm `tiktoken` package). The
  /// error names the file and how to get it when it is missing.
  static Result<Tokenizer> load(Encoding encoding,
                                const std::string& dir = default_vocabulary_dir());

  Encoding encoding() const;

  /// Token ids. Any bytes are accepted: invalid UTF-8 bytes are pre-tokenized as if they were
  /// U+FFFD (a symbol) and encoded as their own bytes, so decode(encode(s)) == s for every s.
  std::vector<uint32_t> encode(std::string_view text) const;
  /// Number of tokens, without building the id vector.
  size_t count(std::string_view text) const;
  /// Bytes of the ids; unknown ids are skipped and reported through `unknown` when given.
  std::string decode(const std::vector<uint32_t>& ids, size_t* unknown = nullptr) const;
  /// Size of the vocabulary (mergeable ranks plus special tokens).
  size_t vocabulary_size() const;

  struct Data;

private:
  explicit Tokenizer(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
};

} // namespace og
