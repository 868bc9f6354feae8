// The two reading primitives over a set of documents: search_index and resolve_context.
// Roles are enforced here: a node outside the caller's scope never appears in any answer —
// not in entries, closures, edges, counts, `known` echoes or error messages.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "og/changes.hpp"
#include "og/document.hpp"
#include "og/result.hpp"
#include "og/tokenizer.hpp"

namespace og {

/// Who is asking. The role is bound by the front end (a CLI flag, a server connection), never
/// read from request arguments. No role: trusted local use, everything is visible.
struct Caller {
  std::optional<std::string> role;
};

/// Exact token costs of a node's three views.
struct ViewTokens {
  size_t index = 0; ///< its index entry line
  size_t dense = 0; ///< its dense summary
  size_t full = 0;  ///< its own full text (heading, directives and body; children excluded)
};

struct IndexEntry {
  std::string id;
  std::string handle; ///< short name for requests (`~482913077`); empty when two nodes share it
  std::string doc;    ///< document path as loaded
  std::string title;
  std::string type;
  std::vector<std::string> keywords;
  std::string dense;
  std::string path; ///< titles of the ancestors, " > "-separated
  double score = 0; ///< search relevance (0 when listing without a query)
  ViewTokens tokens;
  /// The entry as one line of text, as it is delivered to an agent:
  /// `id · type · title — keywords`. A unit has no title: its keywords say what it holds (the
  /// dense summary is the next pass's), or its dense summary when it has no keywords.
  std::string line() const;
};

struct SearchRequest {
  std::string query;              ///< empty: the whole visible index in document order
  size_t limit = 20;              ///< 0 = no limit
  std::vector<std::string> types; ///< only these content types (empty = all)
  std::string doc;                ///< only this document (empty = all)
  /// Entries grouped by document, the document of the best entry first (see search_index).
  bool group_by_document = true;
  /// One entry per document: with a query its best node, without one the node that stands for
  /// it (its first node the caller can see) — a folder of skills or notes at a line each.
  bool one_per_document = false;
};

enum class Depth : uint8_t { dense, full };

struct ResolveRequest {
  std::vector<std::string> ids; ///< `id`, `doc#id` or a handle `~482913077`
  Depth depth = Depth::full;
  std::vector<std::string> follow{"requires"}; ///< edge kinds whose targets are pulled in
  std::optional<size_t> max_tokens;            ///< budget for the delivered texts
  std::vector<std::string> known;              ///< nodes the caller already holds
};

struct ResolvedNode {
  std::string id;
  std::string handle; ///< as IndexEntry::handle
  std::string doc;
  Depth depth = Depth::full;
  std::string why; ///< "requested", "required by <id>", "warning on <id>"
  std::string text;
  size_t tokens = 0;
};

struct OmittedNode {
  std::string id;
  std::string doc;
  std::string reason; ///< "known" or "budget"
};

/// A requested id that several documents hold; the caller writes `doc#id` for one of them.
struct AmbiguousId {
  std::string id;
  std::vector<std::string> docs; ///< the documents holding a node the caller can see
};

/// "`summary` is in several documents: a.md#summary, b.md#summary (write doc#id)".
std::string ambiguity_line(const AmbiguousId& ambiguous);

struct ResolveResult {
  std::vector<ResolvedNode> nodes; ///< prerequisites first
  std::vector<OmittedNode> omitted;
  std::vector<std::string> degraded;  ///< ids delivered dense instead of full to fit the budget
  std::vector<std::string> cycles;    ///< `:requires` cycles met, as "a -> b -> a"
  std::vector<std::string> unknown;   ///< requested ids not delivered: none, hidden or ambiguous
  std::vector<AmbiguousId> ambiguous; ///< the unknown ids that name nodes in several documents
  size_t tokens = 0;
};

struct ChangesRequest {
  std::string doc;    ///< document path as loaded; empty when the library holds one document
  uint32_t since = 0; ///< the version the caller last read (0: before the first commit)
  Depth depth = Depth::dense;
};

/// A changelog entry newer than `since`, its changes filtered to what the caller may see.
struct ChangesEntry {
  uint32_t version = 0;
  std::string date;
  std::string message;
  std::vector<std::string> changes; ///< "+id", "~id", "-id"
};

struct ChangesResult {
  std::string doc;
  uint32_t version = 0; ///< the document's current version
  uint32_t since = 0;
  std::vector<ChangesEntry> entries; ///< newest first
  /// Nodes added or changed after `since` that exist now, in document order; `why` is
  /// "added in v8" or "changed in v9" (the latest such version).
  std::vector<ResolvedNode> nodes;
  std::vector<std::string> removed;     ///< ids removed after `since` that the caller could see
  std::vector<std::string> uncommitted; ///< nodes edited after the last commit (served as is)
  size_t tokens = 0;
};

/// A document that is not served as it is on disk, and the first error that says why.
struct RefusedDocument {
  std::string path;
  std::string reason; ///< `path:line:col: error[OG0014]: …`, one line
  bool stale = false; ///< an older version without errors is served instead (og serve)
};

/// Fetches a recorded document's bytes when it is first parsed; nullopt when they are gone.
using SourceLoader = std::function<std::optional<std::string>()>;

/// What serving needs of a document without parsing it: each node's id, title, type and the
/// roles that may see it. Made from the parsed document; an index keeps it in the file's record
/// (docs/index.md), so a library opened from an index parses a document only when a query
/// reads its text.
struct DocumentOutline {
  struct Node {
    std::string id, title, type;
    bool open = false;  ///< a role named nowhere in the document sees it (no scope above it)
    bool edges = false; ///< it has edges (a warning's name what it warns about)
    bool operator==(const Node&) const = default;
  };
  std::string title;                 ///< frontmatter `title`
  std::string skill;                 ///< frontmatter `name` (a skill's)
  std::vector<std::string> declared; ///< the roles its frontmatter declares, in order
  /// The role names that decide visibility: the declared ones, then any other a scope names.
  std::vector<std::string> roles;
  std::vector<Node> nodes;
  /// Bit node * roles.size() + r: roles[r] sees the node (its scope and every ancestor's
  /// admit it, as node_visible_to() says).
  std::vector<bool> seen;

