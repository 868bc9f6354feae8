// CorpusIndex: a Xapian (glass) database holding every node's postings (the terms, values and
// data index_document() gives, exactly as an in-memory library's) and, as metadata committed
// with them, one record per file and the index's format and encoding.
#include "index/index.hpp"

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "og/corpus.hpp"
#include "og/io.hpp"
#include "og/parse.hpp"
#include "query/query.hpp"

namespace og {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view format_key = "og.format", encoding_key = "og.encoding";
constexpr std::string_view format_value = "og-index 4";
// A file beside the database that says og made the directory: only such a directory is ever
// emptied for a rebuild.
constexpr std::string_view marker_file = "og-index";

/// A file's record is `F` + the hex digits of its nodes' document term (`XF` + the same), so
/// a record found stale names the postings to delete without being read.
std::string record_key(std::string_view name) {
  return "F" + document_term(resolve_relative("", std::string(name))).substr(2);
}

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

bool get_varint(std::string_view& in, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    auto byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

void put_bytes(std::string& out, std::string_view bytes) {
  put_varint(out, bytes.size());
  out += bytes;
}

bool get_bytes(std::string_view& in, std::string_view& bytes) {
  uint64_t size = 0;
  if (!get_varint(in, size) || size > in.size()) return false;
  bytes = in.substr(0, size);
  in.remove_prefix(size);
  return true;
}

void put_strings(std::string& out, const std::vector<std::string>& strings) {
  put_varint(out, strings.size());
  for (const auto& s : strings) put_bytes(out, s);
}

bool get_string(std::string_view& in, std::string& out) {
  std::string_view bytes;
  if (!get_bytes(in, bytes)) return false;
  out = bytes;
  return true;
}

bool get_strings(std::string_view& in, std::vector<std::string>& out) {
  uint64_t count = 0;
  if (!get_varint(in, count) || count > in.size()) return false;
  out.resize(count);
  return std::all_of(out.begin(), out.end(), [&](std::string& s) { return get_string(in, s); });
}

/// The outline after the token costs: one entry per node, then the visibility bits packed.
void put_outline(std::string& out, const DocumentOutline& outline) {
  put_bytes(out, outline.title);
  put_bytes(out, outline.skill);
  put_strings(out, outline.declared);
  put_strings(out, outline.roles);
  for (const auto& node : outline.nodes) {
    put_bytes(out, node.id);
    put_bytes(out, node.title);
    put_bytes(out, node.type);
    out += static_cast<char>(node.open | node.edges << 1);
  }
  for (size_t i = 0; i < outline.seen.size(); i += 8) {
    uint8_t byte = 0;
    for (size_t b = 0; b < 8 && i + b < outline.seen.size(); ++b)
      byte |= static_cast<uint8_t>(outline.seen[i + b]) << b;
    out += static_cast<char>(byte);
  }
}

bool get_outline(std::string_view& in, size_t nodes, DocumentOutline& outline) {
  if (!get_string(in, outline.title) || !get_string(in, outline.skill) ||
      !get_strings(in, outline.declared) || !get_strings(in, outline.roles) || nodes > in.size())
    return false;
  outline.nodes.resize(nodes);
  for (auto& node : outline.nodes) {
    if (!get_string(in, node.id) || !get_string(in, node.title) || !get_string(in, node.type) ||
        in.empty() || static_cast<uint8_t>(in.front()) > 3)
      return false;
    node.open = in.front() & 1;
    node.edges = in.front() & 2;
    in.remove_prefix(1);
  }
  size_t bits = nodes * outline.roles.size();
  if (in.size() < (bits + 7) / 8) return false;
  outline.seen.resize(bits);
  for (size_t i = 0; i < bits; ++i)
    outline.seen[i] = (static_cast<uint8_t>(in[i / 8]) >> (i % 8)) & 1;
  in.remove_prefix((bits + 7) / 8);
  return true;
}

std::string encode_record(const IndexedFile& file) {
  std::string out;
  put_bytes(out, file.name);
  put_varint(out, file.signature.device);
  put_varint(out, file.signature.inode);
  put_varint(out, file.signature.size);
  put_varint(out, static_cast<uint64_t>(file.signature.mtime_ns));
  put_varint(out, file.hash);
  put_varint(out, file.tokens.size());
  for (const auto& t : file.tokens) {
    put_varint(out, t.index);
    put_varint(out, t.dense);
    put_varint(out, t.full);
  }
  put_bytes(out, file.language);
  put_outline(out, file.outline);
  return out;
}

/// The key of a file's bytes, beside its record: readers compare records (small) and fetch
/// only the bytes of the files that changed.
std::string source_key(const std::string& record) {
  return "S" + record.substr(1);
}

std::optional<IndexedFile> decode_record(std::string_view in) {
  IndexedFile file;
  std::string_view name;
  uint64_t mtime = 0, count = 0;
  if (!get_bytes(in, name) || !get_varint(in, file.signature.device) ||
      !get_varint(in, file.signature.inode) || !get_varint(in, file.signature.size) ||
      !get_varint(in, mtime) || !get_varint(in, file.hash) || !get_varint(in, count) ||
      count > in.size())
    return std::nullopt;
  file.signature.mtime_ns = static_cast<int64_t>(mtime);
  file.tokens.resize(count);
  for (auto& t : file.tokens) {
    uint64_t index = 0, dense = 0, full = 0;
    if (!get_varint(in, index) || !get_varint(in, dense) || !get_varint(in, full))
      return std::nullopt;
    t = {index, dense, full};
  }
  if (!get_string(in, file.language) || !get_outline(in, count, file.outline) || !in.empty())
    return std::nullopt;
  file.name = name;
  return file;
}

bool is_empty_dir(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir, ec) && fs::directory_iterator(dir, ec) == fs::directory_iterator();
}

/// Empties a directory og made (it holds the marker), for a rebuild.
Status clear_index_dir(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    fs::remove_all(entry.path(), ec);
    if (ec)
      return Error{fmt::format("{}: cannot remove {}: {}", dir.string(), entry.path().string(),
                               ec.message())};
  }
  return ok_status();
}

} // namespace

