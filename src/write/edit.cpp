// Text edits (see edit.hpp).
#include "write/edit.hpp"

#include <algorithm>

namespace og {

std::string apply_edits(std::string_view source, std::vector<Edit> edits) {
  std::stable_sort(edits.begin(), edits.end(),
                   [](const Edit& a, const Edit& b) { return a.start < b.start; });
  std::string out;
  out.reserve(source.size() + edits.size() * 32);
  uint32_t at = 0;
  for (const auto& e : edits) {
    out.append(source.substr(at, e.start - at));
    out += e.text;
    at = e.end;
  }
  out.append(source.substr(at));
  return out;
}

std::string_view line_ending(std::string_view source) {
  size_t nl = source.find('\n');
  return nl != std::string_view::npos && nl > 0 && source[nl - 1] == '\r' ? "\r\n" : "\n";
}

} // namespace og
