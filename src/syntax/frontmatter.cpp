// Frontmatter -> Meta: YAML through libyaml's event parser (no recursion in the parser; our
// tree builder caps nesting at ParseOptions::max_yaml_depth), TOML (`+++`) through toml++.
#include <toml++/toml.h>
#include <yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>
#include <sstream>
#include <unordered_set>

#include <fmt/format.h>

#include "syntax/syntax.hpp"

namespace og::syntax {

namespace {

struct YamlNode {
  enum Kind : uint8_t { scalar, sequence, mapping } kind = scalar;
  std::string text;              // scalar value
  bool plain = true;             // scalar was unquoted (so `1` is a number)
  std::vector<YamlNode> items;   // sequence items, or mapping values
  std::vector<std::string> keys; // mapping keys (scalar keys only)
  uint32_t start = 0, end = 0;   // byte range in the YAML text
};

class YamlReader {
public:
  YamlReader(std::string_view text, uint32_t max_depth) : max_depth_(max_depth) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~YamlReader() { yaml_parser_delete(&parser_); }
  YamlReader(const YamlReader&) = delete;
  YamlReader& operator=(const YamlReader&) = delete;

  /// The root node of the single document, or nullopt with `error` set.
  std::optional<YamlNode> read(std::string& error) {
    // Stream start, document start, root, document end.
    yaml_event_t event;
    for (int i = 0; i < 2; ++i) {
      if (!next(event, error)) return std::nullopt;
      yaml_event_delete(&event);
    }
    if (!next(event, error)) return std::nullopt;
    if (event.type == YAML_DOCUMENT_END_EVENT) { // empty document
      yaml_event_delete(&event);
      error = "empty";
      return std::nullopt;
    }
    return node_from(event, 0, error);
  }

private:
  bool next(yaml_event_t& event, std::string& error) {
    if (yaml_parser_parse(&parser_, &event)) return true;
    error = parser_.problem ? parser_.problem : "invalid YAML";
    error_at_ = static_cast<uint32_t>(parser_.problem_mark.index);
    if (parser_.context) { // "while scanning a quoted scalar": point where that began
      error = std::string(parser_.context) + ", " + error;
      error_at_ = static_cast<uint32_t>(parser_.context_mark.index);
    }
    return false;
  }