struct CorpusIndex::Impl {
  std::string dir;
  Encoding encoding{};
  std::optional<Xapian::WritableDatabase> writer;
  Xapian::Database reader; // the writer itself when writing
  Xapian::SimpleStopper stopper;
  bool in_transaction = false; // an update since the last commit: one revision, all or none
  const Xapian::Database& db() const { return writer ? *writer : reader; }
  Xapian::WritableDatabase& write() {
    if (!in_transaction) writer->begin_transaction(true);
    in_transaction = true;
    return *writer;
  }
};

struct IndexAccess {
  static const CorpusIndex::Impl& impl(const CorpusIndex& index) { return *index.impl_; }
};

Xapian::Database search_snapshot(const CorpusIndex& index) {
  return Xapian::Database(IndexAccess::impl(index).dir);
}

struct IndexedSources::Reader {
  std::mutex mutex;
  std::string dir;
  std::optional<Xapian::Database> db; // opened on the first read
};

IndexedSources::IndexedSources(const CorpusIndex& index) : reader_(std::make_shared<Reader>()) {
  reader_->dir = IndexAccess::impl(index).dir;
}

std::optional<std::string> IndexedSources::bytes(const std::string& name, uint64_t hash) {
  std::lock_guard<std::mutex> lock(reader_->mutex);
  // Twice at most: a reader left behind by the writer's commits reopens at the newest one.
  for (int attempt = 0; attempt < 2; ++attempt) try {
      if (!reader_->db || attempt > 0) reader_->db = Xapian::Database(reader_->dir);
      std::string bytes = reader_->db->get_metadata(source_key(record_key(name)));
      if (XXH3_64bits(bytes.data(), bytes.size()) == hash) {
        bytes.shrink_to_fit(); // Xapian appends it piece by piece: up to twice the size
        return bytes;
      }
    } catch (const Xapian::Error&) {
      reader_->db.reset(); // modified under it, or gone: open again
    }
  return std::nullopt;
}

