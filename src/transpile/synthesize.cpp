// Pass 5b, synthesis (optional): asks the synthesizer (an LLM, `og transpile --llm`) for a
// node's dense summary and keywords, and keeps a proposal only if the node's own title and
// text support it. Support is checked word by word, not trusted: every content word of the
// summary must occur in the node (up to a plural or verb ending), every number in it verbatim,
// and every keyword must occur in the node. A rejected proposal leaves the field to the
// extractive passes, so a wrong or absent answer costs quality, never correctness.
#include <set>

#include "plan.hpp"

namespace og::transpiler {

namespace {

/// A crude English stem, enough to match "deploys"/"deploying"/"deployed" to "deploy".
std::string stem(std::string word) {
  for (std::string_view suffix : {"ing", "ies", "es", "ed", "s"}) {
    if (word.size() > suffix.size() + 2 && word.ends_with(suffix)) {
      word.resize(word.size() - suffix.size());
      if (suffix == "ies") word += 'y';
      break;
    }
  }
  return word;
}

std::set<std::string> stems_of(std::string_view text) {
  std::set<std::string> stems;
  for (auto& term : terms_of(text)) stems.insert(stem(std::move(term)));
  return stems;
}

std::vector<std::string> numbers_in(std::string_view text) {
  std::vector<std::string> numbers;
  for (size_t i = 0; i < text.size();) {
    if (text[i] < '0' || text[i] > '9') {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
    std::string_view n = text.substr(start, i - start);
    while (!n.empty() && n.back() == '.') n.remove_suffix(1);
    numbers.emplace_back(n);
  }
  return numbers;
}

bool one_clean_line(std::string_view s) {
  return !s.empty() && s.find_first_of("\r\n") == std::string_view::npos &&
         s.find_first_not_of(" \t") != std::string_view::npos;
}

} // namespace

bool dense_is_supported(std::string_view dense, std::string_view title, std::string_view text) {
  if (!one_clean_line(dense)) return false;
  std::string source = std::string(title) + "\n" + std::string(text);
  std::set<std::string> known = stems_of(source);
  std::vector<std::string> claimed = terms_of(dense);
  if (claimed.empty()) return false;
  for (auto& term : claimed)
    if (!known.count(stem(std::move(term)))) return false;
  for (const auto& number : numbers_in(dense))
    if (source.find(number) == std::string::npos) return false;
  return true;
}

bool keywords_are_supported(const std::vector<std::string>& keywords, std::string_view title,
                            std::string_view text) {
  if (keywords.empty()) return false;
  std::set<std::string> known = stems_of(std::string(title) + "\n" + std::string(text));
  for (const auto& keyword : keywords) {
    // A keyword is written into a comma-separated directive line.
    if (!one_clean_line(keyword) || keyword.find(',') != std::string::npos) return false;
    std::vector<std::string> terms = terms_of(keyword);
    if (terms.empty()) return false;
    for (auto& term : terms)
      if (!known.count(stem(std::move(term)))) return false;
  }
  return true;
}

void synthesize(Plan& plan) {
  const TranspileOptions& options = *plan.options;
  if (!options.synthesize) return;
  for (auto& p : plan.nodes) {
    bool wants_dense = p.dense.empty(), wants_keywords = p.keywords.empty();
    if ((!wants_dense && !wants_keywords) || p.text.find_first_not_of(" \t\n") == std::string::npos)
      continue;
    std::optional<Synthesis> proposal = options.synthesize(p.title, p.text);
    if (!proposal) continue;
    if (wants_dense && !proposal->dense.empty()) {
      bool fits = plan.tokenizer->count(proposal->dense) <= options.dense_tokens;
      if (fits && dense_is_supported(proposal->dense, p.title, p.text)) {
        p.dense = proposal->dense;
        ++plan.synthesized_dense;
      } else {
        ++plan.synthesis_rejected;
      }
    }
    if (wants_keywords && !proposal->keywords.empty()) {
      if (proposal->keywords.size() > options.max_keywords)
        proposal->keywords.resize(options.max_keywords);
      if (keywords_are_supported(proposal->keywords, p.title, p.text)) {
        p.keywords = proposal->keywords;
        ++plan.synthesized_keywords;
      } else {
        ++plan.synthesis_rejected;
      }
    }
  }
}

} // namespace og::transpiler
