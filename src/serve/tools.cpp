// The tools (search_index, resolve_context, changes_since, run_assertion, diagnostics) and the
// og:// resources.
// Arguments are checked here, by hand against the declared schema: an inspector may send a
// number for a string or null for a number, and the error must name the argument.
#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "og/assertion.hpp"
#include "og/corpus.hpp"
#include "og/query_json.hpp"
#include "og/query_text.hpp"
#include "serve/serve.hpp"
#include "syntax/syntax.hpp"

namespace og::serve {

const char* const instructions =
    "These tools read documents as graphs of nodes, in three passes; read as little as answers "
    "the question. 1) Index: search_index(query) lists matching nodes, one line each (id, "
    "type, title) with token costs, after a short handle (~482913077) to use for "
    "that node in every later call. 2) Dense: resolve_context(ids, "
    "depth=\"dense\") gives one-line summaries. 3) Full: resolve_context(ids) gives the full "
    "text, prerequisites (:requires) first and attached warnings; pass max_tokens to stay in "
    "budget and known=[ids you hold] to skip them. After a document changes, "
    "changes_since(doc, since=<version you read>) returns only what changed. "
    "run_assertion(id, state) runs an assertion node's checks; diagnostics lists what og check "
    "finds in the documents.";

void CallContext::check_cancelled() const {
  if (control && control->cancelled && control->cancelled(request_id)) throw Cancelled{};
}

void CallContext::progress(size_t done, std::optional<size_t> total,
                           const std::string& message) const {
  check_cancelled();
  if (!control || !control->send || progress_token.is_null()) return;
  json params = {{"progressToken", progress_token},
                 {"progress", progress_offset + done},
                 {"message", message}};
  if (total) params["total"] = progress_offset + *total;
  control->send(
      json{{"jsonrpc", "2.0"}, {"method", "notifications/progress"}, {"params", params}}.dump(
          -1, ' ', false, json::error_handler_t::replace));
}

namespace {

struct ArgumentError {
  std::string message;
};

[[noreturn]] void fail(const std::string& path, const std::string& expected, const json& got) {
  throw ArgumentError{
      fmt::format("arguments.{}: expected {}, got {}", path, expected, got.dump().substr(0, 80))};
}

/// Reads the arguments of one call: typed getters that fail with the argument's path, and a
/// final check that nothing unknown was passed.
class Arguments {
public:
  Arguments(const json& args, std::vector<std::string> known)
      : args_(args), known_(std::move(known)) {
    for (const auto& [key, value] : args_.items())
      if (std::find(known_.begin(), known_.end(), key) == known_.end())
        throw ArgumentError{fmt::format("arguments.{}: unknown argument (this tool takes: {})", key,
                                        fmt::join(known_, ", "))};
  }
  const json* find(const std::string& key) const {
    auto it = args_.find(key);
    return it == args_.end() || it->is_null() ? nullptr : &*it;
  }
  std::string string(const std::string& key, bool required, std::string fallback = "") const {
    const json* v = find(key);
    if (!v) {
      if (required) fail(key, "a string (required)", nullptr);
      return fallback;
    }
    if (!v->is_string()) fail(key, "a string", *v);
    return v->get<std::string>();
  }
  int64_t integer(const std::string& key, int64_t min, int64_t max, int64_t fallback) const {
    const json* v = find(key);
    if (!v) return fallback;
    if (!v->is_number_integer() || v->get<int64_t>() < min || v->get<int64_t>() > max)
      fail(key, fmt::format("an integer from {} to {}", min, max), *v);
    return v->get<int64_t>();
  }
  bool boolean(const std::string& key, bool fallback) const {
    const json* v = find(key);
    if (!v) return fallback;
    if (!v->is_boolean()) fail(key, "true or false", *v);
    return v->get<bool>();
  }
  std::vector<std::string> strings(const std::string& key, bool required) const {
    const json* v = find(key);
    if (!v) {
      if (required) fail(key, "a non-empty array of strings (required)", nullptr);
      return {};
    }
    if (!v->is_array()) fail(key, "an array of strings", *v);
    std::vector<std::string> out;
    for (size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string()) fail(fmt::format("{}[{}]", key, i), "a string", (*v)[i]);
      out.push_back((*v)[i].get<std::string>());
    }
    if (required && out.empty()) fail(key, "a non-empty array of strings", *v);
    return out;
  }
  Depth depth(Depth fallback) const {
    std::string d = string("depth", false, fallback == Depth::full ? "full" : "dense");
    if (d != "dense" && d != "full") fail("depth", "\"dense\" or \"full\"", d);
    return d == "full" ? Depth::full : Depth::dense;
  }

private:
  const json& args_;
  std::vector<std::string> known_;
};

json text_result(std::string text, json structured) {
  return {{"content", json::array({{{"type", "text"}, {"text", std::move(text)}}})},
          {"structuredContent", std::move(structured)}};
}

json error_result(const std::string& message) {
  return {{"content", json::array({{{"type", "text"}, {"text", message}}})}, {"isError", true}};
}

/// Documents with errors are not served (spec §7.1); the agent is told, so a missing answer is
/// not mistaken for a missing fact. A caller with a role learns only how many: a path or an
/// error message could name what its scope hides.
std::pair<std::string, json> not_served_note(const Library& library, const Caller& caller) {
  const auto& refused = library.refused();
  json documents = json::array();
  std::string text = fmt::format("not served: {} document{} with errors{}\n", refused.size(),
                                 refused.size() == 1 ? "" : "s",
                                 caller.role ? " (the server's log names them)" : "");
  if (!caller.role)
    for (const auto& r : refused) {
      documents.push_back({{"doc", r.path}, {"reason", r.reason}, {"stale", r.stale}});
      text += fmt::format("  {}{}: {}\n", r.path, r.stale ? " (an older version is served)" : "",
                          r.reason);
    }
  return {std::move(text), {{"count", refused.size()}, {"documents", std::move(documents)}}};
}

json search_index_tool(const json& args, const CallContext& c) {
  Arguments a(args, {"query", "limit", "types", "doc", "group_by_document", "one_per_document"});
  SearchRequest request;
  request.query = a.string("query", false);
  request.limit = static_cast<size_t>(a.integer("limit", 1, 200, 10));
  request.types = a.strings("types", false);
  request.doc = a.string("doc", false);
  request.group_by_document = a.boolean("group_by_document", true);
  request.one_per_document = a.boolean("one_per_document", false);
  // Known types are a walk over every node: asked for only when the request names types.
  std::vector<std::string> known;
  if (!request.types.empty()) known = c.library.known_types(c.caller);
  for (const auto& type : request.types)
    if (std::find(known.begin(), known.end(), type) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      throw ArgumentError{
          fmt::format("arguments.types: `{}` is not a content type (known: {})", type, list)};
    }
  std::vector<IndexEntry> entries = c.library.search_index(request, c.caller);
  std::string text = entries.empty() ? "no matching nodes\n" : entries_text(entries, false);
  json body = {{"entries", entries_json(entries)}};
  if (!c.library.refused().empty()) {
    auto [note, not_served] = not_served_note(c.library, c.caller);
    text += note;
    body["not_served"] = std::move(not_served);
  }
  return text_result(std::move(text), std::move(body));
}

json resolve_context_tool(const json& args, const CallContext& c) {
  Arguments a(args, {"ids", "depth", "follow", "max_tokens", "known"});
  ResolveRequest request;
  request.ids = a.strings("ids", true);
  request.depth = a.depth(Depth::full);
  if (a.find("follow")) request.follow = a.strings("follow", false);
  auto cap = static_cast<int64_t>(c.limits.max_tokens);
  request.max_tokens = static_cast<size_t>(a.integer("max_tokens", 1, cap, cap));
  request.known = a.strings("known", false);
  ResolveResult result = c.library.resolve_context(request, c.caller);
  return text_result(nodes_text(result.nodes) + resolve_notes_text(result), resolve_json(result));
}

json changes_since_tool(const json& args, const CallContext& c) {
  Arguments a(args, {"doc", "since", "depth"});
  ChangesRequest request;
  request.doc = a.string("doc", false);
  request.since = static_cast<uint32_t>(a.integer("since", 0, UINT32_MAX, 0));
  if (!a.find("since")) fail("since", "an integer from 0 (required)", nullptr);
  request.depth = a.depth(Depth::dense);
  auto result = c.library.changes_since(request, c.caller);
  if (!result) return error_result(result.error().message);
  const ChangesResult& r = result.value();
  std::string text = changes_since_text(r) + changes_notes_text(r);
  return text_result(std::move(text), changes_json(r));
}

json run_assertion_tool(const json& args, const CallContext& c) {
  Arguments a(args, {"id", "state", "output", "attempt"});
  CheckRequest request;
  request.id = a.string("id", true);
  const json* state = a.find("state");
  if (!state || !state->is_object())
    fail("state", "a JSON object (required)", state ? *state : json());
  request.state = state->dump();
  request.output = a.string("output", false);
  request.attempt = static_cast<uint32_t>(a.integer("attempt", 1, 1000000, 1));
  auto result = check_assertion(c.library, request, c.caller);
  if (!result) return error_result(result.error().message);
  const CheckResult& r = result.value();
  std::string text = check_text(r);
  return text_result(std::move(text), check_json(r));
}

/// Whether a caller may read the bytes at `offset`: they are a node's own text (heading,
/// directives, body) and the node is visible. Frontmatter and hidden nodes are not.
bool readable_at(const Document& doc, uint32_t offset, const Caller& caller) {
  for (const auto& node : doc.nodes) {
    uint32_t end = std::max({node.heading.end, node.directive_block.end, node.body.end});
    if (offset >= node.heading.start && offset < end) return visible(doc, node, caller);
  }
  return !caller.role && offset < doc.source.size();
}

/// The ids of nodes `caller` cannot see, in any served document: a diagnostic on a visible line
/// may still name one (`:escalate #page-oncall`), and then it is not the caller's to read.
std::set<std::string> hidden_ids(const Library& library, const Caller& caller) {
  std::set<std::string> hidden;
  if (!caller.role) return hidden;
  for (const auto& prepared : library.prepared()) {
    const DocumentOutline& outline = prepared->outline;
    for (size_t n = 0; n < outline.nodes.size(); ++n)
      if (!outline.visible(n, caller)) hidden.insert(outline.nodes[n].id);
  }
  return hidden;
}

bool names_any(std::string_view text, const std::set<std::string>& ids) {
  auto is_id_char = [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.';
  };
  for (size_t i = 0; i < text.size();) {
    size_t end = i;
    while (end < text.size() && is_id_char(text[end])) ++end;
    if (end > i && ids.count(std::string(text.substr(i, end - i)))) return true;
    i = end + 1;
  }
  return false;
}

/// One document's diagnostics as `og check` gives them: its own and the cross-document ones
/// (edges and links into other served documents, `:requires` cycles through the documents it
/// names). Only the documents it names are loaded, so checking every document stays linear in
/// the edges: a chain of links is not followed to its end for each document on it.
std::vector<Diagnostic> checked(const Library& library, const Document& doc) {
  std::set<std::string> named;
  for (const auto& node : doc.nodes) {
    for (const auto& edge : node.edges)
      if (!edge.target.doc.empty()) named.insert(resolve_relative(doc.path, edge.target.doc));
    for (const auto& link : node.links)
      if (!link.wiki && !link.doc.empty())
        for (auto& path : LinkResolver::candidate_paths(doc.path, link)) named.insert(path);
  }
  std::vector<Document> set{doc};
  check_corpus(set, [&](const std::string& path) -> std::optional<Document> {
    const Document* other = named.count(path) ? library.document(path) : nullptr;
    return other ? std::optional<Document>(*other) : std::nullopt;
  });
  return std::move(set.front().diagnostics);
}

json diagnostics_tool(const json& args, const CallContext& c) {
  Arguments a(args, {"doc", "severity", "limit"});
  std::string only_doc = a.string("doc", false);
  std::string severity = a.string("severity", false, "warning");
  if (severity != "error" && severity != "warning")
    fail("severity", "\"error\" or \"warning\" (the least severe to list)", severity);
  auto limit = static_cast<size_t>(a.integer("limit", 1, 1000, 100));
  std::string text;
  json files = json::array();
  size_t listed = 0, more = 0;
  bool found_doc = only_doc.empty();
  const std::set<std::string> hidden = hidden_ids(c.library, c.caller);
  const auto& documents = c.library.prepared();
  const size_t step = std::max<size_t>(1, documents.size() / 20); // ~20 progress reports
  for (size_t i = 0; i < documents.size(); ++i) {
    c.check_cancelled();
    if (i % step == 0)
      c.progress(i, documents.size(),
                 fmt::format("checked {} of {} documents", i, documents.size()));
    if (!only_doc.empty() && documents[i]->path != only_doc) continue;
    const Document& doc = documents[i]->document();
    found_doc = true;
    json diagnostics = json::array();
    for (const auto& d : checked(c.library, doc)) {
      if (severity == "error" && d.severity != Severity::error) continue;
      std::string shown = format_diagnostic(doc.path, doc.source, doc.lines, d);
      if (!readable_at(doc, d.span.start, c.caller) || names_any(shown, hidden))
        continue; // no hint of a hidden node
      if (listed == limit) {
        ++more;
        continue;
      }
      ++listed;
      Position at = doc.lines.position(d.span.start);
      text += shown;
      diagnostics.push_back({{"code", code_name(d.code)},
                             {"severity", severity_name(d.severity)},
                             {"line", at.line},
                             {"column", at.column},
                             {"message", d.message}});
    }
    if (!diagnostics.empty()) files.push_back({{"doc", doc.path}, {"diagnostics", diagnostics}});
  }
  if (!found_doc) return error_result("arguments.doc: no served document `" + only_doc + "`");
  if (more) text += fmt::format("… and {} more (raise limit, or pass doc)\n", more);
  if (text.empty()) text = "no diagnostics\n";
  json body = {{"files", std::move(files)}, {"more", more}};
  if (!c.library.refused().empty()) {
    auto [note, not_served] = not_served_note(c.library, c.caller);
    text += note;
    body["not_served"] = std::move(not_served);
  }
  return text_result(std::move(text), std::move(body));
}

json object_schema(json properties, json required = json::array()) {
  return {{"type", "object"},
          {"properties", std::move(properties)},
          {"required", std::move(required)},
          {"additionalProperties", false}};
}

json string_array(const char* description) {
  return {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", description}};
}

const json depth_schema = {{"type", "string"}, {"enum", {"dense", "full"}}};
const json nodes_schema = {{"type", "array"}, {"items", {{"type", "object"}}}};

json make_tool_list() {
  json read_only = {{"readOnlyHint", true},
                    {"destructiveHint", false},
                    {"idempotentHint", true},
                    {"openWorldHint", false}};
  json tools = json::array();
  tools.push_back(
      {{"name", "search_index"},
       {"title", "Search the index"},
       {"description", "Pass 1: rank the nodes of the documents for a query (BM25 over titles, "
                       "keywords, summaries and text; a question with several parts gets each "
                       "part's best nodes too), grouped by document: the best document's nodes "
                       "first. No query lists the whole index in document order. Each entry has "
                       "its token costs for dense and full."},
       {"inputSchema",
        object_schema(
            {{"query", {{"type", "string"}, {"description", "words to look for"}}},
             {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 200}, {"default", 10}}},
             {"types", string_array("only these content types (steps, code, …)")},
             {"doc", {{"type", "string"}, {"description", "only this document"}}},
             {"group_by_document",
              {{"type", "boolean"},
               {"default", true},
               {"description", "false: nodes in score order across documents"}}},
             {"one_per_document",
              {{"type", "boolean"},
               {"default", false},
               {"description", "one entry per document: its best node, or without a query the "
                               "node that stands for it (a skills folder at a line a skill)"}}}})},
       {"outputSchema",
        object_schema({{"entries", nodes_schema},
                       {"not_served",
                        object_schema({{"count", {{"type", "integer"}}},
                                       {"documents",
                                        {{"type", "array"},
                                         {"items", object_schema({{"doc", {{"type", "string"}}},
                                                                  {"reason", {{"type", "string"}}},
                                                                  {"stale", {{"type", "boolean"}}}},
                                                                 {"doc", "reason"})}}}},
                                      {"count"})}},
                      {"entries"})},
       {"annotations", read_only}});
  tools.push_back(
      {{"name", "resolve_context"},
       {"title", "Resolve nodes"},
       {"description", "Passes 2 and 3: the dense summaries or full texts of nodes (the "
                       "~handle search_index gives, id or doc#id), with their :requires "
                       "prerequisites first and attached warnings, "
                       "within max_tokens (give ids best first: the last are given up "
                       "first). Nodes in `known` are skipped."},
       {"inputSchema",
        object_schema(
            {{"ids", string_array("node handles (~482913077), ids or doc#id")},
             {"depth", depth_schema},
             {"follow",
              string_array("edge kinds to follow, and `links` for what the requested nodes' "
                           "Markdown links name, one hop (default: requires)")},
             {"max_tokens", {{"type", "integer"}, {"minimum", 1}}},
             {"known", string_array("ids the caller already holds")}},
            {"ids"})},
       {"outputSchema",
        object_schema(
            {{"nodes", nodes_schema},
             {"omitted", nodes_schema},
             {"degraded", string_array("")},
             {"cycles", string_array("")},
             {"unknown", string_array("")},
             {"ambiguous", {{"type", "object"}, {"additionalProperties", string_array("")}}},
             {"tokens", {{"type", "integer"}}}},
            {"nodes", "tokens"})},
       {"annotations", read_only}});
  tools.push_back(
      {{"name", "changes_since"},
       {"title", "Changes since a version"},
       {"description", "Delta loading: the changelog entries of a document after version "
                       "`since` and the nodes that changed (dense by default)."},
       {"inputSchema", object_schema({{"doc", {{"type", "string"}}},
                                      {"since", {{"type", "integer"}, {"minimum", 0}}},
                                      {"depth", depth_schema}},
                                     {"since"})},
       {"outputSchema", object_schema({{"doc", {{"type", "string"}}},
                                       {"version", {{"type", "integer"}}},
                                       {"since", {{"type", "integer"}}},
                                       {"entries", nodes_schema},
                                       {"nodes", nodes_schema},
                                       {"removed", string_array("")},
                                       {"uncommitted", string_array("")},
                                       {"tokens", {{"type", "integer"}}}},
                                      {"version", "nodes"})},
       {"annotations", read_only}});
  tools.push_back(
      {{"name", "run_assertion"},
       {"title", "Run an assertion"},
       {"description", "Evaluates the :check expressions of an .assert node against a JSON "
                       "state (and command output): pass, fail, retry (with retry_after) or "
                       "escalate (with escalate_to)."},
       {"inputSchema", object_schema({{"id", {{"type", "string"}}},
                                      {"state",
                                       {{"type", "object"},
                                        {"description", "the state the :check expressions read "
                                                        "(e.g. {\"replicas\": 3})"}}},
                                      {"output", {{"type", "string"}}},
                                      {"attempt", {{"type", "integer"}, {"minimum", 1}}}},
                                     {"id", "state"})},
       {"outputSchema",
        object_schema(
            {{"status", {{"type", "string"}, {"enum", {"pass", "fail", "retry", "escalate"}}}},
             {"failed", nodes_schema},
             {"retry_after", {{"type", "string"}}},
             {"escalate_to", {{"type", "string"}}}},
            {"status", "failed"})},
       {"annotations", read_only}});
  tools.push_back(
      {{"name", "diagnostics"},
       {"title", "Diagnostics of the documents"},
       {"description", "What `og check` says about the served documents (errors and warnings "
                       "with path:line:col and a code), and which documents are not served "
                       "because of errors: for agents that edit the documents."},
       {"inputSchema",
        object_schema(
            {{"doc", {{"type", "string"}, {"description", "only this document"}}},
             {"severity", {{"type", "string"}, {"enum", {"warning", "error"}}}},
             {"limit",
              {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}, {"default", 100}}}})},
       {"outputSchema", object_schema({{"files", nodes_schema},
                                       {"more", {{"type", "integer"}}},
                                       {"not_served", {{"type", "object"}}}},
                                      {"files", "more"})},
       {"annotations", read_only}});
  return tools;
}

