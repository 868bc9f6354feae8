// Byte spans into a document's source and the line index that turns them into line:col.
// The graph keeps byte offsets only; line and column are computed when a position is reported.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace og {

/// Half-open byte range [start, end) into a document's source.
struct Span {
  uint32_t start = 0;
  uint32_t end = 0;
  uint32_t size() const { return end - start; }
  bool empty() const { return start == end; }
  friend bool operator==(const Span&, const Span&) = default;
};

/// 1-based line and column; the column counts bytes (not code points) from the line start.
struct Position {
  uint32_t line = 1;
  uint32_t column = 1;
};

/// Start offsets of every line. Lines end at LF, CR or CRLF (CommonMark's line endings).
class LineIndex {
public:
  LineIndex() = default;
  explicit LineIndex(std::string_view text);

  /// Position of a byte offset (offsets past the end map to the last line).
  Position position(uint32_t offset) const;
  /// 0-based line number holding `offset`.
  uint32_t line_of(uint32_t offset) const;
  /// The same, searching forward from line `hint` first: amortized O(1) for a caller that walks
  /// offsets in increasing order (a binary search over millions of lines misses the cache).
  uint32_t line_of(uint32_t offset, uint32_t hint) const;
  uint32_t line_count() const { return static_cast<uint32_t>(starts_.size()); }
  /// Byte offset where 0-based `line` starts.
  uint32_t line_start(uint32_t line) const { return starts_[line]; }
  /// Byte offset where 0-based `line` ends, line ending excluded.
  uint32_t content_end(uint32_t line) const {
    uint32_t end = line_end(line);
    if (endings_.empty()) return line + 1 < starts_.size() ? end - 1 : end; // LF only
    return end - endings_[line];
  }
  /// Byte offset where the next line starts (line ending included); the text size for the last.
  uint32_t line_end(uint32_t line) const;

private:
  std::vector<uint32_t> starts_;
  std::vector<uint8_t> endings_; ///< line-ending length per line; empty when every ending is LF

  uint32_t size_ = 0;
};

} // namespace og
