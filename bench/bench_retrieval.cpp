// Retrieval benchmark: how many tokens an agent needs, and whether it gets the evidence.
//
//   bench_retrieval --corpus DIR --questions FILE [--k K] [--ratio R] [--encoding E] [--vocab DIR]
//                   [--svg OUT] [--explain OUT.jsonl]
//                   [--transpile [--split-tokens N] [--unit-tokens N] [--max-keywords N]]
//
// With --transpile, og reads each document as `og transpile` writes it (in memory, with the
// corpus's term statistics); chunks and full injection still get the original documents.
// Question documents are paths relative to the directory of FILE (the ../shared/bench format).
// For each question three methods deliver text to the agent, counted in exact tokens:
//   og     search_index(question) within the document, then resolve_context(top entries, full)
//          — the search listing and the resolved texts are both delivered;
//   chunks BM25 over fixed 256-token chunks of the document, top k;
//   full   the whole document.
// A question is covered when every evidence string occurs in the delivered text after collapsing
// whitespace. The default og policy is adaptive: entries whose score is at least R (--ratio,
// default 0.5) of the top score, at most K (--k, default 3). The last line is the summary for
// that policy. The "oracle" line says what a perfect ranking would cost: for each evidence string
// the smallest node holding it, and how often those nodes all rank within the top 1, 2, 3, 5
// (--explain writes them per question, to see where the ranking misses).
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "og/og.hpp"
#include "questions.hpp"

