// Parse benchmarks. Prints Markdown tables for docs/benchmarks.md.
//
//   bench_parse [--corpus DIR] [--big-mb N] [--repeat R]   throughput and memory
//   bench_parse --pathological [--scale K]                 time at N and 2N per hostile shape
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "corpus.hpp"
#include "og/og.hpp"
#include "syntax/syntax.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/// Best of `repeat` runs of `work`, in seconds (the minimum is the least noisy estimate).
/// `prepare` runs before each timed run, untimed.
double best_of(
    int repeat, const std::function<void()>& work, const std::function<void()>& prepare = [] {}) {
  double best = 1e300;
  for (int i = 0; i < repeat; ++i) {
    prepare();
    auto start = Clock::now();
    work();
    best = std::min(best, seconds_since(start));
  }
  return best;
}

int run_throughput(const std::string& corpus_dir, size_t big_mb, int repeat) {
  std::vector<std::string> docs = og::bench::read_corpus(corpus_dir);
  if (docs.empty()) {
    std::fprintf(stderr, "bench_parse: no .md/.og files under %s\n", corpus_dir.c_str());
    return 2;
  }
  size_t bytes = 0;
  for (const auto& d : docs) bytes += d.size();
  // The big input: the corpus concatenated until it reaches big_mb.
  std::string big;
  big.reserve(big_mb << 20);
  while (big.size() < (big_mb << 20))
    for (const auto& d : docs) big += d + "\n";

  // parse() takes its input by value: a caller moves the bytes it read in, so the copies are
  // made before the clock starts. Building and destroying the Document is timed.
  size_t nodes = 0;
  std::vector<std::string> copies;
  double og_corpus = best_of(
      repeat,
      [&] {
        nodes = 0;
        for (auto& d : copies) nodes += og::parse(std::move(d), "bench.md").nodes.size();
      },
      [&] { copies = docs; });
  double md4c_corpus = best_of(repeat, [&] {
    for (const auto& d : docs) og::syntax::md4c_parse_only(d);
  });
  double md4c_big = best_of(std::max(1, repeat / 4), [&] { og::syntax::md4c_parse_only(big); });
  long rss_before = peak_rss_kib();
  size_t big_nodes = 0;
  std::string big_copy;
  double og_big = best_of(
      std::max(1, repeat / 4),
      [&] { big_nodes = og::parse(std::move(big_copy), "big.md").nodes.size(); },
      [&] { big_copy = big; });
  long rss_after = peak_rss_kib();

  auto mbps = [](size_t n, double s) { return static_cast<double>(n) / (1 << 20) / s; };
  std::printf("| input | bytes | nodes | og parse+graph MB/s | md4c parse-only MB/s | ratio |\n");
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  std::printf("| bench corpus (%zu files) | %zu | %zu | %.1f | %.1f | %.2f |\n", docs.size(), bytes,
              nodes, mbps(bytes, og_corpus), mbps(bytes, md4c_corpus), md4c_corpus / og_corpus);
  std::printf("| corpus concatenated | %zu | %zu | %.1f | %.1f | %.2f |\n", big.size(), big_nodes,
              mbps(big.size(), og_big), mbps(big.size(), md4c_big), md4c_big / og_big);
  std::printf("\npeak RSS: %.1f MiB before parsing the big input (input held in two copies), %.1f "
              "MiB after; "
              "the parse added %.1f MiB for a %.1f MiB input\n",
              rss_before / 1024.0, rss_after / 1024.0, (rss_after - rss_before) / 1024.0,
              big.size() / 1048576.0);
  return 0;
}

std::string repeat_text(std::string_view piece, size_t n) {
  std::string out;
  out.reserve(piece.size() * n);
  for (size_t i = 0; i < n; ++i) out += piece;
  return out;
}

struct Shape {
  const char* name;
  std::function<std::string(size_t)> make;
  size_t n;
};

