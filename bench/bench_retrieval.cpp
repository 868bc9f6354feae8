// Retrieval benchmark: how many tokens an agent needs, and whether it gets the evidence.
//
//   bench_retrieval --corpus DIR --questions FILE [--k K] [--ratio R] [--spread S]
//                   [--arms plain|transpiled|plain,transpiled] [--transpile]
//                   [--folds class|source [--sources SOURCES.md] [--goal-reduction R]]
//                   [--rerank] [--corpus-wide] [--no-group] [--follow-links] [--budget-by-resolve]
//                   [--distractors DIR [--distractor-count N]]
//                   [--encoding E] [--vocab DIR] [--svg OUT] [--explain OUT.jsonl]
//                   [--split-tokens N] [--unit-tokens N] [--max-keywords N]
//
// Arms: og reads the documents as given ("plain") and/or as `og transpile` writes them
// ("transpiled", in memory, with the corpus's term statistics; --transpile = --arms transpiled);
// chunks and full injection always get the original documents. Question documents are paths
// relative to the directory of FILE (the ../shared/bench format).
// For each question three methods deliver text to the agent, counted in exact tokens:
//   og     search_index(question) within the document (or, --corpus-wide, the whole library),
//          then resolve_context(kept entries, full) — listing and texts are both delivered
//          (--follow-links: with what the kept entries' Markdown links name, one hop);
//   chunks BM25 over fixed 256-token chunks of the document, top k;
//   full   the whole document (the right one, also corpus-wide).
// A question is covered when every evidence string occurs in the delivered text after collapsing
// whitespace. The fixed og policy: entries scoring at least R (--ratio, default 0.5) of the top
// score, at most K (--k, default 3), from another document than the first entry's only at S
// (--spread) of the top. Printed: the curve over fixed k, the curve over a token budget per
// question (entries from the top while they fit: plain and transpiled at equal tokens; with
// --budget-by-resolve every entry listed and resolve_context's max_tokens choosing), the
// fixed policy per class and task, and with --folds the policy tuned on all folds but one
// (most coverage at --goal-reduction, default 0.75) measured on that one, each fold, mean and
// worst. --distractors serves the files under DIR beside the corpus (N of them, evenly spaced
// in path order), asking each question of the whole library. The "oracle" line says what a
// perfect ranking within the document would cost (--explain writes it per question).
// --rerank (with --folds): each fold's candidates (the first 20 of the ranking) are re-ranked
// by a logistic model of "holds evidence" over features beside the BM25 score (features_of),
// trained on the other folds; its weights are printed on stderr.
#include <xapian.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "corpus.hpp"
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

/// Features of a search candidate for the learned re-ranking experiment (--rerank): what a
/// ranker could know besides the BM25 score (issue #16). Words: lower-cased, at least three
/// letters, a final `s` dropped.
constexpr size_t feature_count = 12;
using Features = std::array<double, feature_count>;

std::set<std::string> content_words(std::string_view text) {
  static const std::set<std::string> stop = {
      "the",   "and",  "for",  "are",   "what", "which",  "how", "does", "this",
      "that",  "with", "when", "from",  "into", "should", "can", "its",  "their",
      "there", "than", "then", "would", "will", "not",    "use", "used", "using",
      "about", "must", "have", "has",   "was",  "were",   "you", "your", "they",
      "them",  "who",  "why",  "where", "also", "two",    "one", "each", "any"};
  std::set<std::string> out;
  std::string word;
  auto flush = [&] {
    if (word.size() > 3 && word.back() == 's') word.pop_back();
    if (word.size() >= 3 && !stop.count(word)) out.insert(word);
    word.clear();
  };
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else
      flush();
  }
  flush();
  return out;
}

double overlap(const std::set<std::string>& question, const std::set<std::string>& text) {
  if (question.empty()) return 0;
  size_t n = 0;
  for (const auto& w : question) n += text.count(w);
  return static_cast<double>(n) / static_cast<double>(question.size());
}

