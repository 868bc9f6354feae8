// Internal interface of the tokenizer stage.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "og/tokenizer.hpp"

namespace og::tokenize {

/// End of the pre-token that starts at `pos` (< text.size()), exactly as tiktoken's pattern for
/// `encoding` splits: calling it from 0 with each returned end covers the text in order.
size_t next_pretoken(Encoding encoding, std::string_view text, size_t pos);

/// Byte string -> rank, over one arena of token bytes (open addressing, no per-token allocation).
class RankTable {
public:
  void reserve(size_t tokens, size_t bytes);
  void add(std::string_view bytes, uint32_t rank);
  /// Rank of `bytes`, or UINT32_MAX.
  uint32_t find(std::string_view bytes) const;
  /// Bytes of a rank (empty view when the rank has none).
  std::string_view bytes(uint32_t rank) const;
  size_t size() const { return count_; }

private:
  void grow();
  std::string arena_;
  std::vector<uint64_t> spans_; // rank -> offset << 24 | length
  std::vector<uint32_t> slots_; // rank + 1, 0 = empty
  size_t count_ = 0;
};

/// Appends the BPE ids of one pre-token to `out` (tiktoken's merge order: the lowest-ranked
/// adjacent pair first, leftmost among equals).
void byte_pair_encode(const RankTable& ranks, std::string_view piece, std::vector<uint32_t>& out);

/// The two merge loops byte_pair_encode() chooses between by piece length (exposed so tests can
/// check they agree): tiktoken's scan for short pieces, a heap for long ones.
void merge_by_scan(const RankTable& ranks, std::string_view piece, std::vector<uint32_t>& out);
void merge_by_heap(const RankTable& ranks, std::string_view piece, std::vector<uint32_t>& out);

/// Pieces shorter than this are merged by scan.
inline constexpr size_t scan_merge_limit = 64;

} // namespace og::tokenize