const std::string uri_prefix = "og://doc/";

} // namespace

const json& tool_list() {
  static const json tools = make_tool_list();
  return tools;
}

std::optional<json> call_tool(const std::string& name, const json& arguments,
                              const CallContext& context) {
  try {
    if (name == "search_index") return search_index_tool(arguments, context);
    if (name == "resolve_context") return resolve_context_tool(arguments, context);
    if (name == "changes_since") return changes_since_tool(arguments, context);
    if (name == "run_assertion") return run_assertion_tool(arguments, context);
    if (name == "diagnostics") return diagnostics_tool(arguments, context);
  } catch (const ArgumentError& e) {
    return error_result(e.message);
  }
  return std::nullopt;
}

namespace {

/// RFC 3986: a path keeps unreserved characters and `/`; everything else is %XX (spaces,
/// non-ASCII names such as `og für.md`), so clients that parse URIs get back what we sent.
std::string encode_uri_part(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

} // namespace

std::vector<json> document_resources(const PreparedDocument& doc, const Caller& caller) {
  const DocumentOutline& outline = doc.outline;
  std::vector<json> out;
  for (size_t n = 0; n < outline.nodes.size(); ++n) {
    if (!outline.visible(n, caller)) continue;
    const DocumentOutline::Node& node = outline.nodes[n];
    if (out.empty()) // a document the caller cannot read at all is not listed
      out.push_back({{"uri", uri_prefix + encode_uri_part(doc.path)},
                     {"name", doc.path},
                     {"title", outline.title.empty() ? doc.path : outline.title},
                     {"mimeType", "text/markdown"}});
    out.push_back({{"uri", uri_prefix + encode_uri_part(doc.path) + "#" + encode_uri_part(node.id)},
                   {"name", doc.path + "#" + node.id},
                   {"title", node.title.empty() ? node.id : node.title},
                   {"mimeType", "text/markdown"}});
  }
  return out;
}

std::vector<json> list_resources(const CallContext& c) {
  std::vector<json> out;
  for (const auto& doc : c.library.prepared())
    for (auto& resource : document_resources(*doc, c.caller)) out.push_back(std::move(resource));
  return out;
}

std::optional<std::string> document_of(const std::string& uri) {
  if (uri.rfind(uri_prefix, 0) != 0) return std::nullopt;
  std::string_view rest = std::string_view(uri).substr(uri_prefix.size());
  return syntax::percent_decode(rest.substr(0, rest.find_first_of("#?")));
}

json resource_templates() {
  return json::array({{{"uriTemplate", uri_prefix + "{path}"},
                       {"name", "document"},
                       {"description", "a document: every node the caller may read, in order"},
                       {"mimeType", "text/markdown"}},
                      {{"uriTemplate", uri_prefix + "{path}#{id}"},
                       {"name", "node"},
                       {"description", "one node's full text (a section with its units)"},
                       {"mimeType", "text/markdown"}}});
}

namespace {

/// A whole document as the caller may read it: every visible node's full view in order, one
/// pass (linear in the document), cut at the token cap. A cut page ends with a line naming the
/// URI that continues it (`?from=<id>`), as resolve_context's budget does for closures.
std::string read_document(size_t d, std::string_view from, const CallContext& c) {
  const Document& doc = c.library.document(d);
  std::string text;
  size_t tokens = 0;
  bool started = from.empty();
  for (size_t n = 0; n < doc.nodes.size(); ++n) {
    const Node& node = doc.nodes[n];
    started = started || node.id == from;
    if (!started || !visible(doc, node, c.caller)) continue;
    std::string view = c.library.full_text(d, n, c.caller);
    size_t cost = c.library.tokenizer().count(view);
    if (tokens > 0 && tokens + cost > c.limits.max_tokens) {
      text += fmt::format("\n<!-- og: this read stops at {} tokens; the rest is at {}?from={} "
                          "-->\n",
                          c.limits.max_tokens, uri_prefix + encode_uri_part(doc.path),
                          encode_uri_part(node.id));
      break;
    }
    text += view;
    tokens += cost;
  }
  return text;
}

} // namespace

std::optional<json> read_resource(const std::string& uri, const CallContext& c) {
  if (uri.rfind(uri_prefix, 0) != 0) return std::nullopt;
  std::string_view rest = std::string_view(uri).substr(uri_prefix.size());
  size_t hash = rest.find('#');
  size_t query = rest.substr(0, hash).find('?');
  auto path = document_of(uri);
  if (!path) return std::nullopt;
  if (hash != std::string_view::npos) {
    auto id = syntax::percent_decode(rest.substr(hash + 1));
    if (!id) return std::nullopt;
    ResolveRequest request;
    request.follow.clear();
    request.ids.push_back(*path + "#" + *id);
    ResolveResult result = c.library.resolve_context(request, c.caller);
    if (result.nodes.empty()) return std::nullopt;
    std::string text;
    for (const auto& n : result.nodes) text += n.text;
    return json::array({{{"uri", uri}, {"mimeType", "text/markdown"}, {"text", text}}});
  }
  std::string from;
  if (query != std::string_view::npos) {
    std::string_view q = rest.substr(query + 1);
    if (!q.starts_with("from=")) return std::nullopt;
    auto id = syntax::percent_decode(q.substr(5));
    if (!id) return std::nullopt;
    from = *id;
  }
  const auto& documents = c.library.prepared();
  for (size_t d = 0; d < documents.size(); ++d) {
    if (documents[d]->path != *path) continue;
    const Document& doc = documents[d]->document();
    int32_t start = from.empty() ? 0 : doc.index_of(from);
    if (start < 0 || !visible(doc, doc.nodes[static_cast<size_t>(start)], c.caller))
      return std::nullopt; // a hidden node reads as unknown, here too
    std::string text = read_document(d, from, c);
    if (text.empty()) return std::nullopt; // nothing the caller may read: not found
    return json::array({{{"uri", uri}, {"mimeType", "text/markdown"}, {"text", text}}});
  }
  return std::nullopt;
}

} // namespace og::serve