  // Consumes `event` (and the events of its children).
  std::optional<YamlNode> node_from(yaml_event_t& event, uint32_t depth, std::string& error) {
    YamlNode node;
    node.start = static_cast<uint32_t>(event.start_mark.index);
    node.end = static_cast<uint32_t>(event.end_mark.index);
    yaml_event_type_t type = event.type;
    if (type == YAML_SCALAR_EVENT) {
      node.text.assign(reinterpret_cast<const char*>(event.data.scalar.value),
                       event.data.scalar.length);
      node.plain = event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    }
    yaml_event_delete(&event);
    if (type == YAML_SCALAR_EVENT) return node;
    if (type == YAML_ALIAS_EVENT) {
      error = "aliases are not supported in frontmatter";
      error_at_ = node.start;
      return std::nullopt;
    }
    if (type != YAML_SEQUENCE_START_EVENT && type != YAML_MAPPING_START_EVENT) {
      error = "unexpected YAML event";
      return std::nullopt;
    }
    if (depth >= max_depth_) {
      error = fmt::format("nested deeper than {} levels", max_depth_);
      return std::nullopt;
    }
    node.kind = type == YAML_SEQUENCE_START_EVENT ? YamlNode::sequence : YamlNode::mapping;
    yaml_event_type_t end_type =
        node.kind == YamlNode::sequence ? YAML_SEQUENCE_END_EVENT : YAML_MAPPING_END_EVENT;
    for (;;) {
      yaml_event_t child;
      if (!next(child, error)) return std::nullopt;
      if (child.type == end_type) {
        node.end = static_cast<uint32_t>(child.end_mark.index);
        yaml_event_delete(&child);
        return node;
      }
      if (node.kind == YamlNode::mapping) {
        if (child.type != YAML_SCALAR_EVENT) {
          yaml_event_delete(&child);
          error = "mapping keys must be scalars";
          return std::nullopt;
        }
        node.keys.emplace_back(reinterpret_cast<const char*>(child.data.scalar.value),
                               child.data.scalar.length);
        yaml_event_delete(&child);
        if (!next(child, error)) return std::nullopt;
      }
      auto item = node_from(child, depth + 1, error);
      if (!item) return std::nullopt;
      node.items.push_back(std::move(*item));
    }
  }

public:
  /// Where reading stopped, relative to the YAML text (after read() failed).
  uint32_t error_at() const { return error_at_; }

private:
  yaml_parser_t parser_;
  uint32_t max_depth_;
  uint32_t error_at_ = 0;
};

std::string_view trim_end(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return line;
}

/// The closing line (`---`/`...`, or `+++` for TOML) after `from`: where it starts and where the
/// line after it starts. nullopt if none starts before `limit`.
std::optional<std::pair<uint32_t, uint32_t>> find_closing_line(std::string_view source, size_t from,
                                                               size_t limit, bool toml) {
  for (size_t start = from; start != std::string_view::npos && start < limit;) {
    Line line = line_from(source, start);
    std::string_view text = trim_end(line.text);
    if (toml ? text == "+++" : (text == "---" || text == "...")) {
      size_t next = line.next == std::string_view::npos ? source.size() : line.next;
      return std::make_pair(static_cast<uint32_t>(start), static_cast<uint32_t>(next));
    }
    start = line.next;
  }
  return std::nullopt;
}

bool is_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

/// True when `text` has a key that could carry access control (`og`, `roles`, `scope`, in any
/// case, also `role`/`scopes`) followed by `:` (YAML) or `=` (TOML), quoted or not. Used only
/// when the block cannot be read: then such a document must fail, not be read as unscoped.
/// One linear scan.
bool mentions_access_control(std::string_view text) {
  static constexpr std::string_view keys[] = {"og", "roles", "role", "scope", "scopes"};
  for (size_t i = 0; i < text.size();) {
    if (!is_key_char(text[i]) || (i > 0 && is_key_char(text[i - 1]))) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && is_key_char(text[end])) ++end;
    std::string word = ascii_lower(text.substr(i, end - i));
    size_t after = end;
    while (after < text.size() &&
           (text[after] == '"' || text[after] == '\'' || text[after] == ' ' || text[after] == '\t'))
      ++after;
    if (after < text.size() && (text[after] == ':' || text[after] == '=') &&
        std::find(std::begin(keys), std::end(keys), word) != std::end(keys))
      return true;
    i = end;
  }
  return false;
}

std::optional<int64_t> as_integer(const YamlNode& node) {
  if (node.kind != YamlNode::scalar || !node.plain) return std::nullopt;
  int64_t value = 0;
  const char* first = node.text.data();
  const char* last = first + node.text.size();
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last) return std::nullopt;
  return value;
}

/// A scalar or a sequence of scalars as a list of names.
std::optional<std::vector<std::string>> as_names(const YamlNode& node) {
  std::vector<std::string> names;
  if (node.kind == YamlNode::scalar) {
    if (node.plain && (node.text.empty() || node.text == "~" || node.text == "null")) return names;
    names.push_back(node.text);
    return names;
  }
  if (node.kind != YamlNode::sequence) return std::nullopt;
  for (const auto& item : node.items) {
    if (item.kind != YamlNode::scalar) return std::nullopt;
    names.push_back(item.text);
  }
  return names;
}

/// Fields that carry access control: a value that cannot be read exactly is an error whatever
/// the document says it is, because reading it as absent would widen visibility.
bool is_access_field(std::string_view key) {
  return key == "og" || key == "roles" || key == "scope";
}

