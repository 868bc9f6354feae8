// The graph as JSON. The one file (with the CLI) that uses nlohmann::json; its types stay here.
#include <nlohmann/json.hpp>

#include "og/graph_export.hpp"

namespace og {

namespace {

using json = nlohmann::ordered_json;

json span_json(Span span) {
  return {{"start", span.start}, {"end", span.end}};
}

json meta_json(const Meta& meta) {
  json j = json::object();
  if (!meta.present) return j;
  if (meta.og_version) j["og"] = *meta.og_version;
  if (!meta.id.empty()) j["id"] = meta.id;
  if (!meta.title.empty()) j["title"] = meta.title;
  if (meta.version) j["version"] = *meta.version;
  if (!meta.roles.empty()) {
    json roles = json::object();
    for (const auto& role : meta.roles) roles[role.name] = role.includes;
    j["roles"] = roles;
  }
  if (!meta.scope.empty()) j["scope"] = meta.scope;
  json fields = json::object();
  for (const auto& [key, value] : meta.fields) fields[key] = value;
  j["fields"] = fields;
  return j;
}

json edges_json(const Node& node) {
  json edges = json::array();
  for (const auto& e : node.edges) edges.push_back({{"kind", e.name}, {"target", e.target.text()}});
  return edges;
}

json links_json(const Document& doc, const Node& node) {
  json links = json::array();
  for (const auto& link : node.links) {
    Position at = doc.lines.position(link.at);
    links.push_back({{"doc", link.doc},
                     {"anchor", link.anchor},
                     {"wiki", link.wiki},
                     {"line", at.line},
                     {"column", at.column}});
  }
  return links;
}

json diagnostic_json(const Document& doc, const Diagnostic& d) {
  Position at = doc.lines.position(d.span.start);
  return {{"code", code_name(d.code)}, {"severity", severity_name(d.severity)},
          {"line", at.line},           {"column", at.column},
          {"start", d.span.start},     {"end", d.span.end},
          {"message", d.message}};
}

json node_json(const Document& doc, const Node& node) {
  json j = {{"id", node.id},
            {"title", node.title},
            {"kind", node_kind_name(node.kind)},
            {"level", node.level},
            {"type", node.type},
            {"scope", node.effective_scope},
            {"edges", edges_json(node)},
            {"links", links_json(doc, node)},
            {"heading", span_json(node.heading)},
            {"directives", span_json(node.directive_block)},
            {"body", span_json(node.body)},
            {"extent", span_json(node.extent)},
            {"parent", node.parent >= 0 ? json(doc.nodes[node.parent].id) : json(nullptr)}};
  if (node.confidence) j["confidence"] = *node.confidence;
  if (node.version) j["version"] = *node.version;
  if (!node.dense.empty()) j["dense"] = node.dense;
  if (!node.keywords.empty()) j["keywords"] = node.keywords;
  if (!node.classes.empty()) j["classes"] = node.classes;
  if (!node.attributes.empty()) {
    json attributes = json::object();
    for (const auto& a : node.attributes) attributes[a.key] = a.value;
    j["attributes"] = attributes;
  }
  json checks = json::array();
  for (const auto& d : node.directives)
    if (d.name == "check" || d.name == "retry") checks.push_back({{d.name, d.value}});
  if (!checks.empty()) j["assertions"] = checks;
  return j;
}

// Spec examples show only what differs from a plain heading, so they stay short.
json node_spec_json(const Document& doc, const Node& node) {
  json j = {{"id", node.id}};
  if (node.kind == NodeKind::unit)
    j["unit"] = true;
  else if (node.kind == NodeKind::document)
    j["document"] = true;
  else
    j["level"] = node.level;
  if (!node.title.empty()) j["title"] = node.title;
  if (node.parent >= 0) j["parent"] = doc.nodes[node.parent].id;
  if (!node.type.empty()) j["type"] = node.type;
  if (!node.classes.empty()) j["classes"] = node.classes;
  if (!node.effective_scope.empty()) j["scope"] = node.effective_scope;
  if (node.confidence) j["confidence"] = *node.confidence;
  if (node.version) j["version"] = *node.version;
  if (!node.dense.empty()) j["dense"] = node.dense;
  if (!node.keywords.empty()) j["keywords"] = node.keywords;
  if (!node.edges.empty()) {
    json edges = json::array();
    for (const auto& e : node.edges) edges.push_back(e.name + " " + e.target.text());
    j["edges"] = edges;
  }
  if (!node.attributes.empty()) {
    json attributes = json::object();
    for (const auto& a : node.attributes) attributes[a.key] = a.value;
    j["attributes"] = attributes;
  }
  return j;
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace

std::string graph_json(const Document& doc) {
  json nodes = json::array();
  for (const auto& node : doc.nodes) nodes.push_back(node_json(doc, node));
  json diagnostics = json::array();
  for (const auto& d : doc.diagnostics) diagnostics.push_back(diagnostic_json(doc, d));
  json j = {{"path", doc.path},
            {"bytes", doc.source.size()},
            {"meta", meta_json(doc.meta)},
            {"frontmatter", span_json(doc.frontmatter)},
            {"preamble", span_json(doc.preamble)},
            {"nodes", nodes},
            {"diagnostics", diagnostics}};
  return dump(j);
}

std::string diagnostics_json(const Document& doc) {
  json diagnostics = json::array();
  for (const auto& d : doc.diagnostics) diagnostics.push_back(diagnostic_json(doc, d));
  return dump(diagnostics);
}

std::string graph_spec_lines(const Document& doc) {
  std::string out;
  if (doc.meta.present) {
    json meta = meta_json(doc.meta);
    meta.erase("fields");
    out += dump({{"meta", meta}}) + "\n";
  }
  for (const auto& node : doc.nodes) out += dump(node_spec_json(doc, node)) + "\n";
  for (const auto& d : doc.diagnostics) {
    Position at = doc.lines.position(d.span.start);
    out += dump({{"diagnostic", code_name(d.code)},
                 {"severity", severity_name(d.severity)},
                 {"at", std::to_string(at.line) + ":" + std::to_string(at.column)},
                 {"message", d.message}}) +
           "\n";
  }
  return out;
}

} // namespace og
