// Internal interface of the graph stage.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "og/document.hpp"

namespace og::graph {

/// GitHub's heading anchor: lowercase, drop everything but letters, marks, numbers, connector
/// punctuation, `-` and space, then spaces become `-` (github-slugger's rules).
std::string github_slug(std::string_view text);

/// github-slugger's de-duplication: the second `foo` becomes `foo-1`, and so on.
class SlugDeduplicator {
public:
  std::string next(std::string slug);
  void reserve(size_t headings);

private:
  /// Index of `slug` in keys_, or -1; open addressing over keys_ (no allocation per lookup).
  int64_t find(std::string_view slug) const;
  void insert(std::string slug);
  std::vector<std::string> keys_;
  std::vector<int> occurrences_; // parallel to keys_
  std::vector<uint32_t> slots_;  // key index + 1; 0 is empty
};

/// A document's name from its path: the file name without extension, or the folder's name for
/// an `index`, `_index`, `README` or `SKILL` file (`skills/pdf/SKILL.md` is `pdf`).
std::string file_title(std::string_view path);
/// Whether the file is a folder's page (`index`, `_index`, `README`, `SKILL`, in a folder).
bool is_folder_page(std::string_view path);

/// Document-level checks run by parse(): roles and scopes, edge targets within the document,
/// `:requires` cycles, assertion directives. Appends to document.diagnostics.
void lint(Document& document);

/// Change tracking checks (tracking.cpp): stale `:made-from` summaries, edits since the last
/// commit, malformed `__changelog` lines. Called by lint().
void lint_tracking(Document& document);

/// Cycles of a directed graph given as adjacency lists, each as a vertex list whose first vertex
/// is repeated at the end. Iterative (no recursion per edge), linear in vertices + edges; at most
/// `max_cycles` are returned, one per back edge found.
std::vector<std::vector<uint32_t>> find_cycles(const std::vector<std::vector<uint32_t>>& adjacency,
                                               size_t max_cycles);

/// The Markdown block grammar read from raw lines (block_lines.cpp): what the builder needs
/// around md4c's outline to place headings and read og constructs.
namespace lines {

/// Only spaces and tabs (a line without its line break).
bool is_blank(std::string_view text);
/// Only spaces, tabs and line breaks.
bool is_blank_text(std::string_view text);
/// Leading spaces (at most 3 count as indentation for block starts).
size_t indentation(std::string_view line);
/// Length of the ATX opening `#…#` after indentation, or 0 when the line is no ATX heading.
size_t atx_opening(std::string_view line);
/// The number of `#`s of an ATX opening (atx_opening() non-zero).
unsigned atx_level(std::string_view line);
/// 1 for a `=` underline, 2 for `-`.
unsigned setext_level(std::string_view line);
bool is_setext_underline(std::string_view line);
/// Lines that can precede a setext heading's text without belonging to it.
bool ends_previous_block(std::string_view line);
/// A line that opens a list item or a block quote: a setext underline under it is no heading
/// (`+ ` then `-` is two lists), so an empty heading is never placed there.
bool opens_container(std::string_view line);
/// What follows the block quote and list markers a line opens with (`1. - > ##` gives `##`).
std::string_view after_container_markers(std::string_view line);
/// The content of an ATX heading line: after the opening and before the closing sequence.
std::pair<size_t, size_t> atx_content(std::string_view line, size_t opening);

} // namespace lines

} // namespace og::graph
