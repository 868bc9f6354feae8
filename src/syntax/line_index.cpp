// Line starts for offset -> line:col conversion, built once per document in one linear pass.
#include <algorithm>

#include "og/source.hpp"

namespace og {

LineIndex::LineIndex(std::string_view text) : size_(static_cast<uint32_t>(text.size())) {
  starts_.push_back(0);
  const uint32_t n = size_;
  for (uint32_t i = 0; i < n; ++i) {
    char c = text[i];
    if (c != '\n' && c != '\r') continue;
    content_ends_.push_back(i);
    if (c == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
    starts_.push_back(i + 1);
  }
  content_ends_.push_back(n);
}

uint32_t LineIndex::line_of(uint32_t offset) const {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  return static_cast<uint32_t>(it - starts_.begin()) - 1;
}

Position LineIndex::position(uint32_t offset) const {
  if (starts_.empty()) return {};
  uint32_t line = line_of(offset);
  return {line + 1, offset - starts_[line] + 1};
}

uint32_t LineIndex::line_end(uint32_t line) const {
  return line + 1 < starts_.size() ? starts_[line + 1] : size_;
}

} // namespace og