Features features_of(const Question& q, const std::vector<og::IndexEntry>& candidates, size_t i) {
  const og::IndexEntry& e = candidates[i];
  std::set<std::string> question = content_words(q.text);
  std::string lower = q.text;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool asks_how = lower.rfind("how", 0) == 0 || lower.find("steps") != std::string::npos ||
                  lower.find("command") != std::string::npos;
  size_t depth = e.path.empty() ? 0 : 1;
  for (size_t at = 0; (at = e.path.find(" > ", at)) != std::string::npos; at += 3) ++depth;
  std::string keywords;
  for (const auto& k : e.keywords) keywords += k + " ";
  return {1.0,
          candidates[0].score > 0 ? e.score / candidates[0].score : 0,
          1.0 / static_cast<double>(i + 1),
          std::log1p(static_cast<double>(e.tokens.full)) / 8,
          static_cast<double>(depth) / 4,
          e.title.empty() ? 1.0 : 0.0,
          asks_how && e.type == "steps" ? 1.0 : 0.0,
          e.type == "warning" ? 1.0 : 0.0,
          overlap(question, content_words(e.title)),
          overlap(question, content_words(e.path)),
          overlap(question, content_words(keywords + e.dense)),
          e.doc == candidates[0].doc ? 1.0 : 0.0};
}

/// A logistic model over Features: the probability that a candidate holds evidence.
struct Model {
  Features w{};
  double predict(const Features& x) const {
    double z = 0;
    for (size_t f = 0; f < feature_count; ++f) z += w[f] * x[f];
    return 1 / (1 + std::exp(-z));
  }
};

/// The og method for one question, for every choice of entries an agent might keep: the first
/// `max_k` entries of search_index(question) (within the question's document, or the whole
/// library when corpus-wide), or of a model's re-ranking of the first `pool`; outcome(mask) says
/// what delivering the entries in `mask` (bit i: entry i) costs and whether it covers, computed
/// once per mask, so tuning over a grid of policies resolves each choice once.
class Ranked {
public:
  static constexpr size_t pool = 20;
  /// `learn`: fetch `pool` candidates with their features and labels, for rerank().
  /// `follow`: what resolve_context follows from the kept entries (ResolveRequest::follow).
  Ranked(const og::Library& library, const Question& q, bool corpus_wide, bool group, size_t max_k,
         bool learn, std::vector<std::string> follow)
      : library_(&library), question_(&q), max_k_(max_k), follow_(std::move(follow)) {
    og::SearchRequest search;
    search.query = q.text;
    if (!corpus_wide) search.doc = q.doc;
    search.group_by_document = group;
    search.limit = learn ? pool : max_k;
    candidates_ = library.search_index(search, {});
    for (size_t i = 0; learn && i < candidates_.size(); ++i) {
      features_.push_back(features_of(q, candidates_, i));
      bool holds = false;
      if (auto found = library.find(candidates_[i].doc + "#" + candidates_[i].id, {})) {
        std::string text =
            og::bench::collapse(og::full_view(*found.value().document, *found.value().node));
        for (const auto& evidence : q.evidence)
          holds = holds || text.find(og::bench::collapse(evidence)) != std::string::npos;
      }
      labels_.push_back(holds);
    }
    rerank(nullptr);
  }
  /// Entries in BM25 order (no model) or by the model's probability, which is then their score.
  void rerank(const Model* model) {
    std::vector<size_t> order(candidates_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::vector<double> p(candidates_.size());
    if (model) {
      for (size_t i = 0; i < p.size(); ++i) p[i] = model->predict(features_[i]);
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] > p[b]; });
    }
    entries_.clear();
    for (size_t i = 0; i < std::min(max_k_, order.size()); ++i) {
      entries_.push_back(candidates_[order[i]]);
      if (model) entries_.back().score = p[order[i]];
    }
    cache_.clear();
  }
  const std::vector<og::IndexEntry>& entries() const { return entries_; }
  const std::vector<Features>& features() const { return features_; }
  const std::vector<bool>& labels() const { return labels_; }
  const Outcome& outcome(uint32_t mask) const {
    auto [it, added] = cache_.try_emplace(mask);
    return added ? it->second = deliver(mask, std::nullopt) : it->second;
  }
  /// Every entry listed and all of them resolved within `budget` tokens by resolve_context's
  /// max_tokens (what an agent that passes its budget on gets), once per budget.
  const Outcome& resolved_within(size_t budget) const {
    auto [it, added] = budget_cache_.try_emplace(budget);
    return added ? it->second = deliver(~0u, budget) : it->second;
  }

