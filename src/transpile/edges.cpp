// Pass 4, edges:
//   an in-document link `[x](#anchor)` to another node                -> :see-also #anchor
//   "see <title>" in the text, where <title> is one node's title only    -> :see-also
//   a steps node and each prereq node before it whose parent is the steps
//   node's parent or one of its ancestors                               -> :requires
//   two adjacent sibling steps nodes                                    -> :precedes
// Prerequisites precede what requires them, so :requires never forms a cycle.
#include <algorithm>
#include <unordered_map>

#include "plan.hpp"

namespace og::transpiler {

namespace {

bool has_edge(const Plan& plan, const PlanNode& p, std::string_view kind,
              const std::string& target) {
  for (const auto& e : p.edges)
    if (e.kind == kind && e.target == target) return true;
  if (p.node < 0) return false;
  for (const auto& e : plan.doc->nodes[static_cast<size_t>(p.node)].edges)
    if (e.name == kind && e.target.doc.empty() && e.target.id == target) return true;
  return false;
}

void add(const Plan& plan, PlanNode& p, std::string kind, const std::string& target) {
  // An id that is no valid name (a non-ASCII heading's slug) cannot be written as a target.
  if (target == p.id || !syntax::is_valid_name(target) || has_edge(plan, p, kind, target)) return;
  p.edges.push_back({std::move(kind), target});
}

/// The parent as the written file parses: units of the text before the first heading belong
/// to no node (the document node is on nobody's path), so the next run infers the same edges.
int32_t parent_of(const Plan& plan, const PlanNode& p) {
  if (p.parent < 0) return -1;
  const PlanNode& up = plan.nodes[static_cast<size_t>(p.parent)];
  bool document =
      up.node >= 0 && plan.doc->nodes[static_cast<size_t>(up.node)].kind == NodeKind::document;
  return document ? -1 : p.parent;
}

bool is_ancestor(const Plan& plan, int32_t ancestor, int32_t node) {
  for (int32_t n = node; n >= 0; n = parent_of(plan, plan.nodes[static_cast<size_t>(n)]))
    if (n == ancestor) return true;
  return false;
}

void link_anchors(Plan& plan, const std::unordered_map<std::string, size_t>& by_id) {
  for (auto& p : plan.nodes)
    for (const auto& b : p.blocks)
      for (const auto& anchor : b.anchors)
        if (by_id.count(anchor)) add(plan, p, "see-also", anchor);
}

std::string_view first_word(std::string_view text) {
  size_t end = 0;
  while (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end]))) ++end;
  return text.substr(0, end);
}

/// "see <title>": titles of 4+ characters that only one node has, found by their first word.
void link_mentions(Plan& plan) {
  std::unordered_map<std::string, int> title_count;
  for (const auto& p : plan.nodes)
    if (p.title.size() >= 4) ++title_count[syntax::ascii_lower(p.title)];
  std::unordered_multimap<std::string, std::pair<std::string, std::string>> by_first_word;
  for (const auto& p : plan.nodes) {
    std::string title = syntax::ascii_lower(p.title);
    if (title.size() >= 4 && title_count[title] == 1 && !first_word(title).empty())
      by_first_word.emplace(std::string(first_word(title)), std::make_pair(title, p.id));
  }
  for (auto& p : plan.nodes) {
    std::string text = syntax::ascii_lower(p.text);
    size_t found = 0;
    for (size_t at = text.find("see "); at != std::string::npos && found < 16;
         at = text.find("see ", at + 4), ++found) {
      if (at > 0 && std::isalnum(static_cast<unsigned char>(text[at - 1]))) continue;
      size_t from = at + 4;
      if (text.compare(from, 4, "the ") == 0) from += 4;
      auto [first, last] = by_first_word.equal_range(std::string(first_word(text.substr(from))));
      for (auto it = first; it != last; ++it) {
        const auto& [title, id] = it->second;
        size_t end = from + title.size();
        if (text.compare(from, title.size(), title) != 0) continue;
        if (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end]))) continue;
        add(plan, p, "see-also", id);
      }
    }
  }
}

/// The nearest (at most 3) prereq nodes before a steps node, in the steps node's scope.
void link_procedures(Plan& plan) {
  constexpr size_t max_requires = 3, max_checked = 64;
  std::vector<size_t> prereqs;
  for (size_t s = 0; s < plan.nodes.size(); ++s) {
    if (plan.nodes[s].type == "prereq") prereqs.push_back(s);
    if (plan.nodes[s].type != "steps") continue;
    size_t added = 0, checked = 0;
    for (auto q = prereqs.rbegin();
         q != prereqs.rend() && added < max_requires && checked < max_checked; ++q, ++checked) {
      const PlanNode& prereq = plan.nodes[*q];
      int32_t scope = parent_of(plan, prereq);
      if ((scope < 0 || is_ancestor(plan, scope, static_cast<int32_t>(s))) &&
          !is_ancestor(plan, static_cast<int32_t>(*q), static_cast<int32_t>(s))) {
        add(plan, plan.nodes[s], "requires", prereq.id);
        ++added;
      }
    }
  }
  for (size_t a = 0; a < plan.nodes.size(); ++a) {
    if (plan.nodes[a].type != "steps") continue;
    int32_t parent = parent_of(plan, plan.nodes[a]);
    for (size_t b = a + 1; b < plan.nodes.size(); ++b) { // the next sibling, if any
      if (parent >= 0 && !is_ancestor(plan, parent, static_cast<int32_t>(b))) break;
      if (parent_of(plan, plan.nodes[b]) != parent) continue;
      if (plan.nodes[b].type == "steps") add(plan, plan.nodes[a], "precedes", plan.nodes[b].id);
      break;
    }
  }
}

} // namespace

void infer_edges(Plan& plan) {
  std::unordered_map<std::string, size_t> by_id;
  for (size_t i = 0; i < plan.nodes.size(); ++i) by_id.emplace(plan.nodes[i].id, i);
  link_anchors(plan, by_id);
  link_mentions(plan);
  link_procedures(plan);
}

} // namespace og::transpiler
