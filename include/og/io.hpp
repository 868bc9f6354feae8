// Files: reading, atomic writing, and expanding directories into document lists.
#pragma once

#include <string>
#include <vector>

#include "og/result.hpp"

namespace og {

Result<std::string> read_file(const std::string& path);

/// Writes to a temporary file in the same directory, then renames it over `path`, so readers
/// see the old or the new content, never a partial file. Keeps the old file's permissions.
Status write_file_atomic(const std::string& path, const std::string& content);

/// Expands each path: a file stays as given; a directory yields its `.og` and `.md` files,
/// recursively, sorted. Paths that do not exist are reported in `errors`.
std::vector<std::string> collect_documents(const std::vector<std::string>& paths,
                                           std::vector<Error>* errors);

} // namespace og
