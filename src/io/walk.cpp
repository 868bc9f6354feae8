// Directory walks: which files under the given paths are documents. Real folders hold symlink
// loops, links that leave the tree, ConfigMap mounts, VCS and editor files, ignore files and
// files that are not Markdown; every such entry is read once, skipped with a reason, or
// reported — never a crash and never silently dropped.
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "og/io.hpp"
#include "syntax/syntax.hpp"

namespace og {

namespace fs = std::filesystem;

namespace {

/// One line of an ignore file, relative to the directory holding it.
struct IgnoreRule {
  std::string base; ///< directory of the ignore file, relative to the root ("" at the root)
  std::string pattern;
  bool negate = false;
  bool directory_only = false;
  bool anchored = false; ///< has a `/` before its end: matched against the relative path
};

/// The subset of gitignore(5) that doc trees use: `#` comments, `!` negation, a trailing `/`
/// for directories, a leading `/` or inner `/` anchoring, `*`, `?`, `[…]` and a leading `**/`.
/// The last matching rule wins. Not supported: `**` inside a pattern, escapes of `#`/`!`.
void read_ignore_file(const fs::path& file, const std::string& base,
                      std::vector<IgnoreRule>& rules) {
  auto text = read_file(file.string());
  if (!text) return;
  std::string_view rest = text.value();
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    std::string line(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    IgnoreRule rule;
    rule.base = base;
    if (line[0] == '!') rule.negate = true, line.erase(0, 1);
    if (!line.empty() && line.back() == '/') rule.directory_only = true, line.pop_back();
    if (line.starts_with("**/"))
      line.erase(0, 3);
    else if (line.find('/') != std::string::npos)
      rule.anchored = true;
    if (!line.empty() && line[0] == '/') line.erase(0, 1);
    if (line.empty()) continue;
    rule.pattern = std::move(line);
    rules.push_back(std::move(rule));
  }
}

bool ignored(const std::vector<IgnoreRule>& rules, const std::string& relative, bool directory) {
  if (rules.empty()) return false;
  bool result = false;
  std::string name = relative.substr(relative.rfind('/') + 1);
  for (const auto& rule : rules) {
    if (rule.directory_only && !directory) continue;
    if (!rule.base.empty() && !relative.starts_with(rule.base + "/")) continue;
    std::string local = rule.base.empty() ? relative : relative.substr(rule.base.size() + 1);
    const std::string& subject = rule.anchored ? local : name;
    if (fnmatch(rule.pattern.c_str(), subject.c_str(), FNM_PATHNAME) == 0) result = !rule.negate;
  }
  return result;
}

} // namespace

std::string describe_unreadable(const std::string& path) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) return "no such file or directory";
  if (S_ISLNK(st.st_mode)) {
    if (stat(path.c_str(), &st) == 0) return "not a regular file";
    return errno == ELOOP ? "symbolic link loop" : "dangling symbolic link";
  }
  if (S_ISFIFO(st.st_mode)) return "a FIFO (named pipe), not a regular file";
  if (S_ISSOCK(st.st_mode)) return "a socket, not a regular file";
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return "a device, not a regular file";
  return "not a regular file";
}

