// og transpile and og strip: Markdown -> .og (insertions only) and back.
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "cli.hpp"
#include "og/llm.hpp"

namespace og::cli {

namespace fs = std::filesystem;

namespace {

struct TranspileCliOptions {
  std::vector<std::string> paths;
  std::string output;
  bool in_place = false;
  bool check = false;
  bool json = false;
  unsigned jobs = 0;
  TranspileOptions transpile;
  std::string vocab;
  LlmOptions llm;
  bool no_llm_cache = false;
  bool per_file = false; ///< --per-file: no corpus statistics, each file as if alone
};

/// Default cache of LLM answers: $XDG_CACHE_HOME/og/llm, else ~/.cache/og/llm.
std::string default_llm_cache() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::string(xdg) + "/og/llm";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/og/llm";
  return "";
}

/// Sets up --llm: model and key from the flags or the environment. False: an error was shown.
bool configure_llm(TranspileCliOptions& options, LlmStats* stats, std::mutex* log_mutex) {
  if (options.llm.url.empty()) return true;
  if (options.llm.model.empty())
    if (const char* model = std::getenv("OG_LLM_MODEL")) options.llm.model = model;
  for (const char* name : {"OG_LLM_API_KEY", "OPENAI_API_KEY"})
    if (const char* key = std::getenv(name); key && *key && options.llm.api_key.empty())
      options.llm.api_key = key;
  if (options.no_llm_cache)
    options.llm.cache_dir.clear();
  else if (options.llm.cache_dir.empty())
    options.llm.cache_dir = default_llm_cache();
  auto synthesizer = llm_synthesizer(
      options.llm, options.transpile.dense_tokens, options.transpile.max_keywords,
      [log_mutex, tty = isatty(STDERR_FILENO) != 0](std::string line) {
        std::lock_guard<std::mutex> lock(*log_mutex); // over the progress line on a terminal
        std::cerr << (tty ? "\r" : "") << "og transpile: llm: " << line
                  << "; the extractive result stays" << (tty ? "\x1b[K\n" : "\n");
      },
      stats);
  if (!synthesizer) {
    std::cerr << "og transpile: " << synthesizer.error().message << "\n";
    raise_exit(exit_error);
    return false;
  }
  options.transpile.synthesize = std::move(synthesizer.value());
  return true;
}

struct Job {
  std::string input;
  std::string output; ///< empty: standard output
  std::string error;
  TranspileResult result;
  size_t bytes = 0;
};

/// Where each input goes: in place, under -o (a directory, mirroring the input tree, `.og`
/// names), -o as a file for a single input, or standard output.
std::optional<std::vector<Job>> plan_jobs(const TranspileCliOptions& options) {
  std::vector<Job> jobs;
  std::vector<Error> errors;
  bool any_directory = false;
  for (const auto& path : options.paths) {
    std::error_code ec;
    bool directory = fs::is_directory(path, ec);
    any_directory |= directory;
    for (const auto& file : collect_documents({path}, &errors)) {
      Job job;
      job.input = file;
      if (options.in_place) {
        job.output = file;
      } else if (!options.output.empty()) {
        fs::path rel = directory ? fs::relative(file, path) : fs::path(file).filename();
        job.output = (fs::path(options.output) / rel).replace_extension(".og").string();
      }
      jobs.push_back(std::move(job));
    }
  }
  for (const auto& e : errors) std::cerr << "og: " << e.message << "\n";
  if (!errors.empty()) raise_exit(exit_error);
  if (jobs.size() == 1 && !options.output.empty() && !any_directory &&
      !fs::is_directory(options.output))
    jobs[0].output = options.output;
  bool to_stdout = !options.in_place && options.output.empty();
  if (to_stdout && jobs.size() > 1 && !options.check) {
    std::cerr << "og transpile: several files: give -o DIR or --in-place\n";
    raise_exit(exit_error);
    return std::nullopt;
  }
  return jobs;
}

/// A progress line on stderr, redrawn in place; only on a terminal and for several files.
class Progress {
public:
  Progress(size_t total, bool enabled) : total_(total), enabled_(enabled && total > 1) {}
  void step(const std::string& path) {
    size_t done = ++done_;
    if (!enabled_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    constexpr size_t width = 30;
    size_t filled = done * width / total_;
    std::cerr << fmt::format("\r[{}{}] {}/{} {:.40}\x1b[K", std::string(filled, '='),
                             std::string(width - filled, ' '), done, total_, path);
    if (done == total_) std::cerr << "\n";
  }

private:
  size_t total_;
  bool enabled_;
  std::atomic<size_t> done_{0};
  std::mutex mutex_;
};

void transpile_one(Job& job, const Tokenizer& tokenizer, const TranspileCliOptions& options,
                   const CorpusStats* corpus) {
  auto bytes = read_file(job.input);
  if (!bytes) {
    job.error = bytes.error().message;
    return;
  }
  job.bytes = bytes.value().size();
  Document doc = parse(std::move(bytes.value()), job.input);
  auto result = transpile(doc, tokenizer, options.transpile, corpus);
  if (!result) {
    job.error = result.error().message;
    return;
  }
  job.result = std::move(result.value());
  if (options.check || job.output.empty()) return;
  if (job.output != job.input || job.result.changed) {
    std::error_code ec;
    fs::create_directories(fs::path(job.output).parent_path(), ec);
    if (auto written = write_file_atomic(job.output, job.result.source); !written)
      job.error = written.error().message;
  }
}

void run_transpile(TranspileCliOptions& options) {
  auto tokenizer = load_tokenizer(Encoding::cl100k_base, options.vocab);
  if (!tokenizer) return;
  LlmStats llm;
  std::mutex log_mutex;
  if (!configure_llm(options, &llm, &log_mutex)) return;
  auto jobs = plan_jobs(options);
  if (!jobs) return;
  // Keywords weigh terms against the whole set when there is more than one document: by the
  // folds of bench_retrieval that is worth 1.6–2.9 points of coverage (docs/benchmarks.md), so
  // it is the default and --per-file gives each file's result independent of the run.
  CorpusStats corpus;
  bool use_corpus = jobs->size() > 1 && !options.per_file;
  if (use_corpus)
    for (const auto& job : *jobs)
      if (auto bytes = read_file(job.input)) corpus.add(parse(std::move(bytes.value()), job.input));
  const CorpusStats* stats = use_corpus ? &corpus : nullptr;

  auto start = std::chrono::steady_clock::now();
  Progress progress(jobs->size(), isatty(STDERR_FILENO) && !options.json);
  std::atomic<size_t> next{0};
  unsigned workers =
      options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  workers = static_cast<unsigned>(std::min<size_t>(workers, jobs->size()));
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < workers; ++w)
    threads.emplace_back([&] {
      for (size_t i = next++; i < jobs->size(); i = next++) {
        transpile_one((*jobs)[i], *tokenizer, options, stats);
        progress.step((*jobs)[i].input);
      }
    });
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  nlohmann::json files = nlohmann::json::array(), failed = nlohmann::json::array();
  size_t bytes = 0, changed = 0, synthesized = 0, rejected = 0;
  for (const auto& job : *jobs) {
    bytes += job.bytes;
    if (!job.error.empty()) {
      std::cerr << "og transpile: " << job.error << "\n";
      failed.push_back({{"path", job.input}, {"error", job.error}});
      raise_exit(exit_findings);
      continue;
    }
    const TranspileResult& r = job.result;
    if (!r.kept_because.empty())
      std::cerr << "og transpile: " << job.input << ": " << r.kept_because << "\n";
    changed += r.changed;
    // Without -o the text is the answer: in the JSON report, or on stdout without --json.
    bool text_out = job.output.empty() && !options.check;
    files.push_back({{"path", job.input},
                     {"output", job.output.empty() ? nlohmann::json() : nlohmann::json(job.output)},
                     {"changed", r.changed},
                     {"nodes", r.nodes},
                     {"units_added", r.units_added},
                     {"ids_written", r.ids_written},
                     {"types_written", r.types_written},
                     {"edges_written", r.edges_written},
                     {"summaries_written", r.summaries_written},
                     {"keywords_written", r.keywords_written},
                     {"synthesized_dense", r.synthesized_dense},
                     {"synthesized_keywords", r.synthesized_keywords},
                     {"synthesis_rejected", r.synthesis_rejected}});
    if (!r.kept_because.empty()) files.back()["kept_because"] = r.kept_because;
    if (text_out && options.json) files.back()["text"] = r.source;
    if (text_out && !options.json) std::cout << r.source;
    synthesized += r.synthesized_dense + r.synthesized_keywords;
    rejected += r.synthesis_rejected;
  }
  if (options.check && changed > 0) raise_exit(exit_findings);
  nlohmann::json llm_report = nullptr;
  if (options.transpile.synthesize)
    llm_report = {{"nodes", llm.nodes.load()},       {"cache_hits", llm.cache_hits.load()},
                  {"answered", llm.answered.load()}, {"failed", llm.failed.load()},
                  {"skipped", llm.skipped.load()},   {"requests", llm.requests.load()},
                  {"accepted", synthesized},         {"rejected", rejected}};
  if (options.json) {
    print_json("og.transpile/1", {{"files", files},
                                  {"failed", failed},
                                  {"changed", changed},
                                  {"bytes", bytes},
                                  {"seconds", seconds},
                                  {"llm", llm_report}});
    return;
  }
  if (jobs->size() > 1 || options.check)
    std::cerr << fmt::format(
        "og transpile: {} files ({} changed, {} failed), {:.1f} MB in {:.2f} s\n", jobs->size(),
        changed, failed.size(), static_cast<double>(bytes) / 1e6, seconds);
  if (options.transpile.synthesize)
    std::cerr << fmt::format(
        "og transpile: llm: {}: {} from the cache, {} answered, {} failed, {} not asked (the "
        "endpoint had stopped answering); {} sent (retries included); {} accepted, {} rejected "
        "as unsupported by the text\n",
        count_of(llm.nodes, "node"), llm.cache_hits.load(), llm.answered.load(), llm.failed.load(),
        llm.skipped.load(), count_of(llm.requests, "request"), count_of(synthesized, "proposal"),
        rejected);
}

struct StripOptions {
  std::string path;
  std::string output;
  bool in_place = false;
};

void run_strip(const StripOptions& options) {
  auto doc = load_document(options.path);
  if (!doc) return;
  std::string plain = strip(*doc);
  std::string target = options.in_place ? options.path : options.output;
  if (target.empty()) {
    std::cout << plain;
    return;
  }
  if (auto written = write_file_atomic(target, plain); !written) {
    std::cerr << "og strip: " << written.error().message << "\n";
    raise_exit(exit_error);
  }
}

} // namespace

