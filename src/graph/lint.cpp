// Document-level checks that need the whole graph: roles, scopes, edges, cycles, assertions.
#include <algorithm>
#include <unordered_set>

#include <fmt/format.h>

#include "graph/graph.hpp"
#include "og/assertion.hpp"
#include "og/changes.hpp"

namespace og::graph {

namespace {

/// Cycles reported per document; each can list every node, so the count is bounded.
constexpr size_t max_cycle_reports = 16;

void report(Document& doc, Code code, Severity severity, Span span, std::string message) {
  doc.diagnostics.push_back({code, severity, span, std::move(message)});
}

/// Span of a key in the frontmatter, for messages about roles and scope.
Span meta_key_span(const Document& doc, std::string_view key) {
  std::string_view fm = doc.text(doc.frontmatter);
  const char separator = doc.meta.syntax == FrontmatterSyntax::toml ? '=' : ':';
  for (size_t at = fm.find(key); at != std::string_view::npos; at = fm.find(key, at + 1)) {
    size_t after = at + key.size();
    while (after < fm.size() && fm[after] == ' ') ++after; // TOML writes `key = value`
    if (after < fm.size() && fm[after] == separator)
      return {doc.frontmatter.start + static_cast<uint32_t>(at),
              doc.frontmatter.start + static_cast<uint32_t>(at + key.size())};
  }
  return {doc.frontmatter.start, doc.frontmatter.start + 3};
}

std::string join_cycle(const Document& doc, const std::vector<uint32_t>& cycle) {
  std::string text;
  for (uint32_t i : cycle) text += (text.empty() ? "#" : " -> #") + doc.nodes[i].id;
  return text;
}

void lint_roles(Document& doc) {
  const Meta& meta = doc.meta;
  std::unordered_set<std::string> declared;
  for (const auto& role : meta.roles) declared.insert(role.name);
  for (const auto& role : meta.roles)
    for (const auto& included : role.includes)
      if (!declared.count(included))
        report(doc, Code::role_undeclared, Severity::error, meta_key_span(doc, role.name),
               fmt::format("role `{}` includes `{}`, which is not declared in `roles`", role.name,
                           included));
  std::vector<std::vector<uint32_t>> adjacency(meta.roles.size());
  for (size_t i = 0; i < meta.roles.size(); ++i)
    for (const auto& included : meta.roles[i].includes)
      for (size_t j = 0; j < meta.roles.size(); ++j)
        if (meta.roles[j].name == included) adjacency[i].push_back(static_cast<uint32_t>(j));
  for (const auto& cycle : find_cycles(adjacency, max_cycle_reports)) {
    std::string text;
    for (uint32_t i : cycle) text += (text.empty() ? "" : " -> ") + meta.roles[i].name;
    report(doc, Code::role_cycle, Severity::error, meta_key_span(doc, "roles"),
           fmt::format("roles include each other in a cycle: {}", text));
  }
  auto check_scope = [&](const std::vector<std::string>& scope, Span span) {
    for (const auto& role : scope)
      if (!declared.count(role))
        report(
            doc, Code::role_undeclared, Severity::error, span,
            meta.roles.empty()
                ? fmt::format("scope names role `{}` but the frontmatter declares no `roles`", role)
                : fmt::format("scope names role `{}`, which is not declared in `roles`", role));
  };
  check_scope(meta.scope, meta_key_span(doc, "scope"));
  for (const auto& node : doc.nodes) check_scope(node.scope, node.attribute_list);
}

void lint_edges(Document& doc) {
  std::vector<std::vector<uint32_t>> requires_graph(doc.nodes.size());
  for (uint32_t i = 0; i < doc.nodes.size(); ++i) {
    const Node& node = doc.nodes[i];
    for (const auto& edge : node.edges) {
      if (!edge.target.doc.empty()) continue; // resolved by check_corpus
      int32_t target = doc.index_of(edge.target.id);
      if (target < 0) {
        report(doc, Code::edge_dangling, Severity::error, edge.span,
               fmt::format("`:{}` points to `#{}`, which is not a node of this document", edge.name,
                           edge.target.id));
        continue;
      }
      if (static_cast<uint32_t>(target) == i) {
        report(doc, Code::edge_to_self, Severity::warning, edge.span,
               fmt::format("`:{}` points to the node itself", edge.name));
        continue;
      }
      if (edge.kind == EdgeKind::requires_)
        requires_graph[i].push_back(static_cast<uint32_t>(target));
    }
  }
  for (const auto& cycle : find_cycles(requires_graph, max_cycle_reports)) {
    const Node& from = doc.nodes[cycle[cycle.size() - 2]];
    Span span = from.heading;
    for (const auto& edge : from.edges)
      if (edge.kind == EdgeKind::requires_ && edge.target.doc.empty() &&
          edge.target.id == doc.nodes[cycle.back()].id)
        span = edge.span;
    report(doc, Code::requires_cycle, Severity::error, span,
           fmt::format("`:requires` cycle: {}", join_cycle(doc, cycle)));
  }
}

/// `:check` expressions of `.assert` nodes must parse (reported where the parser stopped).
void lint_check_expressions(Document& doc, const Node& node) {
  for (const auto& d : node.directives) {
    if (d.name != "check" || d.value.empty()) continue;
    ExpressionError error;
    if (Expression::parse(d.value, &error)) continue;
    uint32_t value_start = d.span.start + static_cast<uint32_t>(doc.text(d.span).find(d.value));
    uint32_t at =
        value_start + std::min<uint32_t>(error.offset, static_cast<uint32_t>(d.value.size()));
    report(doc, Code::directive_value_invalid, Severity::error, {at, at + 1},
           fmt::format("`:check` does not parse: {}", error.message));
  }
}

void lint_assertions(Document& doc) {
  for (const auto& node : doc.nodes) {
    if (node.type == "assert") {
      lint_check_expressions(doc, node);
      continue;
    }
    for (const auto& d : node.directives)
      if (d.name == "check" || d.name == "retry" || d.name == "escalate")
        report(doc, Code::assertion_outside_assert, Severity::error,
               {d.span.start, d.span.start + 1 + static_cast<uint32_t>(d.name.size())},
               fmt::format("`:{}` belongs to assertion nodes; mark the node `.assert`", d.name));
  }
}

/// Roles looked at per edge by lint_edge_visibility: a document declaring thousands of roles
/// would otherwise cost roles x edges role walks.
constexpr size_t max_roles_linted = 64;

/// The first role (of those declared) that sees `from` but not `to`, or nullptr.
const std::string* role_losing_target(const Document& doc, const Node& from, const Node& to) {
  size_t roles = std::min(doc.meta.roles.size(), max_roles_linted);
  for (size_t r = 0; r < roles; ++r) {
    const std::string& role = doc.meta.roles[r].name;
    if (node_visible_to(doc, from, role) && !node_visible_to(doc, to, role)) return &role;
  }
  return nullptr;
}

/// A `:requires` target or an `:escalate` target that a role reading the node cannot see: the
/// reader silently gets the step without its prerequisite, or an escalation to nowhere.
void lint_edge_visibility(Document& doc) {
  if (doc.meta.roles.empty()) return;
  for (const auto& node : doc.nodes)
    for (const auto& edge : node.edges) {
      if (!edge.target.doc.empty()) continue;
      if (edge.kind != EdgeKind::requires_ && edge.kind != EdgeKind::escalate) continue;
      const Node* target = doc.find(edge.target.id);
      if (!target || target == &node) continue;
      const std::string* role = role_losing_target(doc, node, *target);
      if (!role) continue;
      bool prerequisite = edge.kind == EdgeKind::requires_;
      report(doc, prerequisite ? Code::requires_hidden : Code::escalate_outside_scope,
             Severity::warning, edge.span,
             prerequisite
                 ? fmt::format("role `{}` sees `#{}` but not its prerequisite `#{}`; widen "
                               "the prerequisite's scope or narrow this node's",
                               *role, node.id, target->id)
                 : fmt::format("role `{}` runs `#{}` but cannot see its escalation target "
                               "`#{}`; the escalation is withheld from that role",
                               *role, node.id, target->id));
    }
}

/// Sections placed under a generated `__index` or `__changelog` heading (both H1 at the end of
/// a file): they are the author's, but read as part of the generated block.
void lint_generated(Document& doc) {
  for (const auto& node : doc.nodes) {
    if (node.parent < 0 || !is_generated_id(doc.nodes[static_cast<size_t>(node.parent)].id))
      continue;
    if (is_generated_id(node.id)) continue;
    report(doc, Code::text_under_generated, Severity::warning, node.heading,
           fmt::format("`{}` sits under the generated `#{}` block; move it above so it reads as "
                       "its own section",
                       node.id, doc.nodes[static_cast<size_t>(node.parent)].id));
  }
}

} // namespace

std::vector<std::vector<uint32_t>> find_cycles(const std::vector<std::vector<uint32_t>>& adjacency,
                                               size_t max_cycles) {
  enum : uint8_t { unvisited, on_stack, done };
  std::vector<uint8_t> state(adjacency.size(), unvisited);
  std::vector<std::vector<uint32_t>> cycles;
  std::vector<std::pair<uint32_t, size_t>> stack; // vertex, next edge to follow
  for (uint32_t root = 0; root < adjacency.size(); ++root) {
    if (state[root] != unvisited) continue;
    stack.push_back({root, 0});
    state[root] = on_stack;
    while (!stack.empty()) {
      auto& [v, next] = stack.back();
      if (next == adjacency[v].size()) {
        state[v] = done;
        stack.pop_back();
        continue;
      }
      uint32_t w = adjacency[v][next++];
      if (state[w] == unvisited) {
        state[w] = on_stack;
        stack.push_back({w, 0});
      } else if (state[w] == on_stack && cycles.size() < max_cycles) {
        auto from = std::find_if(stack.begin(), stack.end(), [w](auto& e) { return e.first == w; });
        std::vector<uint32_t> cycle;
        for (auto it = from; it != stack.end(); ++it) cycle.push_back(it->first);
        cycle.push_back(w);
        cycles.push_back(std::move(cycle));
      }
    }
  }
  return cycles;
}

void lint(Document& doc) {
  lint_roles(doc);
  lint_edges(doc);
  lint_assertions(doc);
  lint_generated(doc);
  lint_edge_visibility(doc);
  lint_tracking(doc);
}

} // namespace og::graph