namespace {

/// `dir`/`name`, as fs::path would join them, without splitting either into components.
std::string join(const std::string& dir, const std::string& name) {
  return dir.empty() || dir.back() == '/' ? dir + name : dir + '/' + name;
}

bool inside(const fs::path& path, const fs::path& root) {
  auto [r, p] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return r == root.end();
}

struct Candidate {
  std::string path;
  std::string real; ///< canonical path: one document per real file
  bool link = false;
  FileSignature signature;
};

/// A directory entry as the walk needs it: its type from readdir(3), or where that cannot
/// tell (a link, a file system without d_type) from fstatat(2) on the directory's descriptor,
/// which resolves one name where a stat of the path resolves every folder above it again.
struct DirEntry {
  std::string name;
  bool link = false;
  mode_t type = 0;         ///< S_IFDIR, S_IFREG, … of what the name leads to; 0: it leads nowhere
  FileSignature signature; ///< of a document's file (other entries are not stat'ed)
};

bool walked_name(std::string_view name) {
  // Dot entries: VCS data, editors' swap and lock files, ConfigMap's `..data` revisions.
  return !name.starts_with(".") && name != "node_modules";
}

/// The walked entries of `dir`, sorted by name, whether it holds each ignore file, and the
/// errno when it cannot be read.
struct Listing {
  std::vector<DirEntry> entries;
  bool gitignore = false, ogignore = false;
  int error = 0;
};

Listing list_directory(const std::string& dir) {
  Listing out;
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR* stream = fd < 0 ? nullptr : fdopendir(fd);
  if (!stream) {
    out.error = errno;
    if (fd >= 0) close(fd);
    return out;
  }
  errno = 0;
  while (const dirent* d = readdir(stream)) {
    std::string_view name = d->d_name;
    out.gitignore |= name == ".gitignore";
    out.ogignore |= name == ".ogignore";
    if (!walked_name(name)) continue;
    DirEntry entry;
    entry.name = name;
    struct stat st {};
    unsigned char type = d->d_type;
    if (type == DT_UNKNOWN && fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
      type = static_cast<unsigned char>(S_ISLNK(st.st_mode) ? int{DT_LNK} : IFTODT(st.st_mode));
    entry.link = type == DT_LNK;
    bool document = is_document_name(name);
    if (entry.link || (type == DT_REG && document)) {
      if (fstatat(fd, d->d_name, &st, 0) == 0) entry.type = st.st_mode & S_IFMT;
      if (S_ISREG(entry.type) && document) entry.signature = signature_of(st);
    } else {
      entry.type = DTTOIF(type);
    }
    out.entries.push_back(std::move(entry));
    errno = 0;
  }
  if (errno != 0) out.error = errno;
  closedir(stream);
  std::sort(out.entries.begin(), out.entries.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return out;
}

class Walker {
public:
  Walker(const std::vector<std::string>& paths, const WalkOptions& options, Walk& out)
      : options_(options), out_(out) {
    // Every root first, so a link from one root into another counts as inside.
    for (const auto& path : paths) {
      std::error_code ec;
      if (fs::is_directory(path, ec)) roots_.push_back(fs::canonical(path, ec));
    }
  }

  void root(const std::string& path) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (path == "-" || fs::is_regular_file(status)) {
      out_.files.push_back(path); // named by the user: read whatever its extension
      out_.signatures.push_back(path == "-" ? FileSignature{} : signature_of(path));
      return;
    }
    if (!fs::is_directory(status)) {
      out_.errors.push_back({path, describe_unreadable(path)});
      return;
    }
    std::string real = fs::canonical(path, ec).string();
    visited_.insert(real);
    std::vector<Candidate> found;
    std::vector<IgnoreRule> rules;
    size_t links = out_.links;
    directory(path, real, "", rules, found);
    finish(found, out_.links > links);
  }

private:
  /// `real`: the directory's canonical path, extended name by name below it (one realpath per
  /// followed link, not one per file). Paths are joined as strings: fs::path splits each
  /// into components, which was a fifth of a walk.
  void directory(const std::string& dir, const std::string& real, const std::string& relative,
                 std::vector<IgnoreRule> rules, std::vector<Candidate>& found) {
    Listing listing = list_directory(dir);
    if (listing.error == EACCES) return skip(dir, "permission denied");
    if (listing.error) out_.errors.push_back({dir, std::strerror(listing.error)});
    if (listing.gitignore) read_ignore_file(join(dir, ".gitignore"), relative, rules);
    if (listing.ogignore) read_ignore_file(join(dir, ".ogignore"), relative, rules);
    for (const auto& entry : listing.entries) entry_of(entry, dir, real, relative, rules, found);
  }

  void entry_of(const DirEntry& entry, const std::string& dir, const std::string& real_parent,
                const std::string& parent, const std::vector<IgnoreRule>& rules,
                std::vector<Candidate>& found) {
    const std::string& name = entry.name;
    std::string relative = parent.empty() ? name : parent + "/" + name;
    std::string path = join(dir, name);
    out_.links += entry.link;
    if (entry.type == 0 && entry.link) return skip(path, describe_unreadable(path));
    bool is_dir = S_ISDIR(entry.type);
    if (ignored(rules, relative, is_dir)) return;
    std::string real;
    if (entry.link) {
      std::error_code ec;
      fs::path target = fs::canonical(path, ec);
      if (ec) return skip(path, describe_unreadable(path));
      bool within = std::any_of(roots_.begin(), roots_.end(),
                                [&](const fs::path& r) { return inside(target, r); });
      if (!within && !options_.follow_links)
        return skip(path,
                    "symbolic link leaves the walked folders (og serve --follow-links follows it)");
      real = target.string();
    } else {
      real = join(real_parent, name);
    }
    if (is_dir) {
      if (entry.link && !options_.follow_links) return; // inside the tree: walked where it lives
      if (entry.link && !visited_.insert(real).second) return; // a cycle, or walked already
      return directory(path, real, relative, rules, found);
    }
    if (!S_ISREG(entry.type)) return skip(path, describe_unreadable(path));
    if (name.size() > 4 && syntax::ascii_lower(name.substr(name.size() - 4)) == ".mdx")
      return skip(path, "MDX (JSX inside Markdown) is not read; rename it .md if it "
                        "is plain Markdown");
    if (!is_document_name(name)) return;
    found.push_back({std::move(path), std::move(real), entry.link, entry.signature});
  }

  /// One document per real file: a file reached by several names (a ConfigMap's public link
  /// and its target, two links) is read once, under its own name if walked, else the first.
  /// Without links every name is a file's only one.
  void finish(std::vector<Candidate>& found, bool links) {
    std::vector<Candidate*> files;
    files.reserve(found.size());
    if (links) {
      std::unordered_map<std::string, size_t> chosen;
      chosen.reserve(found.size());
      for (size_t i = 0; i < found.size(); ++i) {
        auto [it, fresh] = chosen.emplace(found[i].real, i);
        if (!fresh && found[it->second].link && !found[i].link) it->second = i;
      }
      for (const auto& [real, i] : chosen) files.push_back(&found[i]);
    } else {
      for (Candidate& candidate : found) files.push_back(&candidate);
    }
    std::sort(files.begin(), files.end(),
              [](const Candidate* a, const Candidate* b) { return a->path < b->path; });
    for (Candidate* file : files) {
      out_.files.push_back(std::move(file->path));
      out_.signatures.push_back(file->signature);
    }
  }

  void skip(const std::string& path, const std::string& why) {
    out_.skipped.push_back(fmt::format("{}: {}", path, why));
  }

  const WalkOptions& options_;
  Walk& out_;
  std::vector<fs::path> roots_;
  std::set<std::string> visited_; ///< canonical paths of the directories walked
};

} // namespace

bool is_document_name(std::string_view name) {
  return syntax::names_document_file(name);
}

Walk walk_documents(const std::vector<std::string>& paths, const WalkOptions& options) {
  Walk out;
  Walker walker(paths, options, out);
  for (const auto& path : paths) walker.root(path);
  return out;
}

bool walk_lists(const std::vector<std::string>& roots, const std::string& file) {
  struct stat st {};
  if (lstat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  for (const auto& root : roots) {
    std::string prefix = fs::path(root).generic_string();
    if (!prefix.ends_with('/')) prefix += '/';
    if (!file.starts_with(prefix)) continue;
    // The walker's own steps, folder by folder: the entries it would skip, and the ignore
    // files it would have read on the way down.
    std::vector<IgnoreRule> rules;
    std::string relative;
    fs::path dir = root;
    std::string_view rest = std::string_view(file).substr(prefix.size());
    while (true) {
      for (const char* name : {".gitignore", ".ogignore"})
        if (fs::exists(dir / name)) read_ignore_file(dir / name, relative, rules);
      size_t slash = rest.find('/');
      std::string name(rest.substr(0, slash));
      if (name.empty() || !walked_name(name)) return false;
      relative += (relative.empty() ? "" : "/") + name;
      bool last = slash == std::string_view::npos;
      if (ignored(rules, relative, !last)) return false;
      if (last) return is_document_name(name);
      dir /= name;
      rest.remove_prefix(slash + 1);
    }
  }
  return false;
}

std::vector<std::string> collect_documents(const std::vector<std::string>& paths,
                                           std::vector<Error>* errors) {
  Walk walk = walk_documents(paths);
  if (errors)
    for (const auto& e : walk.errors) errors->push_back({e.message()});
  return walk.files;
}

} // namespace og
