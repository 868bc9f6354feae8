// Pass 2, ids: a heading's derived id (GitHub's anchor) is written out explicitly, so it stays
// when the heading is edited; an id that is not a valid og name (non-ASCII) stays derived.
// A new unit is `<section id>.<n>`, n counting the section's units from 1, skipping taken ids.
#include <unordered_set>

#include "plan.hpp"

namespace og::transpiler {

void assign_ids(Plan& plan) {
  const Document& doc = *plan.doc;
  std::unordered_set<std::string> taken;
  for (const auto& node : doc.nodes) taken.insert(node.id);
  std::vector<uint32_t> units_seen(plan.nodes.size(), 0);
  for (size_t i = 0; i < plan.nodes.size(); ++i) {
    PlanNode& p = plan.nodes[i];
    if (p.node >= 0) {
      const Node& node = doc.nodes[static_cast<size_t>(p.node)];
      if (node.kind == NodeKind::unit && p.parent >= 0) ++units_seen[static_cast<size_t>(p.parent)];
      p.write_id = !node.id_explicit && !p.title.empty() && syntax::is_valid_name(node.id);
      continue;
    }
    const PlanNode& section = plan.nodes[static_cast<size_t>(p.parent)];
    std::string base = syntax::is_valid_name(section.id) ? section.id : "unit";
    uint32_t& n = units_seen[static_cast<size_t>(p.parent)];
    do p.id = base + "." + std::to_string(++n);
    while (taken.count(p.id));
    taken.insert(p.id);
  }
}

} // namespace og::transpiler
