// Names: GitHub-compatible heading ids, so `[x](#some-heading)` links written for GitHub
// resolve, and documents' names from their paths.
#include <utf8proc.h>

#include "graph/graph.hpp"
#include "syntax/syntax.hpp"

namespace og::graph {

namespace {

/// github-slugger keeps word characters, enclosing marks, other numbers, connector
/// punctuation and `-`.
bool keeps(utf8proc_int32_t cp) {
  if (syntax::is_word_code_point(cp) || cp == '-') return true;
  switch (utf8proc_category(cp)) {
  case UTF8PROC_CATEGORY_ME:
  case UTF8PROC_CATEGORY_NL:
  case UTF8PROC_CATEGORY_NO:
  case UTF8PROC_CATEGORY_PC:
    return true;
  default:
    return false;
  }
}

} // namespace

std::string github_slug(std::string_view text) {
  std::string slug;
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    unsigned char c = *p;
    if (c < 0x80) { // ASCII without the Unicode tables
      ++p;
      --left;
      if (c >= 'A' && c <= 'Z')
        slug += static_cast<char>(c - 'A' + 'a');
      else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
        slug += static_cast<char>(c);
      else if (c == ' ')
        slug += '-';
      continue;
    }
    utf8proc_int32_t cp = -1;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) { // invalid byte: skip it
      ++p;
      --left;
      continue;
    }
    p += n;
    left -= n;
    if (cp == ' ')
      slug += '-';
    else if (keeps(cp))
      syntax::append_utf8(slug, utf8proc_tolower(cp));
  }
  return slug;
}

void SlugDeduplicator::reserve(size_t headings) {
  keys_.reserve(headings);
  occurrences_.reserve(headings);
  size_t capacity = 16;
  while (capacity < headings * 2) capacity *= 2;
  if (capacity > slots_.size()) slots_.assign(capacity, 0);
}

int64_t SlugDeduplicator::find(std::string_view slug) const {
  if (slots_.empty()) return -1;
  size_t mask = slots_.size() - 1;
  for (size_t i = std::hash<std::string_view>{}(slug)&mask;; i = (i + 1) & mask) {
    if (slots_[i] == 0) return -1;
    if (keys_[slots_[i] - 1] == slug) return slots_[i] - 1;
  }
}

void SlugDeduplicator::insert(std::string slug) {
  if ((keys_.size() + 1) * 2 > slots_.size()) {
    slots_.assign(slots_.empty() ? 16 : slots_.size() * 2, 0);
    size_t mask = slots_.size() - 1;
    for (uint32_t k = 0; k < keys_.size(); ++k) {
      size_t i = std::hash<std::string_view>{}(keys_[k]) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = k + 1;
    }
  }
  size_t mask = slots_.size() - 1;
  size_t i = std::hash<std::string_view>{}(slug)&mask;
  while (slots_[i] != 0) i = (i + 1) & mask;
  keys_.push_back(std::move(slug));
  occurrences_.push_back(0);
  slots_[i] = static_cast<uint32_t>(keys_.size());
}

std::string SlugDeduplicator::next(std::string slug) {
  int64_t base = find(slug);
  if (base < 0) {
    insert(slug);
    return slug;
  }
  std::string result;
  do result = slug + "-" + std::to_string(++occurrences_[static_cast<size_t>(base)]);
  while (find(result) >= 0);
  insert(result);
  return result;
}

namespace {

/// A path's file name and the name of the folder holding it, as std::filesystem::path reads
/// them (`a/b/README.md`: `README.md`, `b`; `a//x.md`: `x.md`, `a`), without building a path:
/// a walk of 100k files asks for each one.
std::pair<std::string_view, std::string_view> name_and_folder(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {path, {}};
  std::string_view folder = path.substr(0, slash);
  while (!folder.empty() && folder.back() == '/') folder.remove_suffix(1);
  return {path.substr(slash + 1), folder.substr(folder.rfind('/') + 1)}; // npos + 1 is 0
}

/// std::filesystem::path::stem() of a file name.
std::string_view stem_of(std::string_view name) {
  if (name == "." || name == "..") return name;
  size_t dot = name.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? name : name.substr(0, dot);
}

bool names_folder_page(std::string_view name, std::string_view folder) {
  std::string lower = syntax::ascii_lower(stem_of(name));
  return (lower == "index" || lower == "_index" || lower == "readme" || lower == "skill") &&
         !folder.empty();
}

} // namespace

bool is_folder_page(std::string_view path) {
  auto [name, folder] = name_and_folder(path);
  return names_folder_page(name, folder);
}

std::string file_title(std::string_view path) {
  auto [name, folder] = name_and_folder(path);
  if (names_folder_page(name, folder)) return std::string(folder);
  std::string_view stem = stem_of(name);
  return std::string(stem.empty() ? path : stem);
}

} // namespace og::graph
