// search_index: BM25 (Xapian) over title, heading path, keywords, dense and body, with field
// weights as within-document frequency multipliers, English stemming and stop words. Visibility,
// type and document filters are boolean terms, so hidden nodes never enter a ranking.
#include <array>

#include "og/corpus.hpp"
#include "og/changes.hpp"
#include "query/query.hpp"

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

std::string role_term(const std::string& role) {
  return "XR" + role;
}
std::string doc_term(uint32_t doc) {
  return "XD" + std::to_string(doc);
}
std::string type_term(const std::string& type) {
  return "XT" + type;
}

} // namespace

void build_search_index(Library::State& state) {
  for (const char* word : stop_words) state.stopper.add(word);
  Xapian::TermGenerator terms;
  terms.set_stemmer(state.stemmer);
  terms.set_stopper(&state.stopper);
  terms.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  // Chinese, Japanese and Korean text has no spaces: index it as character n-grams.
  terms.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  for (uint32_t g = 0; g < state.refs.size(); ++g) {
    const Document& doc = state.doc_of(g);
    const Node& node = state.node_of(g);
    if (is_generated_id(node.id)) continue; // the index and changelog are not content
    Xapian::Document xd;
    terms.set_document(xd);
    IndexEntry e = state.entry(g, 0);
    terms.index_text(node.title, title_weight);
    terms.increase_termpos();
    terms.index_text(e.path, path_weight);
    terms.increase_termpos();
    for (const auto& keyword : node.keywords) terms.index_text(keyword, keyword_weight);
    terms.increase_termpos();
    terms.index_text(state.dense[g], dense_weight);
    terms.increase_termpos();
    terms.index_text(std::string(doc.text(node.body)), body_weight);
    xd.add_boolean_term(doc_term(state.refs[g].doc));
    if (!node.type.empty()) xd.add_boolean_term(type_term(node.type));
    if (visible(doc, node, Caller{std::string("\x01no role\x01")}))
      xd.add_boolean_term(visible_to_all);
    for (const auto& role : doc.meta.roles)
      if (visible(doc, node, Caller{role.name})) xd.add_boolean_term(role_term(role.name));
    xd.set_data(std::to_string(g));
    state.index.add_document(xd);
  }
  state.index.commit();
}

std::vector<IndexEntry> Library::search_index(const SearchRequest& request,
                                              const Caller& caller) const {
  const State& state = *state_;
  std::vector<IndexEntry> entries;
  // No query: every node the filters admit, in document order (nodes were indexed in order).
  bool listing = request.query.find_first_not_of(" \t\r\n") == std::string::npos;
  std::lock_guard<std::mutex> lock(state.index_mutex);
  try {
    Xapian::Query query = Xapian::Query::MatchAll;
    if (!listing) {
      Xapian::QueryParser parser;
      parser.set_stemmer(state.stemmer);
      parser.set_stopper(&state.stopper);
      parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
      parser.set_default_op(Xapian::Query::OP_OR);
      query = parser.parse_query(request.query, Xapian::QueryParser::FLAG_CJK_NGRAM);
    }
    std::vector<Xapian::Query> filters;
    if (caller.role)
      filters.push_back(Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(visible_to_all),
                                      Xapian::Query(role_term(*caller.role))));
    if (!request.doc.empty()) {
      auto found = state.doc_by_path.find(resolve_relative("", request.doc));
      if (found == state.doc_by_path.end()) return entries;
      filters.push_back(Xapian::Query(doc_term(found->second)));
    }
    if (!request.types.empty()) {
      std::vector<Xapian::Query> types;
      for (const auto& type : request.types) types.emplace_back(type_term(type));
      filters.push_back(Xapian::Query(Xapian::Query::OP_OR, types.begin(), types.end()));
    }
    for (const auto& filter : filters)
      query = Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
    Xapian::Enquire enquire(state.index);
    enquire.set_query(query);
    // The textbook BM25 parameters (k1 = 1.2, b = 0.75) rather than Xapian's defaults (1, 0.5):
    // sections vary in length far more than passages, and b = 0.75 normalizes for it more.
    if (listing) {
      enquire.set_weighting_scheme(Xapian::BoolWeight());
      enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    } else {
      enquire.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
    }
    Xapian::MSet matches =
        enquire.get_mset(0, request.limit ? static_cast<Xapian::doccount>(request.limit)
                                          : state.index.get_doccount());
    for (auto it = matches.begin(); it != matches.end(); ++it)
      entries.push_back(state.entry(static_cast<uint32_t>(std::stoul(it.get_document().get_data())),
                                    it.get_weight()));
  } catch (const Xapian::Error&) {
    entries.clear(); // a query Xapian cannot run finds nothing
  }
  return entries;
}

} // namespace og