namespace {

/// Why the database in `dir` is not an og index of this encoding, or "".
std::string mismatch(const Xapian::Database& db, Encoding encoding) {
  std::string format = db.get_metadata(std::string(format_key));
  if (format.empty()) return "is a Xapian database og did not make";
  if (format != format_value)
    return fmt::format("is an index of another format (`{}`, this og reads `{}`)", format,
                       format_value);
  std::string enc = db.get_metadata(std::string(encoding_key));
  if (enc != encoding_name(encoding))
    return fmt::format("counts tokens in {} (wanted {})", enc, encoding_name(encoding));
  return "";
}

Result<CorpusIndex::Impl*> open_impl(CorpusIndex::Impl* impl, CorpusIndex::Access access) {
  const fs::path dir(impl->dir);
  std::error_code ec;
  bool fresh = !fs::exists(dir, ec) || is_empty_dir(dir);
  if (access == CorpusIndex::Access::read) {
    if (fresh)
      return Error{fmt::format("{}: no index here (og index DIR --index {} builds one)", impl->dir,
                               impl->dir)};
    impl->reader = Xapian::Database(impl->dir);
    if (std::string why = mismatch(impl->reader, impl->encoding); !why.empty())
      return Error{fmt::format("{}: {}", impl->dir, why)};
    return impl;
  }
  if (fresh) {
    fs::create_directories(dir, ec);
    if (ec) return Error{fmt::format("{}: cannot create: {}", impl->dir, ec.message())};
    if (auto written = write_file_atomic((dir / marker_file).string(),
                                         "This directory is an og index (docs/index.md).\n");
        !written)
      return written.error();
  } else if (!fs::exists(dir / marker_file, ec)) {
    return Error{fmt::format("{}: not an og index (it holds other files; choose another "
                             "--index)",
                             impl->dir)};
  }
  // Xapian buffers postings for this many documents (nodes) before it writes them out; its
  // default, 10,000, made a full build a quarter slower than 1,000 (bigger in-memory tables,
  // docs/benchmarks.md). Xapian reads it only from the environment; a user's setting stays.
  setenv("XAPIAN_FLUSH_THRESHOLD", "1000", 0);
  impl->writer.emplace(impl->dir, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
  if (fresh) {
    impl->writer->set_metadata(std::string(format_key), std::string(format_value));
    impl->writer->set_metadata(std::string(encoding_key),
                               std::string(encoding_name(impl->encoding)));
    impl->writer->commit();
  } else if (std::string why = mismatch(*impl->writer, impl->encoding); !why.empty()) {
    return Error{fmt::format("{}: {}", impl->dir, why)};
  }
  return impl;
}

} // namespace

Result<CorpusIndex> CorpusIndex::open(const std::string& dir, Access access, Encoding encoding,
                                      std::string* rebuilt) {
  bool locked = false;
  auto attempt = [&]() -> Result<CorpusIndex> {
    auto impl = std::make_shared<Impl>();
    impl->dir = dir;
    impl->encoding = encoding;
    add_stop_words(impl->stopper);
    try {
      auto opened = open_impl(impl.get(), access);
      if (!opened) return opened.error();
    } catch (const Xapian::DatabaseLockError&) {
      locked = true;
      return Error{fmt::format("{}: another process is writing this index (an og serve or og "
                               "index); it can be read meanwhile",
                               dir)};
    } catch (const Xapian::Error& e) {
      return Error{fmt::format("{}: the index cannot be read ({}: {}); og index --rebuild "
                               "makes it again",
                               dir, e.get_type(), e.get_msg())};
    }
    return CorpusIndex(std::move(impl));
  };
  auto opened = attempt();
  if (opened || !rebuilt || access != Access::write) return opened;
  std::error_code ec;
  const std::string& why = opened.error().message;
  if (locked || !fs::exists(fs::path(dir) / marker_file, ec))
    return opened; // in use, or not ours to empty
  if (auto cleared = clear_index_dir(dir); !cleared) return cleared.error();
  *rebuilt = why;
  return attempt();
}

const std::string& CorpusIndex::dir() const {
  return impl_->dir;
}

uint64_t CorpusIndex::revision() const {
  return impl_->db().get_revision();
}

std::optional<IndexedFile> CorpusIndex::file(const std::string& name, bool with_source) const {
  std::string key = record_key(name);
  std::string record = impl_->db().get_metadata(key);
  if (record.empty()) return std::nullopt;
  auto file = decode_record(record);
  if (!file || file->name != name) return std::nullopt; // damaged, or a hash collision
  if (with_source) {
    file->source = impl_->db().get_metadata(source_key(key));
    file->source.shrink_to_fit(); // Xapian appends it piece by piece: up to twice the size
  }
  return file;
}

std::vector<IndexedFile> CorpusIndex::files(bool with_source, size_t* damaged) const {
  std::vector<IndexedFile> files;
  std::vector<std::string> keys;
  const Xapian::Database& db = impl_->db();
  for (auto key = db.metadata_keys_begin("F"); key != db.metadata_keys_end("F"); ++key)
    if (auto file = decode_record(db.get_metadata(*key))) {
      files.push_back(std::move(*file));
      keys.push_back(*key);
    } else if (damaged) {
      ++*damaged;
    }
  // The bytes after every record, in key order: lookups that move on through the table read
  // each block once, where lookups in path order (random in key order) read the B-tree's
  // upper levels again for every file (at 40k documents, most of a start's time).
  if (with_source)
    for (size_t i = 0; i < files.size(); ++i) {
      files[i].source = db.get_metadata(source_key(keys[i]));
      files[i].source.shrink_to_fit();
    }
  return files;
}

IndexStatus CorpusIndex::status() const {
  IndexStatus status;
  status.dir = impl_->dir;
  status.revision = revision();
  status.nodes = impl_->db().get_doccount();
  status.encoding = encoding_name(impl_->encoding);
  const Xapian::Database& db = impl_->db();
  for (auto key = db.metadata_keys_begin("F"); key != db.metadata_keys_end("F"); ++key)
    ++status.files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(impl_->dir, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file(ec)) status.bytes_on_disk += it->file_size(ec);
  return status;
}

std::vector<std::string> CorpusIndex::verify() const {
  std::vector<std::string> problems;
  try {
    std::ostringstream detail;
    if (size_t errors = Xapian::Database::check(impl_->dir, 0, &detail))
      problems.push_back(fmt::format("the database has {} error(s): {}", errors, detail.str()));
  } catch (const Xapian::Error& e) {
    problems.push_back(fmt::format("the database cannot be checked: {}", e.get_msg()));
    return problems;
  }
  const Xapian::Database& db = impl_->db();
  std::set<std::string> recorded; // document terms of the records
  for (auto key = db.metadata_keys_begin("F"); key != db.metadata_keys_end("F"); ++key) {
    auto file = decode_record(db.get_metadata(*key));
    if (file) file->source = db.get_metadata(source_key(*key));
    if (!file) {
      problems.push_back(fmt::format("record {} cannot be read", *key));
      continue;
    }
    std::string term = document_term(resolve_relative("", file->name));
    recorded.insert(term);
    if (XXH3_64bits(file->source.data(), file->source.size()) != file->hash) {
      problems.push_back(file->name + ": the stored bytes do not hash as recorded");
      continue;
    }
    Document doc = parse(std::string(file->source), file->name);
    if (doc.has_errors()) {
      problems.push_back(file->name + ": the stored bytes have errors: " + doc.first_error());
      continue;
    }
    size_t searchable = 0;
    for (const auto& node : doc.nodes) searchable += !is_generated_id(node.id);
    if (file->tokens.size() != doc.nodes.size())
      problems.push_back(fmt::format("{}: {} token entries for {} nodes", file->name,
                                     file->tokens.size(), doc.nodes.size()));
    else if (!(outline_of(doc) == file->outline))
      problems.push_back(file->name + ": the recorded outline is not the bytes' (ids, scopes)");
    if (db.get_termfreq(term) != searchable)
      problems.push_back(fmt::format("{}: {} indexed nodes, {} expected", file->name,
                                     db.get_termfreq(term), searchable));
  }
  for (auto term = db.allterms_begin("XF"); term != db.allterms_end("XF"); ++term)
    if (!recorded.count(*term))
      problems.push_back(
          fmt::format("{} indexed node(s) belong to no recorded file", term.get_termfreq()));
  return problems;
}

namespace {

/// Generates the posting documents of files[0…] on its own thread, at most `ahead` files before
/// the ones taken: Xapian adds postings on one thread, and term generation (tokenising,
/// stemming) was a quarter of a full build's time on it.
class TermPipeline {
public:
  TermPipeline(const std::vector<CorpusIndex::Put>& files, const Xapian::SimpleStopper& stopper)
      : files_(files), made_(files.size()), thread_([this, &stopper] { generate(stopper); }) {}
  ~TermPipeline() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopped_ = true; // also when the taker gave up (a Xapian error): nothing more is made
    }
    changed_.notify_all();
    thread_.join();
  }
  /// files[i]'s documents, once made; rethrows what generating them threw.
  std::vector<Xapian::Document> take(size_t i) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return made_count_ > i || failure_; });
    if (failure_) std::rethrow_exception(failure_);
    taken_ = i + 1;
    changed_.notify_all();
    return std::move(made_[i]);
  }

