// Pass 5, keywords: the terms that set a node apart, by tf-idf. Term frequency in the node's
// own text; inverse document frequency over the document's nodes and, for a directory, over
// the corpus's documents. Words of the title are left out (the title is indexed anyway).
// Deterministic: ties break alphabetically. Scripts written without spaces between words are
// divided by ICU's dictionaries, so Chinese or Japanese pages get keywords in their own script.
#include <unicode/ubrk.h>
#include <unicode/utext.h>
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

// The commonest function words of Chinese, Japanese, Korean and Thai with two or more characters
// (one-character particles never become keywords). Sorted by bytes, as the list above.
constexpr std::array<std::string_view, 138> other_script_stop_words = {
    "กับ",     "การ",    "ของ",      "จะ",     "จาก",      "ซึ่ง",       "ด้วย",      "ต้อง",
    "ถ้า",     "ที่",      "นี้",        "มี",      "ว่า",       "หรือ",      "หาก",      "อีก",
    "เป็น",    "เพื่อ",    "และ",      "แล้ว",    "โดย",      "ใช้",       "ใน",       "ให้",
    "ได้",     "ไม่",     "あります", "ある",   "います",   "いる",     "ください", "こと",
    "この",   "これ",   "され",     "される", "した",     "して",     "しない",   "します",
    "する",   "その",   "それ",     "ため",   "できます", "でした",   "です",     "という",
    "として", "どうか", "ない",     "なし",   "なります", "なる",     "において", "について",
    "による", "ました", "ます",     "もの",   "よう",     "ような",   "られる",   "れる",
    "一个",   "一些",   "一個",     "下面",   "为了",     "什么",     "什麼",     "以下",
    "以及",   "但是",   "你在",     "你的",   "使用",     "其他",     "可以",     "可能",
    "因为",   "因為",   "場合",     "如果",   "就是",     "已經",     "已经",     "应该",
    "怎么",   "怎麼",   "應該",     "我们",   "我們",     "或者",     "所以",     "沒有",
    "没有",   "為了",   "自己",     "还是",   "这个",     "这些",     "这是",     "进行",
    "這些",   "這個",   "這是",     "通过",   "通過",     "進行",     "還是",     "那些",
    "需要",   "것은",   "것을",     "것이",   "경우",     "그러나",   "그런",     "그리고",
    "다음",   "다음은", "대한",     "됩니다", "또는",     "않습니다", "위해",     "이것은",
    "이런",   "이를",   "있는",     "있다",   "있습니다", "통해",     "하는",     "하지만",
    "한다",   "합니다"};
static_assert(std::is_sorted(stop_words.begin(), stop_words.end()));
static_assert(std::is_sorted(other_script_stop_words.begin(), other_script_stop_words.end()));

/// Hangul is written with spaces, and one syllable block is a syllable: a two-block word is
/// a word (the three-letter floor is for alphabets).
bool syllabic_script(utf8proc_int32_t cp) {
  return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F) ||
         (cp >= 0xAC00 && cp <= 0xD7AF);
}

using syntax::code_point_at;

/// A Korean word without the particle or copula ending that follows a noun (`패키지를`,
/// `패키지는` and `패키지에서` are all `패키지`; `별칭입니다` is `별칭`), when at least two
/// syllables are left: ICU has no Korean morphology, and one noun in four forms makes four
/// keywords. Endings that also end common nouns (이, 가, 도, 한) are left alone.
std::string without_korean_ending(std::string word) {
  static constexpr std::array<std::string_view, 21> endings = {
      "입니다", "에서", "으로", "에게", "부터", "까지", "처럼", "보다", "이나", "이며", "를",
      "을",     "는",   "은",   "의",   "에",   "로",   "와",   "과",   "만",   "랑"};
  constexpr size_t syllable = 3; // bytes of a Hangul syllable in UTF-8
  for (std::string_view ending : endings)
    if (word.size() >= ending.size() + 2 * syllable && word.ends_with(ending)) {
      word.resize(word.size() - ending.size());
      break;
    }
  return word;
}

