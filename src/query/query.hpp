// Internal state of a Library: the documents, per-node views and token counts, the Xapian index.
#pragma once

#include <xapian.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "og/changes.hpp"
#include "og/corpus.hpp"
#include "og/query.hpp"

namespace og {

struct NodeRef {
  uint32_t doc = 0;
  uint32_t node = 0;
};

/// LinkResolver's view of a library: paths, skill names and node ids from the outlines; a
/// document is parsed only when a link's anchor is looked up in it.
class OutlinedDocuments final : public LinkResolver::Documents {
public:
  explicit OutlinedDocuments(const std::vector<std::shared_ptr<const PreparedDocument>>& prepared)
      : prepared_(prepared) {}
  size_t size() const override { return prepared_.size(); }
  const std::string& path(uint32_t d) const override { return prepared_[d]->path; }
  const std::string& skill(uint32_t d) const override { return prepared_[d]->outline.skill; }
  size_t node_count(uint32_t d) const override { return prepared_[d]->outline.nodes.size(); }
  const std::string& node_id(uint32_t d, uint32_t n) const override {
    return prepared_[d]->outline.nodes[n].id;
  }
  int32_t index_of(uint32_t d, std::string_view id) const override {
    return prepared_[d]->document().index_of(id);
  }

private:
  const std::vector<std::shared_ptr<const PreparedDocument>>& prepared_;
};

struct Library::State {
  std::vector<std::shared_ptr<const PreparedDocument>> prepared;
  std::vector<RefusedDocument> refused;
  Tokenizer tokenizer;
  std::vector<NodeRef> refs; // global node number -> (doc, node)
  /// doc -> global number of its first node, and one more at the end: documents are
  /// numbered node by node.
  std::vector<uint32_t> first_node;
  uint32_t global(uint32_t doc, uint32_t node) const { return first_node[doc] + node; }
  uint32_t nodes_of(uint32_t doc) const { return first_node[doc + 1] - first_node[doc]; }
  std::unordered_map<std::string, uint32_t> doc_by_path; // normalised path -> doc
  /// Normalised index name -> doc, views of the prepared documents' name_key: search looks
  /// each hit's document up by the name in its data.
  std::unordered_map<std::string_view, uint32_t> doc_by_name;
  std::vector<bool> handle_shared; // global -> two nodes have its handle
  /// (handle number, global) of the issued handles, sorted: one sort where a hash table of
  /// every node's handle was a tenth of a start.
  std::vector<std::pair<uint32_t, uint32_t>> by_handle;
  /// Node id -> global numbers of the nodes with it (a document's first only), views of the
  /// outlines: a bare id is found without parsing any document.
  std::unordered_multimap<std::string_view, uint32_t> by_id;
  /// Global numbers of the warnings with edges: resolve looks for those pointing at what it
  /// delivers without reading every node.
  std::vector<uint32_t> edge_warnings;
  Xapian::Database index; // an in-memory one, or a snapshot of a CorpusIndex's last commit
  Xapian::SimpleStopper stopper;
  std::map<std::string, Xapian::Stem> stemmers; // every language the documents use
  mutable std::mutex index_mutex; // a Xapian database is not safe for concurrent readers

  explicit State(Tokenizer t) : tokenizer(std::move(t)), link_set(prepared) {}
  /// Node g's document and node: parses the document when it was not yet.
  const Document& doc_of(uint32_t g) const { return prepared[refs[g].doc]->document(); }
  const Node& node_of(uint32_t g) const { return doc_of(g).nodes[refs[g].node]; }
  // Derived when shown, not kept: one per node was 5% of a served library's memory (13 of
  // 247 MB at 40k documents), and a query shows only a page of them.
  std::string dense(uint32_t g) const { return dense_view(doc_of(g), node_of(g)); }
  const ViewTokens& tokens(uint32_t g) const { return prepared[refs[g].doc]->tokens[refs[g].node]; }
  uint32_t prepared_handle(uint32_t g) const {
    return prepared[refs[g].doc]->handles[refs[g].node];
  }
  /// Node g's handle; "" when another node has it too (a handle names one node or none).
  std::string handle(uint32_t g) const {
    return handle_shared[g] ? "" : handle_text(prepared_handle(g));
  }
  /// The node a handle (`~` and nine digits) names, if it names one.
  std::optional<uint32_t> by_handle_text(std::string_view handle) const;
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
  /// Global number of the node an indexed node's data names, when this library holds it.
  std::optional<uint32_t> node_indexed(std::string_view data) const;
  /// Global number of the target of `edge` on node g, or -1 when it does not resolve.
  int64_t edge_target(uint32_t g, const Edge& edge) const;
  /// Global numbers of the nodes node g's Markdown links name, in link order, once each (the
  /// resolver is made on the first call: libraries nobody asks for links pay nothing).
  std::vector<uint32_t> link_targets(uint32_t g) const;
  /// The first nodes of the documents node g's document `requires` in its frontmatter, when g
  /// is the node that stands for that document; empty otherwise.
  std::vector<uint32_t> required_documents(uint32_t g) const;
  const LinkResolver& link_resolver() const;
  OutlinedDocuments link_set;
  mutable std::once_flag links_made;
  mutable std::unique_ptr<LinkResolver> links;
  /// Node g's full view as `caller` may read it (Library::full_text).
  std::string full_text(uint32_t g, const Caller& caller) const;
};

/// The parts of a compound question, each a question of its own; one part (or none) when the
/// query is a single question or keywords.
std::vector<std::string> question_parts(std::string_view query);

/// The English stop words search leaves out of documents and queries.
void add_stop_words(Xapian::SimpleStopper& stopper);
/// The posting documents of every node of `document` that search ranks, in node order. Terms,
/// values and data depend on the document alone, so an index updated file by file holds what
/// a fresh build holds. Safe to call on several threads at once.
std::vector<Xapian::Document> node_documents(const PreparedDocument& document,
                                             const Xapian::SimpleStopper& stopper);
/// Adds node_documents() to `index` (replacing none: the caller deletes a document's earlier
/// version by document_term()).
void index_document(Xapian::WritableDatabase& index, const PreparedDocument& document,
                    const Xapian::SimpleStopper& stopper);
/// The boolean term every indexed node of the document named `name` carries.
std::string document_term(std::string_view name);
/// The document name (normalised) and node number an indexed node's data names.
std::pair<std::string_view, uint32_t> indexed_node(std::string_view data);

} // namespace og
