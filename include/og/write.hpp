// Writers. write() is lossless; format() is the canonical form that `og fmt` prints.
#pragma once

#include <string>

#include "og/document.hpp"

namespace og {

/// Reassembles the document from its parts: frontmatter, preamble, then each node's heading,
/// directive block and body. For any parsed input, write(parse(x)) == x byte for byte.
std::string write(const Document& document);

/// Canonical form: attribute lists and directive blocks rewritten in canonical order and
/// spacing; every other byte (content text, line endings) is kept. Idempotent.
std::string format(const Document& document);

} // namespace og