/// Where the run of unspaced script that starts at text[i] ends (i: none starts there).
size_t unspaced_run_end(std::string_view text, size_t i) {
  while (i < text.size()) {
    auto [cp, n] = code_point_at(text, i);
    if (!unspaced_script(cp)) break;
    i += n;
  }
  return i;
}

/// ICU's word break iterator, one per thread: opening one loads its rules and dictionaries.
UBreakIterator* word_breaker() {
  struct Owned {
    UBreakIterator* it = nullptr;
    Owned() {
      UErrorCode status = U_ZERO_ERROR;
      it = ubrk_open(UBRK_WORD, "", nullptr, 0, &status);
      if (U_FAILURE(status)) it = nullptr;
    }
    ~Owned() {
      if (it) ubrk_close(it);
    }
  };
  thread_local Owned owned;
  return owned.it;
}

/// The words of a run of unspaced script, as ICU's dictionaries divide it; those of one code
/// point (mostly particles: 的, の, は) are left out.
void add_unspaced_words(std::string_view run, std::vector<std::string>& terms) {
  UBreakIterator* it = word_breaker();
  if (!it) return;
  UErrorCode status = U_ZERO_ERROR;
  UText* text = utext_openUTF8(nullptr, run.data(), static_cast<int64_t>(run.size()), &status);
  ubrk_setUText(it, text, &status); // on UTF-8 text, ICU's offsets are byte offsets
  for (int32_t start = ubrk_first(it), end = ubrk_next(it); U_SUCCESS(status) && end != UBRK_DONE;
       start = end, end = ubrk_next(it)) {
    if (ubrk_getRuleStatus(it) < UBRK_WORD_LETTER) continue; // spaces, punctuation, numbers
    std::string_view word =
        run.substr(static_cast<size_t>(start), static_cast<size_t>(end - start));
    if (code_point_at(word, 0).second < word.size() && !is_stop_word(word))
      terms.emplace_back(word);
  }
  utext_close(text);
}

/// The code point at text[i] and its length in bytes, when it is part of a word: an ASCII
/// letter or digit, or a letter, mark or digit of a script written with spaces (Cyrillic,
/// Greek, Latin with accents, Arabic, Hebrew, Devanagari, …). Length 0: not a word character.
std::pair<utf8proc_int32_t, size_t> word_char_at(std::string_view text, size_t i) {
  auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return {c, std::isalnum(c) ? 1u : 0u};
  auto [cp, n] = code_point_at(text, i);
  if (cp == 0 || unspaced_script(cp) || !syntax::is_word_code_point(cp)) return {cp, 0};
  return {cp, n};
}

bool is_word_char(std::string_view text, size_t i) {
  return word_char_at(text, i).second > 0;
}

} // namespace

bool unspaced_script(int32_t cp) { // Hangul's compatibility jamo are spaced
  return (cp >= 0x0E00 && cp <= 0x0EFF) || (cp >= 0x1000 && cp <= 0x109F) ||
         (cp >= 0x1780 && cp <= 0x17FF) ||
         (cp >= 0x2E80 && cp <= 0x9FFF && !(cp >= 0x3130 && cp <= 0x318F)) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

bool is_stop_word(std::string_view word) {
  return std::binary_search(stop_words.begin(), stop_words.end(), word) ||
         std::binary_search(other_script_stop_words.begin(), other_script_stop_words.end(), word);
}

std::vector<std::string> terms_of(std::string_view text) {
  std::vector<std::string> terms;
  size_t i = 0;
  while (i < text.size()) {
    if (!is_word_char(text, i)) {
      size_t end = unspaced_run_end(text, i);
      if (end > i) add_unspaced_words(text.substr(i, end - i), terms);
      i = std::max(end, i + 1);
      continue;
    }
    // Lowercased as it is read; `_`, `-` and `.` join two word characters.
    std::string word;
    size_t letters = 0;
    bool hangul = syllabic_script(code_point_at(text, i).first);
    size_t enough = hangul ? 2 : 3;
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
    if (hangul) word = without_korean_ending(std::move(word));
    bool number = word.find_first_not_of("0123456789.-_") == std::string::npos;
    if (letters >= enough && letters <= 40 && !number && !is_stop_word(word))
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
