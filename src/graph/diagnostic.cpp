// Diagnostic codes, their titles, and the `path:line:col: error[OG0007]: …` rendering.
#include <array>

#include <fmt/format.h>

#include "og/diagnostic.hpp"

namespace og {

namespace {

struct CodeInfo {
  Code code;
  std::string_view title;
};

constexpr std::array<CodeInfo, 31> code_table = {{
    {Code::invalid_utf8, "invalid-utf8"},
    {Code::input_too_large, "input-too-large"},
    {Code::binary_input, "binary-input"},
    {Code::frontmatter_not_yaml, "frontmatter-not-yaml"},
    {Code::meta_field_invalid, "meta-field-invalid"},
    {Code::role_undeclared, "role-undeclared"},
    {Code::role_cycle, "role-cycle"},
    {Code::frontmatter_unreadable, "frontmatter-unreadable"},
    {Code::requires_hidden, "requires-hidden"},
    {Code::escalate_outside_scope, "escalate-outside-scope"},
    {Code::attributes_malformed, "attributes-malformed"},
    {Code::attribute_duplicate, "attribute-duplicate"},
    {Code::confidence_out_of_range, "confidence-out-of-range"},
    {Code::version_invalid, "version-invalid"},
    {Code::type_unknown, "type-unknown"},
    {Code::directive_unknown, "directive-unknown"},
    {Code::directive_value_invalid, "directive-value-invalid"},
    {Code::assertion_outside_assert, "assertion-outside-assert"},
    {Code::directive_repeated, "directive-repeated"},
    {Code::summary_stale, "summary-stale"},
    {Code::change_uncommitted, "change-uncommitted"},
    {Code::changelog_invalid, "changelog-invalid"},
    {Code::id_duplicate, "id-duplicate"},
    {Code::id_renamed, "id-renamed"},
    {Code::text_under_generated, "text-under-generated"},
    {Code::edge_dangling, "edge-dangling"},
    {Code::requires_cycle, "requires-cycle"},
    {Code::edge_to_self, "edge-to-self"},
    {Code::edge_document_missing, "edge-document-missing"},
    {Code::link_document_missing, "link-document-missing"},
    {Code::limit_exceeded, "limit-exceeded"},
}};

std::array<Code, code_table.size()> make_code_list() {
  std::array<Code, code_table.size()> codes{};
  for (size_t i = 0; i < code_table.size(); ++i) codes[i] = code_table[i].code;
  return codes;
}

const std::array<Code, code_table.size()> code_list = make_code_list();

/// Display width of a line prefix: tabs are kept so the caret lines up in a terminal.
std::string caret_padding(std::string_view prefix) {
  std::string padding;
  for (char c : prefix) {
    if (c == '\t')
      padding += '\t';
    else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
      padding += ' ';
  }
  return padding;
}

/// Text from a file made safe to print on a terminal: C0 controls (tab aside) and DEL become
/// their Unicode control pictures (␛ for ESC), C1 controls U+FFFD. Each takes one column, as the
/// byte did, so the caret line still lines up.
std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
      char32_t picture = c == 0x7f ? 0x2421 : 0x2400 + c;
      out += static_cast<char>(0xE0 | (picture >> 12));
      out += static_cast<char>(0x80 | ((picture >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (picture & 0x3F));
    } else if (c == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

} // namespace

std::string code_name(Code code) {
  return fmt::format("OG{:04}", static_cast<unsigned>(code));
}

std::string_view code_title(Code code) {
  for (const auto& info : code_table)
    if (info.code == code) return info.title;
  return "unknown";
}

const Code* all_codes(size_t* count) {
  *count = code_list.size();
  return code_list.data();
}

std::string_view severity_name(Severity severity) {
  return severity == Severity::error ? "error" : "warning";
}

std::string format_diagnostic(std::string_view path, std::string_view source,
                              const LineIndex& lines, const Diagnostic& d) {
  Position at = lines.position(d.span.start);
  std::string out =
      fmt::format("{}:{}:{}: {}[{}]: {}\n", terminal_safe(path), at.line, at.column,
                  severity_name(d.severity), code_name(d.code), terminal_safe(d.message));
  if (lines.line_count() == 0 || source.empty()) return out;
  uint32_t line = at.line - 1;
  uint32_t start = lines.line_start(line);
  uint32_t end = lines.content_end(line);
  std::string_view text = source.substr(start, end - start);
  uint32_t caret_start = d.span.start - start;
  uint32_t caret_end = std::min(d.span.end, end);
  uint32_t width = caret_end > d.span.start ? caret_end - d.span.start : 1;
  std::string carets(1, '^');
  // One caret per code point of the span, so multibyte text underlines correctly.
  for (uint32_t i = d.span.start + 1; i < d.span.start + width; ++i)
    if ((static_cast<unsigned char>(source[i]) & 0xC0) != 0x80) carets += '~';
  out += fmt::format("{:>5} | {}\n      | {}{}\n", at.line, terminal_safe(text),
                     caret_padding(text.substr(0, std::min<size_t>(caret_start, text.size()))),
                     carets);
  return out;
}

} // namespace og
