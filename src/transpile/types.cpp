// Pass 3, content types. First by title (a heading named "Prerequisites" is a prereq whatever
// it holds), then by what the own content is made of, measured in tokens:
//   a warning-kind admonition or alert first (`> [!WARNING]`, `!!! danger`, `:::caution`;
//   syntax::is_warning_kind), or a first paragraph opening with "Warning:" / "Caution:" /
//   "Danger:" / "Important:"                                            -> warning
//   ordered lists >= 50%, or 2+ shell code blocks between prose          -> steps
//     (but concept in a section that argues: Goals, Drawbacks, Alternatives, …)
//   code blocks >= 60%                                                   -> code
//   tables >= 60%                                                        -> table
//   paragraphs and bullet lists >= 80%                                   -> concept
// A node that already has a type keeps it; a node with no own content gets none.
#include <algorithm>
#include <array>

#include "plan.hpp"

namespace og::transpiler {

namespace {

using Kind = syntax::TopBlock::Kind;

bool starts_with_any(std::string_view text, std::initializer_list<std::string_view> prefixes) {
  for (auto p : prefixes)
    if (text.substr(0, p.size()) == p &&
        (text.size() == p.size() || !std::isalnum(static_cast<unsigned char>(text[p.size()]))))
      return true;
  return false;
}

std::string type_from_title(std::string_view title) {
  std::string t = syntax::ascii_lower(title);
  while (!t.empty() && (t.back() == ':' || t.back() == ' ')) t.pop_back();
  if (starts_with_any(t, {"prerequisites", "prerequisite", "before you begin", "before you start",
                          "requirements", "what you need", "you will need"}))
    return "prereq";
  if (starts_with_any(t, {"faq", "faqs", "frequently asked", "common questions", "q&a"}) ||
      (!t.empty() && t.back() == '?'))
    return "faq";
  if (starts_with_any(t, {"example", "examples", "sample", "samples"})) return "example";
  if (starts_with_any(t, {"warning", "warnings", "caution", "danger"})) return "warning";
  if (starts_with_any(t, {"reference", "api reference", "options", "parameters", "arguments",
                          "flags", "environment variables", "glossary"}))
    return "reference";
  if (starts_with_any(t, {"how to", "steps", "procedure", "instructions"})) return "steps";
  return "";
}

/// Sections that argue rather than instruct (the parts of a KEP, RFC or EIP): a numbered list
/// there is a list of points, not steps.
bool argues(std::string_view title) {
  std::string t = syntax::ascii_lower(title);
  return starts_with_any(t, {"goals", "non-goals", "motivation", "summary", "drawbacks",
                             "alternatives", "rationale", "risks", "open questions",
                             "unresolved questions", "future work", "background", "abstract",
                             "specification", "proposal", "user stories", "notes"});
}

bool is_shell(std::string_view language) {
  std::string l = syntax::ascii_lower(language);
  return l.empty() || l == "bash" || l == "sh" || l == "shell" || l == "console" || l == "zsh" ||
         l == "powershell" || l == "ps1" || l == "cmd" || l == "shell-session";
}

bool opens_with_warning(const std::vector<Block>& blocks) {
  if (blocks.empty()) return false;
  if (syntax::is_warning_kind(blocks.front().admonition)) return true; // any dialect's
  std::string first = syntax::ascii_lower(blocks.front().text.substr(0, 16));
  return blocks.front().kind == Kind::paragraph &&
         starts_with_any(first, {"warning:", "caution:", "danger:", "important:"});
}

std::string type_from_content(const std::vector<Block>& blocks) {
  if (blocks.empty()) return "";
  if (opens_with_warning(blocks)) return "warning";
  std::array<size_t, 9> tokens{};
  size_t total = 0, shell_blocks = 0, prose_blocks = 0;
  for (const auto& b : blocks) {
    tokens[b.kind] += b.tokens;
    total += b.tokens;
    if (b.kind == Kind::code && is_shell(b.code_language)) ++shell_blocks;
    if (b.kind == Kind::paragraph) ++prose_blocks;
  }
  if (total == 0) return "";
  auto share = [&](Kind k) { return static_cast<double>(tokens[k]) / static_cast<double>(total); };
  if (share(Kind::ordered_list) >= 0.5 || (shell_blocks >= 2 && prose_blocks >= 1)) return "steps";
  if (share(Kind::code) >= 0.6) return "code";
  if (share(Kind::table) >= 0.6) return "table";
  if (share(Kind::paragraph) + share(Kind::list) >= 0.8) return "concept";
  return "";
}

} // namespace

void infer_types(Plan& plan) {
  for (auto& p : plan.nodes) {
    if (!p.type.empty()) continue; // the document says it already
    p.type = p.title.empty() ? "" : type_from_title(p.title);
    if (p.type.empty()) p.type = type_from_content(p.blocks);
    if (p.type == "steps" && argues(p.title)) p.type = "concept";
    p.write_type = !p.type.empty();
  }
}

} // namespace og::transpiler
