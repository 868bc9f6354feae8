// Tokenizer benchmark: vocabulary load time and memory, then single-thread encode throughput on
// a corpus. Prints one JSON object per encoding (bench/compare_tiktoken.py makes the table).
//
//   bench_tokenize [--corpus DIR] [--vocab DIR] [--repeat R]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "corpus.hpp"
#include "og/tokenizer.hpp"

namespace {

using Clock = std::chrono::steady_clock;

/// Resident set size now (not the peak: the corpus read before would hide the vocabulary).
long rss_kib() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * 4;
}

} // namespace

int main(int argc, char** argv) {
  std::string corpus = "../shared/bench/corpus", vocab = og::default_vocabulary_dir();
  int repeat = 10;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string arg = argv[i];
    if (arg == "--corpus")
      corpus = argv[i + 1];
    else if (arg == "--vocab")
      vocab = argv[i + 1];
    else if (arg == "--repeat")
      repeat = std::stoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: bench_tokenize [--corpus DIR] [--vocab DIR] [--repeat R]\n");
      return 2;
    }
  }
  std::vector<std::string> docs = og::bench::read_corpus(corpus, false);
  size_t bytes = 0;
  for (const auto& d : docs) bytes += d.size();
  for (auto encoding : {og::Encoding::cl100k_base, og::Encoding::o200k_base}) {
    long rss_before = rss_kib();
    auto start = Clock::now();
    auto loaded = og::Tokenizer::load(encoding, vocab);
    double load_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (!loaded) {
      std::fprintf(stderr, "%s\n", loaded.error().message.c_str());
      return 2;
    }
    long rss_after = rss_kib();
    const og::Tokenizer& tokenizer = loaded.value();
    size_t tokens = 0;
    double best = 1e300;
    for (int r = 0; r < repeat; ++r) {
      auto t0 = Clock::now();
      tokens = 0;
      for (const auto& d : docs) tokens += tokenizer.encode(d).size();
      best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
    }
    std::printf("{\"impl\":\"og\",\"encoding\":\"%s\",\"files\":%zu,\"bytes\":%zu,\"tokens\":%zu,"
                "\"seconds\":%.6f,\"load_ms\":%.1f,\"vocabulary_rss_mib\":%.1f}\n",
                std::string(og::encoding_name(encoding)).c_str(), docs.size(), bytes, tokens, best,
                load_ms, (rss_after - rss_before) / 1024.0);
  }
  return 0;
}