private:
  const og::Library* library_;
  const Question* question_;
  size_t max_k_;
  std::vector<std::string> follow_;
  std::vector<og::IndexEntry> candidates_, entries_;
  std::vector<Features> features_;
  std::vector<bool> labels_;
  mutable std::map<uint32_t, Outcome> cache_;
  mutable std::map<size_t, Outcome> budget_cache_;

  /// The lines of the entries in `mask` and their resolved texts, within `budget` when given
  /// (the lines count against it).
  Outcome deliver(uint32_t mask, std::optional<size_t> budget) const {
    std::string lines;
    og::ResolveRequest resolve;
    resolve.follow = follow_;
    for (size_t i = 0; i < entries_.size(); ++i)
      if (mask & (1u << i)) {
        lines += entries_[i].line() + "\n";
        resolve.ids.push_back(entries_[i].doc + "#" + entries_[i].id);
      }
    size_t tokens = library_->tokenizer().count(lines);
    if (!resolve.ids.empty() && (!budget || tokens < *budget)) {
      if (budget) resolve.max_tokens = *budget - tokens;
      og::ResolveResult result = library_->resolve_context(resolve, {});
      for (const auto& node : result.nodes) lines += node.text;
      tokens += result.tokens;
    }
    return {tokens, covers(lines, question_->evidence)};
  }
};

/// Logistic regression by batch gradient descent (L2-regularised) on the candidates of
/// `training`'s questions.
Model train(const std::vector<Ranked>& ranked, const std::vector<size_t>& training) {
  Model m;
  std::vector<std::pair<const Features*, double>> rows;
  for (size_t i : training)
    for (size_t c = 0; c < ranked[i].features().size(); ++c)
      rows.push_back({&ranked[i].features()[c], ranked[i].labels()[c] ? 1.0 : 0.0});
  if (rows.empty()) return m;
  for (int epoch = 0; epoch < 2000; ++epoch) {
    Features gradient{};
    for (const auto& [x, y] : rows) {
      double error = m.predict(*x) - y;
      for (size_t f = 0; f < feature_count; ++f) gradient[f] += error * (*x)[f];
    }
    for (size_t f = 0; f < feature_count; ++f)
      m.w[f] -= 0.5 * (gradient[f] / static_cast<double>(rows.size()) + 1e-4 * m.w[f]);
  }
  return m;
}

/// Which entries an agent keeps: those scoring at least `ratio` of the top score, at most `k`,
/// and from a document other than the first entry's only when scoring at least `spread` of the
/// top (above 1: never); or, with a `budget`, as many from the top as fit in that many tokens
/// (`by_resolve`: every entry, resolve_context's max_tokens choosing).
struct Policy {
  size_t k = 3;
  double ratio = 0.5;
  size_t budget = 0;
  double spread = 0;
  bool by_resolve = false;
  std::string describe() const {
    char text[64];
    if (budget)
      std::snprintf(text, sizeof text, "budget %zu", budget);
    else if (spread > ratio)
      std::snprintf(text, sizeof text, "k=%zu r=%.1f s=%.1f", k, ratio, spread);
    else
      std::snprintf(text, sizeof text, "k=%zu r=%.1f", k, ratio);
    return text;
  }
  uint32_t chosen(const Ranked& r) const {
    const auto& e = r.entries();
    uint32_t mask = 0;
    if (budget) {
      for (size_t n = 0; n < e.size(); ++n) {
        if (r.outcome(mask | (1u << n)).tokens > budget) break;
        mask |= 1u << n;
      }
      return mask;
    }
    for (size_t i = 0, kept = 0; i < e.size() && kept < k; ++i) {
      if (e[i].score < ratio * e[0].score) break;
      if (e[i].doc != e[0].doc && e[i].score < spread * e[0].score) continue;
      mask |= 1u << i, ++kept;
    }
    return mask;
  }
  const Outcome& outcome(const Ranked& r) const {
    return budget && by_resolve ? r.resolved_within(budget) : r.outcome(chosen(r));
  }
};

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
  for (size_t d = 0; d < library.prepared().size(); ++d)
    if (library.prepared()[d]->path == q.doc) doc = &library.document(d);
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

/// One way of reading the corpus (the documents as given, or as og transpile writes them) and
/// every question's ranking in it.
struct Arm {
  std::string name;
  std::unique_ptr<og::Library> library; // where Ranked points: it must not move
  std::vector<Ranked> ranked;           ///< per question
};