/// One substitution, insertion, deletion or swap of neighbours turns `a` into `b` (or none).
bool within_one_edit(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (a.size() == b.size())
    return a.substr(i + std::min<size_t>(1, a.size() - i)) ==
               b.substr(i + std::min<size_t>(1, b.size() - i)) ||
           (i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
            a.substr(i + 2) == b.substr(i + 2));
  return a.substr(i) == b.substr(i + 1);
}

} // namespace

std::optional<std::string_view> near_access_field(std::string_view key) {
  std::string lower = ascii_lower(key);
  for (std::string_view field : {"scope", "roles", "og"})
    if (key != field && (lower == field || (field.size() > 2 && within_one_edit(lower, field))))
      return field;
  return std::nullopt;
}

namespace {

class MetaReader {
public:
  /// `strict`: the frontmatter has `og`; `access_aware`: it has `og` or `roles`.
  MetaReader(Meta& meta, std::vector<Diagnostic>& diagnostics, Span yaml_span, bool strict,
             bool access_aware)
      : meta_(meta), diagnostics_(diagnostics), base_(yaml_span.start), strict_(strict),
        access_aware_(access_aware) {}

  void read_field(const std::string& key, const YamlNode& value) {
    if (key == "og") {
      meta_.og_version = as_integer(value);
      if (!meta_.og_version || *meta_.og_version != 1)
        report(value, "`og` must be 1, the format version this tool reads", true);
    } else if (key == "id" || key == "title") {
      if (value.kind != YamlNode::scalar)
        return report(value, fmt::format("`{}` must be text", key));
      (key == "id" ? meta_.id : meta_.title) = value.text;
    } else if (key == "description" || key == "name") {
      // Other shapes are not og's: Docusaurus and Hugo give these keys their own meanings.
      if (value.kind == YamlNode::scalar)
        (key == "name" ? meta_.name : meta_.description) = value.text;
    } else if (key == "requires") {
      auto names = as_names(value);
      if (!names) return report(value, "`requires` must be a document's name or a list of them");
      meta_.requires_documents = std::move(*names);
      meta_.requires_span = {base_ + value.start, base_ + std::max(value.end, value.start + 1)};
    } else if (key == "version") {
      auto number = as_integer(value);
      if (!number || *number < 0 || *number > UINT32_MAX)
        return report(value, "`version` must be a whole number >= 0");
      meta_.version = static_cast<uint32_t>(*number);
    } else if (key == "roles") {
      read_roles(value);
    } else if (key == "scope") {
      auto names = as_names(value);
      if (!names) return report(value, "`scope` must be a role name or a list of role names", true);
      if (names->empty())
        return report(value,
                      "`scope` is empty; name the roles, or remove the key so every "
                      "role reads the document",
                      true);
      meta_.scope = std::move(*names);
    } else if (auto meant = access_aware_ ? near_access_field(key) : std::nullopt) {
      report(value,
             fmt::format("`{}` is not `{}`: og reads access fields by their exact name, so this "
                         "one would be ignored and the document read wider than written",
                         key, *meant),
             true);
    }
  }

  /// An unknown key whose value names only declared roles (`sco: admin`): a damaged or
  /// misspelt `scope`, which read as an unknown field would leave the document unscoped.
  void check_role_valued(const std::string& key, const YamlNode& value) {
    static constexpr std::string_view known[] = {"og",    "id",    "title",   "version",
                                                 "roles", "scope", "requires"};
    if (std::find(std::begin(known), std::end(known), key) != std::end(known)) return;
    auto names = as_names(value);
    if (!names || names->empty()) return;
    for (const auto& name : *names)
      if (!role_names_.count(name)) return;
    report(value,
           fmt::format("`{}` names roles but is not `scope`; og would ignore it and read the "
                       "document wider than written (rename it `scope`, or quote the value "
                       "differently if it is not a scope)",
                       key),
           true);
  }

