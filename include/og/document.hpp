// The document graph: what parse() makes of a Markdown or .og file.
// Every string the graph holds is a copy; spans point into Document::source.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "og/diagnostic.hpp"
#include "og/source.hpp"

namespace og {

/// The edge kinds of the core vocabulary; `extension` is any `:x-…` directive.
enum class EdgeKind : uint8_t { requires_, precedes, see_also, contradicts, escalate, extension };

/// Directive name of an edge kind ("requires", "see-also", ...); extension edges keep their own.
std::string_view edge_kind_name(EdgeKind kind);

/// The content types of the core vocabulary (spec §4.1), in the spec's order.
const std::vector<std::string>& core_types();
/// A core type, or an extension `x-…`.
bool is_known_type(std::string_view type);

/// Where an edge points: `#id` (doc empty) or `path.og#id` (doc is the path as written).
struct Target {
  std::string doc;
  std::string id;
  std::string text() const { return doc.empty() ? "#" + id : doc + "#" + id; }
};

struct Edge {
  EdgeKind kind = EdgeKind::see_also;
  std::string name; ///< directive name without the colon, e.g. "requires" or "x-blocks"
  Target target;
  Span span; ///< the target as written in the directive line
};

/// A Markdown link in a node's own text that can name a document or a node:
/// `[x](guide.md#setup)`, `[x](#setup)`, `[x](../ops/)`, `[[Guide#Setup|x]]`, `![[Guide]]`. It is
/// the author's Markdown, not an og edge: nothing requires it to resolve (a site may serve what
/// the tree lacks). The library resolves it against the documents it serves (LinkResolver), and
/// resolve_context follows it when asked (`follow: ["links"]`).
struct Link {
  std::string doc;    ///< path relative to the document (percent-decoded), or a wikilink's
                      ///< note name; empty: this document
  std::string anchor; ///< the fragment, or a wikilink's heading text; empty: the document
  bool wiki = false;
  uint32_t at = 0; ///< source offset of the link's text
};

/// One `:name value` line. All directives are kept in source order, edges included.
struct Directive {
  std::string name;
  std::string value; ///< trimmed text after the name
  Span span;         ///< the whole line, line ending included
};

/// A `key=value` attribute other than the ones the graph models (scope, confidence, version).
struct Attribute {
  std::string key;
  std::string value;
};

enum class NodeKind : uint8_t {
  heading,  ///< an ATX or setext heading at document level
  unit,     ///< an atomic node opened by a marker line `{#id .type}` inside a section
  document, ///< the text before the first node (first in `nodes`; no heading of its own)
};

struct Node {
  std::string id;
  bool id_explicit = false;
  std::string title; ///< plain text of the heading, attribute list removed; empty for units
  NodeKind kind = NodeKind::heading;
  uint8_t level = 0; ///< 1..6 for headings, 0 for units
  bool setext = false;
  std::string type;                         ///< content type, "" when untyped
  std::vector<std::string> classes;         ///< further `.class` names after the type
  std::vector<std::string> scope;           ///< roles as written; empty = inherited
  std::vector<std::string> effective_scope; ///< after inheritance from parent and meta
  std::optional<double> confidence;
  std::optional<uint32_t> version;
  std::vector<Attribute> attributes;
  std::string dense;
  std::vector<std::string> keywords;
  std::vector<Edge> edges;
  std::vector<Directive> directives;
  std::vector<Link> links; ///< in its heading and own content, in source order

  Span heading;         ///< heading line(s) or the unit's marker line, line ending included
  Span attribute_list;  ///< the `{…}` list inside `heading`; empty when there is none
  Span directive_block; ///< the directive lines after the heading
  Span body;            ///< own content up to the next node (children excluded)
  int32_t parent = -1;  ///< index into Document::nodes, -1 for top level
  std::vector<uint32_t> children;

  /// The whole node: heading through the end of its last descendant.
  Span extent;
};

/// One role and the roles whose scope it includes (`admin: [operator]`).
struct Role {
  std::string name;
  std::vector<std::string> includes;
};

/// Frontmatter. Known fields are typed; every top-level key is also kept as raw YAML text.
/// How the frontmatter is written: `---` YAML or `+++` TOML (Hugo).
enum class FrontmatterSyntax : uint8_t { yaml, toml };

struct Meta {
  bool present = false;
  FrontmatterSyntax syntax = FrontmatterSyntax::yaml;
  std::optional<int64_t> og_version;
  std::string id;
  std::string title;
  std::string description; ///< `description` (MkDocs, Hugo, Docusaurus, Agent Skills)
  std::string name;        ///< `name` (Agent Skills: the skill's name)
  /// `requires`: the documents this one needs first, by a skill's `name`, a note name or a
  /// relative path (LinkResolver::named); resolve_context follows them as `:requires` of the
  /// document's first node. `requires_span` is where the value is written.
  std::vector<std::string> requires_documents;
  Span requires_span;
  std::optional<uint32_t> version;
  std::vector<Role> roles;
  std::vector<std::string> scope; ///< default scope of nodes
  std::vector<std::pair<std::string, std::string>> fields;
};

struct Node;

/// id -> node number over Document::nodes: open addressing on the nodes' own id strings, so a
/// lookup table for 100,000 nodes costs one array, not 100,000 allocations.
class IdTable {
public:
  void reserve(size_t ids);
  /// Files nodes[node] under its id unless another node holds that id; returns the holder.
  uint32_t insert(const std::vector<Node>& nodes, uint32_t node);
  /// Node number holding `id`, or -1.
  int32_t find(const std::vector<Node>& nodes, std::string_view id) const;

private:
  void grow(const std::vector<Node>& nodes);
  std::vector<uint32_t> slots_; // node number + 1; 0 is empty
  size_t count_ = 0;
};

struct Document {
  std::string path;
  std::string source;
  LineIndex lines;
  Meta meta;
  Span bom;         ///< a leading UTF-8 byte order mark; not content, kept for writing back
  Span frontmatter; ///< both `---` lines included; empty when there is none
  Span preamble;    ///< content before the first node: empty when a document node holds it
  std::vector<Node> nodes;
  std::vector<Diagnostic> diagnostics;

  /// Node with this id, or nullptr.
  const Node* find(std::string_view id) const;
  int32_t index_of(std::string_view id) const;
  bool has_errors() const;
  /// Whether the document speaks og: its frontmatter says `og:`, or it uses a construct only og
  /// has (a directive line, a unit, a generated node). In a document that does not, a heading's
  /// `{#id .class}` is the author's Markdown (kramdown, Pandoc, MkDocs and Hugo write them).
  bool speaks_og() const;
  /// The first error as one line, `path:line:col: error[OG0014]: …` (`shown_path` in place of
  /// `path` when given); empty without errors.
  std::string first_error(std::string_view shown_path = {}) const;
  /// Where Markdown content starts: after the frontmatter, else after a byte order mark.
  uint32_t content_start() const { return frontmatter.empty() ? bom.end : frontmatter.end; }
  std::string_view text(Span span) const {
    return std::string_view(source).substr(span.start, span.size());
  }

  /// Filled by parse(): id -> index in nodes (use find() / index_of()).
  IdTable ids;
};

/// "heading", "unit" or "document".
std::string_view node_kind_name(NodeKind kind);

/// Roles that can see `scope`: each role in it plus every role that includes one, transitively.
/// Empty scope means everyone.
bool role_sees(const Meta& meta, std::string_view role, const std::vector<std::string>& scope);

/// Can `role` see the node: its scope and every ancestor's scope admit the role.
bool node_visible_to(const Document& document, const Node& node, std::string_view role);

} // namespace og
