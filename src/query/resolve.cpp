// resolve_context: the requested nodes plus the transitive closure of the followed edges,
// prerequisites first, `.warning` nodes attached to a returned node always included, `known`
// nodes omitted, and a token budget met by giving up the least wanted first (fit_budget).
#include <algorithm>
#include <functional>
#include <set>
#include <unordered_map>

#include "og/corpus.hpp"
#include "query/query.hpp"

namespace og {

namespace {

enum class Role : uint8_t { requested, required, warning, linked };

struct Item {
  uint32_t node;
  Role role;
  std::string why;
  Depth depth;
  bool dropped = false;
  int64_t attached = -1; // for warnings: the node they are on
};

class Resolver {
public:
  Resolver(const Library::State& state, const ResolveRequest& request, const Caller& caller)
      : state_(state), request_(request), caller_(caller) {}

  ResolveResult run() {
    std::vector<uint32_t> requested = find_requested();
    if (!requested.empty()) first_requested_ = requested.front();
    std::set<uint32_t> known = find_known();
    collect(requested);
    add_warnings();
    order();
    for (auto it = items_.begin(); it != items_.end();) {
      if (known.count(it->node)) {
        result_.omitted.push_back(
            {state_.node_of(it->node).id, state_.doc_of(it->node).path, "known"});
        it = items_.erase(it);
      } else {
        ++it;
      }
    }
    if (request_.max_tokens) fit_budget(*request_.max_tokens);
    emit();
    return std::move(result_);
  }

private:
  Library::State::Lookup lookup(const std::string& ref) const {
    return state_.lookup(ref, caller_);
  }

  std::vector<uint32_t> find_requested() {
    std::vector<uint32_t> nodes;
    for (const auto& ref : request_.ids) {
      Library::State::Lookup found = lookup(ref);
      if (found.node >= 0) {
        nodes.push_back(static_cast<uint32_t>(found.node));
        continue;
      }
      result_.unknown.push_back(ref);
      if (!found.ambiguous.empty()) result_.ambiguous.push_back({ref, std::move(found.ambiguous)});
    }
    return nodes;
  }

  std::set<uint32_t> find_known() const {
    std::set<uint32_t> known;
    for (const auto& ref : request_.known) {
      int64_t g = lookup(ref).node;
      if (g >= 0) known.insert(static_cast<uint32_t>(g));
    }
    return known;
  }

  bool follows(std::string_view kind) const {
    return std::find(request_.follow.begin(), request_.follow.end(), kind) != request_.follow.end();
  }

  /// Visible targets of the followed edges of node g (a document's frontmatter `requires`
  /// counts as `:requires` of the node that stands for it).
  std::vector<uint32_t> dependencies(uint32_t g) const {
    std::vector<uint32_t> out;
    auto take = [&](int64_t t) {
      if (t >= 0 && static_cast<uint32_t>(t) != g &&
          state_.visible(static_cast<uint32_t>(t), caller_))
        out.push_back(static_cast<uint32_t>(t));
    };
    for (const auto& edge : state_.node_of(g).edges)
      if (follows(edge.name)) take(state_.edge_target(g, edge));
    if (follows("requires"))
      for (uint32_t t : state_.required_documents(g)) take(t);
    return out;
  }

  void add(uint32_t g, Role role, std::string why, int64_t attached = -1) {
    if (index_.count(g)) return;
    index_[g] = items_.size();
    items_.push_back({g, role, std::move(why), request_.depth, false, attached});
  }

  /// A section's units are parts of its text: resolving the section delivers them (each
  /// visible one, as its own item), after it.
  void add_units(uint32_t g) {
    const NodeRef& ref = state_.refs[g];
    const Document& doc = state_.prepared[ref.doc]->document();
    if (doc.nodes[ref.node].kind != NodeKind::heading) return;
    for (uint32_t child : doc.nodes[ref.node].children) {
      uint32_t c = state_.global(ref.doc, child);
      if (doc.nodes[child].kind != NodeKind::unit || !state_.visible(c, caller_)) continue;
      if (doc.nodes[child].type == "warning") // the more useful reason, and kept next to it
        add(c, Role::warning, "warning on " + doc.nodes[ref.node].id, g);
      else
        add(c, Role::requested, "part of " + doc.nodes[ref.node].id);
    }
  }

  /// Requested nodes, then their closure breadth-first (iterative: no recursion per edge).
  void collect(const std::vector<uint32_t>& requested) {
    for (uint32_t g : requested) {
      add(g, Role::requested, "requested");
      add_units(g);
    }
    for (size_t i = 0; i < items_.size(); ++i)
      for (uint32_t t : dependencies(items_[i].node))
        add(t, Role::required, "required by " + state_.node_of(items_[i].node).id);
    if (follows("links")) add_linked(requested);
  }

  /// What the requested nodes' Markdown links name, one hop (a wiki's links, followed on, would
  /// reach the whole wiki): after everything else, and the first given up for the budget.
  void add_linked(const std::vector<uint32_t>& requested) {
    for (uint32_t g : requested)
      for (uint32_t t : state_.link_targets(g))
        if (t != g && state_.visible(t, caller_))
          add(t, Role::linked, "linked from " + state_.node_of(g).id);
  }