  /// A key given twice: YAML forbids it and readers disagree on which value wins.
  void duplicate(const std::string& key, const YamlNode& value) {
    report(value, fmt::format("`{}` is given twice; write it once", key), is_access_field(key));
  }

private:
  void read_roles(const YamlNode& value) {
    if (value.kind != YamlNode::mapping)
      return report(value, "`roles` must map each role to the roles it includes", true);
    for (size_t i = 0; i < value.keys.size(); ++i) {
      auto includes = as_names(value.items[i]);
      if (!includes) {
        report(value.items[i], fmt::format("role `{}` must list role names", value.keys[i]), true);
        continue;
      }
      if (!role_names_.insert(value.keys[i]).second) {
        report(value.items[i], fmt::format("role `{}` is declared twice", value.keys[i]), true);
        continue;
      }
      meta_.roles.push_back({value.keys[i], std::move(*includes)});
    }
  }

  void report(const YamlNode& node, std::string message, bool access = false) {
    // Non-og frontmatter (a SKILL.md's `version: 1.0.2`) is not wrong: warn, do not fail. An
    // access field is another matter: ignoring it would serve the document wider.
    diagnostics_.push_back({Code::meta_field_invalid,
                            strict_ || access ? Severity::error : Severity::warning,
                            {base_ + node.start, base_ + std::max(node.end, node.start + 1)},
                            std::move(message)});
  }

