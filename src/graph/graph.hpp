// Internal interface of the graph stage.
#pragma once

#include <string>
#include <string_view>
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

} // namespace og::graph
