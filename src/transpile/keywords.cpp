// Pass 5, keywords: the terms that set a node apart, by tf-idf. Term frequency in the node's
// own text; inverse document frequency over the document's nodes and, for a directory, over
// the corpus's documents. Words of the title are left out (the title is indexed anyway).
// Deterministic: ties break alphabetically.
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "plan.hpp"

namespace og {

void CorpusStats::add(const Document& document) {
  ++documents;
  std::unordered_set<std::string> seen;
  for (auto& term : transpiler::terms_of(document.source)) seen.insert(std::move(term));
  for (const auto& term : seen) ++document_frequency[term];
}

namespace transpiler {

namespace {

// Common English function words, words every technical text uses, and the commonest ASCII
// function words of German, French, Spanish and Portuguese (a page in those languages must not get
// "die, ein, auf" as keywords). Sorted: looked up by binary search.
constexpr std::array<std::string_view, 253> stop_words = {
    "about",    "above",   "additionally", "after",      "afterwards", "again",     "against",
    "all",      "already", "als",          "also",       "although",   "always",    "and",
    "another",  "any",     "anything",     "anyway",     "are",        "around",    "auch",
    "auf",      "aus",     "aux",          "avec",       "away",       "because",   "become",
    "becomes",  "been",    "before",       "bei",        "being",      "below",     "besides",
    "better",   "between", "both",         "but",        "came",       "can",       "cannot",
    "ces",      "com",     "come",         "comes",      "como",       "con",       "could",
    "dans",     "das",     "del",          "dem",        "den",        "der",       "des",
    "did",      "die",     "does",         "doing",      "dos",        "down",      "durch",
    "during",   "each",    "ein",          "eine",       "einen",      "einer",     "eines",
    "either",   "else",    "enough",       "especially", "est",        "esta",      "este",
    "etc",      "even",    "ever",         "every",      "example",    "few",       "for",
    "from",     "further", "furthermore",  "get",        "gets",       "getting",   "given",
    "gives",    "going",   "got",          "had",        "has",        "have",      "having",
    "hence",    "here",    "how",          "however",    "instead",    "into",      "ist",
    "its",      "itself",  "just",         "kann",       "las",        "les",       "less",
    "let",      "like",    "likely",       "los",        "made",       "make",      "makes",
    "making",   "many",    "may",          "might",      "mit",        "more",      "moreover",
    "most",     "much",    "must",         "nach",       "need",       "neither",   "nevertheless",
    "next",     "nicht",   "nor",          "not",        "now",        "oder",      "off",
    "often",    "once",    "one",          "only",       "onto",       "other",     "otherwise",
    "our",      "out",     "over",         "own",        "par",        "para",      "pas",
    "pela",     "pelo",    "perhaps",      "pero",       "please",     "por",       "pour",
    "que",      "qui",     "rather",       "really",     "said",       "same",      "say",
    "says",     "see",     "seem",         "seems",      "several",    "should",    "sich",
    "since",    "sind",    "some",         "something",  "sometimes",  "sont",      "still",
    "such",     "sur",     "sus",          "take",       "takes",      "than",      "that",
    "the",      "their",   "them",         "then",       "there",      "therefore", "these",
    "they",     "thing",   "things",       "this",       "those",      "through",   "thus",
    "together", "too",     "toward",       "towards",    "uma",        "una",       "und",
    "under",    "une",     "uno",          "unter",      "until",      "upon",      "use",
    "used",     "using",   "usually",      "various",    "very",       "via",       "von",
    "want",     "wants",   "was",          "way",        "ways",       "well",      "werden",
    "were",     "what",    "when",         "where",      "whether",    "which",     "while",
    "who",      "whose",   "why",          "wie",        "will",       "wird",      "with",
    "within",   "without", "would",        "yet",        "you",        "your",      "zum",
    "zur"};

/// Scripts written without spaces between words (Han, kana, Hangul, Thai, Lao, Khmer,
/// Myanmar): a run of them is a phrase, not a word, so none is a keyword candidate.
bool unspaced_script(utf8proc_int32_t cp) {
  return (cp >= 0x0E00 && cp <= 0x0EFF) || (cp >= 0x1000 && cp <= 0x109F) ||
         (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x1780 && cp <= 0x17FF) ||
         (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

/// The code point at text[i] and its length in bytes, when it is part of a word: an ASCII
/// letter or digit, or a letter, mark or digit of a script written with spaces (Cyrillic,
/// Greek, Latin with accents, Arabic, Hebrew, Devanagari, …). Length 0: not a word character.
std::pair<utf8proc_int32_t, size_t> word_char_at(std::string_view text, size_t i) {
  auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return {c, std::isalnum(c) ? 1u : 0u};
  utf8proc_int32_t cp = 0;
  auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                            static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
  if (n <= 0 || unspaced_script(cp) || !syntax::is_word_code_point(cp)) return {cp, 0};
  return {cp, static_cast<size_t>(n)};
}

bool is_word_char(std::string_view text, size_t i) {
  return word_char_at(text, i).second > 0;
}

} // namespace

bool is_stop_word(std::string_view word) {
  return std::binary_search(stop_words.begin(), stop_words.end(), word);
}

std::vector<std::string> terms_of(std::string_view text) {
  std::vector<std::string> terms;
  size_t i = 0;
  while (i < text.size()) {
    if (!is_word_char(text, i)) {
      ++i;
      continue;
    }
    // Lowercased as it is read; `_`, `-` and `.` join two word characters.
    std::string word;
    size_t letters = 0;
    while (i < text.size()) {
      auto [cp, length] = word_char_at(text, i);
      if (length == 0) {
        bool joins = (text[i] == '_' || text[i] == '-' || text[i] == '.') && i + 1 < text.size() &&
                     is_word_char(text, i + 1);
        if (!joins) break;
        length = 1;
      }
      if (length == 1)
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
      else
        syntax::append_utf8(word, utf8proc_tolower(cp));
      ++letters;
      i += length;
    }
    bool number = word.find_first_not_of("0123456789.-_") == std::string::npos;
    if (letters >= 3 && letters <= 40 && !number && !is_stop_word(word))
      terms.push_back(std::move(word));
  }
  return terms;
}

void extract_keywords(Plan& plan) {
  const size_t nodes = plan.nodes.size();
  std::unordered_map<std::string, uint32_t> node_frequency;
  std::vector<std::unordered_map<std::string, uint32_t>> counts(nodes);
  for (size_t i = 0; i < nodes; ++i) {
    for (auto& term : terms_of(plan.nodes[i].text)) ++counts[i][std::move(term)];
    for (const auto& [term, n] : counts[i]) ++node_frequency[term];
  }
  auto idf = [&](const std::string& term) {
    double in_doc = std::log((1.0 + static_cast<double>(nodes)) / (1.0 + node_frequency[term]));
    if (!plan.corpus || plan.corpus->documents == 0) return in_doc + 1.0;
    auto df = plan.corpus->document_frequency.find(term);
    double in_corpus =
        std::log((1.0 + static_cast<double>(plan.corpus->documents)) /
                 (1.0 + (df == plan.corpus->document_frequency.end() ? 0 : df->second)));
    return in_doc + in_corpus + 1.0;
  };
  for (size_t i = 0; i < nodes; ++i) {
    PlanNode& p = plan.nodes[i];
    if (!p.keywords.empty() || counts[i].empty()) continue;
    std::unordered_set<std::string> in_title;
    for (auto& t : terms_of(p.title)) in_title.insert(std::move(t));
    std::vector<std::pair<double, std::string>> scored;
    for (const auto& [term, tf] : counts[i])
      if (!in_title.count(term)) scored.emplace_back(-(1.0 + std::log(tf)) * idf(term), term);
    std::sort(scored.begin(), scored.end());
    for (size_t k = 0; k < scored.size() && k < plan.options->max_keywords; ++k)
      p.keywords.push_back(scored[k].second);
  }
}

} // namespace transpiler

} // namespace og
