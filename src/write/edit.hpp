// Internal: text edits for writers that change generated parts and leave content bytes alone
// (og commit, og transpile).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace og {

struct Edit {
  uint32_t start = 0;
  uint32_t end = 0; ///< bytes [start, end) are replaced by text
  std::string text;
};

/// Applies non-overlapping edits; edits at the same offset apply in the order given.
std::string apply_edits(std::string_view source, std::vector<Edit> edits);

/// The line ending a file already uses ("\r\n" when its first line ends so), for added lines.
std::string_view line_ending(std::string_view source);

} // namespace og
