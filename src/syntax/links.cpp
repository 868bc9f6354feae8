// What a Markdown link names: a document of the tree, a node, or nothing og can follow.
#include <charconv>

#include "syntax/syntax.hpp"

namespace og::syntax {

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    unsigned value = 0;
    if (i + 2 >= text.size()) return std::nullopt;
    auto [ptr, ec] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
    if (ec != std::errc() || ptr != text.data() + i + 3) return std::nullopt;
    out += static_cast<char>(value);
    i += 2;
  }
  return out;
}

namespace {

/// `https:`, `mailto:`, DocFX's `xref:`: RFC 3986's scheme, letters first.
bool has_scheme(std::string_view href) {
  size_t colon = href.find(':');
  if (colon == std::string_view::npos || colon == 0 ||
      !std::isalpha(static_cast<unsigned char>(href[0])))
    return false;
  for (size_t i = 1; i < colon; ++i) {
    unsigned char c = static_cast<unsigned char>(href[i]);
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

std::string_view extension_of(std::string_view path) {
  std::string_view name = path.substr(path.rfind('/') + 1);
  size_t dot = name.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? std::string_view() : name.substr(dot + 1);
}

/// A document's file name, or a name without an extension (Docusaurus' `./intro`, a folder
/// `../ops/`) that a site resolves to one.
bool may_name_document(std::string_view path) {
  return extension_of(path).empty() || names_document_file(path);
}

} // namespace

bool names_document_file(std::string_view path) {
  std::string extension = ascii_lower(extension_of(path));
  return extension == "md" || extension == "og" || extension == "markdown";
}

std::optional<LinkTarget> link_target(const LinkEvent& link) {
  std::string_view target = link.target;
  size_t hash = target.find('#');
  std::string_view path = target.substr(0, hash), fragment;
  if (hash != std::string_view::npos) fragment = target.substr(hash + 1);
  if (link.wiki) { // `[[Note]]`, `[[Note#Heading]]`, `[[#Heading]]`, `[[Note#^block-id]]`
    if (fragment.starts_with('^')) fragment = {};
    return LinkTarget{std::string(path), std::string(fragment), true};
  }
  if (has_scheme(target) || target.starts_with('/')) return std::nullopt;
  path = path.substr(0, path.find('?'));
  if (!may_name_document(path) || (path.empty() && fragment.empty())) return std::nullopt;
  auto doc = percent_decode(path);
  auto anchor = percent_decode(fragment);
  if (!doc || !anchor) return std::nullopt;
  return LinkTarget{std::move(*doc), std::move(*anchor), false};
}

} // namespace og::syntax
