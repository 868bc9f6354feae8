// The reading primitives' results as text: one rendering for the `og` commands and the MCP
// server's text content (many clients show the model only the text), the twin of
// query_json.hpp, so a field added once shows in both front ends.
#pragma once

#include <string>
#include <vector>

#include "og/assertion.hpp"
#include "og/query.hpp"

namespace og {

/// One line per entry: `[score  ]~handle doc#id · type · title — keywords · dense 12 · full
/// 340 tokens`; the costs let an agent choose a depth before it asks.
std::string entries_text(const std::vector<IndexEntry>& entries, bool with_scores);
/// Each node as `<!-- ~handle doc#id · full · requested · 120 tokens -->` and its text.
std::string nodes_text(const std::vector<ResolvedNode>& nodes);
/// What a resolve did not deliver as asked (unknown, ambiguous, omitted, degraded, cycles), then
/// `N tokens`.
std::string resolve_notes_text(const ResolveResult& result);
/// `doc: v3 -> v5`, the changelog entries after `since`, the changed nodes, the removed ids.
std::string changes_since_text(const ChangesResult& result);
/// Nodes served as edited but not committed, then `N tokens`.
std::string changes_notes_text(const ChangesResult& result);
/// `retry (retry after 30s)` and one `failed:` line per failed check.
std::string check_text(const CheckResult& result);

} // namespace og
