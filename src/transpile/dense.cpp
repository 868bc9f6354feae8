// Pass 6, dense: an extractive one-line summary of at most `dense_tokens` tokens — a sentence
// of the node's own text, never new words. Candidates are the sentences of its prose (paragraphs,
// list items, quotes); a node without prose takes its first code line or table row. Score: an
// early position, the node's keywords it holds, a `command` or identifier; too-short sentences
// lose. A sentence over the limit is cut at a clause boundary, else at a word, and gets "…".
#include <algorithm>
#include <cmath>

#include "plan.hpp"

namespace og::transpiler {

namespace {

using Kind = syntax::TopBlock::Kind;

/// Whether the character before text[i] is of a script written without spaces: Chinese and
/// Japanese end their sentences with 。, so a ". " there is an abbreviation's (例. for 例えば).
bool after_unspaced_script(std::string_view text, size_t i) {
  size_t at = i;
  while (at > 0 && (static_cast<unsigned char>(text[at - 1]) & 0xC0) == 0x80) --at;
  if (at == 0 || at == i) return false; // ASCII before it, or nothing
  return unspaced_script(syntax::code_point_at(text.substr(0, i), at - 1).first);
}

/// The length of a full stop, question or exclamation mark of Chinese and Japanese at text[i]
/// (。！？), else 0: they end a sentence without a space after them.
size_t wide_sentence_end(std::string_view text, size_t i) {
  for (std::string_view mark : {"\u3002", "\uFF01", "\uFF1F"})
    if (text.substr(i, mark.size()) == mark) return mark.size();
  return 0;
}

std::vector<std::string> sentences_of(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    bool line_end = i == text.size() || text[i] == '\n';
    size_t end_mark = line_end ? 0 : wide_sentence_end(text, i);
    if (!line_end && !end_mark && (text[i] == '.' || text[i] == '?' || text[i] == '!') &&
        i + 1 < text.size() && text[i + 1] == ' ' && !after_unspaced_script(text, i))
      end_mark = 1;
    if (!line_end && !end_mark) continue;
    std::string_view s = text.substr(start, i + end_mark - start);
    size_t a = s.find_first_not_of(" \t|");
    size_t b = s.find_last_not_of(" \t|");
    if (a != std::string_view::npos) out.emplace_back(s.substr(a, b - a + 1));
    i += end_mark > 0 ? end_mark - 1 : 0;
    start = i + 1;
  }
  return out;
}

/// Words of a sentence: those between spaces, or for a script written without spaces its
/// `terms` (terms_of(s): those its dictionary finds), whichever is more.
size_t words(std::string_view s, const std::vector<std::string>& terms) {
  size_t spaced = static_cast<size_t>(std::count(s.begin(), s.end(), ' ')) + 1;
  return std::max(spaced, terms.size());
}

/// The candidate sentences, in order: prose first; code and tables only when there is none.
std::vector<std::string> candidates(const PlanNode& p) {
  std::vector<std::string> out;
  for (const auto& b : p.blocks) {
    if (b.kind != Kind::paragraph && b.kind != Kind::list && b.kind != Kind::ordered_list &&
        b.kind != Kind::quote)
      continue;
    for (auto& s : sentences_of(b.text)) // dialect markup already out (syntax::prose_of)
      out.push_back(std::move(s));
  }
  if (!out.empty()) return out;
  // The first code line or row that is not a template tag or comment (`{{ define "main" }}`).
  for (const auto& b : p.blocks)
    if (b.kind == Kind::code || b.kind == Kind::table)
      for (auto& s : sentences_of(b.text))
        if (!syntax::prose_of(s).empty()) return {std::move(s)};
  return out;
}

double score(const std::string& sentence, size_t position, const PlanNode& p) {
  double value = 1.5 / (1.0 + static_cast<double>(position));
  std::vector<std::string> terms = terms_of(sentence);
  for (const auto& k : p.keywords)
    if (std::find(terms.begin(), terms.end(), k) != terms.end()) value += 0.6;
  if (sentence.find('`') != std::string::npos) value += 0.4;
  if (words(sentence, terms) < 4) value -= 1.0;
  return value;
}

/// Cuts `s` to at most `limit` tokens: at the last clause boundary that fits, else a word.
std::string fit(std::string s, const Tokenizer& tokenizer, size_t limit) {
  if (tokenizer.count(s) <= limit) return s;
  // A token is rarely longer than 32 bytes: no longer prefix can fit, and this stays linear.
  if (s.size() > 32 * limit) {
    size_t cut = 32 * limit;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s.resize(cut);
  }
  const std::string ellipsis = "\xE2\x80\xA6";
  size_t best = 0;
  for (size_t at = s.find(' '); at != std::string::npos; at = s.find(' ', at + 1)) {
    std::string head = s.substr(0, at);
    while (!head.empty() && (head.back() == ',' || head.back() == ';' || head.back() == ':'))
      head.pop_back();
    if (tokenizer.count(head + ellipsis) > limit) break;
    best = at;
  }
  if (best == 0) return "";
  std::string head = s.substr(0, best);
  while (!head.empty() && (head.back() == ',' || head.back() == ';' || head.back() == ':'))
    head.pop_back();
  return head + ellipsis;
}

} // namespace

void extract_dense(Plan& plan) {
  for (auto& p : plan.nodes) {
    if (!p.dense.empty()) continue;
    std::vector<std::string> options = candidates(p);
    double best_score = -1e9;
    const std::string* best = nullptr;
    for (size_t i = 0; i < options.size(); ++i) {
      double s = score(options[i], i, p);
      if (s > best_score) {
        best_score = s;
        best = &options[i];
      }
    }
    if (!best) continue;
    std::string dense = fit(*best, *plan.tokenizer, plan.options->dense_tokens);
    std::replace(dense.begin(), dense.end(), '\n', ' ');
    size_t a = dense.find_first_not_of(" \t"), b = dense.find_last_not_of(" \t");
    if (a != std::string::npos) p.dense = dense.substr(a, b - a + 1);
  }
}

} // namespace og::transpiler
