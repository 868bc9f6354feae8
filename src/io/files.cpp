// File access for the CLI and tools: whole-file reads, atomic writes, directory expansion.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "og/io.hpp"

namespace og {

namespace fs = std::filesystem;

Result<std::string> read_file(const std::string& path) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    return buffer.str();
  }
  std::error_code ec;
  if (fs::is_directory(path, ec)) return Error{fmt::format("{}: is a directory", path)};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{fmt::format("{}: cannot open: {}", path, std::strerror(errno))};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Error{fmt::format("{}: read failed", path)};
  return buffer.str();
}

Status write_file_atomic(const std::string& path, const std::string& content) {
  std::string temp = path + ".og-tmp-XXXXXX";
  int fd = mkstemp(temp.data());
  if (fd < 0)
    return Error{fmt::format("{}: cannot create a temporary file: {}", path, std::strerror(errno))};
  struct stat old {};
  if (stat(path.c_str(), &old) == 0) fchmod(fd, old.st_mode & 07777);
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string message = std::strerror(errno);
      close(fd);
      unlink(temp.c_str());
      return Error{fmt::format("{}: write failed: {}", path, message)};
    }
    written += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    unlink(temp.c_str());
    return Error{fmt::format("{}: cannot flush the temporary file", path)};
  }
  if (rename(temp.c_str(), path.c_str()) != 0) {
    std::string message = std::strerror(errno);
    unlink(temp.c_str());
    return Error{fmt::format("{}: cannot replace the file: {}", path, message)};
  }
  return ok_status();
}

std::vector<std::string> collect_documents(const std::vector<std::string>& paths,
                                           std::vector<Error>* errors) {
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (path == "-" || fs::is_regular_file(path, ec)) {
      files.push_back(path);
      continue;
    }
    if (!fs::is_directory(path, ec)) {
      if (errors) errors->push_back({fmt::format("{}: no such file or directory", path)});
      continue;
    }
    std::vector<std::string> found;
    for (fs::recursive_directory_iterator
             it(path, fs::directory_options::skip_permission_denied, ec),
         end;
         !ec && it != end; it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      std::string ext = it->path().extension().string();
      if (ext == ".og" || ext == ".md") found.push_back(it->path().string());
    }
    if (ec && errors) errors->push_back({fmt::format("{}: {}", path, ec.message())});
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

} // namespace og
