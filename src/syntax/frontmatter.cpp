// YAML frontmatter -> Meta, through libyaml's event parser (no recursion in the parser; our
// tree builder caps nesting at ParseOptions::max_yaml_depth).
#include <yaml.h>

#include <charconv>
#include <memory>

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

  yaml_parser_t parser_;
  uint32_t max_depth_;
};

/// Index of the closing `---`/`...` line and the offset where it starts; nullopt if none.
std::optional<std::pair<uint32_t, uint32_t>> find_closing_line(std::string_view source,
                                                               uint32_t limit) {
  size_t pos = source.find('\n');
  while (pos != std::string_view::npos && pos < limit) {
    size_t start = pos + 1;
    size_t end = source.find('\n', start);
    std::string_view line = source.substr(start, end == std::string_view::npos ? end : end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.remove_suffix(1);
    if (line == "---" || line == "...") {
      uint32_t next = end == std::string_view::npos ? static_cast<uint32_t>(source.size())
                                                    : static_cast<uint32_t>(end + 1);
      return std::make_pair(static_cast<uint32_t>(start), next);
    }
    pos = end;
  }
  return std::nullopt;
}

bool opens_frontmatter(std::string_view source) {
  size_t end = source.find('\n');
  std::string_view line = source.substr(0, end);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
    line.remove_suffix(1);
  return line == "---" && end != std::string_view::npos;
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

class MetaReader {
public:
  MetaReader(Meta& meta, std::vector<Diagnostic>& diagnostics, Span yaml_span, bool strict)
      : meta_(meta), diagnostics_(diagnostics), base_(yaml_span.start), strict_(strict) {}

  void read_field(const std::string& key, const YamlNode& value) {
    if (key == "og") {
      meta_.og_version = as_integer(value);
      if (!meta_.og_version || *meta_.og_version != 1)
        report(value, "`og` must be 1, the format version this tool reads");
    } else if (key == "id" || key == "title") {
      if (value.kind != YamlNode::scalar)
        return report(value, fmt::format("`{}` must be text", key));
      (key == "id" ? meta_.id : meta_.title) = value.text;
    } else if (key == "version") {
      auto number = as_integer(value);
      if (!number || *number < 0 || *number > UINT32_MAX)
        return report(value, "`version` must be a whole number >= 0");
      meta_.version = static_cast<uint32_t>(*number);
    } else if (key == "roles") {
      read_roles(value);
    } else if (key == "scope") {
      auto names = as_names(value);
      if (!names) return report(value, "`scope` must be a role name or a list of role names");
      meta_.scope = std::move(*names);
    }
  }

private:
  void read_roles(const YamlNode& value) {
    if (value.kind != YamlNode::mapping)
      return report(value, "`roles` must map each role to the roles it includes");
    for (size_t i = 0; i < value.keys.size(); ++i) {
      auto includes = as_names(value.items[i]);
      if (!includes) {
        report(value.items[i], fmt::format("role `{}` must list role names", value.keys[i]));
        continue;
      }
      meta_.roles.push_back({value.keys[i], std::move(*includes)});
    }
  }

  void report(const YamlNode& node, std::string message) {
    // Non-og frontmatter (a SKILL.md's `version: 1.0.2`) is not wrong: warn, do not fail.
    diagnostics_.push_back({Code::meta_field_invalid,
                            strict_ ? Severity::error : Severity::warning,
                            {base_ + node.start, base_ + std::max(node.end, node.start + 1)},
                            std::move(message)});
  }

  Meta& meta_;
  std::vector<Diagnostic>& diagnostics_;
  uint32_t base_;
  bool strict_;
};

} // namespace

Span read_frontmatter(std::string_view source, const ParseOptions& options, Meta& meta,
                      std::vector<Diagnostic>& diagnostics) {
  if (!opens_frontmatter(source)) return {};
  auto closing = find_closing_line(source, options.max_frontmatter_bytes);
  if (!closing) return {};
  uint32_t yaml_start = static_cast<uint32_t>(source.find('\n')) + 1;
  Span yaml{yaml_start, closing->first};
  std::string error;
  YamlReader reader(source.substr(yaml.start, yaml.size()), options.max_yaml_depth);
  auto root = reader.read(error);
  if (!root || root->kind != YamlNode::mapping) {
    // Markdown such as `---\nFoo\n---` (a rule and a setext heading) is not frontmatter. Only
    // a block whose first line looks like `key:` earns a warning that it was meant to be.
    std::string_view first = source.substr(yaml.start, yaml.size());
    first = first.substr(0, first.find('\n'));
    size_t colon = first.find(':');
    if (!root && error != "empty" && colon != std::string_view::npos && colon > 0 &&
        first.find(' ') > colon) {
      diagnostics.push_back({Code::frontmatter_not_yaml,
                             Severity::warning,
                             {0, 3},
                             fmt::format("this looks like frontmatter but is not valid YAML "
                                         "({}); it is read as Markdown",
                                         error)});
    }
    return {};
  }
  meta.present = true;
  bool strict = false;
  for (const auto& key : root->keys) strict |= key == "og";
  MetaReader fields(meta, diagnostics, yaml, strict);
  std::string_view yaml_text = source.substr(yaml.start, yaml.size());
  for (size_t i = 0; i < root->keys.size(); ++i) {
    const YamlNode& value = root->items[i];
    std::string_view raw = yaml_text.substr(value.start, value.end - value.start);
    while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r' || raw.back() == ' '))
      raw.remove_suffix(1);
    meta.fields.emplace_back(root->keys[i], std::string(raw));
    fields.read_field(root->keys[i], value);
  }
  return {0, closing->second};
}

} // namespace og::syntax
