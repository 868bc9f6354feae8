// Doc-site dialect constructs that are not prose: admonition and tab openers (MkDocs `!!! note
// "Title"`, `??? tip`, `=== "Tab"`; Docusaurus and DocFX `:::tip Title` … `:::`), alerts
// (`[!WARNING]` at the start of a quote), kramdown attribute lines (`{: .note}`), Obsidian block
// ids (`^b15695`), and template tags (Hugo `{{< … >}}` / `{{% … %}}`, Liquid `{% … %}` and
// `{{ … }}`). One classifier, used wherever text becomes summaries, keywords or types.
#include "syntax/syntax.hpp"

namespace og::syntax {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t';
}
bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

std::string_view trimmed(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && is_space(s[a])) ++a;
  while (b > a && (is_space(s[b - 1]) || s[b - 1] == '\r')) --b;
  return s.substr(a, b - a);
}

/// A word at the start of `s` (after blanks); advances `at` past it.
std::string_view word_at(std::string_view s, size_t& at) {
  while (at < s.size() && is_space(s[at])) ++at;
  size_t start = at;
  while (at < s.size() && is_word_char(s[at])) ++at;
  return s.substr(start, at - start);
}

/// The text of a `"quoted"` title, or the rest of the line.
std::string_view title_of(std::string_view rest) {
  rest = trimmed(rest);
  if (rest.size() >= 2 && rest.front() == '"' && rest.back() == '"')
    return rest.substr(1, rest.size() - 2);
  return rest;
}

/// Removes `open … close` spans (never across lines: the text is one line).
std::string without_spans(std::string text, std::string_view open, std::string_view close) {
  for (size_t at = text.find(open); at != std::string::npos; at = text.find(open, at)) {
    size_t end = text.find(close, at + open.size());
    if (end == std::string::npos) break;
    text.erase(at, end + close.size() - at);
  }
  return text;
}

/// DocFX layout tokens inside a paragraph's text (`:::row:::`, `:::column span="":::`, a lone
/// `:::`): a word starting with `:::` runs to the next `:::` or, alone, is only itself.
std::string without_colon_tokens(std::string text) {
  for (size_t at = text.find(":::"); at != std::string::npos; at = text.find(":::", at)) {
    if (at > 0 && !is_space(text[at - 1])) {
      at += 3;
      continue;
    }
    size_t stop = at + 3;
    if (stop < text.size() && !is_space(text[stop])) {
      size_t close = text.find(":::", stop);
      stop = close != std::string::npos ? close + 3 : std::min(text.find(' ', stop), text.size());
    }
    text.erase(at, stop - at);
  }
  return text;
}

} // namespace

std::string without_html_comments(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_comment = false;
  char fence = 0; // the fence character of an open fenced code block
  size_t start = 0;
  while (start < text.size()) {
    auto [line, next] = line_from(text, start);
    // The line's own break, kept as it was.
    std::string_view eol = next == std::string_view::npos
                               ? std::string_view()
                               : text.substr(start + line.size(), next - start - line.size());
    start = next;
    std::string_view opening = trimmed(line);
    if (!in_comment && line.find_first_not_of(' ') <= 3 && opening.size() >= 3 &&
        (opening.starts_with("```") || opening.starts_with("~~~"))) {
      if (!fence)
        fence = opening[0];
      else if (opening[0] == fence)
        fence = 0;
    }
    if (fence) {
      out += line;
      out += eol;
      continue;
    }
    for (size_t i = 0; i < line.size();) {
      if (in_comment) {
        size_t close = line.find("-->", i);
        if (close == std::string_view::npos) break;
        in_comment = false;
        i = close + 3;
      } else {
        size_t open = line.find("<!--", i);
        out += line.substr(i, open == std::string_view::npos ? line.size() - i : open - i);
        if (open == std::string_view::npos) break;
        in_comment = true;
        i = open + 4;
      }
    }
    out += eol;
  }
  return out;
}