  /// Whether the caller may see node n: what og::visible() answers of the parsed document.
  bool visible(size_t n, const Caller& caller) const;
  bool operator==(const DocumentOutline&) const = default;
};
DocumentOutline outline_of(const Document& document);

/// A document with what serving derives from it alone: each node's exact token costs, its
/// outline and the language its words are stemmed in. Prepared once per content and shared by
/// every library that serves it, so a reload prepares only the files it read again, and an
/// index (og/index.hpp) keeps what is derived so a restart neither parses nor counts again:
/// a document prepared from an index record is parsed on first use.
struct PreparedDocument {
  std::string path; ///< document().path: how it is shown
  /// Its name in an index: og serve's name for the file. The document's path is how it is
  /// shown, which the CLI keeps as the user gave it (`docs/ops/x.og` where og serve says
  /// `ops/x.og`); without an index both are the path.
  std::string name;
  uint64_t hash = 0;              ///< XXH3-64 of document().source
  std::vector<ViewTokens> tokens; ///< node -> exact token costs
  std::string language;           ///< stemming_language()
  DocumentOutline outline;
  /// Derived once here, so that a library made again after an edit costs lookups, not a
  /// pass of path normalisation and hashing over every node of the corpus.
  std::string path_key;          ///< resolve_relative("", path)
  std::string name_key;          ///< resolve_relative("", name)
  std::vector<uint32_t> handles; ///< node -> node_handle(path, id) as its number

  /// The parsed document. For one prepared from a record, parsed now when it was not yet:
  /// throws std::runtime_error when its bytes are gone (the file changed while an older
  /// library still answered) or do not parse to the recorded outline, so nothing is served
  /// from a record that does not fit.
  const Document& document() const;
  /// Its `__changelog` (parses the document).
  const Changelog& changelog() const;
  /// Whether document() has been parsed (a prepared one always is).
  bool parsed() const;

private:
  friend std::shared_ptr<const PreparedDocument>
  prepare(Document, const Tokenizer&, const std::vector<ViewTokens>*, std::string);
  friend std::shared_ptr<const PreparedDocument> prepare_recorded(SourceLoader, std::string,
                                                                  std::string, uint64_t,
                                                                  std::vector<ViewTokens>,
                                                                  std::string, DocumentOutline);
  struct Parsed {
    Document document;
    Changelog changelog;
  };
  void parse_now() const;
  mutable std::once_flag parsed_once_;
  SourceLoader load_; ///< the bytes, for a document prepared from a record
  mutable std::unique_ptr<Parsed> parsed_;
  mutable std::atomic<bool> parsed_flag_{false}; ///< parsed() reads it from any thread
};

/// Prepares a document without errors. `tokens`: the costs an index recorded for these exact
/// bytes (one per node), used instead of the tokenizer; ignored when the count differs.
/// `name`: PreparedDocument::name (empty: the document's path).
std::shared_ptr<const PreparedDocument> prepare(Document document, const Tokenizer& tokenizer,
                                                const std::vector<ViewTokens>* tokens = nullptr,
                                                std::string name = {});
/// A document prepared from what an index recorded of the bytes that hash to `hash`, parsed
/// on first use from what `load` gives: `path` shown, `name` as indexed, the outline, token
/// costs and language the record holds.
std::shared_ptr<const PreparedDocument>
prepare_recorded(SourceLoader load, std::string path, std::string name, uint64_t hash,
                 std::vector<ViewTokens> tokens, std::string language, DocumentOutline outline);

class CorpusIndex;

/// A loaded set of documents with its search index. Immutable after open(); safe to share.
class Library {
public:
  /// Indexes the documents (moved in) with exact token counts from `tokenizer`. A document
  /// with an error is not indexed (refused()): what cannot be read exactly, scopes above all,
  /// is never served as if it had been (docs/spec.md, "Failing closed").
  /// `refused`: documents the caller already left out (og serve's files that do not read),
  /// reported by refused() with the library's own.
  static Result<Library> open(std::vector<Document> documents, Tokenizer tokenizer,
                              std::vector<RefusedDocument> refused = {});
  /// The same over prepared documents (none with errors), searched through `index` when given:
  /// the postings of its last commit, which must hold exactly these documents (DocumentStore
  /// keeps it so). Without one, an in-memory index is built.
  static Result<Library> open(std::vector<std::shared_ptr<const PreparedDocument>> documents,
                              Tokenizer tokenizer, std::vector<RefusedDocument> refused,
                              const CorpusIndex* index);
  /// The documents left out (or served in an older version), in the order given.
  const std::vector<RefusedDocument>& refused() const;
  /// Every role some document declares in `roles`, sorted, once each.
  std::vector<std::string> declared_roles() const;
  /// A role that no document declares sees only unscoped nodes: front ends refuse it by name
  /// (a typo such as `--role opertor`). nullopt when `role` is declared; else the message.
  std::optional<std::string> unknown_role_message(const std::string& role) const;

