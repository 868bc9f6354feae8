// In-process latency over a persistent index (issue #13): what a caller of the library pays
// per search_index and resolve_context once the corpus is open, without a transport.
//
//   bench_index_latency --index DIR [--repeat N] [--vocab DIR] PATH…
//
// Opens the index as `og search PATH… --index DIR` does (the tree must be the one indexed, or
// the difference is read in first), then times `--repeat` rounds (default 10) of the queries
// bench/scale.py sends over HTTP (limit 10), and resolve_context (max_tokens 2000) of the
// first three entries of each answer, one id per call. Prints one JSON object: counts, p50 and
// p99 in milliseconds, and the seconds to open.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "og/og.hpp"
#include "og/serve.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// The same queries as bench/scale.py's QUERIES: the two figures are comparable.
constexpr std::array<const char*, 15> queries = {"git commit",
                                                 "how do I list files",
                                                 "kubernetes pod scheduling",
                                                 "ethereum gas limit",
                                                 "rust trait objects",
                                                 "compress a directory",
                                                 "network interface",
                                                 "docker container",
                                                 "What is an RFC process?",
                                                 "signature verification",
                                                 "enhancement proposal graduation",
                                                 "package manager install",
                                                 "memory safety",
                                                 "copy files over ssh",
                                                 "token standard"};

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  auto at = static_cast<size_t>(p / 100 * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(values.size() - 1, at)];
}

int usage() {
  std::fprintf(stderr, "usage: bench_index_latency --index DIR [--repeat N] [--vocab DIR] PATH…\n");
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  std::string index_dir, vocab = og::default_vocabulary_dir();
  size_t repeat = 10;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if ((arg == "--index" || arg == "--repeat" || arg == "--vocab") && i + 1 < argc) {
      std::string value = argv[++i];
      if (arg == "--index")
        index_dir = value;
      else if (arg == "--vocab")
        vocab = value;
      else
        repeat = std::stoul(value);
    } else if (!arg.empty() && arg[0] == '-') {
      return usage();
    } else {
      paths.push_back(arg);
    }
  }
  if (index_dir.empty() || paths.empty()) return usage();
  auto tokenizer = og::Tokenizer::load(og::Encoding::cl100k_base, vocab);
  if (!tokenizer) {
    std::fprintf(stderr, "bench_index_latency: %s\n", tokenizer.error().message.c_str());
    return 2;
  }
  auto opened = Clock::now();
  auto index = og::CorpusIndex::open(index_dir, og::CorpusIndex::Access::write,
                                     og::Encoding::cl100k_base, nullptr);
  if (!index) {
    std::fprintf(stderr, "bench_index_latency: %s\n", index.error().message.c_str());
    return 2;
  }
  auto quiet = [](std::string) {};
  auto store = og::DocumentStore::open(paths, tokenizer.value(), quiet, {}, nullptr,
                                       std::move(index.value()), true);
  if (!store) {
    std::fprintf(stderr, "bench_index_latency: %s\n", store.error().message.c_str());
    return 2;
  }
  std::shared_ptr<const og::Library> library = store.value()->snapshot();
  double open_s = ms_since(opened) / 1000;

  std::vector<double> search_ms, resolve_ms;
  std::vector<std::string> handles;
  for (size_t round = 0; round < repeat; ++round)
    for (const char* query : queries) {
      og::SearchRequest search;
      search.query = query;
      search.limit = 10;
      auto start = Clock::now();
      std::vector<og::IndexEntry> entries = library->search_index(search, {});
      search_ms.push_back(ms_since(start));
      for (size_t e = 0; e < std::min<size_t>(3, entries.size()); ++e)
        if (!entries[e].handle.empty()) handles.push_back(entries[e].handle);
    }
  for (size_t i = 0; i < std::min<size_t>(150, handles.size()); ++i) {
    og::ResolveRequest resolve;
    resolve.ids = {handles[i]};
    resolve.max_tokens = 2000;
    auto start = Clock::now();
    og::ResolveResult result = library->resolve_context(resolve, {});
    resolve_ms.push_back(ms_since(start));
    if (result.nodes.empty()) {
      std::fprintf(stderr, "bench_index_latency: %s resolved to nothing\n", handles[i].c_str());
      return 1;
    }
  }
  nlohmann::json out = {{"open_s", open_s},
                        {"searches", search_ms.size()},
                        {"search_p50_ms", percentile(search_ms, 50)},
                        {"search_p99_ms", percentile(search_ms, 99)},
                        {"resolves", resolve_ms.size()},
                        {"resolve_p50_ms", percentile(resolve_ms, 50)},
                        {"resolve_p99_ms", percentile(resolve_ms, 99)}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
