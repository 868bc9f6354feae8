// Internal: text edits for writers that change generated parts and leave content bytes alone
// (og commit, og transpile).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "og/document.hpp"

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

/// A frontmatter field as the document's frontmatter writes one: `key: value` (YAML) or
/// `key = value` (TOML), with `eol`.
std::string frontmatter_field(const Document& doc, std::string_view key, std::string_view value,
                              std::string_view eol);
/// Where a new top-level field goes: before YAML's closing line; right after TOML's opening
/// line, since a key below a `[table]` header belongs to that table.
uint32_t new_field_offset(const Document& doc);
/// The frontmatter lines that hold top-level fields: [first, last) line numbers (TOML's end at
/// its first `[table]` header).
std::pair<uint32_t, uint32_t> top_level_lines(const Document& doc);
/// Where the value starts in a frontmatter line that sets top-level `key`, or npos.
size_t field_value_start(const Document& doc, std::string_view line, std::string_view key);

} // namespace og
