// Internal interface of the graph stage.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
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
  void reserve(size_t headings) { occurrences_.reserve(headings); }

private:
  std::unordered_map<std::string, int> occurrences_;
};

/// Document-level checks run by parse(): roles and scopes, edge targets within the document,
/// `:requires` cycles, assertion directives. Appends to document.diagnostics.
void lint(Document& document);

/// Cycles of a directed graph given as adjacency lists, each as a vertex list whose first vertex
/// is repeated at the end. Iterative (no recursion per edge), linear in vertices + edges; at most
/// `max_cycles` are returned, one per back edge found.
std::vector<std::vector<uint32_t>> find_cycles(const std::vector<std::vector<uint32_t>>& adjacency,
                                               size_t max_cycles);

} // namespace og::graph