void register_transpile(CLI::App& app) {
  auto options = std::make_shared<TranspileCliOptions>();
  auto* t = app.add_subcommand(
      "transpile",
      "Markdown -> .og: explicit ids, content types, edges, keywords, dense summaries, units for\n"
      "long sections and an __index, written by inserting lines only. Re-running changes nothing.");
  t->add_option("paths", options->paths, "Files or directories")->required();
  auto* out = t->add_option("-o,--output", options->output,
                            "Output file (one input) or directory (mirrors the input, .og names)");
  t->add_flag("--in-place,-i", options->in_place, "Rewrite the inputs (atomically)")->excludes(out);
  t->add_flag("--check", options->check, "Write nothing; exit 1 if a file would change");
  t->add_option("--split-tokens", options->transpile.split_tokens,
                "Split sections whose own text is longer than this")
      ->capture_default_str();
  t->add_option("--unit-tokens", options->transpile.unit_tokens, "Target size of a unit")
      ->capture_default_str();
  t->add_option("--dense-tokens", options->transpile.dense_tokens,
                "Longest dense summary (cl100k_base tokens)")
      ->capture_default_str();
  t->add_option("--max-keywords", options->transpile.max_keywords, "Keywords per node")
      ->capture_default_str();
  t->add_flag("!--no-index", options->transpile.write_index, "Do not write an __index node");
  t->add_flag("--per-file", options->per_file,
              "Transpile each file as if alone: keywords do not weigh terms against the other "
              "files, so a file's result does not depend on the run");
  t->add_option("-j,--jobs", options->jobs, "Parallel workers (default: one per core)");
  t->add_option("--vocab", options->vocab, "Directory of the tiktoken encoder files");
  t->add_flag("--json", options->json, "Print a JSON report (schema og.transpile/1)");
  auto* llm = t->add_option("--llm", options->llm.url,
                            "OpenAI-compatible endpoint (e.g. http://127.0.0.1:8080/v1) proposing "
                            "dense and keywords; proposals the text does not support are dropped. "
                            "Key: $OG_LLM_API_KEY or $OPENAI_API_KEY");
  t->add_option("--llm-model", options->llm.model, "Model name (default: $OG_LLM_MODEL)")
      ->needs(llm);
  t->add_option("--llm-timeout", options->llm.timeout_seconds, "Seconds per attempt")
      ->needs(llm)
      ->capture_default_str();
  t->add_option("--llm-retries", options->llm.retries, "Retries after a timeout, 429 or 5xx")
      ->needs(llm)
      ->check(CLI::Range(0, 10))
      ->capture_default_str();
  t->add_option("--llm-max-tokens", options->llm.max_tokens, "Cap on each answer")
      ->needs(llm)
      ->capture_default_str();
  t->add_option("--llm-cache", options->llm.cache_dir,
                "Directory of cached answers (default: $XDG_CACHE_HOME/og/llm)")
      ->needs(llm);
  t->add_flag("--no-llm-cache", options->no_llm_cache, "Ask again for every node")->needs(llm);
  t->callback([options] { run_transpile(*options); });

  auto strip_options = std::make_shared<StripOptions>();
  auto* s = app.add_subcommand(
      "strip", "Remove og syntax (what transpile adds): frontmatter `og: 1`, attribute lists,\n"
               "directives, unit markers, __index and __changelog. Prints the Markdown.");
  s->add_option("file", strip_options->path, "Document")->required();
  auto* sout = s->add_option("-o,--output", strip_options->output, "Write here instead");
  s->add_flag("--in-place,-i", strip_options->in_place, "Rewrite the file")->excludes(sout);
  s->callback([strip_options] { run_strip(*strip_options); });
}

} // namespace og::cli