namespace {

namespace fs = std::filesystem;

using og::bench::covers;
using og::bench::Question;
using og::bench::read;

/// Per-document BM25 over fixed 256-token chunks (the chunk-retrieval baseline).
class ChunkIndex {
public:
  ChunkIndex(const og::Tokenizer& tokenizer, const std::string& text) {
    std::vector<uint32_t> ids = tokenizer.encode(text);
    for (size_t i = 0; i < ids.size(); i += 256) {
      std::vector<uint32_t> part(ids.begin() + static_cast<long>(i),
                                 ids.begin() + static_cast<long>(std::min(ids.size(), i + 256)));
      chunks_.push_back(tokenizer.decode(part));
      sizes_.push_back(part.size());
    }
    Xapian::TermGenerator terms;
    terms.set_stemmer(Xapian::Stem("english"));
    for (size_t c = 0; c < chunks_.size(); ++c) {
      Xapian::Document d;
      terms.set_document(d);
      terms.index_text(chunks_[c]);
      d.set_data(std::to_string(c));
      db_.add_document(d);
    }
  }
  /// Text and tokens of the top k chunks, in ranking order.
  std::pair<std::string, size_t> top(const std::string& question, size_t k) {
    Xapian::QueryParser parser;
    parser.set_stemmer(Xapian::Stem("english"));
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser.set_default_op(Xapian::Query::OP_OR);
    Xapian::Enquire enquire(db_);
    enquire.set_query(parser.parse_query(question, 0));
    std::string text;
    size_t tokens = 0;
    for (auto it = enquire.get_mset(0, static_cast<Xapian::doccount>(k)).begin();
         it != Xapian::MSetIterator(); ++it) {
      size_t c = std::stoul(it.get_document().get_data());
      text += chunks_[c] + "\n";
      tokens += sizes_[c];
    }
    return {text, tokens};
  }

private:
  Xapian::WritableDatabase db_{std::string(), Xapian::DB_BACKEND_INMEMORY};
  std::vector<std::string> chunks_;
  std::vector<size_t> sizes_;
};

struct Outcome {
  size_t tokens = 0;
  bool covered = false;
};

struct Tally {
  double tokens = 0, full = 0;
  size_t covered = 0, n = 0;
  void add(const Outcome& o, size_t full_tokens) {
    tokens += static_cast<double>(o.tokens);
    full += static_cast<double>(full_tokens);
    covered += o.covered;
    ++n;
  }
  double coverage() const { return n ? static_cast<double>(covered) / static_cast<double>(n) : 0; }
  double reduction() const { return full > 0 ? 1 - tokens / full : 0; }
  double mean_tokens() const { return n ? tokens / static_cast<double>(n) : 0; }
};

/// og: search within the document, pick entries (fixed k, or adaptive when ratio > 0), resolve.
Outcome og_method(const og::Library& library, const Question& q, size_t k, double ratio) {
  og::SearchRequest search;
  search.query = q.text;
  search.doc = q.doc;
  search.limit = k;
  std::vector<og::IndexEntry> entries = library.search_index(search, {});
  std::string delivered;
  og::ResolveRequest resolve;
  for (const auto& e : entries) {
    if (ratio > 0 && e.score < ratio * entries[0].score) break;
    delivered += e.line() + "\n";
    resolve.ids.push_back(e.doc + "#" + e.id);
  }
  size_t tokens = library.tokenizer().count(delivered);
  if (!resolve.ids.empty()) {
    og::ResolveResult result = library.resolve_context(resolve, {});
    for (const auto& node : result.nodes) delivered += node.text;
    tokens += result.tokens;
  }
  return {tokens, covers(delivered, q.evidence)};
}

/// Where the evidence is: for each evidence string the smallest node whose full view holds it
/// ("?" when no single node does) and that node's rank in the document's whole search ranking
/// (-1: not ranked). Printed per question with --explain and summed into the "oracle" line: the
/// tokens an agent would need with a perfect ranking over these nodes.
struct Explanation {
  std::vector<std::string> nodes;
  std::vector<long> ranks;
  size_t oracle_tokens = 0;
  bool split = false; // some evidence string is in no single node
};

Explanation explain(const og::Library& library, const Question& q) {
  Explanation out;
  const og::Document* doc = nullptr;
  for (const auto& d : library.documents())
    if (d->path == q.doc) doc = d;
  og::SearchRequest search;
  search.query = q.text;
  search.doc = q.doc;
  search.limit = 0;
  std::vector<og::IndexEntry> ranking = library.search_index(search, {});
  std::vector<std::string> chosen;
  for (const auto& evidence : q.evidence) {
    std::string needle = og::bench::collapse(evidence);
    const og::Node* best = nullptr;
    size_t best_tokens = 0;
    for (const auto& node : doc->nodes) {
      std::string text = og::full_view(*doc, node);
      if (og::bench::collapse(text).find(needle) == std::string::npos) continue;
      size_t tokens = library.tokenizer().count(text);
      if (!best || tokens < best_tokens) best = &node, best_tokens = tokens;
    }
    if (!best) {
      out.split = true;
      out.nodes.push_back("?");
      out.ranks.push_back(-1);
      continue;
    }
    long rank = -1;
    for (size_t r = 0; r < ranking.size(); ++r)
      if (ranking[r].id == best->id) rank = static_cast<long>(r) + 1;
    out.nodes.push_back(best->id);
    out.ranks.push_back(rank);
    if (std::find(chosen.begin(), chosen.end(), best->id) == chosen.end()) {
      chosen.push_back(best->id);
      out.oracle_tokens += best_tokens + library.tokenizer().count(og::index_line(*doc, *best));
    }
  }
  return out;
}

void print_table(const char* title, const std::map<std::string, std::array<Tally, 3>>& rows) {
  std::printf("\n%s\n\n| %s | questions | og coverage | og tokens | og reduction | chunks coverage "
              "| chunks tokens | full tokens |\n"
              "|---|---:|---:|---:|---:|---:|---:|---:|\n",
              title, title);
  for (const auto& [name, t] : rows)
    std::printf("| %s | %zu | %.3f | %.0f | %.3f | %.3f | %.0f | %.0f |\n", name.c_str(), t[0].n,
                t[0].coverage(), t[0].mean_tokens(), t[0].reduction(), t[1].coverage(),
                t[1].mean_tokens(), t[2].mean_tokens());
}

void write_svg(const std::string& path, const std::vector<std::pair<double, double>>& og_curve,
               const std::vector<std::pair<double, double>>& chunk_curve, double full) {
  // x: mean tokens delivered as a share of full injection, y: coverage.
  std::ofstream out(path);
  const int w = 640, h = 420, left = 60, bottom = 50, top = 20, right = 20;
  auto x = [&](double v) { return left + v * (w - left - right); };
  auto y = [&](double v) { return h - bottom - v * (h - bottom - top); };
  out << "<svg xmlns='http://www.w3.org/2000/svg' width='" << w << "' height='" << h
      << "' font-family='sans-serif' font-size='12'>\n"
      << "<rect width='100%' height='100%' fill='white'/>\n";
  for (int i = 0; i <= 10; ++i) {
    double v = i / 10.0;
    out << "<line x1='" << x(v) << "' y1='" << y(0) << "' x2='" << x(v) << "' y2='" << y(1)
        << "' stroke='#eee'/>"
        << "<line x1='" << x(0) << "' y1='" << y(v) << "' x2='" << x(1) << "' y2='" << y(v)
        << "' stroke='#eee'/>"
        << "<text x='" << x(v) << "' y='" << h - bottom + 16 << "' text-anchor='middle'>" << i * 10
        << "%</text>"
        << "<text x='" << left - 8 << "' y='" << y(v) + 4 << "' text-anchor='end'>" << v
        << "</text>\n";
  }
  out << "<text x='" << (left + w - right) / 2 << "' y='" << h - 10
      << "' text-anchor='middle'>tokens delivered, share of full injection (mean "
      << static_cast<long>(full) << " cl100k tokens)</text>\n"
      << "<text x='14' y='" << (top + h - bottom) / 2 << "' transform='rotate(-90 14,"
      << (top + h - bottom) / 2 << ")' text-anchor='middle'>evidence coverage</text>\n";
  auto curve = [&](const std::vector<std::pair<double, double>>& points, const char* color,
                   const char* label, int row) {
    out << "<polyline fill='none' stroke='" << color << "' stroke-width='2' points='";
    for (auto [share, coverage] : points) out << x(share) << "," << y(coverage) << " ";
    out << "'/>\n";
    for (size_t i = 0; i < points.size(); ++i)
      out << "<circle cx='" << x(points[i].first) << "' cy='" << y(points[i].second)
          << "' r='3' fill='" << color << "'><title>k=" << i + 1 << "</title></circle>\n";
    out << "<text x='" << x(0.55) << "' y='" << y(0.2) + row * 16 << "' fill='" << color << "'>"
        << label << "</text>\n";
  };
  curve(og_curve, "#1f77b4", "og: search_index + resolve_context (k = 1..8)", 0);
  curve(chunk_curve, "#d62728", "BM25 over 256-token chunks (k = 1..8)", 1);
  out << "<circle cx='" << x(1) << "' cy='" << y(1) << "' r='4' fill='black'/><text x='" << x(1) - 6
      << "' y='" << y(1) + 16 << "' text-anchor='end'>full injection</text>\n</svg>\n";
}

} // namespace

