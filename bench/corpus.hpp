// Shared by the benchmarks: the files of a corpus directory, in sorted order, read whole.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace og::bench {

/// Every document file under `dir` (`.md`, `.markdown`, and `.og` when `og_files`), in path
/// order; `count` > 0 keeps that many, evenly spaced through the order (a sample of every
/// folder rather than the first ones).
inline std::vector<std::filesystem::path> corpus_files(const std::string& dir, size_t count = 0,
                                                       bool og_files = true) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".md" || ext == ".markdown" || (og_files && ext == ".og")))
      files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  if (count == 0 || count >= files.size()) return files;
  std::vector<std::filesystem::path> sample;
  for (size_t i = 0; i < count; ++i) sample.push_back(files[i * files.size() / count]);
  return sample;
}

/// Contents of every document file under `dir` (corpus_files), read whole.
inline std::vector<std::string> read_corpus(const std::string& dir, bool og_files = true) {
  std::vector<std::string> docs;
  for (const auto& p : corpus_files(dir, 0, og_files)) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    docs.push_back(s.str());
  }
  return docs;
}

} // namespace og::bench
