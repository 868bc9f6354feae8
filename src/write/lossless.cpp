// The lossless writer: every byte of a document belongs to exactly one part, in order.
#include "og/write.hpp"

namespace og {

std::string write(const Document& document) {
  std::string out;
  out.reserve(document.source.size());
  auto append = [&](Span span) { out.append(document.text(span)); };
  append(document.bom);
  append(document.frontmatter);
  append(document.preamble);
  for (const auto& node : document.nodes) {
    append(node.heading);
    append(node.directive_block);
    append(node.body);
  }
  return out;
}

} // namespace og
