// JSON of search_index, resolve_context, changes_since and check results (docs/cli.md).
#include <nlohmann/json.hpp>

#include "og/query_json.hpp"

namespace og {

namespace {

nlohmann::json node_json(const ResolvedNode& n) {
  return {{"id", n.id},        {"handle", n.handle},
          {"doc", n.doc},      {"depth", n.depth == Depth::full ? "full" : "dense"},
          {"why", n.why},      {"text", n.text},
          {"tokens", n.tokens}};
}

nlohmann::json nodes_json(const std::vector<ResolvedNode>& nodes) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& n : nodes) list.push_back(node_json(n));
  return list;
}

} // namespace

nlohmann::json entries_json(const std::vector<IndexEntry>& entries) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : entries)
    list.push_back(
        {{"id", e.id},
         {"handle", e.handle},
         {"doc", e.doc},
         {"title", e.title},
         {"type", e.type},
         {"path", e.path},
         {"keywords", e.keywords},
         {"dense", e.dense},
         {"score", e.score},
         {"tokens",
          {{"index", e.tokens.index}, {"dense", e.tokens.dense}, {"full", e.tokens.full}}}});
  return list;
}

nlohmann::json resolve_json(const ResolveResult& result) {
  nlohmann::json omitted = nlohmann::json::array();
  for (const auto& o : result.omitted)
    omitted.push_back({{"id", o.id}, {"doc", o.doc}, {"reason", o.reason}});
  nlohmann::json ambiguous = nlohmann::json::object();
  for (const auto& a : result.ambiguous) ambiguous[a.id] = a.docs;
  return {{"nodes", nodes_json(result.nodes)},
          {"omitted", omitted},
          {"degraded", result.degraded},
          {"cycles", result.cycles},
          {"unknown", result.unknown},
          {"ambiguous", ambiguous},
          {"tokens", result.tokens}};
}

nlohmann::json changes_json(const ChangesResult& result) {
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& e : result.entries)
    entries.push_back(
        {{"version", e.version}, {"date", e.date}, {"message", e.message}, {"changes", e.changes}});
  return {{"doc", result.doc},
          {"version", result.version},
          {"since", result.since},
          {"entries", entries},
          {"nodes", nodes_json(result.nodes)},
          {"removed", result.removed},
          {"uncommitted", result.uncommitted},
          {"tokens", result.tokens}};
}

nlohmann::json check_json(const CheckResult& r) {
  nlohmann::json failed = nlohmann::json::array();
  for (const auto& f : r.failed) failed.push_back({{"check", f.check}, {"actual", f.actual}});
  nlohmann::json body = {{"status", std::string(check_status_name(r.status))}, {"failed", failed}};
  if (r.retry_after) body["retry_after"] = *r.retry_after;
  if (r.escalate_to) body["escalate_to"] = *r.escalate_to;
  return body;
}

} // namespace og
