// Internal state of a Library: the documents, per-node views and token counts, the Xapian index.
#pragma once

#include <xapian.h>

#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "og/changes.hpp"
#include "og/query.hpp"

namespace og {

struct NodeRef {
  uint32_t doc = 0;
  uint32_t node = 0;
};

struct Library::State {
  std::vector<Document> documents;
  std::vector<RefusedDocument> refused;
  Tokenizer tokenizer;
  std::vector<NodeRef> refs;                 // global node number -> (doc, node)
  std::vector<std::vector<uint32_t>> global; // doc -> node -> global node number
  std::vector<std::string> dense;            // global -> dense view
  std::vector<ViewTokens> tokens;            // global -> token costs
  std::unordered_map<std::string, uint32_t> doc_by_path;
  std::vector<std::string> handles;                    // global -> handle, "" when shared
  std::unordered_map<std::string, uint32_t> by_handle; // issued handles only
  std::vector<Changelog> changelogs;                   // doc -> its `__changelog`
  Xapian::WritableDatabase index{std::string(), Xapian::DB_BACKEND_INMEMORY};
  Xapian::SimpleStopper stopper;
  std::vector<std::string> languages;           // doc -> its stemming_language()
  std::map<std::string, Xapian::Stem> stemmers; // every language the documents use
  mutable std::mutex index_mutex; // a Xapian database is not safe for concurrent readers

  explicit State(Tokenizer t) : tokenizer(std::move(t)) {}
  const Document& doc_of(uint32_t g) const { return documents[refs[g].doc]; }
  const Node& node_of(uint32_t g) const { return documents[refs[g].doc].nodes[refs[g].node]; }
  bool visible(uint32_t g, const Caller& caller) const;
  IndexEntry entry(uint32_t g, double score) const;
  /// Documents named `name`: the one whose path (normalised) is `name`, else every one whose
  /// path ends in `/name`. The CLI names documents by the path given (`serve/payments.og`),
  /// MCP relative to the served root (`payments.og`); both name the same document.
  std::vector<uint32_t> documents_named(const std::string& name) const;
  struct Lookup {
    int64_t node = -1;                  ///< global number of the visible node; -1 when none
    std::vector<std::string> ambiguous; ///< the documents holding it, when more than one does
  };
  /// The visible node named `id` or `doc#id`.
  Lookup lookup(const std::string& ref, const Caller& caller) const;
  /// Global number of the target of `edge` on node g, or -1 when it does not resolve.
  int64_t edge_target(uint32_t g, const Edge& edge) const;
  /// Node g's full view as `caller` may read it (Library::full_text).
  std::string full_text(uint32_t g, const Caller& caller) const;
};

/// The parts of a compound question, each a question of its own; one part (or none) when the
/// query is a single question or keywords.
std::vector<std::string> question_parts(std::string_view query);

/// Builds the search index over every node of `state` (called once by Library::open).
void build_search_index(Library::State& state);

} // namespace og
