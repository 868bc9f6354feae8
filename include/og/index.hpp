// A persistent corpus index: what serving derives from a tree of documents, kept on disk so a
// start reads it instead of tokenizing and indexing every file again, and updated file by file.
// One directory, a Xapian database: the postings of every node, and per file a record (its
// signature, content hash, bytes and exact token costs). docs/index.md describes it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "og/io.hpp"
#include "og/query.hpp"
#include "og/result.hpp"
#include "og/tokenizer.hpp"

namespace og {

/// What an index records of one file.
struct IndexedFile {
  std::string name; ///< the document's path as served
  FileSignature signature;
  uint64_t hash = 0;              ///< XXH3-64 of the bytes
  std::vector<ViewTokens> tokens; ///< per node, as prepare() counted them
  std::string language;           ///< PreparedDocument::language
  DocumentOutline outline;        ///< PreparedDocument::outline
  std::string source;             ///< the bytes (empty when not asked for)
};

/// Figures of an index, for `og index --status`.
struct IndexStatus {
  std::string dir;
  uint64_t revision = 0;
  size_t files = 0;
  size_t nodes = 0;
  uint64_t bytes_on_disk = 0;
  std::string encoding;
};

/// One index directory. A writer (one process at a time: Xapian's lock) updates it; any number
/// of readers open the last commit and never wait. A commit is atomic: a writer killed at any
/// point leaves the previous revision readable.
class CorpusIndex {
public:
  enum class Access : uint8_t { read, write };
  /// Opens the index in `dir`; for writing, creates it when `dir` is missing or empty. Errors
  /// name `dir` and the fix: it holds something that is not an og index, an index of another
  /// format or encoding, a damaged database, or another process is writing it.
  /// `rebuilt`: for writing, an index og made that is damaged or of another format or
  /// encoding is emptied and made again, and *rebuilt says why (else it stays empty).
  static Result<CorpusIndex> open(const std::string& dir, Access access, Encoding encoding,
                                  std::string* rebuilt = nullptr);

  const std::string& dir() const;
  /// The revision this object reads (for a writer, its last commit).
  uint64_t revision() const;
  /// The record of the file served as `name`, from the revision this object reads.
  std::optional<IndexedFile> file(const std::string& name, bool with_source) const;
  /// Every file's record, in no particular order; `damaged` (if given) counts the records
  /// that could not be decoded.
  std::vector<IndexedFile> files(bool with_source, size_t* damaged = nullptr) const;
  IndexStatus status() const;
  /// Checks the database (Xapian's own check) and every record against its postings: the bytes
  /// hash as recorded, parse without errors to the recorded outline, one token entry per node,
  /// one posting document per searchable node, no postings without a record. One line per
  /// problem; empty when sound.
  std::vector<std::string> verify() const;

  /// A file's new version, for put().
  struct Put {
    const PreparedDocument* document; ///< without errors
    FileSignature signature;
  };
  /// Writer: replaces each file's nodes and record, in order. The terms of later files are
  /// generated on another core while the postings of earlier ones are added. `added` hears
  /// how many are in after each.
  void put(const std::vector<Put>& files, const std::function<void(size_t)>& added = nullptr);
  /// Writer: the file's bytes are unchanged and only its signature moved (a touch, a copy).
  void touch(const std::string& name, const FileSignature& signature);
  /// Writer: the file is gone.
  void remove(const std::string& name);
  /// Writer: removes every file but these (by served name, as put() was given them); how many.
  size_t retain(const std::set<std::string>& names);
  /// Writer: makes every change since the last commit visible at once; the new revision.
  Result<uint64_t> commit();
  /// Whether a writer holds the index now (another og serve or og index).
  bool locked() const;
  /// Reader: moves to the newest commit; true when there is a newer one.
  Result<bool> refresh();

  struct Impl;

private:
  explicit CorpusIndex(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
  friend struct IndexAccess;
};

/// The bytes an index holds, for documents parsed on first use (prepare_recorded): any thread
/// may ask (the reader is its own, and locked). Reads the newest commit, so bytes a later
/// revision still holds unchanged are found after the writer moved on.
class IndexedSources {
public:
  explicit IndexedSources(const CorpusIndex& index);
  /// The bytes recorded for the file served as `name` when they hash to `hash`; nullopt when
  /// the index no longer holds that version (the file changed since, or the index is gone).
  std::optional<std::string> bytes(const std::string& name, uint64_t hash);

private:
  struct Reader;
  std::shared_ptr<Reader> reader_;
};

/// Where `og serve` and `og index` keep the index of these roots when no --index is given:
/// `$XDG_CACHE_HOME/og/index/<hash>` (else `~/.cache/og/index/<hash>`), the hash over the
/// roots' absolute paths, the walk options and the encoding. Never inside the tree.
std::string default_index_dir(const std::vector<std::string>& roots, bool follow_links,
                              Encoding encoding);

} // namespace og
