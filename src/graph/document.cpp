// Lookups on a parsed document, and role visibility.
#include <algorithm>
#include <unordered_set>

#include "og/changes.hpp"
#include "og/document.hpp"

namespace og {

const std::vector<std::string>& core_types() {
  static const std::vector<std::string> core{"steps",     "code",    "warning", "concept",
                                             "reference", "example", "prereq",  "faq",
                                             "table",     "assert",  "decision"};
  return core;
}

bool is_known_type(std::string_view type) {
  const auto& core = core_types();
  return std::find(core.begin(), core.end(), type) != core.end() || type.starts_with("x-");
}

std::string_view edge_kind_name(EdgeKind kind) {
  switch (kind) {
  case EdgeKind::requires_:
    return "requires";
  case EdgeKind::precedes:
    return "precedes";
  case EdgeKind::see_also:
    return "see-also";
  case EdgeKind::contradicts:
    return "contradicts";
  case EdgeKind::escalate:
    return "escalate";
  case EdgeKind::extension:
    return "x-";
  }
  return "x-";
}

const Node* Document::find(std::string_view id) const {
  int32_t i = index_of(id);
  return i < 0 ? nullptr : &nodes[static_cast<size_t>(i)];
}

int32_t Document::index_of(std::string_view id) const {
  return ids.find(nodes, id);
}

void IdTable::reserve(size_t ids) {
  size_t capacity = 16;
  while (capacity < ids * 2) capacity *= 2;
  if (capacity > slots_.size()) slots_.assign(capacity, 0), count_ = 0;
}

void IdTable::grow(const std::vector<Node>& nodes) {
  std::vector<uint32_t> old = std::move(slots_);
  slots_.assign(old.empty() ? 16 : old.size() * 2, 0);
  size_t mask = slots_.size() - 1;
  for (uint32_t slot : old) {
    if (slot == 0) continue;
    size_t i = std::hash<std::string_view>{}(nodes[slot - 1].id) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

uint32_t IdTable::insert(const std::vector<Node>& nodes, uint32_t node) {
  if ((count_ + 1) * 2 > slots_.size()) grow(nodes);
  std::string_view id = nodes[node].id;
  size_t mask = slots_.size() - 1;
  for (size_t i = std::hash<std::string_view>{}(id)&mask;; i = (i + 1) & mask) {
    if (slots_[i] == 0) {
      slots_[i] = node + 1;
      ++count_;
      return node;
    }
    if (nodes[slots_[i] - 1].id == id) return slots_[i] - 1;
  }
}

int32_t IdTable::find(const std::vector<Node>& nodes, std::string_view id) const {
  if (slots_.empty()) return -1;
  size_t mask = slots_.size() - 1;
  for (size_t i = std::hash<std::string_view>{}(id)&mask;; i = (i + 1) & mask) {
    if (slots_[i] == 0) return -1;
    if (nodes[slots_[i] - 1].id == id) return static_cast<int32_t>(slots_[i] - 1);
  }
}

bool Document::has_errors() const {
  for (const auto& d : diagnostics)
    if (d.severity == Severity::error) return true;
  return false;
}

std::string_view node_kind_name(NodeKind kind) {
  switch (kind) {
  case NodeKind::heading:
    return "heading";
  case NodeKind::unit:
    return "unit";
  case NodeKind::document:
    return "document";
  }
  return "heading";
}

bool Document::speaks_og() const {
  if (meta.og_version) return true;
  for (const auto& node : nodes)
    if (node.kind == NodeKind::unit || !node.directives.empty() || is_generated_id(node.id))
      return true;
  return false;
}

std::string Document::first_error(std::string_view shown_path) const {
  for (const auto& d : diagnostics) {
    if (d.severity != Severity::error) continue;
    std::string text = format_diagnostic(shown_path.empty() ? path : shown_path, source, lines, d);
    return text.substr(0, text.find('\n'));
  }
  return {};
}

bool role_sees(const Meta& meta, std::string_view role, const std::vector<std::string>& scope) {
  if (scope.empty()) return true;
  // Walk down from `role` through the roles it includes; bounded by the number of roles.
  std::unordered_set<std::string_view> reached{role};
  std::vector<std::string_view> pending{role};
  while (!pending.empty()) {
    std::string_view current = pending.back();
    pending.pop_back();
    for (const auto& s : scope)
      if (s == current) return true;
    for (const auto& declared : meta.roles)
      if (declared.name == current)
        for (const auto& included : declared.includes)
          if (reached.insert(included).second) pending.push_back(included);
  }
  return false;
}

bool node_visible_to(const Document& document, const Node& node, std::string_view role) {
  for (const Node* n = &node;; n = &document.nodes[static_cast<size_t>(n->parent)]) {
    if (!role_sees(document.meta, role, n->effective_scope)) return false;
    if (n->parent < 0) return true;
  }
}

} // namespace og
