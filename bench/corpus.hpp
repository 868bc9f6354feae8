// Shared by the benchmarks: the files of a corpus directory, read whole, in sorted order.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace og::bench {

/// Contents of every file under `dir` whose extension is `.md` (and `.og` when `og_files`).
inline std::vector<std::string> read_corpus(const std::string& dir, bool og_files = true) {
  std::vector<std::string> paths;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".md" || (og_files && ext == ".og")))
      paths.push_back(e.path().string());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> docs;
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    docs.push_back(s.str());
  }
  return docs;
}

} // namespace og::bench