  /// `.warning` children of a returned node, and `.warning` nodes whose edges point at one.
  void add_warnings() {
    size_t count = items_.size();
    for (size_t i = 0; i < count; ++i) {
      uint32_t g = items_[i].node;
      const NodeRef& ref = state_.refs[g];
      const Document& doc = state_.prepared[ref.doc]->document();
      for (uint32_t child : doc.nodes[ref.node].children) {
        uint32_t c = state_.global(ref.doc, child);
        if (doc.nodes[child].type == "warning" && state_.visible(c, caller_))
          add(c, Role::warning, "warning on " + doc.nodes[ref.node].id, g);
      }
    }
    for (uint32_t w : state_.edge_warnings) {
      if (index_.count(w) || !state_.visible(w, caller_)) continue;
      const Node& node = state_.node_of(w);
      for (const auto& edge : node.edges) {
        int64_t t = state_.edge_target(w, edge);
        if (t >= 0 && index_.count(static_cast<uint32_t>(t)) &&
            index_.at(static_cast<uint32_t>(t)) < count) {
          add(w, Role::warning, "warning on " + state_.node_of(static_cast<uint32_t>(t)).id, t);
          break;
        }
      }
    }
  }

  /// Prerequisites before what needs them (depth-first post-order over the followed edges),
  /// `:precedes` respected among the rest, discovery order otherwise. Cycles are reported.
  void order() {
    std::vector<uint8_t> state(items_.size(), 0); // 0 new, 1 on stack, 2 placed
    std::vector<std::vector<size_t>> before(items_.size());
    for (size_t i = 0; i < items_.size(); ++i) before[i] = predecessors(i);
    std::vector<size_t> placed;
    for (size_t root = 0; root < items_.size(); ++root) {
      if (state[root]) continue;
      std::vector<std::pair<size_t, size_t>> stack{{root, 0}};
      state[root] = 1;
      while (!stack.empty()) {
        auto& [i, next] = stack.back();
        if (next < before[i].size()) {
          size_t j = before[i][next++];
          if (state[j] == 0) {
            state[j] = 1;
            stack.push_back({j, 0});
          } else if (state[j] == 1) {
            report_cycle(stack, j);
          }
          continue;
        }
        state[i] = 2;
        placed.push_back(i);
        stack.pop_back();
      }
    }
    // Each warning goes right after the node it is on (a warning on a warning after that one).
    std::vector<size_t> sequence;
    std::vector<bool> used(items_.size(), false);
    for (size_t root : placed) {
      if (used[root] || (items_[root].attached >= 0 &&
                         index_.count(static_cast<uint32_t>(items_[root].attached))))
        continue;
      std::vector<size_t> pending{root};
      while (!pending.empty()) {
        size_t i = pending.back();
        pending.pop_back();
        if (used[i]) continue;
        used[i] = true;
        sequence.push_back(i);
        for (auto w = placed.rbegin(); w != placed.rend(); ++w)
          if (!used[*w] && items_[*w].attached == static_cast<int64_t>(items_[i].node))
            pending.push_back(*w);
      }
    }
    std::vector<Item> ordered;
    for (size_t i : sequence) ordered.push_back(std::move(items_[i]));
    items_ = std::move(ordered);
  }

  /// Items that must come before item i: its dependencies, and siblings that `:precedes` it.
  std::vector<size_t> predecessors(size_t i) const {
    std::vector<size_t> out;
    for (uint32_t t : dependencies(items_[i].node)) {
      auto found = index_.find(t);
      if (found != index_.end()) out.push_back(found->second);
    }
    for (size_t j = 0; j < items_.size(); ++j) {
      if (j == i) continue;
      for (const auto& edge : state_.node_of(items_[j].node).edges)
        if (edge.kind == EdgeKind::precedes &&
            state_.edge_target(items_[j].node, edge) == items_[i].node)
          out.push_back(j);
    }
    return out;
  }

  void report_cycle(const std::vector<std::pair<size_t, size_t>>& stack, size_t j) {
    std::string text;
    bool in = false;
    for (const auto& [i, next] : stack) {
      in = in || i == j;
      if (in) text += state_.node_of(items_[i].node).id + " -> ";
    }
    result_.cycles.push_back(text + state_.node_of(items_[j].node).id);
  }

  size_t cost(const Item& item) const {
    const ViewTokens& t = state_.tokens(item.node);
    return item.dropped ? 0 : item.depth == Depth::full ? t.full : t.dense;
  }

  size_t total() const {
    size_t sum = 0;
    for (const auto& item : items_) sum += cost(item);
    return sum;
  }

