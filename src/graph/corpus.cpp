// Cross-document checks (`path.og#id` edges, `:requires` cycles that span files, links to other
// documents) and LinkResolver, which finds what Markdown links name.
#include <algorithm>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "graph/graph.hpp"
#include "og/changes.hpp"
#include "og/corpus.hpp"
#include "syntax/syntax.hpp"

namespace og {

namespace {

constexpr size_t max_cycle_reports = 16;

/// Collapses `.` and `..` segments; keeps leading `..` of relative paths.
std::string normalize(const std::string& path) {
  std::vector<std::string_view> parts;
  bool absolute = !path.empty() && path[0] == '/';
  for (size_t i = 0; i <= path.size();) {
    size_t end = std::min(path.find('/', i), path.size());
    std::string_view part(path.data() + i, end - i);
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
  out.reserve(path.size());
  for (size_t k = 0; k < parts.size(); ++k) out.append(k ? "/" : "").append(parts[k]);
  return out;
}

struct NodeRef {
  uint32_t doc;
  uint32_t node;
};

/// Path links (not wikilinks: a vault's root is not known here) of the first `initial`
/// documents whose document is outside the set, added from disk when `load` reads one.
void load_linked_documents(std::vector<Document>& documents, size_t initial,
                           std::unordered_map<std::string, uint32_t>& by_path,
                           const DocumentLoader& load) {
  for (size_t d = 0; d < initial; ++d)
    for (const auto& node : documents[d].nodes)
      for (const auto& link : node.links) {
        if (link.wiki || link.doc.empty()) continue;
        auto candidates = LinkResolver::candidate_paths(documents[d].path, link);
        if (std::any_of(candidates.begin(), candidates.end(),
                        [&](const std::string& path) { return by_path.count(path) > 0; }))
          continue;
        for (const auto& path : candidates)
          if (auto loaded = load(path)) {
            by_path.emplace(path, static_cast<uint32_t>(documents.size()));
            documents.push_back(std::move(*loaded));
            break;
          }
      }
}

void check_links(std::vector<Document>& documents, size_t initial,
                 const std::unordered_map<std::string, uint32_t>& by_path, LinkCounts* counts) {
  std::vector<const Document*> set;
  for (const auto& doc : documents) set.push_back(&doc);
  LinkResolver::Parsed parsed(set);
  LinkResolver resolver(parsed, by_path);
  LinkCounts found;
  for (uint32_t d = 0; d < initial; ++d) {
    Document& doc = documents[d];
    std::vector<Diagnostic> missing;
    for (const auto& node : doc.nodes)
      for (const auto& link : node.links) {
        if (link.doc.empty()) continue;
        ++found.to_documents;
        if (resolver.document(d, link)) {
          ++found.resolved;
        } else if (!link.wiki && syntax::names_document_file(link.doc)) {
          missing.push_back({Code::link_document_missing,
                             Severity::warning,
                             {link.at, link.at + 1},
                             fmt::format("the link to `{}` names no document: it is neither in "
                                         "the checked set nor readable",
                                         link.doc)});
        }
      }
    for (const auto& name : doc.meta.requires_documents)
      if (!resolver.named(d, name))
        missing.push_back({Code::link_document_missing, Severity::warning, doc.meta.requires_span,
                           fmt::format("`requires` names `{}`, which is no document of the "
                                       "checked set (a skill's `name`, a note name or a path)",
                                       name)});
    for (auto& diagnostic : missing) doc.diagnostics.push_back(std::move(diagnostic));
  }
  if (counts) *counts = found;
}

} // namespace

std::string resolve_relative(const std::string& from, const std::string& target) {
  if (!target.empty() && target[0] == '/') return normalize(target);
  size_t slash = from.rfind('/');
  std::string dir = slash == std::string::npos ? "" : from.substr(0, slash + 1);
  return normalize(dir + target);
}

size_t check_corpus(std::vector<Document>& documents, const DocumentLoader& load,
                    LinkCounts* links) {
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
  if (load) load_linked_documents(documents, initial, by_path, load);
  check_links(documents, initial, by_path, links);
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

// ---- LinkResolver ------------------------------------------------------------------------------

namespace {

/// `notes/Daily Log.md` -> `notes/daily log`; a folder's index, README or SKILL file is named
/// by the folder (graph::file_title): `skills/pdf/SKILL.md` -> `skills/pdf`.
std::string note_path(std::string_view path) {
  std::string lower = syntax::ascii_lower(path);
  size_t slash = lower.rfind('/'), dot = lower.rfind('.');
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash + 1))
    lower.resize(dot);
  if (graph::is_folder_page(path)) lower.resize(slash);
  return lower;
}

std::string_view file_stem(std::string_view note) {
  return note.substr(note.rfind('/') + 1);
}

/// Length of the folder prefix two paths share.
size_t shared_folders(std::string_view a, std::string_view b) {
  size_t shared = 0;
  for (size_t i = 0; i < a.size() && i < b.size() && a[i] == b[i]; ++i)
    if (a[i] == '/') shared = i + 1;
  return shared;
}

} // namespace

LinkResolver::LinkResolver(const Documents& documents,
                           const std::unordered_map<std::string, uint32_t>& by_path)
    : documents_(documents), by_path_(by_path) {
  for (uint32_t d = 0; d < documents.size(); ++d) {
    by_note_[std::string(file_stem(note_path(documents.path(d))))].push_back(d);
    if (!documents.skill(d).empty())
      by_skill_[syntax::ascii_lower(documents.skill(d))].push_back(d);
  }
}

std::optional<uint32_t> LinkResolver::nearest(uint32_t from,
                                              const std::vector<uint32_t>& candidates) const {
  std::optional<uint32_t> best;
  size_t best_shared = 0;
  for (uint32_t d : candidates) {
    size_t shared = shared_folders(documents_.path(d), documents_.path(from));
    if (!best || shared > best_shared) best = d, best_shared = shared;
  }
  return best;
}

std::optional<uint32_t> LinkResolver::named(uint32_t from, const std::string& name) const {
  if (auto by_path = document(from, Link{name, "", false})) return by_path;
  if (auto skill = by_skill_.find(syntax::ascii_lower(name)); skill != by_skill_.end())
    return nearest(from, skill->second);
  return by_note_name(from, name);
}

std::optional<uint32_t> LinkResolver::first_node(uint32_t doc) const {
  for (uint32_t n = 0; n < documents_.node_count(doc); ++n)
    if (!is_generated_id(documents_.node_id(doc, n))) return n;
  return std::nullopt;
}

std::optional<uint32_t> LinkResolver::by_note_name(uint32_t from, const std::string& name) const {
  std::string wanted = note_path(name);
  auto found = by_note_.find(std::string(file_stem(wanted)));
  if (found == by_note_.end()) return std::nullopt;
  std::vector<uint32_t> matching;
  for (uint32_t d : found->second) {
    std::string candidate = note_path(resolve_relative("", documents_.path(d)));
    if (candidate == wanted || candidate.ends_with("/" + wanted)) matching.push_back(d);
  }
  return nearest(from, matching);
}

std::vector<std::string> LinkResolver::candidate_paths(const std::string& from, const Link& link) {
  std::string path = resolve_relative(from, link.doc);
  if (path.empty() || (!link.doc.ends_with('/') && syntax::names_document_file(path)))
    return {path};
  std::vector<std::string> candidates;
  auto add = [&](const std::string& at) {
    for (const char* suffix :
         {"", ".md", ".og", ".markdown", "/index.md", "/README.md", "/_index.md", "/SKILL.md"})
      candidates.push_back(at + suffix);
  };
  add(path);
  // Pretty URLs (Jekyll, Hugo): `page.md` is served as `page/`, so its `../other/` is a sibling.
  if (link.doc.ends_with('/') && !graph::is_folder_page(from))
    add(resolve_relative(from.substr(0, from.rfind('.')) + "/", link.doc));
  return candidates;
}

std::optional<uint32_t> LinkResolver::document(uint32_t from, const Link& link) const {
  if (link.doc.empty()) return from;
  if (link.wiki) return by_note_name(from, link.doc);
  for (const std::string& candidate : candidate_paths(documents_.path(from), link))
    if (auto found = by_path_.find(candidate); found != by_path_.end()) return found->second;
  return std::nullopt;
}

std::optional<LinkResolver::Target> LinkResolver::resolve(uint32_t from, const Link& link) const {
  std::optional<uint32_t> d = document(from, link);
  if (!d) return std::nullopt;
  if (!link.anchor.empty()) {
    int32_t node = documents_.index_of(*d, link.anchor);
    if (node < 0) node = documents_.index_of(*d, graph::github_slug(link.anchor));
    if (node >= 0) return Target{*d, static_cast<uint32_t>(node), true};
  }
  if (auto first = first_node(*d)) return Target{*d, *first, false};
  return std::nullopt;
}

} // namespace og
