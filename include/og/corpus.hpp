// A set of documents: cross-file edge resolution and checks that span files.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "og/document.hpp"

namespace og {

/// Loads a document named by an edge but not in the set; nullopt when it cannot be read.
using DocumentLoader = std::function<std::optional<Document>(const std::string& path)>;

/// What check_corpus found of the Markdown links in the set's own documents.
struct LinkCounts {
  size_t to_documents = 0; ///< links that name another document (a path or a wikilink)
  size_t resolved = 0;     ///< of those, the ones whose document is in the set or on disk
};

/// Resolves `path.og#id` edges against the other documents of the set (paths relative to the
/// referring document's directory; documents named by edges but missing from the set are added
/// through `load`, when given) and reports dangling targets (OG0050), missing documents (OG0053)
/// and `:requires` cycles that cross files (OG0051). Diagnostics go to the referring document.
/// Markdown links are resolved too (LinkResolver, their documents loaded like edges'): a link
/// written with a document's extension (`x.md`) whose document cannot be found is a warning
/// (OG0054); `links`, when given, receives the counts.
/// Returns the number of documents the set started with (loaded ones follow them).
size_t check_corpus(std::vector<Document>& documents, const DocumentLoader& load = nullptr,
                    LinkCounts* links = nullptr);

/// Lexically normal form of `target` relative to the directory of `from` ("a/b.og" + "../c.og").
std::string resolve_relative(const std::string& from, const std::string& target);

/// Finds what Markdown links (Node::links) name among a set of documents, as the site
/// generators do: a relative path as written, else with `.md`, `.og` or `.markdown` added, else
/// the folder's `index.md`, `README.md` or `_index.md`; a wikilink by note name (the file name
/// without extension, any case; `[[folder/note]]` by the end of the path), the nearest one when
/// several documents share it. The anchor names a node by id, else by the slug of the text
/// (a wikilink's `#Heading`); a link without one, or whose anchor names no node, names the
/// document's first node.
class LinkResolver {
public:
  /// What the resolver reads of the documents it resolves among: a served library answers
  /// from its documents' outlines and parses only the documents a link leads into.
  class Documents {
  public:
    virtual ~Documents() = default;
    virtual size_t size() const = 0;
    virtual const std::string& path(uint32_t doc) const = 0;
    /// Frontmatter `name` (a skill's); empty when it has none.
    virtual const std::string& skill(uint32_t doc) const = 0;
    virtual size_t node_count(uint32_t doc) const = 0;
    virtual const std::string& node_id(uint32_t doc, uint32_t node) const = 0;
    /// The node with this id, or -1 (Document::index_of).
    virtual int32_t index_of(uint32_t doc, std::string_view id) const = 0;
  };
  /// Over parsed documents.
  class Parsed final : public Documents {
  public:
    explicit Parsed(const std::vector<const Document*>& documents) : documents_(documents) {}
    size_t size() const override { return documents_.size(); }
    const std::string& path(uint32_t d) const override { return documents_[d]->path; }
    const std::string& skill(uint32_t d) const override { return documents_[d]->meta.name; }
    size_t node_count(uint32_t d) const override { return documents_[d]->nodes.size(); }
    const std::string& node_id(uint32_t d, uint32_t n) const override {
      return documents_[d]->nodes[n].id;
    }
    int32_t index_of(uint32_t d, std::string_view id) const override {
      return documents_[d]->index_of(id);
    }

  private:
    const std::vector<const Document*>& documents_;
  };

  /// `documents` and `by_path` (normalised path -> index in documents) must outlive it.
  LinkResolver(const Documents& documents,
               const std::unordered_map<std::string, uint32_t>& by_path);

  struct Target {
    uint32_t doc = 0;
    uint32_t node = 0;
    bool anchored = false; ///< the anchor named the node (false: the document's first node)
  };
  /// The node a link in documents[from] names; nullopt when it names no document of the set
  /// or one without nodes.
  std::optional<Target> resolve(uint32_t from, const Link& link) const;
  /// The document a link in documents[from] names, if the set holds it.
  std::optional<uint32_t> document(uint32_t from, const Link& link) const;
  /// The document a frontmatter `requires` entry in documents[from] names: a relative path (as
  /// a link's), else a skill's `name` (Meta::name, any case), else a note name (as a
  /// wikilink's); the nearest when several share it.
  std::optional<uint32_t> named(uint32_t from, const std::string& name) const;
  /// The node that stands for documents[doc]: its first node that og did not generate.
  std::optional<uint32_t> first_node(uint32_t doc) const;
  /// The normalised paths a path link (not a wikilink) in the document at `from` may name, in
  /// the order they are tried.
  static std::vector<std::string> candidate_paths(const std::string& from, const Link& link);

private:
  std::optional<uint32_t> by_note_name(uint32_t from, const std::string& name) const;
  std::optional<uint32_t> nearest(uint32_t from, const std::vector<uint32_t>& candidates) const;
  const Documents& documents_;
  const std::unordered_map<std::string, uint32_t>& by_path_;
  std::unordered_map<std::string, std::vector<uint32_t>> by_note_;  // lowercase note name -> docs
  std::unordered_map<std::string, std::vector<uint32_t>> by_skill_; // lowercase `name` -> docs
};

} // namespace og
