// Cross-document checks: `path.og#id` edges and `:requires` cycles that span files.
#include <unordered_map>

#include <fmt/format.h>

#include "graph/graph.hpp"
#include "og/corpus.hpp"

namespace og {

namespace {

constexpr size_t max_cycle_reports = 16;

/// Collapses `.` and `..` segments; keeps leading `..` of relative paths.
std::string normalize(const std::string& path) {
  std::vector<std::string> parts;
  bool absolute = !path.empty() && path[0] == '/';
  size_t i = 0;
  while (i <= path.size()) {
    size_t end = path.find('/', i);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(i, end - i);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..")
        parts.pop_back();
      else if (!absolute)
        parts.push_back(part);
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    i = end + 1;
  }
  std::string out = absolute ? "/" : "";
  for (size_t k = 0; k < parts.size(); ++k) out += (k ? "/" : "") + parts[k];
  return out;
}

struct NodeRef {
  uint32_t doc;
  uint32_t node;
};

} // namespace

std::string resolve_relative(const std::string& from, const std::string& target) {
  if (!target.empty() && target[0] == '/') return normalize(target);
  size_t slash = from.rfind('/');
  std::string dir = slash == std::string::npos ? "" : from.substr(0, slash + 1);
  return normalize(dir + target);
}

size_t check_corpus(std::vector<Document>& documents, const DocumentLoader& load) {
  const size_t initial = documents.size();
  std::unordered_map<std::string, uint32_t> by_path;
  for (uint32_t i = 0; i < documents.size(); ++i) by_path.emplace(normalize(documents[i].path), i);

  // Pass 1: find every target document, loading the ones outside the set.
  for (uint32_t d = 0; d < documents.size(); ++d) {
    for (const auto& node : documents[d].nodes)
      for (const auto& edge : node.edges) {
        if (edge.target.doc.empty()) continue;
        std::string path = resolve_relative(documents[d].path, edge.target.doc);
        if (!by_path.count(path) && load) {
          if (auto loaded = load(path)) {
            by_path.emplace(path, static_cast<uint32_t>(documents.size()));
            documents.push_back(std::move(*loaded));
          }
        }
      }
  }
  // Pass 2: resolve edges; build the global `:requires` graph.
  std::vector<NodeRef> refs;
  std::vector<std::vector<uint32_t>> first_ref(documents.size());
  for (uint32_t d = 0; d < documents.size(); ++d)
    for (uint32_t n = 0; n < documents[d].nodes.size(); ++n) {
      first_ref[d].push_back(static_cast<uint32_t>(refs.size()));
      refs.push_back({d, n});
    }
  std::vector<std::vector<uint32_t>> requires_graph(refs.size());
  for (uint32_t d = 0; d < documents.size(); ++d) {
    Document& doc = documents[d];
    for (uint32_t n = 0; n < doc.nodes.size(); ++n)
      for (const auto& edge : doc.nodes[n].edges) {
        if (edge.target.doc.empty()) {
          int32_t t = doc.index_of(edge.target.id);
          if (t >= 0 && edge.kind == EdgeKind::requires_ && static_cast<uint32_t>(t) != n)
            requires_graph[first_ref[d][n]].push_back(first_ref[d][static_cast<uint32_t>(t)]);
          continue;
        }
        std::string path = resolve_relative(doc.path, edge.target.doc);
        auto found = by_path.find(path);
        if (found == by_path.end()) {
          doc.diagnostics.push_back({Code::edge_document_missing, Severity::error, edge.span,
                                     fmt::format("`:{}` points into `{}`, which cannot be read",
                                                 edge.name, edge.target.doc)});
          continue;
        }
        const Document& other = documents[found->second];
        int32_t t = other.index_of(edge.target.id);
        if (t < 0) {
          doc.diagnostics.push_back({Code::edge_dangling, Severity::error, edge.span,
                                     fmt::format("`:{}` points to `{}`, which has no node `#{}`",
                                                 edge.name, edge.target.doc, edge.target.id)});
          continue;
        }
        if (edge.kind == EdgeKind::requires_)
          requires_graph[first_ref[d][n]].push_back(
              first_ref[found->second][static_cast<uint32_t>(t)]);
      }
  }
  // Only cycles that cross files are new here; parse() already reported the others.
  for (const auto& cycle : graph::find_cycles(requires_graph, max_cycle_reports)) {
    bool crosses = false;
    for (uint32_t r : cycle) crosses |= refs[r].doc != refs[cycle[0]].doc;
    if (!crosses) continue;
    std::string text;
    for (uint32_t r : cycle)
      text += (text.empty() ? "" : " -> ") + documents[refs[r].doc].path + "#" +
              documents[refs[r].doc].nodes[refs[r].node].id;
    const NodeRef& from = refs[cycle[cycle.size() - 2]];
    Document& doc = documents[from.doc];
    doc.diagnostics.push_back({Code::requires_cycle, Severity::error, doc.nodes[from.node].heading,
                               fmt::format("`:requires` cycle across files: {}", text)});
  }
  return initial;
}

} // namespace og
