// A set of documents: cross-file edge resolution and checks that span files.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "og/document.hpp"

namespace og {

/// Loads a document named by an edge but not in the set; nullopt when it cannot be read.
using DocumentLoader = std::function<std::optional<Document>(const std::string& path)>;

/// Resolves `path.og#id` edges against the other documents of the set (paths relative to the
/// referring document's directory; documents named by edges but missing from the set are added
/// through `load`, when given) and reports dangling targets (OG0050), missing documents (OG0053)
/// and `:requires` cycles that cross files (OG0051). Diagnostics go to the referring document.
/// Returns the number of documents the set started with (loaded ones follow them).
size_t check_corpus(std::vector<Document>& documents, const DocumentLoader& load = nullptr);

/// Lexically normal form of `target` relative to the directory of `from` ("a/b.og" + "../c.og").
std::string resolve_relative(const std::string& from, const std::string& target);

} // namespace og
