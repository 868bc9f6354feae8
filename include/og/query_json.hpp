// The reading primitives' results as JSON: one shape for `og search/resolve/changes/assert
// --json` and the MCP server's structuredContent, so the two never drift apart.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "og/assertion.hpp"
#include "og/query.hpp"

namespace og {

nlohmann::json entries_json(const std::vector<IndexEntry>& entries);
nlohmann::json resolve_json(const ResolveResult& result);
nlohmann::json changes_json(const ChangesResult& result);
nlohmann::json check_json(const CheckResult& result);

} // namespace og