  /// The content types a search can filter on: the core types (spec §4.1), then the others
  /// that nodes `caller` can see use, in document order. A type outside it is a typo
  /// (`stpes`) that would silently match nothing, so front ends refuse it.
  std::vector<std::string> known_types(const Caller& caller) const;

  std::vector<IndexEntry> search_index(const SearchRequest& request, const Caller& caller) const;
  ResolveResult resolve_context(const ResolveRequest& request, const Caller& caller) const;
  /// What changed in a document after version `since`: delta loading for a caller that holds
  /// an older version. Errors name the unknown document or a `since` beyond the current version.
  Result<ChangesResult> changes_since(const ChangesRequest& request, const Caller& caller) const;

  struct NodeHandle {
    const Document* document = nullptr;
    const Node* node = nullptr;
  };
  /// The node named `id` or `doc#id` that `caller` can see. A hidden node reads as unknown;
  /// an id found in several documents is an error naming them. `doc` is the path as loaded or
  /// any trailing part of it (`payments.og` for `serve/payments.og`).
  Result<NodeHandle> find(const std::string& ref, const Caller& caller) const;

  /// The prepared documents, in load order: what a pass over every document reads (their
  /// outlines) without parsing them.
  const std::vector<std::shared_ptr<const PreparedDocument>>& prepared() const;
  /// prepared()[d]->document(): parses it when it was not yet.
  const Document& document(size_t d) const;
  /// The document loaded as `path` (lexically normalised), or nullptr. Visibility is the
  /// caller's business: a document may hold nodes a role cannot see.
  const Document* document(const std::string& path) const;
  /// The prepared document loaded as `path`, or nullptr.
  const PreparedDocument* prepared(const std::string& path) const;
  /// The full view of document(doc).nodes[node] as `caller` may read it: edge directives
  /// lose targets the caller cannot see (a line left with none is dropped), so no hidden id
  /// leaks through a `:requires` line. The caller must be able to see the node itself.
  std::string full_text(size_t doc, size_t node, const Caller& caller) const;
  const Tokenizer& tokenizer() const;

  struct State;

private:
  explicit Library(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  std::shared_ptr<const State> state_;
};

/// A node's handle: `~` and nine digits of the XXH3-64 of `doc#id` (the document path
/// normalised). Four tokens where `doc#id` is often twenty, and stable while the document's
/// name and the node's id are: an agent can write it again and again. A handle two nodes of a
/// library share is issued to neither (Library leaves it empty).
std::string node_handle(std::string_view doc, std::string_view id);
/// The handle whose number is `number` (below 10⁹): `~` and nine digits.
std::string handle_text(uint32_t number);

/// The index line of a node, as IndexEntry::line() gives it; with `scope` (the `__index`
/// list's `@roles`) after its type.
std::string index_line(const Document& document, const Node& node,
                       const std::vector<std::string>& scope = {});
/// The dense view of a node: its `:dense`, or else the first sentence of its own text.
std::string dense_view(const Document& document, const Node& node);
/// The full view of a node: heading, directives and body (children excluded). Directives that
/// only serve search and tools are left out (kept_in_full_view): the dense summary came with
/// the Dense pass, keywords and hashes say nothing the text does not.
std::string full_view(const Document& document, const Node& node);
/// `:dense`, `:keywords`, `:made-from`, `:hash`.
bool is_search_aid(std::string_view directive);
/// Whether the full view keeps this directive line: every one but the search aids, and
/// `:dense` too on a node whose body is blank (there the summary is the only text).
bool kept_in_full_view(const Document& document, const Node& node, std::string_view directive);
/// The Snowball stemmer search uses for a document's words (Xapian's name: "english",
/// "russian", …): frontmatter `lang` or `language`, else a Hugo-style file name `page.ru.md`,
/// else a folder named by a language code (`docs/ru/`, `pt-br/`), else English. A language
/// Xapian has no stemmer for (Chinese, Japanese) reads as English: its words are not stemmed.
std::string stemming_language(const Document& document);

/// Can `caller` see the node: its scope and every ancestor's scope admit the role.
bool visible(const Document& document, const Node& node, const Caller& caller);

} // namespace og