DialectLine classify_dialect_line(std::string_view line) {
  std::string_view text = trimmed(line);
  DialectLine out;
  size_t at = 0;
  if (text.starts_with("!!!") || text.starts_with("???")) {
    at = text.size() > 3 && text[3] == '+' ? 4 : 3;
    if (at < text.size() && !is_space(text[at])) return out;
    out.type = word_at(text, at);
    if (out.type.empty()) return out;
    while (at < text.size() && text[at] != '"') word_at(text, ++at); // modifiers: `inline end`
    out.kind = DialectLine::admonition;
    out.title = title_of(text.substr(std::min(at, text.size())));
  } else if (text.starts_with(":::")) {
    at = text.find_first_not_of(':');
    if (at == std::string_view::npos) {
      out.kind = DialectLine::fence_close;
      return out;
    }
    out.type = word_at(text, at);
    if (out.type.empty()) return out;
    if (out.type.ends_with("-end")) { // DocFX `:::zone-end`, `:::row-end:::`
      out.kind = DialectLine::fence_close;
    } else if (text.size() > 6 && text.ends_with(":::")) { // DocFX `:::row:::`, `:::column …:::`
      out.kind = DialectLine::layout;
    } else {
      out.kind = DialectLine::admonition;
      out.title = title_of(text.substr(at));
    }
  } else if (text.starts_with("===") && text.size() > 4 &&
             (text[3] == ' ' || (text[3] == '+' && text[4] == ' '))) {
    out.kind = DialectLine::tab;
    out.title = title_of(text.substr(4));
  } else if (text.starts_with("{:") && text.find('}') != std::string_view::npos) {
    // kramdown's `{: .note .warning}`, alone or (joined by a soft break) before its block's text;
    // its last class is what the site styles it as.
    size_t close = text.find('}');
    out.kind = DialectLine::attributes;
    for (size_t dot = text.find('.'); dot < close; dot = text.find('.', at)) {
      at = dot + 1;
      out.type = word_at(text, at);
    }
    out.title = trimmed(text.substr(close + 1));
  } else if (text.starts_with("[!")) {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close > 16) return out;
    at = 2;
    out.type = word_at(text, at);
    if (at != close || out.type.empty()) return {};
    out.kind = DialectLine::admonition;
    size_t after = close + 1;
    if (after < text.size() && (text[after] == '+' || text[after] == '-')) ++after;
    out.title = trimmed(text.substr(after));
  }
  return out;
}

bool is_warning_kind(std::string_view type) {
  std::string t = ascii_lower(type);
  return t == "warning" || t == "caution" || t == "danger" || t == "important" ||
         t == "attention" || t == "failure" || t == "bug" || t == "error";
}

namespace {

/// Without the attribute list that ends the line, which MkDocs' attr_list and Pandoc attach to
/// the block (`{ #feedback style="margin: 0" }`, `{.lead}`, alone on a line or after the text);
/// a line left with only blanks (or `&nbsp;`) is none.
std::string without_block_attributes(std::string line) {
  size_t end = line.find_last_not_of(" \t");
  if (end == std::string::npos || line[end] != '}') return line;
  size_t open = line.rfind('{', end);
  if (open == std::string::npos) return line;
  size_t first = line.find_first_not_of(" \t", open + 1);
  if (first >= end || (line[first] != '#' && line[first] != '.')) return line;
  line.resize(open);
  std::string_view rest = line;
  while (rest.starts_with("\xC2\xA0") || rest.starts_with(" ") || rest.starts_with("\t"))
    rest.remove_prefix(rest[0] == '\xC2' ? 2 : 1);
  return rest.empty() ? std::string() : line;
}

} // namespace

std::string prose_of(std::string_view raw) {
  std::string uncommented = without_html_comments(raw); // across lines, so before the line loop
  std::string_view text = uncommented;
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    auto [line, next] = line_from(text, start);
    start = next;
    DialectLine d = classify_dialect_line(line);
    std::string kept;
    std::string_view text_of_line = trimmed(line);
    if (text_of_line.starts_with("{{") || text_of_line.starts_with("{%"))
      kept.clear(); // a tag, closed on this line or a later one: not prose
    else if (d.kind == DialectLine::admonition || d.kind == DialectLine::attributes)
      kept = std::string(d.title);
    else if (d.kind == DialectLine::none)
      kept = std::string(line);
    kept = without_block_attributes(std::move(kept));
    if (kept.empty()) continue;
    kept = without_spans(std::move(kept), "{{<", ">}}");
    kept = without_spans(std::move(kept), "{{%", "%}}");
    kept = without_spans(std::move(kept), "{%", "%}");
    kept = without_spans(std::move(kept), "{{", "}}");
    kept = without_spans(std::move(kept), "[!div", "]"); // DocFX's "next step" button
    kept = without_colon_tokens(std::move(kept));
    // An Obsidian block id ends the line: ` ^b15695`.
    if (size_t caret = kept.rfind(" ^"); caret != std::string::npos) {
      std::string_view id = std::string_view(kept).substr(caret + 2);
      size_t i = 0;
      if (word_at(id, i) == id && !id.empty()) kept.resize(caret);
    }
    std::string collapsed;
    for (char c : kept)
      if (!(is_space(c) && (collapsed.empty() || collapsed.back() == ' ')))
        collapsed += is_space(c) ? ' ' : c;
    while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
    if (!collapsed.empty()) out += collapsed + '\n';
  }
  return out;
}

} // namespace og::syntax