int main(int argc, char** argv) {
  std::string corpus, questions_path, vocab = og::default_vocabulary_dir(), svg, explain_path,
                                      encoding_name = "cl100k_base";
  size_t k = 3;
  double ratio = 0.5;
  bool transpiled = false;
  og::TranspileOptions transpile_options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--transpile") {
      transpiled = true;
      continue;
    }
    if (i + 1 >= argc) break;
    std::string value = argv[++i];
    if (arg == "--corpus")
      corpus = value;
    else if (arg == "--questions")
      questions_path = value;
    else if (arg == "--k")
      k = std::stoul(value);
    else if (arg == "--ratio")
      ratio = std::stod(value);
    else if (arg == "--vocab")
      vocab = value;
    else if (arg == "--svg")
      svg = value;
    else if (arg == "--explain")
      explain_path = value;
    else if (arg == "--split-tokens")
      transpile_options.split_tokens = std::stoul(value);
    else if (arg == "--unit-tokens")
      transpile_options.unit_tokens = std::stoul(value);
    else if (arg == "--max-keywords")
      transpile_options.max_keywords = std::stoul(value);
    else if (arg == "--encoding")
      encoding_name = value;
  }
  og::Encoding encoding{};
  if (corpus.empty() || questions_path.empty() || !og::parse_encoding(encoding_name, &encoding)) {
    std::fprintf(stderr,
                 "usage: bench_retrieval --corpus DIR --questions FILE [--k K] [--ratio R] "
                 "[--encoding E] [--vocab DIR] [--svg OUT] [--explain OUT.jsonl] [--transpile "
                 "[--split-tokens N] [--unit-tokens N] [--max-keywords N]]\n");
    return 2;
  }
  auto tokenizer = og::Tokenizer::load(encoding, vocab);
  if (!tokenizer) {
    std::fprintf(stderr, "%s\n", tokenizer.error().message.c_str());
    return 2;
  }
  // Documents: every .md/.og under the corpus, named by their canonical path.
  std::vector<og::Document> documents;
  for (const auto& e : fs::recursive_directory_iterator(corpus))
    if (e.is_regular_file() && (e.path().extension() == ".md" || e.path().extension() == ".og"))
      documents.push_back(
          og::parse(read(e.path().string()), fs::weakly_canonical(e.path()).string()));
  std::map<std::string, size_t> full_tokens;
  std::map<std::string, std::string> sources;
  for (const auto& d : documents)
    full_tokens[d.path] = tokenizer.value().count(d.source), sources[d.path] = d.source;
  if (transpiled) {
    og::CorpusStats stats;
    for (const auto& d : documents) stats.add(d);
    for (auto& d : documents) {
      auto result = og::transpile(d, tokenizer.value(), transpile_options, &stats);
      if (!result) {
        std::fprintf(stderr, "%s\n", result.error().message.c_str());
        return 2;
      }
      d = og::parse(std::move(result.value().source), d.path);
    }
  }
  auto start = std::chrono::steady_clock::now();
  auto library = og::Library::open(std::move(documents), tokenizer.value());
  if (!library) {
    std::fprintf(stderr, "%s\n", library.error().message.c_str());
    return 2;
  }
  double open_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

  std::vector<Question> questions = og::bench::read_questions(questions_path);
  for (const auto& q : questions)
    if (!full_tokens.count(q.doc)) {
      std::fprintf(stderr, "bench_retrieval: %s: document %s is not under --corpus\n", q.id.c_str(),
                   q.doc.c_str());
      return 2;
    }

  std::map<std::string, ChunkIndex> chunk_indexes;
  for (const auto& [path, text] : sources)
    chunk_indexes.emplace(path, ChunkIndex(tokenizer.value(), text));

  // Curves over k for og (fixed k) and chunks.
  std::vector<std::pair<double, double>> og_curve, chunk_curve;
  Tally full_only;
  for (const auto& q : questions) full_only.add({full_tokens[q.doc], true}, full_tokens[q.doc]);
  std::printf("| k | og coverage | og mean tokens | og reduction | chunks coverage | chunks mean "
              "tokens | chunks reduction |\n"
              "|---:|---:|---:|---:|---:|---:|---:|\n");
  for (size_t kk = 1; kk <= 8; ++kk) {
    Tally og_tally, chunk_tally;
    for (const auto& q : questions) {
      og_tally.add(og_method(library.value(), q, kk, 0), full_tokens[q.doc]);
      auto [text, tokens] = chunk_indexes.at(q.doc).top(q.text, kk);
      chunk_tally.add({tokens, covers(text, q.evidence)}, full_tokens[q.doc]);
    }
    og_curve.push_back({1 - og_tally.reduction(), og_tally.coverage()});
    chunk_curve.push_back({1 - chunk_tally.reduction(), chunk_tally.coverage()});
    std::printf("| %zu | %.3f | %.0f | %.3f | %.3f | %.0f | %.3f |\n", kk, og_tally.coverage(),
                og_tally.mean_tokens(), og_tally.reduction(), chunk_tally.coverage(),
                chunk_tally.mean_tokens(), chunk_tally.reduction());
  }
  if (!svg.empty()) write_svg(svg, og_curve, chunk_curve, full_only.mean_tokens());

  // The default policy, per class and per task, with latencies.
  std::map<std::string, std::array<Tally, 3>> by_class, by_task;
  Tally total;
  std::vector<double> search_ms, resolve_ms;
  for (const auto& q : questions) {
    Outcome o = og_method(library.value(), q, k, ratio);
    auto [text, tokens] = chunk_indexes.at(q.doc).top(q.text, k);
    Outcome chunk{tokens, covers(text, q.evidence)};
    Outcome full{full_tokens[q.doc], true};
    for (auto* rows : {&by_class, &by_task}) {
      auto& t = (*rows)[rows == &by_class ? q.cls : q.task];
      t[0].add(o, full.tokens);
      t[1].add(chunk, full.tokens);
      t[2].add(full, full.tokens);
    }
    total.add(o, full.tokens);
  }
  // Latency over the whole corpus loaded as one set (no document filter).
  for (const auto& q : questions) {
    og::SearchRequest search;
    search.query = q.text;
    search.limit = k;
    auto t0 = std::chrono::steady_clock::now();
    auto entries = library.value().search_index(search, {});
    auto t1 = std::chrono::steady_clock::now();
    og::ResolveRequest resolve;
    for (const auto& e : entries) resolve.ids.push_back(e.doc + "#" + e.id);
    (void)library.value().resolve_context(resolve, {});
    auto t2 = std::chrono::steady_clock::now();
    search_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    resolve_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
  }
  auto percentile = [](std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v.empty()
               ? 0
               : v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
  };
  std::printf("\ndefault policy: entries scoring at least %.2f of the top score, at most k=%zu; "
              "resolve depth full, "
              "following :requires; chunks: top %zu of 256 tokens\n",
              ratio, k, k);
  print_table("class", by_class);
  print_table("task", by_task);
  std::printf("\nlatency over the whole corpus as one set (%zu documents, %zu questions; library "
              "open %.0f ms): "
              "search_index p50 %.3f ms p99 %.3f ms; resolve_context p50 %.3f ms p99 %.3f ms\n",
              full_tokens.size(), questions.size(), open_ms, percentile(search_ms, 0.5),
              percentile(search_ms, 0.99), percentile(resolve_ms, 0.5),
              percentile(resolve_ms, 0.99));
  // Oracle: the evidence-holding nodes, as if the ranking were perfect.
  std::ofstream explain_out;
  if (!explain_path.empty()) explain_out.open(explain_path);
  Tally oracle;
  constexpr std::array<long, 4> depths{1, 2, 3, 5};
  std::array<size_t, 4> within{}; // questions whose evidence nodes all rank within each depth
  for (const auto& q : questions) {
    Explanation e = explain(library.value(), q);
    oracle.add({e.oracle_tokens, !e.split}, full_tokens[q.doc]);
    long worst = 0;
    for (long r : e.ranks) worst = r < 0 ? std::numeric_limits<long>::max() : std::max(worst, r);
    for (size_t i = 0; i < depths.size(); ++i) within[i] += worst <= depths[i];
    if (explain_out)
      explain_out << nlohmann::json{{"id", q.id},       {"question", q.text},
                                    {"nodes", e.nodes}, {"ranks", e.ranks},
                                    {"split", e.split}, {"oracle_tokens", e.oracle_tokens}}
                         .dump()
                  << "\n";
  }
  auto share = [&](size_t n) {
    return static_cast<double>(n) / static_cast<double>(questions.size());
  };
  std::printf("oracle: coverage=%.3f tokens=%.0f reduction=%.3f; evidence nodes all within rank "
              "1: %.3f, 2: %.3f, 3: %.3f, 5: %.3f\n",
              oracle.coverage(), oracle.mean_tokens(), oracle.reduction(), share(within[0]),
              share(within[1]), share(within[2]), share(within[3]));
  std::printf("documents: %s\n", transpiled ? "transpiled (og transpile, in memory)" : "as given");
  std::printf("retrieval: coverage=%.3f reduction=%.3f tokens=%.0f full=%.0f questions=%zu\n",
              total.coverage(), total.reduction(), total.mean_tokens(), full_only.mean_tokens(),
              questions.size());
  return 0;
}
