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
#include <mutex>
#include <sstream>

#include <fmt/format.h>

#include "og/io.hpp"

namespace og {

namespace fs = std::filesystem;

namespace {

mode_t current_umask() {
  // umask(2) can only be read by setting it; og is single-threaded where it writes files.
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  mode_t mask = umask(0);
  umask(mask);
  return mask;
}

} // namespace

Unreadable unreadable(const std::string& path, const Error& error) {
  std::string prefix = path + ": ";
  if (error.message.starts_with(prefix)) return {path, error.message.substr(prefix.size())};
  return {path, error.message};
}

FileSignature signature_of(const struct stat& st) {
  return {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
          static_cast<uint64_t>(st.st_size),
          static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

FileSignature signature_of(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return {};
  return signature_of(st);
}

Result<std::string> read_file(const std::string& path) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    return buffer.str();
  }
  std::error_code ec;
  if (fs::is_directory(path, ec)) return Error{fmt::format("{}: is a directory", path)};
  // Opening a FIFO would block until a writer comes; a device could be endless.
  if (!fs::is_regular_file(path, ec))
    return Error{fmt::format("{}: {}", path, describe_unreadable(path))};
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
  // mkstemp makes 0600: keep the old file's mode, or give a new file what open(2) would.
  struct stat old {};
  if (stat(path.c_str(), &old) == 0)
    fchmod(fd, old.st_mode & 07777);
  else
    fchmod(fd, 0666 & ~current_umask());
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

} // namespace og