/// The source repository of every corpus file, from the SOURCES.md table of ../shared/bench
/// (`| \`corpus/...\` | owner/repo | …`), keyed by canonical path.
std::map<std::string, std::string> read_sources(const std::string& path) {
  std::map<std::string, std::string> repos;
  std::istringstream lines(read(path));
  fs::path base = fs::path(path).parent_path();
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    size_t file_end = line.find('`', 3);
    size_t repo_start = line.find('|', file_end) + 1;
    size_t repo_end = line.find('|', repo_start);
    if (file_end == std::string::npos || repo_end == std::string::npos) continue;
    std::string repo = line.substr(repo_start, repo_end - repo_start);
    repo.erase(0, repo.find_first_not_of(' '));
    repo.erase(repo.find_last_not_of(' ') + 1);
    repos[fs::weakly_canonical(base / line.substr(3, file_end - 3)).string()] = repo;
  }
  return repos;
}

struct Bench {
  std::vector<Question> questions;
  std::vector<size_t> full_tokens; ///< per question: its whole document
  Tally evaluate(const Arm& arm, const std::vector<size_t>& which, const Policy& policy) const {
    Tally t;
    for (size_t i : which) t.add(policy.outcome(arm.ranked[i]), full_tokens[i]);
    return t;
  }
};

/// The policies tuning chooses from: k = 1…max_k, ratio 0…0.8.
std::vector<Policy> policy_grid(size_t max_k) {
  std::vector<Policy> grid;
  for (size_t k = 1; k <= max_k; ++k)
    for (double ratio : {0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8})
      for (double spread : {0.0, 0.8, 0.9, 2.0}) grid.push_back({k, ratio, 0, spread});
  return grid;
}

/// The policy that covers most of `training` while delivering at most (1 - reduction) of the
/// tokens full injection would (the goal's reduction); the least tokens among equals.
Policy tune(const Bench& bench, const Arm& arm, const std::vector<size_t>& training,
            double reduction, size_t max_k) {
  Policy best;
  Tally best_tally;
  bool found = false;
  for (const Policy& p : policy_grid(max_k)) {
    Tally t = bench.evaluate(arm, training, p);
    if (t.reduction() < reduction) continue;
    if (!found || t.covered > best_tally.covered ||
        (t.covered == best_tally.covered && t.tokens < best_tally.tokens))
      best = p, best_tally = t, found = true;
  }
  return found ? best : Policy{1, 0, 0};
}

/// Tune on every fold but one, measure on that one; print each fold, the mean and the worst.
/// Re-ranks every arm by a model trained on `training` (`rerank`), or back to BM25 order.
void rerank_for(std::vector<Arm>& arms, const std::vector<size_t>& training, bool rerank) {
  for (auto& arm : arms) {
    Model model = rerank ? train(arm.ranked, training) : Model{};
    if (rerank) { // the weights, to read what the model learned
      std::fprintf(stderr, "bench_retrieval: %s model weights:", arm.name.c_str());
      for (double w : model.w) std::fprintf(stderr, " %.3f", w);
      std::fprintf(stderr, "\n");
    }
    for (auto& r : arm.ranked) r.rerank(rerank ? &model : nullptr);
  }
}