  Meta& meta_;
  std::vector<Diagnostic>& diagnostics_;
  uint32_t base_;
  bool strict_;
  bool access_aware_;
  std::unordered_set<std::string> role_names_; // declared so far: lookups stay linear overall
};

/// Where `key:` (`key =` in TOML: `separator`) is written as a key would be (at a line start,
/// or after `#`, `{` or `,` with blanks between; quoted or not), or nullopt. Prose such as
/// `title: Project scope: Q3` does not count.
std::optional<uint32_t> key_written_at(std::string_view yaml, std::string_view key,
                                       char separator) {
  auto is_quote = [](char c) { return c == '"' || c == '\''; };
  for (size_t at = yaml.find(key); at != std::string_view::npos; at = yaml.find(key, at + 1)) {
    size_t after = at + key.size();
    if (after < yaml.size() && is_quote(yaml[after])) ++after;
    while (after < yaml.size() && (yaml[after] == ' ' || yaml[after] == '\t')) ++after;
    if (after >= yaml.size() || yaml[after] != separator) continue;
    size_t before = at;
    if (before > 0 && is_quote(yaml[before - 1])) --before;
    while (before > 0 && (yaml[before - 1] == ' ' || yaml[before - 1] == '\t')) --before;
    if (before == 0 || std::string_view("\n\r#{,").find(yaml[before - 1]) != std::string_view::npos)
      return static_cast<uint32_t>(at);
  }
  return std::nullopt;
}

void report_unreadable(std::vector<Diagnostic>& diagnostics, Span span, std::string why) {
  diagnostics.push_back({Code::frontmatter_unreadable, Severity::error, span,
                         fmt::format("{}; this block names access fields (`og`, `roles`, "
                                     "`scope`), so the document is not served until it reads",
                                     why)});
}

/// Byte offsets of toml++'s 1-based line:column positions (columns count code points).
class TomlPositions {
public:
  explicit TomlPositions(std::string_view text) : text_(text) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') line_starts_.push_back(static_cast<uint32_t>(i + 1));
  }
  uint32_t offset(const toml::source_position& at) const {
    if (at.line == 0 || at.line > line_starts_.size()) return static_cast<uint32_t>(text_.size());
    size_t i = line_starts_[at.line - 1];
    for (uint32_t column = 1; column < at.column && i < text_.size() && text_[i] != '\n';) {
      ++i;
      if ((static_cast<unsigned char>(text_[i - 1]) & 0xC0) != 0x80 &&
          (i >= text_.size() || (static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80))
        ++column; // the end of a code point
    }
    return static_cast<uint32_t>(i);
  }

private:
  std::string_view text_;
  std::vector<uint32_t> line_starts_;
};

/// A TOML value as the tree the field readers take: tables are mappings, arrays sequences,
/// strings quoted scalars, numbers, booleans and dates plain scalars.
YamlNode from_toml(const toml::node& value, const TomlPositions& at, uint32_t depth,
                   uint32_t max_depth, bool& too_deep) {
  YamlNode node;
  if (depth > max_depth) { // as the YAML tree builder: bounded, never recursed without end
    too_deep = true;
    return node;
  }
  node.start = at.offset(value.source().begin);
  node.end = std::max(node.start, at.offset(value.source().end));
  if (const toml::table* table = value.as_table()) {
    node.kind = YamlNode::mapping;
    for (const auto& [key, item] : *table) {
      node.keys.emplace_back(key.str());
      node.items.push_back(from_toml(item, at, depth + 1, max_depth, too_deep));
    }
  } else if (const toml::array* array = value.as_array()) {
    node.kind = YamlNode::sequence;
    for (const auto& item : *array)
      node.items.push_back(from_toml(item, at, depth + 1, max_depth, too_deep));
  } else if (auto text = value.value<std::string>(); text && value.is_string()) {
    node.text = *text;
    node.plain = false;
  } else if (const auto* flag = value.as_boolean()) {
    node.text = flag->get() ? "true" : "false";
  } else {
    std::ostringstream out; // integers, floats, dates and times as TOML writes them
    value.visit([&](const auto& leaf) { out << leaf; });
    node.text = out.str();
  }
  return node;
}

/// The closing line of the block that `first` opens (`---`, or `+++` for TOML). A `---` rule
/// opening a Markdown file is fine; a block that says who may read the document and never
/// closes (or is longer than the limit) is an error.
std::optional<std::pair<uint32_t, uint32_t>> closing_of(std::string_view source, uint32_t at,
                                                        const Line& first, bool toml,
                                                        const ParseOptions& options,
                                                        std::vector<Diagnostic>& diagnostics) {
  size_t limit = at + size_t{options.max_frontmatter_bytes};
  auto closing = find_closing_line(source, first.next, limit, toml);
  if (closing) return closing;
  std::string_view rest = source.substr(first.next, std::min(source.size(), limit) - first.next);
  if (mentions_access_control(rest))
    report_unreadable(diagnostics, {at, at + 3},
                      fmt::format("{}frontmatter has no closing `{}` line within {} bytes "
                                  "(max_frontmatter_bytes)",
                                  toml ? "TOML " : "", toml ? "+++" : "---",
                                  options.max_frontmatter_bytes));
  return std::nullopt;
}

/// Whether a key or `[table]` header names more than `max` levels (`a.b.c…`). toml++ bounds
/// the nesting of arrays and inline tables but recurses once per dotted-key level, so a
/// 150,000-level key overflows the stack: such a block is refused before it is parsed. One
/// linear scan; dots inside quotes do not count.
bool toml_keys_too_deep(std::string_view text, uint32_t max) {
  for (size_t start = 0; start < text.size();) {
    size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    uint32_t dots = 0;
    char quote = 0;
    for (char c : line) {
      if (quote) {
        quote = c == quote ? 0 : quote;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '=' || c == ']' || c == '#') {
        break; // the key (or header) ends here
      } else if (c == '.' && ++dots > max) {
        return true;
      }
    }
    start = end + 1;
  }
  return false;
}

/// `+++` … `+++` TOML frontmatter (Hugo): read into the same tree as YAML, so its fields mean
/// what they mean there. One that does not parse and names access fields is an error.
std::optional<YamlNode> read_toml(std::string_view source, uint32_t at, Span& toml_span,
                                  uint32_t& end, const ParseOptions& options,
                                  std::vector<Diagnostic>& diagnostics) {
  Line first = line_from(source, at);
  if (trim_end(first.text) != "+++" || first.next == std::string_view::npos) return std::nullopt;
  auto closing = closing_of(source, at, first, true, options, diagnostics);
  if (!closing) return std::nullopt;
  toml_span = {static_cast<uint32_t>(first.next), closing->first};
  std::string_view text = source.substr(toml_span.start, toml_span.size());
  TomlPositions positions(text);
  uint32_t where = toml_span.start;
  std::string why;
  const std::string too_deep_why = fmt::format(
      "frontmatter nests deeper than {} levels (max_yaml_depth)", options.max_yaml_depth);
  if (toml_keys_too_deep(text, options.max_yaml_depth)) {
    why = too_deep_why;
  } else
    try {
      toml::table table = toml::parse(text);
      if (table.empty()) return std::nullopt; // as an empty YAML block: no frontmatter to read
      bool too_deep = false;
      YamlNode root = from_toml(table, positions, 0, options.max_yaml_depth, too_deep);
      if (!too_deep) {
        end = closing->second;
        return root;
      }
      why = too_deep_why;
    } catch (const toml::parse_error& e) {
      where = toml_span.start + std::min(positions.offset(e.source().begin), toml_span.size());
      if (where > toml_span.start && source[where] == '\n')
        --where; // point at the line, not past it
      why = fmt::format("frontmatter is not valid TOML ({})", e.description());
    }
  if (mentions_access_control(text))
    report_unreadable(diagnostics, {where, where + 1}, why);
  else
    diagnostics.push_back({Code::frontmatter_not_yaml,
                           Severity::warning,
                           {at, at + 3},
                           why + "; it is read as Markdown"});
  return std::nullopt;
}

/// A first line that is almost `---` (`-.-`, `-og: 1`, `---og: 1` after a lost line break) or
/// missing, above lines `og:`, `roles:` or `scope:` and a closing `---`: frontmatter that lost
/// its opening line. Read as Markdown it would have no scope, so it is an error.
void check_damaged_opening(std::string_view source, uint32_t at, Line first,
                           const ParseOptions& options, std::vector<Diagnostic>& diagnostics) {
  auto is_access_line = [](std::string_view text) {
    return text.starts_with("og:") || text.starts_with("roles:") || text.starts_with("scope:");
  };
  std::string_view opening = first.text;
  bool access = is_access_line(opening); // the opening line lost altogether
  bool dashes = opening.starts_with("-") || opening.starts_with("+") ||
                opening.find("--") != std::string_view::npos || opening.size() <= 4;
  if (!access && !dashes) return;
  if (first.next == std::string_view::npos) return;
  size_t limit = at + size_t{options.max_frontmatter_bytes};
  access |= mentions_access_control(opening);
  // Bounded so that prose starting a long file is not searched for a `---` far below.
  constexpr int max_lines = 200;
  int lines = 0;
  for (size_t start = first.next;
       start != std::string_view::npos && start < limit && ++lines <= max_lines;) {
    Line line = line_from(source, start);
    std::string_view text = trim_end(line.text);
    if (text == "---" || text == "...") {
      if (access)
        report_unreadable(diagnostics, {at, at + 1},
                          "this block reads like frontmatter but its first line is not `---`");
      return;
    }
    access |= is_access_line(text);
    start = line.next;
  }
}

/// The fields of a frontmatter mapping (YAML, or TOML read into the same tree) into `meta`.
void read_fields(std::string_view yaml_text, Span yaml, const YamlNode& mapping, Meta& meta,
                 std::vector<Diagnostic>& diagnostics) {
  meta.present = true;
  bool strict = false, access_aware = false;
  for (const auto& key : mapping.keys) {
    strict |= key == "og";
    access_aware |= key == "og" || key == "roles";
  }
  MetaReader fields(meta, diagnostics, yaml, strict, access_aware);
  std::unordered_set<std::string_view> seen_keys;
  for (size_t i = 0; i < mapping.keys.size(); ++i) {
    const YamlNode& value = mapping.items[i];
    if (!seen_keys.insert(mapping.keys[i]).second) { // a set: 1 MiB of keys stays linear
      fields.duplicate(mapping.keys[i], value);
      continue;
    }
    std::string_view raw = yaml_text.substr(value.start, value.end - value.start);
    while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r' || raw.back() == ' '))
      raw.remove_suffix(1);
    meta.fields.emplace_back(mapping.keys[i], std::string(raw));
    fields.read_field(mapping.keys[i], value);
  }
  if (access_aware) {
    for (size_t i = 0; i < mapping.keys.size(); ++i)
      fields.check_role_valued(mapping.keys[i], mapping.items[i]);
    for (std::string_view key : {"scope", "roles"})
      if (!seen_keys.count(key))
        if (auto where =
                key_written_at(yaml_text, key, meta.syntax == FrontmatterSyntax::toml ? '=' : ':'))
          report_unreadable(diagnostics, {yaml.start + *where, yaml.start + *where + 1},
                            fmt::format("`{}:` is written here but YAML does not read it as a "
                                        "field (a comment, or inside another value)",
                                        key));
  }
}

} // namespace

