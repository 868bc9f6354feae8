// Lookups on a parsed document, and role visibility.
#include <unordered_set>

#include "og/document.hpp"

namespace og {

std::string_view edge_kind_name(EdgeKind kind) {
  switch (kind) {
  case EdgeKind::requires_: return "requires";
  case EdgeKind::precedes: return "precedes";
  case EdgeKind::see_also: return "see-also";
  case EdgeKind::contradicts: return "contradicts";
  case EdgeKind::escalate: return "escalate";
  case EdgeKind::extension: return "x-";
  }
  return "x-";
}

const Node* Document::find(std::string_view id) const {
  int32_t i = index_of(id);
  return i < 0 ? nullptr : &nodes[static_cast<size_t>(i)];
}

int32_t Document::index_of(std::string_view id) const {
  auto it = by_id.find(std::string(id));
  return it == by_id.end() ? -1 : static_cast<int32_t>(it->second);
}

bool Document::has_errors() const {
  for (const auto& d : diagnostics)
    if (d.severity == Severity::error) return true;
  return false;
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

} // namespace og
