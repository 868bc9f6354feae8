// The reading primitives' results as text (query_text.hpp).
#include "og/query_text.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace og {

namespace {

std::string handle_prefix(const std::string& handle) {
  return handle.empty() ? "" : handle + " ";
}

} // namespace

std::string entries_text(const std::vector<IndexEntry>& entries, bool with_scores) {
  std::string text;
  for (const auto& e : entries)
    text += fmt::format("{}{}{}#{} · dense {} · full {} tokens\n",
                        with_scores ? fmt::format("{:7.3f}  ", e.score) : "",
                        handle_prefix(e.handle), e.doc, e.line(), e.tokens.dense, e.tokens.full);
  return text;
}

std::string nodes_text(const std::vector<ResolvedNode>& nodes) {
  std::string text;
  for (const auto& n : nodes) {
    text += fmt::format("<!-- {}{}#{} · {} · {} · {} tokens -->\n", handle_prefix(n.handle), n.doc,
                        n.id, n.depth == Depth::full ? "full" : "dense", n.why, n.tokens);
    text += n.text;
    if (text.back() != '\n') text += '\n';
  }
  return text;
}

std::string resolve_notes_text(const ResolveResult& result) {
  std::string text;
  for (const auto& id : result.unknown) {
    auto twice = std::find_if(result.ambiguous.begin(), result.ambiguous.end(),
                              [&](const AmbiguousId& a) { return a.id == id; });
    text += twice != result.ambiguous.end() ? ambiguity_line(*twice) + "\n"
                                            : "unknown: no node `" + id + "`\n";
  }
  for (const auto& o : result.omitted)
    text += fmt::format("omitted {}#{} ({})\n", o.doc, o.id, o.reason);
  for (const auto& id : result.degraded)
    text += "dense instead of full to fit the budget: " + id + "\n";
  for (const auto& c : result.cycles) text += "cycle: " + c + "\n";
  return text + fmt::format("{} tokens\n", result.tokens);
}

std::string changes_since_text(const ChangesResult& r) {
  std::string text = fmt::format("{}: v{} -> v{}\n", r.doc, r.since, r.version);
  for (const auto& e : r.entries)
    text += fmt::format("  v{} · {} · {}{}\n", e.version, e.date, fmt::join(e.changes, " "),
                        e.message.empty() ? "" : " · " + e.message);
  text += nodes_text(r.nodes);
  for (const auto& id : r.removed) text += "removed #" + id + "\n";
  return text;
}

std::string changes_notes_text(const ChangesResult& r) {
  std::string text;
  for (const auto& id : r.uncommitted)
    text += fmt::format("#{} changed after v{} without a commit; its current text is shown\n", id,
                        r.version);
  return text + fmt::format("{} tokens\n", r.tokens);
}

std::string check_text(const CheckResult& r) {
  std::string text(check_status_name(r.status));
  if (r.retry_after) text += " (retry after " + *r.retry_after + ")";
  if (r.escalate_to) text += " (escalate to #" + *r.escalate_to + ")";
  text += "\n";
  for (const auto& f : r.failed) text += "  failed: " + f.check + "  [" + f.actual + "]\n";
  return text;
}

} // namespace og
