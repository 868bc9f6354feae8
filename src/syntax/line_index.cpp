// Line starts for offset -> line:col conversion, built once per document in one linear pass.
#include <algorithm>
#include <cstring>

#include "og/source.hpp"

namespace og {

LineIndex::LineIndex(std::string_view text) : size_(static_cast<uint32_t>(text.size())) {
  const char* data = text.data();
  const uint32_t n = size_;
  starts_.reserve(n / 48 + 1);
  starts_.push_back(0);
  // Most documents have no CR at all: then memchr for LF (vectorized in libc) finds every line.
  if (!std::memchr(data, '\r', n)) {
    for (const char* p = data;
         (p = static_cast<const char*>(std::memchr(p, '\n', data + n - p)));) {
      starts_.push_back(static_cast<uint32_t>(p - data) + 1);
      ++p;
    }
    return;
  }
  for (uint32_t i = 0; i < n; ++i) {
    char c = data[i];
    if (c != '\n' && c != '\r') continue;
    uint8_t length = 1;
    if (c == '\r' && i + 1 < n && data[i + 1] == '\n') ++i, length = 2;
    endings_.push_back(length);
    starts_.push_back(i + 1);
  }
  endings_.push_back(0);
}

uint32_t LineIndex::line_of(uint32_t offset) const {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  return static_cast<uint32_t>(it - starts_.begin()) - 1;
}

uint32_t LineIndex::line_of(uint32_t offset, uint32_t hint) const {
  if (hint >= starts_.size() || starts_[hint] > offset) return line_of(offset);
  // Gallop forward: 1, 2, 4, ... lines, then binary search in the last step.
  uint32_t low = hint, step = 1;
  uint32_t count = static_cast<uint32_t>(starts_.size());
  while (low + step < count && starts_[low + step] <= offset) {
    low += step;
    step *= 2;
  }
  uint32_t high = std::min(count, low + step);
  auto it = std::upper_bound(starts_.begin() + low, starts_.begin() + high, offset);
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
