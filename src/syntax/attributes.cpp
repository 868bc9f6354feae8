// Attribute lists: `{#id .type key=value key="quoted value"}` at the end of a heading or alone on
// a unit's marker line. The grammar is Pandoc's header attributes, restricted to one line.
#include <fmt/format.h>

#include "syntax/syntax.hpp"

namespace og::syntax {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t';
}
bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_key_char(char c) {
  return is_alnum(c) || c == '_' || c == '-';
}
bool is_name_char(char c) {
  return is_key_char(c) || c == '.' || c == ':';
}
bool is_bare_value_char(char c) {
  return !is_space(c) && c != '"' && c != '\'' && c != '{' && c != '}' && c != '\n' && c != '\r';
}

/// Does the text after `{` open like an attribute list (`#x`, `.x` or `key=`)?
bool opens_like_attributes(std::string_view rest) {
  size_t i = 0;
  while (i < rest.size() && is_space(rest[i])) ++i;
  if (i >= rest.size()) return false;
  if (rest[i] == '#' || rest[i] == '.')
    return i + 1 < rest.size() && (is_alnum(rest[i + 1]) || rest[i + 1] == '_');
  size_t key = i;
  while (i < rest.size() && is_key_char(rest[i])) ++i;
  return i > key && i < rest.size() && rest[i] == '=';
}

class AttributeParser {
public:
  explicit AttributeParser(std::string_view text) : text_(text) {}

  std::optional<AttributeList> parse(std::string& error, uint32_t& error_offset) {
    AttributeList list;
    if (text_.size() < 2 || text_.front() != '{' || text_.back() != '}')
      return fail("an attribute list is enclosed in `{` and `}`", 0, error, error_offset);
    pos_ = 1;
    const size_t end = text_.size() - 1;
    for (;;) {
      size_t before = pos_;
      while (pos_ < end && is_space(text_[pos_])) ++pos_;
      if (pos_ >= end) break;
      if (pos_ == before && !list.items.empty())
        return fail("attributes must be separated by spaces", pos_, error, error_offset);
      AttributeItem item;
      item.offset = static_cast<uint32_t>(pos_);
      if (!read_item(item, end, error)) {
        error_offset = item.offset;
        return std::nullopt;
      }
      list.items.push_back(std::move(item));
    }
    if (list.items.empty()) return fail("empty attribute list", 0, error, error_offset);
    return list;
  }

private:
  static std::optional<AttributeList> fail(const char* message, size_t at, std::string& error,
                                           uint32_t& error_offset) {
    error = message;
    error_offset = static_cast<uint32_t>(at);
    return std::nullopt;
  }

  bool read_item(AttributeItem& item, size_t end, std::string& error) {
    char c = text_[pos_];
    if (c == '#' || c == '.') {
      item.kind = c == '#' ? AttributeItem::id : AttributeItem::class_name;
      size_t start = ++pos_;
      while (pos_ < end && is_name_char(text_[pos_])) ++pos_;
      item.key = std::string(text_.substr(start, pos_ - start));
      if (!is_valid_name(item.key)) {
        error = fmt::format("`{}` must be followed by a name (letters, digits, `-`, `_`)", c);
        return false;
      }
      return true;
    }
    size_t start = pos_;
    while (pos_ < end && is_key_char(text_[pos_])) ++pos_;
    if (pos_ == start || pos_ >= end || text_[pos_] != '=') {
      error = "expected `#id`, `.class` or `key=value`";
      return false;
    }
    item.kind = AttributeItem::key_value;
    item.key = std::string(text_.substr(start, pos_ - start));
    ++pos_;
    return read_value(item.value, end, error);
  }

  bool read_value(std::string& value, size_t end, std::string& error) {
    if (pos_ < end && (text_[pos_] == '"' || text_[pos_] == '\'')) {
      char quote = text_[pos_++];
      while (pos_ < end && text_[pos_] != quote) {
        if (text_[pos_] == '\\' && pos_ + 1 < end) ++pos_;
        value += text_[pos_++];
      }
      if (pos_ >= end) {
        error = "unterminated quoted value";
        return false;
      }
      ++pos_;
      return true;
    }
    size_t start = pos_;
    while (pos_ < end && is_bare_value_char(text_[pos_])) ++pos_;
    if (pos_ == start) {
      error = "expected a value after `=`";
      return false;
    }
    value = std::string(text_.substr(start, pos_ - start));
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

} // namespace

bool is_valid_name(std::string_view name) {
  if (name.empty() || !(is_alnum(name[0]) || name[0] == '_')) return false;
  for (char c : name)
    if (!is_name_char(c)) return false;
  return true;
}

Span find_trailing_attribute_list(std::string_view text, uint32_t max_bytes) {
  size_t end = text.size();
  while (end > 0 && is_space(text[end - 1])) --end;
  if (end == 0 || text[end - 1] != '}') return {};
  size_t floor = end > max_bytes ? end - max_bytes : 0;
  // Right to left over candidate `{`: the first one that opens like an attribute list wins.
  for (size_t i = end - 1; i-- > floor;) {
    if (text[i] != '{') continue;
    if (i > 0 && !is_space(text[i - 1])) continue;
    if (opens_like_attributes(text.substr(i + 1, end - 1 - (i + 1))))
      return {static_cast<uint32_t>(i), static_cast<uint32_t>(end)};
  }
  return {};
}

std::optional<AttributeList> parse_attribute_list(std::string_view text, std::string& error,
                                                  uint32_t& error_offset) {
  return AttributeParser(text).parse(error, error_offset);
}

std::string quote_attribute_value(std::string_view value) {
  bool bare = !value.empty();
  for (char c : value) bare = bare && is_bare_value_char(c);
  if (bare) return std::string(value);
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

} // namespace og::syntax
