// tiktoken's pre-tokenization, written out as code instead of a backtracking regex. The patterns
// (from the vocabulary files; load() checks them) are:
//
// cl100k_base:
//   (?i:'s|'t|'re|'ve|'m|'ll|'d) | [^\r\n\p{L}\p{N}]?\p{L}+ | \p{N}{1,3} | ?[^\s\p{L}\p{N}]+[\r\n]*
//   | \s*[\r\n]+ | \s+(?!\S) | \s+
// o200k_base:
//   [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|…|'d)?
//   | [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|…|'d)?
//   | \p{N}{1,3} | ?[^\s\p{L}\p{N}]+[\r\n/]* | \s*[\r\n]+ | \s+(?!\S) | \s+
//
// Alternatives are tried in order and the first that matches wins, as in the regex; each
// function below returns the end of its alternative's match at `pos`, or `no_match`. Every
// alternative scans a run once (plus one backward pass for o200k's first), so splitting is linear.
#include <utf8proc.h>

#include <array>

#include "tokenize/tokenize.hpp"

namespace og::tokenize {

namespace {

constexpr size_t no_match = SIZE_MAX;

enum Class : uint8_t {
  letter = 1,  // \p{L}
  number = 2,  // \p{N}
  space = 4,   // \s (Unicode White_Space)
  newline = 8, // \r or \n
  upper = 16,  // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
  lower = 32,  // [\p{Ll}\p{Lm}\p{Lo}\p{M}]
};

struct CodePoint {
  int32_t value;
  uint8_t length; // bytes; 1 for an invalid byte (read as U+FFFD)
  uint8_t classes;
};

bool is_white_space(int32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

uint8_t classify(int32_t c) {
  uint8_t classes = is_white_space(c) ? space : 0;
  if (c == '\r' || c == '\n') classes |= newline;
  switch (utf8proc_category(c)) {
  case UTF8PROC_CATEGORY_LU:
  case UTF8PROC_CATEGORY_LT:
    return classes | letter | upper;
  case UTF8PROC_CATEGORY_LL:
    return classes | letter | lower;
  case UTF8PROC_CATEGORY_LM:
  case UTF8PROC_CATEGORY_LO:
    return classes | letter | upper | lower;
  case UTF8PROC_CATEGORY_MN:
  case UTF8PROC_CATEGORY_MC:
  case UTF8PROC_CATEGORY_ME:
    return classes | upper | lower;
  case UTF8PROC_CATEGORY_ND:
  case UTF8PROC_CATEGORY_NL:
  case UTF8PROC_CATEGORY_NO:
    return classes | number;
  default:
    return classes;
  }
}

const std::array<uint8_t, 128> ascii_classes = [] {
  std::array<uint8_t, 128> table{};
  for (int c = 0; c < 128; ++c) table[c] = classify(c);
  return table;
}();

CodePoint decode_at(std::string_view text, size_t pos) {
  unsigned char byte = static_cast<unsigned char>(text[pos]);
  if (byte < 0x80) return {byte, 1, ascii_classes[byte]};
  int32_t cp = -1;
  auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
                            static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
  if (n <= 0) return {0xFFFD, 1, classify(0xFFFD)};
  return {cp, static_cast<uint8_t>(n), classify(cp)};
}

/// Is `c` outside [\r\n\p{L}\p{N}] (the optional prefix of the word alternatives)?
bool is_word_prefix(const CodePoint& c) {
  return !(c.classes & (letter | number | newline));
}

/// `(?i:'s|'t|'re|'ve|'m|'ll|'d)` at pos: end or no_match. Case folding as the regex does it:
/// `s` also matches U+017F (long s).
size_t contraction(std::string_view text, size_t pos) {
  if (pos >= text.size() || text[pos] != '\'') return no_match;
  auto lower_at = [&](size_t i) -> int {
    if (i >= text.size()) return 0;
    char c = text[i];
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
  };
  int a = lower_at(pos + 1);
  if (a == 's' || a == 't' || a == 'm' || a == 'd') return pos + 2;
  if (text.substr(pos + 1, 2) == "\xC5\xBF") return pos + 3; // U+017F folds to s
  int b = lower_at(pos + 2);
  if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return pos + 3;
  return no_match;
}

/// End of the run of code points from pos that have any of `classes`.
size_t run_end(std::string_view text, size_t pos, uint8_t classes) {
  while (pos < text.size()) {
    CodePoint c = decode_at(text, pos);
    if (!(c.classes & classes)) break;
    pos += c.length;
  }
  return pos;
}

/// `\p{N}{1,3}`
size_t numbers(std::string_view text, size_t pos) {
  size_t end = pos;
  for (int i = 0; i < 3 && end < text.size(); ++i) {
    CodePoint c = decode_at(text, end);
    if (!(c.classes & number)) break;
    end += c.length;
  }
  return end == pos ? no_match : end;
}

/// ` ?[^\s\p{L}\p{N}]+` followed by `[\r\n]*` (cl100k) or `[\r\n/]*` (o200k).
size_t punctuation(std::string_view text, size_t pos, bool slash) {
  auto symbols = [&](size_t at) {
    size_t end = at;
    while (end < text.size()) {
      CodePoint c = decode_at(text, end);
      if (c.classes & (space | letter | number)) break;
      end += c.length;
    }
    return end;
  };
  size_t start = text[pos] == ' ' ? pos + 1 : pos;
  size_t end = symbols(start);
  if (end == start) return no_match; // the space alone is not enough (and ' ' is \s)
  while (end < text.size() &&
         (text[end] == '\r' || text[end] == '\n' || (slash && text[end] == '/')))
    ++end;
  return end;
}

/// The three whitespace alternatives: `\s*[\r\n]+`, then `\s+(?!\S)`, then `\s+`.
size_t whitespace(std::string_view text, size_t pos) {
  size_t end = pos, last_newline = no_match, last_start = pos;
  while (end < text.size()) {
    CodePoint c = decode_at(text, end);
    if (!(c.classes & space)) break;
    if (c.classes & newline) last_newline = end;
    last_start = end;
    end += c.length;
  }
  if (end == pos) return no_match;
  if (last_newline != no_match) return last_newline + 1;
  if (end == text.size() || last_start == pos) return end; // (?!\S) holds, or \s+ takes one
  return last_start;                                       // leave the last space to the next word
}

/// cl100k: `[^\r\n\p{L}\p{N}]?\p{L}+`
size_t cl100k_word(std::string_view text, size_t pos) {
  CodePoint first = decode_at(text, pos);
  if (first.classes & letter) return run_end(text, pos, letter);
  if (!is_word_prefix(first)) return no_match;
  size_t start = pos + first.length;
  size_t end = run_end(text, start, letter);
  return end == start ? no_match : end;
}

/// o200k's first alternative from `start` (after the optional prefix):
/// `[upper]*[lower]+` then an optional contraction.
size_t o200k_lower_word(std::string_view text, size_t start) {
  // Greedy upper run, then lower+. When no lower-class code point follows the run, the regex
  // gives the run back one code point at a time: the last one that is also lower-class (Lm, Lo,
  // M) then carries lower+ alone.
  size_t end = run_end(text, start, upper);
  size_t lower_end = run_end(text, end, lower);
  if (lower_end == end) {
    size_t found = no_match;
    for (size_t at = start; at < end;) {
      CodePoint c = decode_at(text, at);
      if (c.classes & lower) found = at + c.length;
      at += c.length;
    }
    if (found == no_match) return no_match;
    lower_end = found;
  }
  size_t with = contraction(text, lower_end);
  return with == no_match ? lower_end : with;
}

/// o200k's second alternative from `start`: `[upper]+[lower]*` then an optional contraction.
size_t o200k_upper_word(std::string_view text, size_t start) {
  size_t end = run_end(text, start, upper);
  if (end == start) return no_match;
  end = run_end(text, end, lower);
  size_t with = contraction(text, end);
  return with == no_match ? end : with;
}

/// One o200k word alternative, with the optional prefix tried first and then without.
template <size_t (*Word)(std::string_view, size_t)>
size_t with_optional_prefix(std::string_view text, size_t pos) {
  CodePoint first = decode_at(text, pos);
  if (is_word_prefix(first)) {
    size_t end = Word(text, pos + first.length);
    if (end != no_match) return end;
  }
  return Word(text, pos);
}

size_t cl100k_next(std::string_view text, size_t pos) {
  size_t end = contraction(text, pos);
  if (end == no_match) end = cl100k_word(text, pos);
  if (end == no_match) end = numbers(text, pos);
  if (end == no_match) end = punctuation(text, pos, false);
  if (end == no_match) end = whitespace(text, pos);
  return end;
}

size_t o200k_next(std::string_view text, size_t pos) {
  size_t end = with_optional_prefix<o200k_lower_word>(text, pos);
  if (end == no_match) end = with_optional_prefix<o200k_upper_word>(text, pos);
  if (end == no_match) end = numbers(text, pos);
  if (end == no_match) end = punctuation(text, pos, true);
  if (end == no_match) end = whitespace(text, pos);
  return end;
}

} // namespace

size_t next_pretoken(Encoding encoding, std::string_view text, size_t pos) {
  size_t end = encoding == Encoding::cl100k_base ? cl100k_next(text, pos) : o200k_next(text, pos);
  // Every code point matches some alternative; this guard only keeps a bug from looping.
  return end == no_match || end <= pos ? pos + decode_at(text, pos).length : end;
}

} // namespace og::tokenize