private:
  static constexpr size_t ahead = 64;
  void generate(const Xapian::SimpleStopper& stopper) {
    for (size_t i = 0; i < files_.size(); ++i) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] { return stopped_ || i < taken_ + ahead; });
        if (stopped_) return;
      }
      std::vector<Xapian::Document> made;
      try {
        made = node_documents(*files_[i].document, stopper);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        failure_ = std::current_exception();
        changed_.notify_all();
        return;
      }
      std::lock_guard<std::mutex> lock(mutex_);
      made_[i] = std::move(made);
      made_count_ = i + 1;
      changed_.notify_all();
    }
  }
  const std::vector<CorpusIndex::Put>& files_;
  std::vector<std::vector<Xapian::Document>> made_;
  std::mutex mutex_;
  std::condition_variable changed_;
  size_t made_count_ = 0, taken_ = 0;
  bool stopped_ = false;
  std::exception_ptr failure_;
  std::thread thread_; // last: starts once the members it uses exist
};

} // namespace

void CorpusIndex::put(const std::vector<Put>& files, const std::function<void(size_t)>& added) {
  if (files.empty()) return;
  Xapian::WritableDatabase& db = impl_->write();
  TermPipeline terms(files, impl_->stopper);
  for (size_t i = 0; i < files.size(); ++i) {
    const PreparedDocument& document = *files[i].document;
    const std::string& name = document.name;
    db.delete_document(document_term(resolve_relative("", name)));
    for (const Xapian::Document& node : terms.take(i)) db.add_document(node);
    std::string key = record_key(name);
    db.set_metadata(key, encode_record({name,
                                        files[i].signature,
                                        document.hash,
                                        document.tokens,
                                        document.language,
                                        document.outline,
                                        {}}));
    db.set_metadata(source_key(key), document.document().source);
    if (added) added(i + 1);
  }
}