/// Tune on every fold but one, measure on that one; print each fold, the mean and the worst,
/// then (two arms) the first against the second at equal token budgets, fold by fold.
void print_folds(const Bench& bench, std::vector<Arm>& arms, const char* by,
                 const std::vector<std::string>& keys, const Policy& fixed, double reduction,
                 size_t max_k, bool rerank) {
  std::map<std::string, std::vector<size_t>> folds;
  for (size_t i = 0; i < keys.size(); ++i) folds[keys[i]].push_back(i);
  std::printf("\nfolds by %s%s: each fold measured with the policy tuned on the others (most "
              "coverage at reduction >= %.2f there), and with the fixed policy (%s)\n\n| fold | "
              "questions |",
              by, rerank ? ", re-ranked by a model trained on the other folds" : "", reduction,
              fixed.describe().c_str());
  for (const auto& arm : arms)
    std::printf(
        " %s policy | %s coverage | %s reduction | %s fixed coverage | %s fixed reduction |",
        arm.name.c_str(), arm.name.c_str(), arm.name.c_str(), arm.name.c_str(), arm.name.c_str());
  std::printf("\n|---|---:|");
  for (size_t a = 0; a < arms.size(); ++a) std::printf("---|---:|---:|---:|---:|");
  std::printf("\n");
  const std::array<size_t, 4> budgets{400, 600, 800, 1200};
  std::string budget_rows;
  std::vector<std::array<double, 4>> sum(arms.size()), worst(arms.size(), {2, 2, 2, 2});
  for (const auto& [fold, test] : folds) {
    std::vector<size_t> training;
    for (size_t i = 0; i < keys.size(); ++i)
      if (keys[i] != fold) training.push_back(i);
    if (rerank) rerank_for(arms, training, true);
    std::printf("| %s | %zu |", fold.c_str(), test.size());
    for (size_t a = 0; a < arms.size(); ++a) {
      Policy tuned = tune(bench, arms[a], training, reduction, max_k);
      Tally t = bench.evaluate(arms[a], test, tuned), f = bench.evaluate(arms[a], test, fixed);
      std::array<double, 4> row{t.coverage(), t.reduction(), f.coverage(), f.reduction()};
      std::printf(" %s | %.3f | %.3f | %.3f | %.3f |", tuned.describe().c_str(), row[0], row[1],
                  row[2], row[3]);
      for (size_t c = 0; c < 4; ++c) sum[a][c] += row[c];
      if (row[0] < worst[a][0]) worst[a][0] = row[0], worst[a][1] = row[1];
      if (row[2] < worst[a][2]) worst[a][2] = row[2], worst[a][3] = row[3];
    }
    std::printf("\n");
    if (arms.size() < 2) continue;
    char cell[64];
    budget_rows += "| " + fold + " |";
    for (size_t b : budgets) {
      std::snprintf(cell, sizeof cell, " %.3f / %.3f |",
                    bench.evaluate(arms[0], test, {0, 0, b, 0, fixed.by_resolve}).coverage(),
                    bench.evaluate(arms[1], test, {0, 0, b, 0, fixed.by_resolve}).coverage());
      budget_rows += cell;
    }
    budget_rows += "\n";
  }
  if (rerank) rerank_for(arms, {}, false);
  for (const char* what : {"mean", "worst"}) {
    std::printf("| **%s** | |", what);
    for (size_t a = 0; a < arms.size(); ++a) {
      const auto& v = what[0] == 'm' ? sum[a] : worst[a];
      double d = what[0] == 'm' ? static_cast<double>(folds.size()) : 1;
      std::printf(" | %.3f | %.3f | %.3f | %.3f |", v[0] / d, v[1] / d, v[2] / d, v[3] / d);
    }
    std::printf("\n");
  }
  if (arms.size() < 2) return;
  std::printf("\nfolds by %s at equal token budgets: coverage %s / %s\n\n| fold |", by,
              arms[0].name.c_str(), arms[1].name.c_str());
  for (size_t b : budgets) std::printf(" %zu tokens |", b);
  std::printf("\n|---|");
  for (size_t i = 0; i < budgets.size(); ++i) std::printf("---:|");
  std::printf("\n%s", budget_rows.c_str());
}

} // namespace