uint32_t byte_order_mark_size(std::string_view source) {
  return source.starts_with("\xEF\xBB\xBF") ? 3 : 0;
}

Span read_frontmatter(std::string_view source, const ParseOptions& options, Meta& meta,
                      std::vector<Diagnostic>& diagnostics) {
  uint32_t at = byte_order_mark_size(source);
  Line first = line_from(source, at);
  if (trim_end(first.text) == "+++") {
    Span toml_span;
    uint32_t end = 0;
    auto root = read_toml(source, at, toml_span, end, options, diagnostics);
    if (!root) return {};
    meta.syntax = FrontmatterSyntax::toml;
    read_fields(source.substr(toml_span.start, toml_span.size()), toml_span, *root, meta,
                diagnostics);
    return {at, end};
  }
  if (trim_end(first.text) != "---" || first.next == std::string_view::npos) {
    check_damaged_opening(source, at, first, options, diagnostics);
    return {};
  }
  auto closing = closing_of(source, at, first, false, options, diagnostics);
  if (!closing) return {};
  auto yaml_start = static_cast<uint32_t>(first.next);
  Span yaml{yaml_start, closing->first};
  std::string_view yaml_text = source.substr(yaml.start, yaml.size());
  std::string error;
  YamlReader reader(yaml_text, options.max_yaml_depth);
  auto root = reader.read(error);
  if (!root || root->kind != YamlNode::mapping) {
    if (mentions_access_control(yaml_text)) {
      uint32_t where = root ? yaml.start : yaml.start + std::min(reader.error_at(), yaml.size());
      report_unreadable(diagnostics, {where, where + 1},
                        root ? std::string("frontmatter is YAML but not a mapping of fields")
                             : fmt::format("frontmatter is not valid YAML ({})", error));
      return {};
    }
    // Markdown such as `---\nFoo\n---` (a rule and a setext heading) is not frontmatter. Only
    // a block whose first line looks like `key:` earns a warning that it was meant to be.
    std::string_view first_line = line_from(yaml_text, 0).text;
    size_t colon = first_line.find(':');
    if (!root && error != "empty" && colon != std::string_view::npos && colon > 0 &&
        first_line.find(' ') > colon) {
      diagnostics.push_back({Code::frontmatter_not_yaml,
                             Severity::warning,
                             {at, at + 3},
                             fmt::format("this looks like frontmatter but is not valid YAML "
                                         "({}); it is read as Markdown",
                                         error)});
    }
    return {};
  }
  read_fields(yaml_text, yaml, *root, meta, diagnostics);
  return {at, closing->second};
}

} // namespace og::syntax
