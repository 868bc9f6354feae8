// search_index: BM25 (Xapian) over title, heading path, keywords, dense and body, with field
// weights as within-document frequency multipliers, stemming in each document's language and
// English stop words. Visibility, type and document filters are boolean terms, so hidden nodes
// never enter a ranking.
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "og/changes.hpp"
#include "og/corpus.hpp"
#include "query/query.hpp"
#include "syntax/syntax.hpp"

namespace og {

namespace {

// Field weights: a word in the title counts as much as five in the body.
constexpr Xapian::termcount title_weight = 5, path_weight = 2, keyword_weight = 4, dense_weight = 2,
                            body_weight = 1;

// Common English function words: they carry no topic, and questions are full of them.
constexpr std::array<const char*, 120> stop_words = {
    "a",       "about",  "above",   "after", "again",   "against", "all",     "am",     "an",
    "and",     "any",    "are",     "as",    "at",      "be",      "because", "been",   "before",
    "being",   "below",  "between", "both",  "but",     "by",      "can",     "could",  "did",
    "do",      "does",   "doing",   "down",  "during",  "each",    "few",     "for",    "from",
    "further", "had",    "has",     "have",  "having",  "he",      "her",     "here",   "hers",
    "him",     "his",    "how",     "i",     "if",      "in",      "into",    "is",     "it",
    "its",     "itself", "just",    "me",    "more",    "most",    "my",      "no",     "nor",
    "not",     "now",    "of",      "off",   "on",      "once",    "only",    "or",     "other",
    "our",     "ours",   "out",     "over",  "own",     "same",    "she",     "should", "so",
    "some",    "such",   "than",    "that",  "the",     "their",   "them",    "then",   "there",
    "these",   "they",   "this",    "those", "through", "to",      "too",     "under",  "until",
    "up",      "very",   "was",     "we",    "were",    "what",    "when",    "where",  "which",
    "while",   "who",    "whom",    "why",   "will",    "with",    "would",   "you",    "your",
    "yours",   "i'm",    "it's"};

const std::string visible_to_all = "XRALL";

// Value slot of the sort key: the document's name, then the node number (big-endian), so ties
// and listings come in document order whatever order the nodes were added in.
constexpr Xapian::valueno order_slot = 0;

std::string role_term(const std::string& role) {
  return "XR" + role;
}
std::string type_term(const std::string& type) {
  return "XT" + type;
}
std::string language_term(const std::string& language) {
  return "XL" + language;
}

std::string order_key(std::string_view name, uint32_t node) {
  std::string key(name);
  key += '\0';
  for (int shift = 24; shift >= 0; shift -= 8) key += static_cast<char>((node >> shift) & 0xff);
  return key;
}

/// ASCII letters only (a language tag's subtags).
bool is_alpha(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

/// Xapian's stemmer name for a language tag (`ru`, `pt-BR`, `en_US`, `German`), or "".
std::string stemmer_name(std::string_view tag) {
  std::string primary = syntax::ascii_lower(tag.substr(0, tag.find_first_of("-_")));
  if (primary.size() < 2 || primary == "none" || !is_alpha(primary)) return "";
  try {
    std::string description = Xapian::Stem(primary).get_description(); // "Xapian::Stem(russian)"
    size_t open = description.find('('), close = description.rfind(')');
    return open == std::string::npos || close <= open
               ? ""
               : description.substr(open + 1, close - open - 1);
  } catch (const Xapian::Error&) {
    return ""; // no stemmer for it
  }
}

/// A two-letter code, optionally with a region: `ru`, `pt-br`, `zh_CN`.
bool looks_like_language_code(std::string_view segment) {
  std::string_view primary = segment.substr(0, segment.find_first_of("-_"));
  if (primary.size() != 2 || !is_alpha(primary)) return false;
  if (primary.size() == segment.size()) return true;
  std::string_view region = segment.substr(3);
  return (region.size() == 2 || region.size() == 4) && is_alpha(region);
}

} // namespace

std::string stemming_language(const Document& document) {
  for (const auto& [key, value] : document.meta.fields)
    if (key == "lang" || key == "language") {
      std::string_view v = value;
      if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
        v = v.substr(1, v.size() - 2);
      if (std::string name = stemmer_name(v); !name.empty()) return name;
      return "english";
    }
  std::string_view path = document.path;
  std::string_view file = path.substr(path.rfind('/') + 1);
  // Hugo's translation by file name: `_index.ru.md`, `install.pt-br.md`.
  if (size_t last = file.rfind('.'); last != std::string_view::npos && last > 0)
    if (size_t before = file.rfind('.', last - 1); before != std::string_view::npos) {
      std::string_view code = file.substr(before + 1, last - before - 1);
      if (looks_like_language_code(code))
        if (std::string name = stemmer_name(code); !name.empty()) return name;
    }
  // A folder named by a language code, deepest first: `content/ru/docs/x.md`.
  for (size_t end = path.size() - file.size(); end > 1;) {
    size_t start = path.rfind('/', end - 2);
    start = start == std::string_view::npos ? 0 : start + 1;
    std::string_view segment = path.substr(start, end - 1 - start);
    if (looks_like_language_code(segment))
      if (std::string name = stemmer_name(segment); !name.empty()) return name;
    if (start == 0) break;
    end = start;
  }
  return "english";
}

void add_stop_words(Xapian::SimpleStopper& stopper) {
  for (const char* word : stop_words) stopper.add(word);
}

std::string document_term(std::string_view name) {
  // Hashed: a term holds at most 245 bytes, a path may not.
  return "XF" + hash_hex(XXH3_64bits(name.data(), name.size()));
}

std::pair<std::string_view, uint32_t> indexed_node(std::string_view data) {
  size_t nul = data.rfind('\0');
  if (nul == std::string_view::npos) return {{}, UINT32_MAX};
  uint32_t node = 0;
  auto [end, ec] = std::from_chars(data.data() + nul + 1, data.data() + data.size(), node);
  if (ec != std::errc() || end != data.data() + data.size()) return {{}, UINT32_MAX};
  return {data.substr(0, nul), node};
}

std::vector<Xapian::Document> node_documents(const PreparedDocument& prepared,
                                             const Xapian::SimpleStopper& stopper) {
  std::vector<Xapian::Document> out;
  const Document& doc = prepared.document();
  std::string name = resolve_relative("", prepared.name);
  Xapian::Stem stemmer(prepared.language);
  Xapian::TermGenerator terms;
  terms.set_stopper(&stopper);
  terms.set_stemmer(stemmer);
  terms.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  // Chinese, Japanese and Korean text has no spaces: index it as character n-grams.
  terms.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  for (uint32_t n = 0; n < doc.nodes.size(); ++n) {
    const Node& node = doc.nodes[n];
    if (is_generated_id(node.id)) continue; // the index and changelog are not content
    Xapian::Document xd;
    terms.set_document(xd);
    // Without positions: nothing searches phrases, and positions double the index's size
    // and the time to build it.
    terms.index_text_without_positions(node.title, title_weight);
    std::string path;
    for (int32_t p = node.parent; p >= 0; p = doc.nodes[static_cast<size_t>(p)].parent)
      path = doc.nodes[static_cast<size_t>(p)].title + (path.empty() ? "" : " > " + path);
    terms.index_text_without_positions(path, path_weight);
    for (const auto& keyword : node.keywords)
      terms.index_text_without_positions(keyword, keyword_weight);
    terms.index_text_without_positions(dense_view(doc, node), dense_weight);
    terms.index_text_without_positions(syntax::without_html_comments(doc.text(node.body)),
                                       body_weight);
    xd.add_boolean_term(document_term(name));
    if (!node.type.empty()) xd.add_boolean_term(type_term(node.type));
    xd.add_boolean_term(language_term(prepared.language));
    if (visible(doc, node, Caller{std::string("\x01no role\x01")}))
      xd.add_boolean_term(visible_to_all);
    for (const auto& role : doc.meta.roles)
      if (visible(doc, node, Caller{role.name})) xd.add_boolean_term(role_term(role.name));
    xd.set_data(name + '\0' + std::to_string(n));
    xd.add_value(order_slot, order_key(name, n));
    out.push_back(std::move(xd));
  }
  return out;
}

void index_document(Xapian::WritableDatabase& index, const PreparedDocument& prepared,
                    const Xapian::SimpleStopper& stopper) {
  for (const Xapian::Document& xd : node_documents(prepared, stopper)) index.add_document(xd);
}

namespace {

/// Words that open a second question after "and": "What does X do, and which Y …".
bool opens_question(std::string_view word) {
  static constexpr std::array<std::string_view, 22> openers = {
      "what", "which", "how", "who",   "why",    "when", "where", "whether", "is",  "are", "does",
      "do",   "did",   "can", "could", "should", "will", "would", "must",    "may", "has", "have"};
  return std::find(openers.begin(), openers.end(), syntax::ascii_lower(word)) != openers.end();
}

std::string_view trim(std::string_view text) {
  size_t start = text.find_first_not_of(" \t\r\n,");
  if (start == std::string_view::npos) return {};
  return text.substr(start, text.find_last_not_of(" \t\r\n,") + 1 - start);
}

} // namespace

std::vector<std::string> question_parts(std::string_view query) {
  // One pass over the words: a part ends at a word ending in ? . ; or : and before an "and"
  // that opens another question. Fewer than three words are no question of their own ("Why?",
  // "e.g."): they join the part after them, or, at the end, only the whole question's ranking.
  std::vector<std::string_view> words;
  for (size_t at = 0; at < query.size();) {
    size_t start = query.find_first_not_of(" \t\r\n", at);
    if (start == std::string_view::npos) break;
    size_t end = query.find_first_of(" \t\r\n", start);
    if (end == std::string_view::npos) end = query.size();
    words.push_back(query.substr(start, end - start));
    at = end;
  }
  std::vector<std::string> parts;
  size_t part_start = 0; // index into words
  auto close = [&](size_t end) {
    if (end - part_start < 3) return;
    const char* from = words[part_start].data();
    std::string_view last = words[end - 1];
    std::string_view text = trim({from, static_cast<size_t>(last.data() + last.size() - from)});
    if (!text.empty()) parts.emplace_back(text);
    part_start = end;
  };
  for (size_t i = 0; i < words.size(); ++i) {
    std::string_view w = words[i];
    if (w == "and" && i + 1 < words.size() && opens_question(words[i + 1])) {
      size_t before = parts.size();
      close(i);
      if (parts.size() > before) part_start = i + 1; // the "and" belongs to neither part
    } else if (char c = w.back(); c == '?' || c == '.' || c == ';' || c == ':')
      close(i + 1);
  }
  if (part_start < words.size()) close(words.size());
  return parts;
}

namespace {

/// Each document's first node that `caller` can see (og's generated nodes aside), in document
/// order, under the request's filters: no postings are read.
std::vector<IndexEntry> document_listing(const Library::State& state, const SearchRequest& request,
                                         const Caller& caller) {
  std::vector<uint32_t> docs;
  if (request.doc.empty())
    for (uint32_t d = 0; d < state.prepared.size(); ++d) docs.push_back(d);
  else
    docs = state.documents_named(request.doc);
  std::vector<IndexEntry> entries;
  for (uint32_t d : docs) {
    if (request.limit && entries.size() >= request.limit) break;
    const auto& nodes = state.prepared[d]->outline.nodes;
    for (uint32_t n = 0; n < nodes.size(); ++n) {
      uint32_t g = state.global(d, n);
      if (is_generated_id(nodes[n].id) || !state.visible(g, caller)) continue;
      const auto& types = request.types;
      if (types.empty() || std::find(types.begin(), types.end(), nodes[n].type) != types.end())
        entries.push_back(state.entry(g, 0));
      break;
    }
  }
  return entries;
}

} // namespace

std::vector<IndexEntry> Library::search_index(const SearchRequest& request,
                                              const Caller& caller) const {
  const State& state = *state_;
  std::vector<IndexEntry> entries;
  // No query: every node the filters admit, in document order (nodes were indexed in order).
  bool listing = request.query.find_first_not_of(" \t\r\n") == std::string::npos;
  std::lock_guard<std::mutex> lock(state.index_mutex);
  try {
    std::vector<Xapian::Query> filters;
    if (caller.role)
      filters.push_back(Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(visible_to_all),
                                      Xapian::Query(role_term(*caller.role))));
    if (!request.doc.empty()) {
      std::vector<Xapian::Query> docs;
      for (uint32_t d : state.documents_named(request.doc))
        docs.emplace_back(document_term(resolve_relative("", state.prepared[d]->name)));
      if (docs.empty()) return entries;
      filters.push_back(Xapian::Query(Xapian::Query::OP_OR, docs.begin(), docs.end()));
    }
    if (!request.types.empty()) {
      std::vector<Xapian::Query> types;
      for (const auto& type : request.types) types.emplace_back(type_term(type));
      filters.push_back(Xapian::Query(Xapian::Query::OP_OR, types.begin(), types.end()));
    }
    auto filtered = [&](Xapian::Query query) {
      for (const auto& filter : filters)
        query = Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
      return query;
    };
    Xapian::doccount all = state.index.get_doccount();
    if (listing && request.one_per_document) return document_listing(state, request, caller);
    if (listing) {
      Xapian::Enquire enquire(state.index);
      enquire.set_query(filtered(Xapian::Query::MatchAll));
      enquire.set_weighting_scheme(Xapian::BoolWeight());
      enquire.set_sort_by_value(order_slot, false);
      Xapian::MSet matches =
          enquire.get_mset(0, request.limit ? static_cast<Xapian::doccount>(request.limit) : all);
      for (auto it = matches.begin(); it != matches.end(); ++it)
        if (auto g = state.node_indexed(it.get_document().get_data()))
          entries.push_back(state.entry(*g, 0));
      return entries;
    }
    // The query is read in every language the documents use, and each reading ranks only the
    // nodes of documents in its language: `каталога` stems to `каталог` in Russian and finds
    // Russian text, while English nodes are scored by the English reading alone (letting every
    // node take its best reading let the German or Russian stems of an English question
    // outrank the English ones as soon as a tree held a few pages in those languages).
    std::vector<std::pair<std::string, Xapian::QueryParser>> parsers;
    for (const auto& [language, stemmer] : state.stemmers) {
      Xapian::QueryParser& parser = parsers.emplace_back(language, Xapian::QueryParser()).second;
      parser.set_stemmer(stemmer);
      parser.set_stopper(&state.stopper);
      // English keeps STEM_SOME (a capitalised word is a name: `Ready` the condition, not
      // `ready`); in German every noun is capitalised, so other languages stem every word.
      parser.set_stemming_strategy(language == "english" ? Xapian::QueryParser::STEM_SOME
                                                         : Xapian::QueryParser::STEM_ALL_Z);
      parser.set_default_op(Xapian::Query::OP_OR);
    }
    auto parsed = [&](const std::string& text) {
      // Most languages read most queries alike: each distinct reading once, over the
      // documents of every language that reads it so.
      std::map<std::string, std::pair<Xapian::Query, std::vector<Xapian::Query>>> readings;
      for (auto& [language, parser] : parsers) {
        Xapian::Query reading = parser.parse_query(text, Xapian::QueryParser::FLAG_CJK_NGRAM);
        auto& [query, languages] =
            readings.try_emplace(reading.get_description(), reading, std::vector<Xapian::Query>{})
                .first->second;
        languages.emplace_back(language_term(language));
      }
      if (readings.size() == 1) return readings.begin()->second.first;
      std::vector<Xapian::Query> scoped;
      for (const auto& [description, reading] : readings)
        scoped.emplace_back(
            Xapian::Query::OP_FILTER, reading.first,
            Xapian::Query(Xapian::Query::OP_OR, reading.second.begin(), reading.second.end()));
      // No documents, no readings: an empty OP_OR matches nothing.
      return Xapian::Query(Xapian::Query::OP_OR, scoped.begin(), scoped.end());
    };
    auto sorted = [](std::vector<std::pair<uint32_t, double>> ranked, Xapian::doccount pool) {
      std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
      });
      if (ranked.size() > pool) ranked.resize(pool);
      return ranked;
    };
    // BM25 ranking of the nodes for `text`, best first, at most `pool` of them.
    auto rank = [&](const std::string& text, Xapian::doccount pool) {
      Xapian::Enquire enquire(state.index);
      enquire.set_query(filtered(parsed(text)));
      // The textbook BM25 parameters (k1 = 1.2, b = 0.75) rather than Xapian's defaults (1,
      // 0.5): sections vary in length far more than passages, and b = 0.75 normalizes more.
      enquire.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
      // Ties go in document order whatever order the index was filled in (Xapian would break
      // them by docid): the order slot breaks them inside the matcher, which reads the value
      // only of a match that ties.
      if (pool == 0) return std::vector<std::pair<uint32_t, double>>{};
      enquire.set_sort_by_relevance_then_value(order_slot, false);
      Xapian::MSet matches = enquire.get_mset(0, pool);
      std::vector<std::pair<uint32_t, double>> ranked;
      for (auto it = matches.begin(); it != matches.end(); ++it)
        if (auto g = state.node_indexed(it.get_document().get_data()))
          ranked.emplace_back(*g, it.get_weight());
      return sorted(std::move(ranked), pool);
    };
    // A compound question ("What is X, and how do I Y?") asks for several things; one BM25
    // ranking lets the part with the rarer words crowd out the rest. Each part is ranked on
    // its own as well, its scores rescaled so that its best node ties with the whole
    // question's best; a node keeps its highest score, and ties keep the whole question's order.
    Xapian::doccount pool =
        request.limit ? std::max<Xapian::doccount>(static_cast<Xapian::doccount>(request.limit), 50)
                      : all;
    std::vector<std::pair<uint32_t, double>> ranked = rank(request.query, pool);
    std::vector<std::string> parts = question_parts(request.query);
    if (parts.size() > 1 && !ranked.empty()) {
      std::unordered_map<uint32_t, std::pair<double, size_t>> best; // node -> score, order
      for (size_t i = 0; i < ranked.size(); ++i) best[ranked[i].first] = {ranked[i].second, i};
      double top = ranked.front().second;
      for (const auto& part : parts) {
        std::vector<std::pair<uint32_t, double>> part_ranked = rank(part, pool);
        if (part_ranked.empty()) continue;
        double scale = top / part_ranked.front().second;
        for (const auto& [g, score] : part_ranked) {
          double& kept = best.try_emplace(g, 0.0, ranked.size() + g).first->second.first;
          kept = std::max(kept, std::min(top, score * scale)); // min: rounding stays below top
        }
      }
      std::vector<std::pair<std::pair<double, size_t>, uint32_t>> order;
      for (const auto& [g, key] : best) order.push_back({key, g});
      std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
        return a.first.first != b.first.first ? a.first.first > b.first.first
                                              : a.first.second < b.first.second;
      });
      ranked.clear();
      for (const auto& [key, g] : order) ranked.emplace_back(g, key.first);
    }
    if (request.group_by_document) {
      // Group, then rank: the nodes of the document holding the best node first, then those of
      // the next, each group in score order. Asked of a whole tree, an agent's question is
      // about one document far more often than not, and the slots after the first are better
      // spent on that document's other sections than on other documents' near misses.
      std::unordered_map<uint32_t, size_t> group; // document -> order of its best node
      for (const auto& [g, score] : ranked) group.try_emplace(state.refs[g].doc, group.size());
      std::stable_sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
        return group.at(state.refs[a.first].doc) < group.at(state.refs[b.first].doc);
      });
    }
    if (request.one_per_document) {
      std::unordered_set<uint32_t> seen;
      std::erase_if(
          ranked, [&](const auto& hit) { return !seen.insert(state.refs[hit.first].doc).second; });
    }
    if (request.limit && ranked.size() > request.limit) ranked.resize(request.limit);
    for (const auto& [g, score] : ranked) entries.push_back(state.entry(g, score));
  } catch (const Xapian::Error&) {
    entries.clear(); // a query Xapian cannot run finds nothing
  }
  return entries;
}

} // namespace og
