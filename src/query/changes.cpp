// changes_since: delta loading. Replays the changelog entries after `since` to find what a
// caller holding that version must reload, then delivers those nodes through resolve_context so
// the same role filtering applies to their text.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "og/corpus.hpp"
#include "query/query.hpp"

namespace og {

namespace {

struct LatestChange {
  char kind = '~';
  uint32_t version = 0;
  SeenBy roles;
};

bool caller_saw(const SeenBy& roles, const Caller& caller) {
  if (!caller.role || !roles) return true;
  return std::find(roles->begin(), roles->end(), *caller.role) != roles->end();
}

} // namespace

Result<ChangesResult> Library::changes_since(const ChangesRequest& request,
                                             const Caller& caller) const {
  const State& state = *state_;
  uint32_t d = 0;
  if (request.doc.empty()) {
    if (state.prepared.size() != 1)
      return Error{"`doc` is required: the library holds several documents"};
  } else {
    std::vector<uint32_t> named = state.documents_named(request.doc);
    // Of several documents the name fits, only those the caller can read a node of are
    // candidates: a path is not listed to a role that sees nothing in it.
    if (named.size() > 1)
      std::erase_if(named, [&](uint32_t n) {
        for (uint32_t node = 0; node < state.nodes_of(n); ++node)
          if (state.visible(state.global(n, node), caller)) return false;
        return true;
      });
    if (named.empty()) return Error{"no document `" + request.doc + "`"};
    if (named.size() > 1) {
      std::string paths;
      for (uint32_t n : named) paths += (paths.empty() ? "" : ", ") + state.prepared[n]->path;
      return Error{"`" + request.doc + "` names several documents: " + paths};
    }
    d = named.front();
  }
  const Document& doc = state.prepared[d]->document();
  const Changelog& log = state.prepared[d]->changelog();
  ChangesResult result;
  result.doc = doc.path;
  result.since = request.since;
  result.version = doc.meta.version.value_or(log.entries.empty() ? 0 : log.entries.front().version);
  if (request.since > result.version)
    return Error{
        fmt::format("`since` is v{}, but `{}` is at v{}", request.since, doc.path, result.version)};

  auto visible_id = [&](const std::string& id) {
    int32_t n = doc.index_of(id);
    return n >= 0 && visible(doc, doc.nodes[static_cast<size_t>(n)], caller);
  };
  std::map<std::string, LatestChange> latest; // replayed oldest to newest: the last word wins
  for (auto it = log.entries.rbegin(); it != log.entries.rend(); ++it) {
    if (it->version <= request.since) continue;
    ChangesEntry entry{it->version, it->date, it->message, {}};
    for (const auto& change : it->changes) {
      latest[change.id] = {change.kind, it->version, change.roles};
      bool shown = change.kind == '-' ? caller_saw(change.roles, caller) : visible_id(change.id);
      if (shown) entry.changes.push_back(std::string(1, change.kind) + change.id);
    }
    // An entry whose every change is hidden would still leak its message and its existence.
    if (!entry.changes.empty() || it->changes.empty())
      result.entries.insert(result.entries.begin(), std::move(entry));
  }

  ResolveRequest resolve;
  resolve.depth = request.depth;
  resolve.follow.clear();
  std::map<std::string, std::string> why;
  std::vector<std::pair<int32_t, std::string>> in_order;
  for (const auto& [id, change] : latest) {
    if (change.kind == '-') {
      if (doc.index_of(id) < 0 && caller_saw(change.roles, caller)) result.removed.push_back(id);
      continue;
    }
    if (!visible_id(id)) continue;
    in_order.emplace_back(doc.index_of(id), id);
    why[id] = fmt::format("{} in v{}", change.kind == '+' ? "added" : "changed", change.version);
  }
  std::sort(in_order.begin(), in_order.end());
  for (const auto& [n, id] : in_order) resolve.ids.push_back(doc.path + "#" + id);
  for (auto& node : resolve_context(resolve, caller).nodes) {
    auto reason = why.find(node.id);
    if (reason == why.end()) continue; // a warning resolve attached; not a change
    node.why = reason->second;
    result.tokens += node.tokens;
    result.nodes.push_back(std::move(node));
  }
  for (const auto& recorded : log.hashes) {
    int32_t n = doc.index_of(recorded.id);
    if (n >= 0 && visible_id(recorded.id) &&
        content_hash(doc, doc.nodes[static_cast<size_t>(n)]) != recorded.hash)
      result.uncommitted.push_back(recorded.id);
  }
  return result;
}

} // namespace og
