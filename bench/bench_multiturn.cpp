// Multi-turn benchmark: the context-compounding figure. A scripted agent works through five
// questions about one document while the document changes between turns.
//
//   bench_multiturn --corpus DIR --questions FILE [--turns 5] [--k 3] [--vocab DIR]
//
// For each document with at least --turns questions: the document is transpiled and committed
// (v1). Before each later turn one node gets a new paragraph and the document is committed
// again. Each turn the agent asks the next question.
//   (a) full injection: the whole current document every turn, as plain Markdown (og strip);
//   (b) og: turn 1 search_index + resolve_context of the top entries; later turns
//       changes_since(the version it last saw, dense) first, then search_index + resolve_context
//       with `known` = the nodes it already holds (minus the ones that changed).
// Both are counted in exact cl100k_base tokens, per turn and compounded (a turn's prompt carries
// every earlier turn's context, as in a chat). Coverage: the question's evidence is in what the
// agent holds by then.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "og/og.hpp"
#include "questions.hpp"

namespace {

namespace fs = std::filesystem;
using og::bench::Question;

/// Appends a paragraph to the own text of a content node picked by `seed`.
std::string edit(const og::Document& doc, size_t seed, int turn) {
  std::vector<const og::Node*> candidates;
  for (const auto& n : doc.nodes)
    if (!og::is_generated_id(n.id) && !n.body.empty()) candidates.push_back(&n);
  const og::Node* node = candidates[seed % candidates.size()];
  std::string_view body = doc.text(node->body);
  size_t end = body.find_last_not_of(" \t\r\n");
  size_t at = node->body.start + (end == std::string_view::npos ? 0 : end + 1);
  std::string text = doc.source;
  text.insert(at, "\n\nRevised in turn " + std::to_string(turn) +
                      ": confirm the steps with the on-call engineer before acting.");
  return text;
}

og::Library open(const std::string& text, const std::string& path, const og::Tokenizer& t) {
  std::vector<og::Document> docs;
  docs.push_back(og::parse(text, path));
  return og::Library::open(std::move(docs), t).value();
}

struct Totals {
  double full = 0, og = 0, full_compounded = 0, og_compounded = 0;
  size_t turns = 0, covered = 0, docs = 0;
};

} // namespace

int main(int argc, char** argv) {
  std::string corpus, questions_path, vocab = og::default_vocabulary_dir();
  size_t turns = 5, k = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string arg = argv[i], value = argv[i + 1];
    if (arg == "--corpus")
      corpus = value;
    else if (arg == "--questions")
      questions_path = value;
    else if (arg == "--turns")
      turns = std::stoul(value);
    else if (arg == "--k")
      k = std::stoul(value);
    else if (arg == "--vocab")
      vocab = value;
  }
  if (corpus.empty() || questions_path.empty() || turns < 2) {
    std::fprintf(stderr, "usage: bench_multiturn --corpus DIR --questions FILE [--turns N>=2] "
                         "[--k K] [--vocab DIR]\n");
    return 2;
  }
  auto tokenizer = og::Tokenizer::load(og::Encoding::cl100k_base, vocab);
  if (!tokenizer) {
    std::fprintf(stderr, "%s\n", tokenizer.error().message.c_str());
    return 2;
  }
  const og::Tokenizer& tok = tokenizer.value();
  std::map<std::string, std::vector<Question>> by_doc;
  for (auto& q : og::bench::read_questions(questions_path)) by_doc[q.doc].push_back(std::move(q));

  std::vector<Totals> per_turn(turns);
  Totals all;
  std::map<std::string, Totals> by_class;
  for (const auto& [path, questions] : by_doc) {
    if (questions.size() < turns || !fs::exists(path)) continue;
    auto transpiled = og::transpile(og::parse(og::bench::read(path), path), tok);
    if (!transpiled) continue;
    auto v1 = og::commit(og::parse(transpiled.value().source, path), {"v1", "2026-11-01"});
    if (!v1) continue;
    std::string text = v1.value().source;
    uint32_t seen_version = v1.value().version;
    std::set<std::string> known;
    std::string held; // everything delivered to the og agent so far
    double full_context = 0, og_context = 0;
    Totals& cls = by_class[questions[0].cls];
    ++all.docs, ++cls.docs;
    for (size_t t = 0; t < turns; ++t) {
      std::string delivered;
      size_t og_tokens = 0;
      if (t > 0) {
        auto next =
            og::commit(og::parse(edit(og::parse(text, path), std::hash<std::string>{}(path) + t,
                                      static_cast<int>(t + 1)),
                                 path),
                       {"turn " + std::to_string(t + 1), "2026-11-02"});
        if (next) text = next.value().source;
      }
      og::Library lib = open(text, path, tok);
      if (t > 0) {
        auto changes = lib.changes_since({"", seen_version, og::Depth::dense}, {});
        if (changes) {
          for (const auto& n : changes.value().nodes) {
            known.erase(n.id); // held text is stale: reload it when it is needed
            delivered += n.text + "\n";
          }
          og_tokens += changes.value().tokens;
          seen_version = changes.value().version;
        }
      }
      og::SearchRequest search;
      search.query = questions[t].text;
      search.limit = k;
      og::ResolveRequest resolve;
      std::string listing;
      for (const auto& e : lib.search_index(search, {})) {
        listing += e.line() + "\n";
        resolve.ids.push_back(e.id);
      }
      og_tokens += tok.count(listing);
      resolve.known.assign(known.begin(), known.end());
      og::ResolveResult result = lib.resolve_context(resolve, {});
      for (const auto& n : result.nodes) {
        delivered += n.text;
        known.insert(n.id);
      }
      og_tokens += result.tokens;
      held += delivered;
      // Full injection sends the document as Markdown: without og's metadata, which would only
      // inflate the baseline.
      size_t full_tokens = tok.count(og::strip(og::parse(text, path)));
      full_context += static_cast<double>(full_tokens);
      og_context += static_cast<double>(og_tokens);
      bool covered = og::bench::covers(held, questions[t].evidence);
      for (Totals* totals : {&per_turn[t], &all, &cls}) {
        totals->full += static_cast<double>(full_tokens);
        totals->og += static_cast<double>(og_tokens);
        totals->full_compounded += full_context;
        totals->og_compounded += og_context;
        ++totals->turns;
        totals->covered += covered;
      }
    }
  }
  auto row = [](const char* name, const Totals& t) {
    std::printf("| %s | %zu | %.0f | %.0f | %.1f× | %.0f | %.0f | %.1f× | %.3f |\n", name, t.turns,
                t.full / t.turns, t.og / t.turns, t.full / t.og, t.full_compounded / t.turns,
                t.og_compounded / t.turns, t.full_compounded / t.og_compounded,
                static_cast<double>(t.covered) / t.turns);
  };
  std::printf("| turn | turns | full tokens | og tokens | ratio | full context (compounded) | og "
              "context (compounded) | ratio | og coverage |\n"
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (size_t t = 0; t < turns; ++t) row(std::to_string(t + 1).c_str(), per_turn[t]);
  for (const auto& [name, t] : by_class) row(name.c_str(), t);
  row("all", all);
  std::printf("multiturn: documents=%zu turns=%zu full=%.0f og=%.0f ratio=%.1f "
              "compounded_ratio=%.1f coverage=%.3f\n",
              all.docs, turns, all.full, all.og, all.full / all.og,
              all.full_compounded / all.og_compounded,
              static_cast<double>(all.covered) / all.turns);
  return 0;
}
