// HTML rendering through md4c-html. og constructs become visible metadata, never stray text.
#pragma once

#include <string>

#include "og/document.hpp"

namespace og {

enum class Dialect : uint8_t {
  github,    ///< CommonMark + tables, strikethrough, task lists, permissive autolinks
  commonmark ///< strict CommonMark
};

struct RenderOptions {
  Dialect dialect = Dialect::github;
  /// Render frontmatter, attribute lists and directives as metadata blocks. When false they are
  /// dropped, and so are the generated `__index` and `__changelog` nodes, so the output is
  /// exactly the Markdown content's HTML.
  bool metadata = true;
  /// The same bound as ParseOptions::max_container_depth, for the same reason.
  uint32_t max_container_depth = 256;
};

std::string render_html(const Document& document, const RenderOptions& options = {});

/// md4c-html on raw Markdown with the same flags, nothing og-specific (the reference renderer).
std::string render_markdown_html(std::string_view markdown, Dialect dialect);

} // namespace og