int main(int argc, char** argv) {
  std::string corpus, questions_path, vocab = og::default_vocabulary_dir(), svg, explain_path,
                                      encoding_name = "cl100k_base", arms_list = "plain", folds_by,
                                      sources_path, distractors;
  size_t k = 3, distractor_count = 0;
  double ratio = 0.5, goal_reduction = 0.75, spread = 0;
  bool corpus_wide = false, group = true, rerank = false, per_file = false,
       budget_by_resolve = false;
  std::vector<std::string> follow{"requires"};
  og::TranspileOptions transpile_options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--transpile") {
      arms_list = "transpiled";
      continue;
    }
    if (arg == "--rerank") {
      rerank = true;
      continue;
    }
    if (arg == "--no-group") {
      group = false;
      continue;
    }
    if (arg == "--corpus-wide") {
      corpus_wide = true;
      continue;
    }
    if (arg == "--per-file-keywords") { // transpile each file alone (no corpus statistics)
      per_file = true;
      continue;
    }
    if (arg == "--budget-by-resolve") { // budgets met by resolve_context's max_tokens
      budget_by_resolve = true;
      continue;
    }
    if (arg == "--follow-links") { // the kept entries' Markdown links too, one hop
      follow.push_back("links");
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
    else if (arg == "--spread")
      spread = std::stod(value);
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
    else if (arg == "--arms")
      arms_list = value;
    else if (arg == "--folds")
      folds_by = value;
    else if (arg == "--sources")
      sources_path = value;
    else if (arg == "--goal-reduction")
      goal_reduction = std::stod(value);
    else if (arg == "--distractors")
      distractors = value, corpus_wide = true;
    else if (arg == "--distractor-count")
      distractor_count = std::stoul(value);
  }
  og::Encoding encoding{};
  std::vector<std::string> arm_names;
  {
    std::istringstream names(arms_list);
    for (std::string name; std::getline(names, name, ',');) arm_names.push_back(name);
  }
  bool arms_ok = !arm_names.empty() && arm_names.size() <= 2;
  for (const auto& n : arm_names) arms_ok = arms_ok && (n == "plain" || n == "transpiled");
  if (corpus.empty() || questions_path.empty() || !og::parse_encoding(encoding_name, &encoding) ||
      !arms_ok || !(folds_by.empty() || folds_by == "class" || folds_by == "source")) {
    std::fprintf(
        stderr,
        "usage: bench_retrieval --corpus DIR --questions FILE [--k K] [--ratio R] [--spread S] "
        "[--arms plain|transpiled|plain,transpiled] [--transpile] [--folds class|source "
        "[--sources SOURCES.md] [--goal-reduction R]] [--corpus-wide] [--no-group] [--distractors "
        "DIR "
        "[--distractor-count N]] [--encoding E] [--vocab DIR] [--svg OUT] [--explain "
        "OUT.jsonl] [--split-tokens N] [--unit-tokens N] [--max-keywords N]\n");
    return 2;
  }
  auto tokenizer = og::Tokenizer::load(encoding, vocab);
  if (!tokenizer) {
    std::fprintf(stderr, "%s\n", tokenizer.error().message.c_str());
    return 2;
  }
  // Documents: every .md/.og under the corpus, named by their canonical path.
  std::vector<og::Document> documents;
  for (const auto& path : og::bench::corpus_files(corpus))
    documents.push_back(og::parse(read(path.string()), fs::weakly_canonical(path).string()));
  std::map<std::string, size_t> full_tokens;
  std::map<std::string, std::string> sources;
  for (const auto& d : documents)
    full_tokens[d.path] = tokenizer.value().count(d.source), sources[d.path] = d.source;
  // Distractors are served beside the corpus as given, in every arm.
  std::vector<og::Document> distractor_documents;
  if (!distractors.empty())
    for (const auto& path : og::bench::corpus_files(distractors, distractor_count))
      distractor_documents.push_back(
          og::parse(read(path.string()), fs::weakly_canonical(path).string()));

  Bench bench;
  bench.questions = og::bench::read_questions(questions_path);
  for (const auto& q : bench.questions) {
    if (!full_tokens.count(q.doc)) {
      std::fprintf(stderr, "bench_retrieval: %s: document %s is not under --corpus\n", q.id.c_str(),
                   q.doc.c_str());
      return 2;
    }
    bench.full_tokens.push_back(full_tokens[q.doc]);
  }
  const std::vector<Question>& questions = bench.questions;
  std::vector<size_t> all(questions.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;

  constexpr size_t max_k = 8;
  std::vector<Arm> arms;
  double open_ms = 0;
  for (const auto& name : arm_names) {
    std::vector<og::Document> docs = documents;
    if (name == "transpiled") {
      og::CorpusStats stats;
      for (const auto& d : docs) stats.add(d);
      for (auto& d : docs) {
        auto result =
            og::transpile(d, tokenizer.value(), transpile_options, per_file ? nullptr : &stats);
        if (!result) {
          std::fprintf(stderr, "%s\n", result.error().message.c_str());
          return 2;
        }
        d = og::parse(std::move(result.value().source), d.path);
      }
    }
    docs.insert(docs.end(), distractor_documents.begin(), distractor_documents.end());
    auto start = std::chrono::steady_clock::now();
    auto library = og::Library::open(std::move(docs), tokenizer.value());
    if (!library) {
      std::fprintf(stderr, "%s\n", library.error().message.c_str());
      return 2;
    }
    if (arms.empty())
      open_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count();
    Arm& arm = arms.emplace_back();
    arm.name = name;
    arm.library = std::make_unique<og::Library>(std::move(library.value()));
    for (const auto& q : questions)
      arm.ranked.emplace_back(*arm.library, q, corpus_wide, group, max_k, rerank, follow);
  }
  const og::Library& library = *arms.front().library;

  std::map<std::string, ChunkIndex> chunk_indexes;
  for (const auto& [path, text] : sources)
    chunk_indexes.emplace(path, ChunkIndex(tokenizer.value(), text));

  std::printf("documents: %zu%s", documents.size(),
              corpus_wide ? ", questions asked of the whole library"
                          : ", each question asked of "
                            "its own document");
  if (!distractor_documents.empty())
    std::printf(", with %zu distractors from %s", distractor_documents.size(), distractors.c_str());
  std::printf("\n\n");

  // Curves over k for og (fixed k, every arm) and chunks.
  std::vector<std::pair<double, double>> og_curve, chunk_curve;
  Tally full_only;
  for (size_t i : all) full_only.add({bench.full_tokens[i], true}, bench.full_tokens[i]);
  std::printf("| k |");
  for (const auto& arm : arms)
    std::printf(" og %s coverage | tokens | reduction |", arm.name.c_str());
  std::printf(" chunks coverage | chunks mean tokens | chunks reduction |\n|---:|");
  for (size_t a = 0; a < arms.size(); ++a) std::printf("---:|---:|---:|");
  std::printf("---:|---:|---:|\n");
  for (size_t kk = 1; kk <= max_k; ++kk) {
    Tally chunk_tally;
    for (size_t i : all) {
      auto [text, tokens] = chunk_indexes.at(questions[i].doc).top(questions[i].text, kk);
      chunk_tally.add({tokens, covers(text, questions[i].evidence)}, bench.full_tokens[i]);
    }
    std::printf("| %zu |", kk);
    for (size_t a = 0; a < arms.size(); ++a) {
      Tally t = bench.evaluate(arms[a], all, {kk, 0, 0});
      if (a == 0) og_curve.push_back({1 - t.reduction(), t.coverage()});
      std::printf(" %.3f | %.0f | %.3f |", t.coverage(), t.mean_tokens(), t.reduction());
    }
    chunk_curve.push_back({1 - chunk_tally.reduction(), chunk_tally.coverage()});
    std::printf(" %.3f | %.0f | %.3f |\n", chunk_tally.coverage(), chunk_tally.mean_tokens(),
                chunk_tally.reduction());
  }
  if (!svg.empty()) write_svg(svg, og_curve, chunk_curve, full_only.mean_tokens());

  // Equal token budgets: from the top of the ranking, as many entries as fit (or all of them
  // and resolve_context's budget).
  std::printf("\nat a token budget per question (%s)\n\n| budget |",
              budget_by_resolve ? "every entry, resolve_context's max_tokens"
                                : "entries from the top while they fit");
  for (const auto& arm : arms)
    std::printf(" %s coverage | %s tokens |", arm.name.c_str(), arm.name.c_str());
  std::printf("\n|---:|");
  for (size_t a = 0; a < arms.size(); ++a) std::printf("---:|---:|");
  std::printf("\n");
  for (size_t budget : {300, 400, 500, 600, 700, 800, 1000, 1200, 1600}) {
    std::printf("| %zu |", budget);
    for (const auto& arm : arms) {
      Tally t = bench.evaluate(arm, all, {0, 0, budget, 0, budget_by_resolve});
      std::printf(" %.3f | %.0f |", t.coverage(), t.mean_tokens());
    }
    std::printf("\n");
  }

  // The fixed policy, per class and per task (first arm), with chunks and full injection.
  const Policy fixed{k, ratio, 0, spread, budget_by_resolve};
  std::map<std::string, std::array<Tally, 3>> by_class, by_task;
  for (size_t i : all) {
    const Question& q = questions[i];
    Outcome o = fixed.outcome(arms[0].ranked[i]);
    auto [text, tokens] = chunk_indexes.at(q.doc).top(q.text, k);
    Outcome chunk{tokens, covers(text, q.evidence)};
    Outcome full{bench.full_tokens[i], true};
    for (auto* rows : {&by_class, &by_task}) {
      auto& t = (*rows)[rows == &by_class ? q.cls : q.task];
      t[0].add(o, full.tokens);
      t[1].add(chunk, full.tokens);
      t[2].add(full, full.tokens);
    }
  }
  std::printf("\nfixed policy (%s): entries scoring at least %.2f of the top score, at most k=%zu; "
              "resolve depth full, following :requires; chunks: top %zu of 256 tokens\n",
              arms[0].name.c_str(), ratio, k, k);
  print_table("class", by_class);
  print_table("task", by_task);

  if (corpus_wide) {
    // Whether the search found the right document at all, and how high.
    size_t first = 0, top3 = 0;
    for (size_t i : all) {
      std::vector<std::string> docs;
      for (const auto& e : arms[0].ranked[i].entries()) docs.push_back(e.doc);
      first += !docs.empty() && docs[0] == questions[i].doc;
      top3 += std::find(docs.begin(),
                        docs.begin() + static_cast<long>(std::min<size_t>(3, docs.size())),
                        questions[i].doc) !=
              docs.begin() + static_cast<long>(std::min<size_t>(3, docs.size()));
    }
    std::printf("\nthe question's document holds the first entry for %.3f of the questions, one of "
                "the first 3 for %.3f\n",
                static_cast<double>(first) / static_cast<double>(all.size()),
                static_cast<double>(top3) / static_cast<double>(all.size()));
  }

  if (!folds_by.empty()) {
    std::vector<std::string> keys;
    if (folds_by == "class") {
      for (const auto& q : questions) keys.push_back(q.cls);
    } else {
      if (sources_path.empty())
        sources_path = (fs::path(questions_path).parent_path() / "SOURCES.md").string();
      std::map<std::string, std::string> repos = read_sources(sources_path);
      for (const auto& q : questions) {
        auto it = repos.find(q.doc);
        if (it == repos.end()) {
          std::fprintf(stderr, "bench_retrieval: %s: %s is not in %s\n", q.id.c_str(),
                       q.doc.c_str(), sources_path.c_str());
          return 2;
        }
        keys.push_back(it->second);
      }
    }
    print_folds(bench, arms, folds_by.c_str(), keys, fixed, goal_reduction, max_k, rerank);
  }

  // Latency over the whole library as one set (no document filter).
  std::vector<double> search_ms, resolve_ms;
  for (const auto& q : questions) {
    og::SearchRequest search;
    search.query = q.text;
    search.limit = k;
    auto t0 = std::chrono::steady_clock::now();
    auto entries = library.search_index(search, {});
    auto t1 = std::chrono::steady_clock::now();
    og::ResolveRequest resolve;
    for (const auto& e : entries) resolve.ids.push_back(e.doc + "#" + e.id);
    (void)library.resolve_context(resolve, {});
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
  std::printf("\nlatency over the whole library as one set (%zu documents, %zu questions; library "
              "open %.0f ms): "
              "search_index p50 %.3f ms p99 %.3f ms; resolve_context p50 %.3f ms p99 %.3f ms\n",
              documents.size() + distractor_documents.size(), questions.size(), open_ms,
              percentile(search_ms, 0.5), percentile(search_ms, 0.99), percentile(resolve_ms, 0.5),
              percentile(resolve_ms, 0.99));
  // Oracle: the evidence-holding nodes, as if the ranking were perfect (within the document).
  std::ofstream explain_out;
  if (!explain_path.empty()) explain_out.open(explain_path);
  Tally oracle;
  constexpr std::array<long, 4> depths{1, 2, 3, 5};
  std::array<size_t, 4> within{}; // questions whose evidence nodes all rank within each depth
  for (size_t i : all) {
    const Question& q = questions[i];
    Explanation e = explain(library, q);
    oracle.add({e.oracle_tokens, !e.split}, bench.full_tokens[i]);
    long worst = 0;
    for (long r : e.ranks) worst = r < 0 ? std::numeric_limits<long>::max() : std::max(worst, r);
    for (size_t d = 0; d < depths.size(); ++d) within[d] += worst <= depths[d];
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
  std::printf("oracle (%s): coverage=%.3f tokens=%.0f reduction=%.3f; evidence nodes all within "
              "rank 1: %.3f, 2: %.3f, 3: %.3f, 5: %.3f\n",
              arms[0].name.c_str(), oracle.coverage(), oracle.mean_tokens(), oracle.reduction(),
              share(within[0]), share(within[1]), share(within[2]), share(within[3]));
  for (const auto& arm : arms) {
    Tally t = bench.evaluate(arm, all, fixed);
    std::printf("retrieval (%s): coverage=%.3f reduction=%.3f tokens=%.0f full=%.0f "
                "questions=%zu\n",
                arm.name.c_str(), t.coverage(), t.reduction(), t.mean_tokens(),
                full_only.mean_tokens(), questions.size());
  }
  return 0;
}
