// Files: reading, atomic writing, and expanding directories into document lists.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "og/result.hpp"

struct stat;

namespace og {

/// A file's identity and version as stat(2) gives them (following links).
struct FileSignature {
  uint64_t device = 0, inode = 0, size = 0;
  int64_t mtime_ns = -1;
  bool operator==(const FileSignature&) const = default;
};

/// stat(2) of `path`: a changed inode (an atomic rename, a ConfigMap swap), size or
/// modification time means read it again. The default signature when there is no such file.
FileSignature signature_of(const std::string& path);
/// The signature in what stat(2) or fstatat(2) filled in.
FileSignature signature_of(const struct stat& st);

Result<std::string> read_file(const std::string& path);

/// Writes to a temporary file in the same directory, then renames it over `path`, so readers
/// see the old or the new content, never a partial file. Keeps the old file's permissions.
Status write_file_atomic(const std::string& path, const std::string& content);

struct WalkOptions {
  bool follow_links = false; ///< follow symbolic links that lead outside the walked folders
};

/// A path that could not be read, and why ("symbolic link loop").
struct Unreadable {
  std::string path;
  std::string reason;
  std::string message() const { return path + ": " + reason; }
};

/// What a walk found (docs/cli.md, "Which files are documents").
struct Walk {
  std::vector<std::string> files;        ///< documents: per path given, sorted, each real file once
  std::vector<FileSignature> signatures; ///< files[i]'s, as the walk saw it
  std::vector<Unreadable> errors;        ///< given paths that are missing or not files or folders
  std::vector<std::string> skipped;      ///< "path: why" for entries seen and not read
  size_t links = 0;                      ///< symbolic links met (followed, or skipped)
};

/// Expands each path: a file stays as given (whatever its extension); a directory yields its
/// `.og`, `.md` and `.markdown` files (any case), recursively. Dot entries, `node_modules` and
/// what `.gitignore`/`.ogignore` exclude are not walked; links that leave the given folders
/// are skipped unless `follow_links`; `.mdx` files, dangling links and link loops are skipped
/// with a reason.
Walk walk_documents(const std::vector<std::string>& paths, const WalkOptions& options = {});

/// Whether walk_documents(roots) lists `file`, judged from the file and the folders above it
/// alone: a regular file (not a link) named as a document, below a directory root, with no dot
/// or `node_modules` folder on the way and not excluded by the ignore files above it. It agrees
/// with a walk when the walk met no links and no root lies inside another (what a re-walk
/// checks before it trusts this: a link can make a file another file's second name).
bool walk_lists(const std::vector<std::string>& roots, const std::string& file);

/// walk_documents(paths).files, with its errors appended to `errors`.
std::vector<std::string> collect_documents(const std::vector<std::string>& paths,
                                           std::vector<Error>* errors);

/// `x.og`, `x.md`, `x.markdown`, in any case (`README.MD`).
bool is_document_name(std::string_view name);

/// read_file's error for `path` as an Unreadable (its message is "path: why").
Unreadable unreadable(const std::string& path, const Error& error);

/// Why `path` cannot be read as a file: "symbolic link loop", "a FIFO (named pipe), …".
std::string describe_unreadable(const std::string& path);

} // namespace og