int run_pathological(double scale) {
  std::vector<Shape> shapes = {
      {"nested `[`", [](size_t n) { return repeat_text("[", n) + "a" + repeat_text("]", n); },
       50000},
      {"nested `>`", [](size_t n) { return repeat_text(">", n) + " a\n"; }, 50000},
      {"deep list (`- ` per line, +2 spaces)",
       [](size_t n) {
         std::string s;
         for (size_t i = 0; i < n; ++i) s += std::string(2 * i, ' ') + "- a\n";
         return s;
       },
       2000},
      {"nested list markers + blank lines",
       [](size_t n) { return repeat_text("- ", n) + "a\n" + repeat_text("\n", n); }, 50000},
      {"nested `>` + lazy lines",
       [](size_t n) { return repeat_text(">", n) + " a\n" + repeat_text("b\n", n); }, 50000},
      {"nested `>` + blank lines",
       [](size_t n) { return repeat_text("> ", n) + "a\n" + repeat_text("\n", n); }, 50000},
      {"lists separated by blank lines",
       [](size_t n) { return repeat_text("- a\n\n  - b\n\n", n); }, 50000},
      {"links in one paragraph", [](size_t n) { return repeat_text("[a](b) ", n); }, 200000},
      {"wikilink openers `[[` then one `]]`",
       [](size_t n) { return repeat_text("[[", n) + "a]]\n"; }, 100000},
      {"wikilinks at line starts (TOML check)",
       [](size_t n) { return repeat_text("[[a]] [[b]]\nk = v\n\n", n); }, 50000},
      {"a wikilink split by escapes (`[[a\\*a\\*…]]`)",
       [](size_t n) { return "[[" + repeat_text("a\\*", n) + "]]\n"; }, 100000},
      {"`k = [[a]]` after `=` (TOML check)",
       [](size_t n) { return repeat_text("k = [[a]] = [[b]]\n\n", n); }, 50000},
      {"`[[a]] [[b]]` lines in one paragraph (md4c)",
       [](size_t n) { return repeat_text("[[a]] [[b]]\nk = v\n", n); }, 10000},
      {"one long line (bytes)", [](size_t n) { return std::string(n, 'x'); }, 10u << 20},
      {"headings", [](size_t n) { return repeat_text("## Same\n", n); }, 100000},
      {"empty headings", [](size_t n) { return repeat_text("#\n", n); }, 100000},
      {"directive lines", [](size_t n) { return "# A {#a}\n" + repeat_text(":see-also #a\n", n); },
       100000},
      {"attributes in one list",
       [](size_t n) { return "# A {#a " + repeat_text("k=v ", n) + "}\n"; }, 100000},
      {"attribute lists (one per heading)",
       [](size_t n) { return repeat_text("## H {#h .steps k=v}\n", n); }, 100000},
      {"units", [](size_t n) { return "# S\n\n" + repeat_text("{.steps}\ntext\n\n", n); }, 100000},
      {"`:requires` chain",
       [](size_t n) {
         std::string s;
         for (size_t i = 0; i < n; ++i)
           s += "# N" + std::to_string(i) + "\n:requires #n" + std::to_string(i + 1) + "\n";
         return s + "# N" + std::to_string(n) + "\n";
       },
       50000},
      {"emphasis openers `*a `",
       [](size_t n) { return repeat_text("*a ", n) + repeat_text("_a*_ ", n); }, 20000},
      {"code spans of growing length",
       [](size_t n) {
         std::string s;
         for (size_t i = 1; i <= n; ++i) s += "a" + std::string(i, '`');
         return s;
       },
       2500},
  };
  std::printf(
      "| shape | N | bytes at N | ms at N | ms at 2N | ratio 2N/N | md4c-only ms at N | at 2N |\n"
      "|---|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const auto& shape : shapes) {
    size_t n = std::max<size_t>(1, static_cast<size_t>(static_cast<double>(shape.n) * scale));
    std::string a = shape.make(n), b = shape.make(2 * n);
    std::string copy;
    double ta = best_of(
        3, [&] { (void)og::parse(std::move(copy), "p.md"); }, [&] { copy = a; });
    double tb = best_of(
        3, [&] { (void)og::parse(std::move(copy), "p.md"); }, [&] { copy = b; });
    double ma = best_of(3, [&] { og::syntax::md4c_parse_only(a); });
    double mb = best_of(3, [&] { og::syntax::md4c_parse_only(b); });
    std::printf("| %s | %zu | %zu | %.2f | %.2f | %.2f | %.2f | %.2f |\n", shape.name, n, a.size(),
                ta * 1e3, tb * 1e3, tb / ta, ma * 1e3, mb * 1e3);
  }
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  std::string corpus = "../shared/bench/corpus";
  size_t big_mb = 50;
  int repeat = 20;
  bool pathological = false;
  double scale = 1.0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "bench_parse: %s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--corpus")
      corpus = value();
    else if (arg == "--big-mb")
      big_mb = std::stoul(value());
    else if (arg == "--repeat")
      repeat = std::stoi(value());
    else if (arg == "--pathological")
      pathological = true;
    else if (arg == "--scale")
      scale = std::stod(value());
    else {
      std::fprintf(stderr, "usage: bench_parse [--corpus DIR] [--big-mb N] [--repeat R]\n"
                           "       bench_parse --pathological [--scale K]\n");
      return arg == "--help" || arg == "-h" ? 0 : 2;
    }
  }
  return pathological ? run_pathological(scale) : run_throughput(corpus, big_mb, repeat);
}
