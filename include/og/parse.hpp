// bytes -> Document. Parsing is total: any input gives a document plus diagnostics.
#pragma once

#include <string>

#include "og/document.hpp"

namespace og {

/// Named limits. Each bounds a cost that would otherwise grow with hostile input.
struct ParseOptions {
  /// Spans are 32-bit; larger inputs are refused with OG0002 (the document keeps the bytes).
  uint64_t max_input_bytes = 1u << 30;
  /// Frontmatter is YAML; beyond this size it is not read as frontmatter (YAML parsers nest).
  uint32_t max_frontmatter_bytes = 1u << 20;
  /// YAML nesting beyond this depth makes the frontmatter invalid (bounded recursion).
  uint32_t max_yaml_depth = 32;
  /// An attribute list longer than this stays heading text (keeps backward scans linear).
  uint32_t max_attribute_list_bytes = 4096;
  /// Container markers (`>`, `-`, `1.` …) opened on one line beyond this depth are read as text.
  /// md4c 0.4.8 re-walks every open list item on each following blank line, so thousands of
  /// nested markers followed by thousands of blank lines cost depth × lines.
  uint32_t max_container_depth = 256;
  /// Invalid UTF-8 is reported at most this many times per document.
  uint32_t max_utf8_reports = 8;
};

/// Parses `source` (which the document takes over) read from `path` (used in messages only).
Document parse(std::string source, std::string path, const ParseOptions& options = {});

} // namespace og