void CorpusIndex::touch(const std::string& name, const FileSignature& signature) {
  auto record = file(name, false);
  if (!record) return;
  record->signature = signature;
  impl_->write().set_metadata(record_key(name), encode_record(*record));
}

size_t CorpusIndex::retain(const std::set<std::string>& names) {
  std::set<std::string> kept;
  for (const auto& name : names) kept.insert(record_key(name));
  std::vector<std::string> gone;
  const Xapian::Database& db = impl_->db();
  for (auto key = db.metadata_keys_begin("F"); key != db.metadata_keys_end("F"); ++key)
    if (!kept.count(*key)) gone.push_back(*key);
  for (const auto& key : gone) {
    impl_->write().delete_document("XF" + key.substr(1));
    impl_->write().set_metadata(key, "");
    impl_->write().set_metadata(source_key(key), "");
  }
  return gone.size();
}

void CorpusIndex::remove(const std::string& name) {
  Xapian::WritableDatabase& db = impl_->write();
  db.delete_document(document_term(resolve_relative("", name)));
  db.set_metadata(record_key(name), "");
  db.set_metadata(source_key(record_key(name)), "");
}

Result<uint64_t> CorpusIndex::commit() {
  try {
    if (impl_->in_transaction) {
      impl_->in_transaction = false; // a failed commit cancels the transaction
      impl_->writer->commit_transaction();
    }
  } catch (const Xapian::Error& e) {
    return Error{fmt::format("{}: commit failed, the previous revision stays ({})", impl_->dir,
                             e.get_msg())};
  }
  return revision();
}

bool CorpusIndex::locked() const {
  try {
    return impl_->writer || impl_->reader.locked();
  } catch (const Xapian::Error&) {
    return false;
  }
}

Result<bool> CorpusIndex::refresh() {
  try {
    return impl_->reader.reopen();
  } catch (const Xapian::Error& e) {
    return Error{fmt::format("{}: {}", impl_->dir, e.get_msg())};
  }
}

std::string default_index_dir(const std::vector<std::string>& roots, bool follow_links,
                              Encoding encoding) {
  std::vector<std::string> absolute;
  for (const auto& root : roots) {
    std::error_code ec;
    absolute.push_back(fs::absolute(root, ec).lexically_normal().generic_string());
  }
  std::sort(absolute.begin(), absolute.end());
  std::string key = std::string(encoding_name(encoding)) + (follow_links ? "\1L" : "\1");
  for (const auto& root : absolute) {
    key += '\0';
    key += root;
  }
  fs::path base;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/')
    base = xdg;
  else if (const char* home = std::getenv("HOME"); home && *home)
    base = fs::path(home) / ".cache";
  else
    base = fs::temp_directory_path();
  return (base / "og" / "index" / hash_hex(XXH3_64bits(key.data(), key.size()))).string();
}

} // namespace og
