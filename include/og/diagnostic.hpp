// Diagnostics are values: a stable code, a severity, a byte span and a message.
// docs/diagnostics.md lists every code; tests check the list against this enum.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "og/source.hpp"

namespace og {

enum class Severity : uint8_t { warning, error };

/// Stable codes. Never renumber: tools and users match on them.
enum class Code : uint16_t {
  invalid_utf8 = 1,              // OG0001
  input_too_large = 2,           // OG0002
  binary_input = 3,              // OG0003
  frontmatter_not_yaml = 10,     // OG0010
  meta_field_invalid = 11,       // OG0011
  role_undeclared = 12,          // OG0012
  role_cycle = 13,               // OG0013
  frontmatter_unreadable = 14,   // OG0014
  requires_hidden = 15,          // OG0015
  escalate_outside_scope = 16,   // OG0016
  attributes_malformed = 20,     // OG0020
  attribute_duplicate = 21,      // OG0021
  confidence_out_of_range = 22,  // OG0022
  version_invalid = 23,          // OG0023
  type_unknown = 24,             // OG0024
  directive_unknown = 30,        // OG0030
  directive_value_invalid = 31,  // OG0031
  assertion_outside_assert = 32, // OG0032
  directive_repeated = 33,       // OG0033
  summary_stale = 34,            // OG0034
  change_uncommitted = 35,       // OG0035
  changelog_invalid = 36,        // OG0036
  id_duplicate = 40,             // OG0040
  id_renamed = 41,               // OG0041
  text_under_generated = 42,     // OG0042
  edge_dangling = 50,            // OG0050
  requires_cycle = 51,           // OG0051
  edge_to_self = 52,             // OG0052
  edge_document_missing = 53,    // OG0053
  link_document_missing = 54,    // OG0054
  limit_exceeded = 60,           // OG0060
};

struct Diagnostic {
  Code code{};
  Severity severity = Severity::error;
  Span span;
  std::string message;
};

/// "OG0022".
std::string code_name(Code code);
/// The short kebab-case title of a code, e.g. "confidence-out-of-range".
std::string_view code_title(Code code);
/// Every code in numeric order (for docs and tests).
const Code* all_codes(size_t* count);
std::string_view severity_name(Severity severity);

/// `path:line:col: error[OG0022]: message`, then the source line and a caret under the span.
std::string format_diagnostic(std::string_view path, std::string_view source,
                              const LineIndex& lines, const Diagnostic& diagnostic);

} // namespace og