  /// Sacrifices in order until the texts fit: required nodes full -> dense (farthest first),
  /// then dropped; requested nodes but the first dropped, the last first; requested nodes
  /// full -> dense; warnings full -> dense; requested nodes dropped; warnings dropped.
  /// Requested ids come as an agent ranked them, so the first stay full: degrading every one
  /// before dropping any covered 0.57 of the bench's questions at 600 tokens, this 0.67
  /// (docs/benchmarks.md, issue #16).
  /// Then re-admits, in the order delivered (prerequisites first), what fits again: a dropped
  /// node at dense, then a degraded one back at full — a sacrifice made early may have become
  /// unnecessary once a later, larger one was made. Linear in items per pass.
  void fit_budget(size_t budget) {
    size_t sum = total();
    auto change = [&](Item& item, auto&& edit) {
      sum -= cost(item);
      edit(item);
      sum += cost(item);
    };
    auto pass = [&](Role role, bool drop, const Item* spared = nullptr) {
      for (size_t k = items_.size(); k-- > 0 && sum > budget;) {
        Item& item =
            items_[role == Role::required || role == Role::linked ? items_.size() - 1 - k : k];
        if (item.role != role || item.dropped || &item == spared) continue;
        if (drop)
          change(item, [](Item& i) { i.dropped = true; });
        else if (item.depth == Depth::full)
          change(item, [](Item& i) { i.depth = Depth::dense; });
      }
    };
    pass(Role::linked, false);
    pass(Role::linked, true);
    pass(Role::required, false);
    pass(Role::required, true);
    auto first = std::find_if(items_.begin(), items_.end(), [&](const Item& i) {
      return i.role == Role::requested && static_cast<int64_t>(i.node) == first_requested_;
    });
    pass(Role::requested, true, first == items_.end() ? nullptr : &*first);
    pass(Role::requested, false);
    pass(Role::warning, false);
    pass(Role::requested, true);
    pass(Role::warning, true);
    auto readmit = [&](auto&& fits, auto&& edit) {
      for (Item& item : items_) {
        if (!fits(item)) continue;
        Item trial = item;
        edit(trial);
        if (sum - cost(item) + cost(trial) <= budget) change(item, edit);
      }
    };
    readmit([](const Item& i) { return i.dropped; },
            [](Item& i) { i.dropped = false, i.depth = Depth::dense; });
    readmit(
        [&](const Item& i) {
          return !i.dropped && i.depth == Depth::dense && request_.depth == Depth::full;
        },
        [](Item& i) { i.depth = Depth::full; });
  }

  void emit() {
    for (const auto& item : items_) {
      const Document& doc = state_.doc_of(item.node);
      const Node& node = state_.node_of(item.node);
      if (item.dropped) {
        result_.omitted.push_back({node.id, doc.path, "budget"});
        continue;
      }
      if (item.depth != request_.depth) result_.degraded.push_back(node.id);
      ResolvedNode out{node.id,  state_.handle(item.node), doc.path,  item.depth,
                       item.why, state_.dense(item.node),  cost(item)};
      if (item.depth == Depth::full) {
        out.text = state_.full_text(item.node, caller_);
        if (caller_.role && out.text.size() != full_view(doc, node).size())
          out.tokens = state_.tokenizer.count(out.text);
      }
      result_.tokens += out.tokens;
      result_.nodes.push_back(std::move(out));
    }
  }

  const Library::State& state_;
  const ResolveRequest& request_;
  const Caller& caller_;
  std::vector<Item> items_;
  int64_t first_requested_ = -1; // the node asked for first: the budget drops it last
  std::unordered_map<uint32_t, size_t> index_;
  ResolveResult result_;
};

} // namespace

/// The full text as this caller may read it: edge directives lose targets the caller cannot
/// see (a line left with none is dropped), so no hidden id leaks through a `:requires` line.
std::string Library::State::full_text(uint32_t g, const Caller& caller) const {
  if (!caller.role) return full_view(doc_of(g), node_of(g));
  const Document& doc = doc_of(g);
  const Node& node = node_of(g);
  std::string text(doc.text(node.heading));
  for (const auto& directive : node.directives) {
    if (!kept_in_full_view(doc, node, directive.name)) continue;
    std::vector<std::string> targets;
    bool edge_line = false;
    for (const auto& edge : node.edges) {
      if (edge.span.start < directive.span.start || edge.span.start >= directive.span.end) continue;
      edge_line = true;
      int64_t t = edge_target(g, edge);
      if (t < 0 || visible(static_cast<uint32_t>(t), caller)) targets.push_back(edge.target.text());
    }
    if (!edge_line) {
      text += doc.text(directive.span);
      continue;
    }
    if (targets.empty()) continue;
    std::string_view line = doc.text(directive.span);
    std::string ending(line.substr(line.find_last_not_of("\r\n") + 1));
    text += ":" + directive.name;
    for (size_t i = 0; i < targets.size(); ++i) text += (i ? ", " : " ") + targets[i];
    text += ending;
  }
  text += doc.text(node.body);
  return text;
}

std::string Library::full_text(size_t doc, size_t node, const Caller& caller) const {
  return state_->full_text(state_->global(doc, node), caller);
}

ResolveResult Library::resolve_context(const ResolveRequest& request, const Caller& caller) const {
  return Resolver(*state_, request, caller).run();
}

} // namespace og
