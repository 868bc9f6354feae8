// The graph as JSON (for tools), as canonical JSON lines (for spec examples) and as Graphviz dot.
#pragma once

#include <string>

#include "og/document.hpp"

namespace og {

/// `{"path","meta":{…},"nodes":[…],"diagnostics":[…]}` with byte spans (docs/cli.md).
std::string graph_json(const Document& document);

/// Diagnostics only: `[{"code","severity","line","column","start","end","message"}…]`.
std::string diagnostics_json(const Document& document);

/// Canonical form used by the examples in docs/spec.md: one JSON object per line — the meta
/// (when there is frontmatter), each node with only its non-default fields, each diagnostic.
std::string graph_spec_lines(const Document& document);

/// Graphviz: one box per node, solid edges for hierarchy, labelled dashed edges for directives.
std::string graph_dot(const Document& document);

} // namespace og
