// DocumentStore: the served documents, reloaded file by file and swapped in whole.
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <utility>

#include <fmt/format.h>
#include <xapian.h>
#include <xxhash.h>

#include "og/corpus.hpp"
#include "og/io.hpp"
#include "og/parse.hpp"
#include "og/serve.hpp"

namespace og {

namespace fs = std::filesystem;

namespace {

/// The deepest directory holding every root: documents are named relative to it, so clients
/// see `ops/canary.og` rather than where the server keeps its files, and relative links
/// between documents keep working.
fs::path common_base(const std::vector<std::string>& roots) {
  std::optional<fs::path> base;
  for (const auto& root : roots) {
    std::error_code ec;
    fs::path dir = fs::absolute(root, ec).lexically_normal();
    if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
    if (!base) {
      base = dir;
      continue;
    }
    fs::path common;
    for (auto a = base->begin(), b = dir.begin(); a != base->end() && b != dir.end() && *a == *b;
         ++a, ++b)
      common /= *a;
    base = common;
  }
  return base.value_or(fs::current_path());
}

} // namespace

std::string DocumentStore::name_of(const std::string& file) const {
  std::error_code ec;
  return fs::absolute(file, ec).lexically_normal().lexically_relative(base_).generic_string();
}

Result<std::shared_ptr<DocumentStore>>
DocumentStore::open(std::vector<std::string> paths, Tokenizer tokenizer,
                    std::function<void(std::string)> log, WalkOptions walk,
                    std::function<void(size_t, size_t)> progress, std::optional<CorpusIndex> index,
                    bool names_as_given) {
  auto store = open_deferred(std::move(paths), std::move(tokenizer), std::move(log), walk,
                             std::move(index), names_as_given);
  if (!store) return store;
  if (!store.value()->load(std::move(progress)))
    return Error{"the search index could not be built (see the log)"};
  return store;
}

Result<std::shared_ptr<DocumentStore>>
DocumentStore::open_deferred(std::vector<std::string> paths, Tokenizer tokenizer,
                             std::function<void(std::string)> log, WalkOptions walk,
                             std::optional<CorpusIndex> index, bool names_as_given) {
  std::shared_ptr<DocumentStore> store(new DocumentStore());
  store->index_ = std::move(index);
  store->names_as_given_ = names_as_given;
  store->roots_ = std::move(paths);
  store->walk_ = walk;
  store->base_ = common_base(store->roots_);
  store->tokenizer_ = std::move(tokenizer);
  store->log_ = std::move(log);
  for (const auto& root : store->roots_) {
    std::error_code ec;
    if (!fs::exists(root, ec) && !fs::is_symlink(root, ec))
      return Error{fmt::format("{}: no such file or directory", root)};
  }
  auto empty = Library::open(std::vector<Document>{}, *store->tokenizer_);
  if (!empty) return empty.error();
  store->empty_ = std::make_shared<const Library>(std::move(empty.value()));
  store->loading_ = true;
  return store;
}

bool DocumentStore::load(std::function<void(size_t, size_t)> progress) {
  progress_ = [&](size_t done, size_t total) {
    files_read_ = done;
    files_found_ = total;
    if (progress) progress(done, total);
  };
  reload({});
  progress_ = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    loading_ = false;
  }
  loaded_.notify_all();
  return library_ != nullptr;
}

std::optional<std::string> DocumentStore::wait_loaded(std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mutex_);
  loaded_.wait_for(lock, timeout, [&] { return !loading_; });
  lock.unlock();
  return loading();
}

std::optional<std::string> DocumentStore::loading() const {
  if (!loading_) return std::nullopt;
  size_t found = files_found_;
  if (found == 0) return "looking for the documents";
  size_t read = files_read_;
  if (read < found) return fmt::format("read {} of {} files", read, found);
  return fmt::format("read all {} files, building the search index", found);
}

Result<std::shared_ptr<DocumentStore>> DocumentStore::hold(std::vector<Document> documents,
                                                           Tokenizer tokenizer) {
  auto library = Library::open(std::move(documents), tokenizer);
  if (!library) return library.error();
  std::shared_ptr<DocumentStore> store(new DocumentStore());
  store->tokenizer_ = std::move(tokenizer);
  store->log_ = [](const std::string&) {};
  store->library_ = std::make_shared<const Library>(std::move(library.value()));
  return store;
}

std::shared_ptr<const Library> DocumentStore::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return library_ ? library_ : empty_;
}

namespace {

/// What identifies a file's content cheaply: a changed inode (an atomic rename, a ConfigMap
/// swap), size or modification time means read it again.
FileSignature signature_of(const std::string& file) {
  struct stat st {};
  if (stat(file.c_str(), &st) != 0) return {};
  return {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
          static_cast<uint64_t>(st.st_size),
          static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

} // namespace

std::map<std::string, FileSignature> served_files(const std::vector<std::string>& roots,
                                                  WalkOptions walk) {
  fs::path base = common_base(roots);
  std::map<std::string, FileSignature> files;
  std::error_code ec;
  for (const auto& file : walk_documents(roots, walk).files)
    files.emplace(
        fs::absolute(file, ec).lexically_normal().lexically_relative(base).generic_string(),
        signature_of(file));
  return files;
}

Result<std::shared_ptr<DocumentStore>> DocumentStore::follow(CorpusIndex index, Tokenizer tokenizer,
                                                             std::function<void(std::string)> log) {
  std::shared_ptr<DocumentStore> store(new DocumentStore());
  store->tokenizer_ = std::move(tokenizer);
  store->log_ = std::move(log);
  store->index_ = std::move(index);
  store->following_ = true;
  store->reload({});
  if (!store->library_) return Error{"the index could not be served (see the log)"};
  return store;
}

bool DocumentStore::follow_index() {
  // A writer may commit while this reads: the records, the bytes and the library's postings
  // must all come from one revision, so a revision that moved on meanwhile is read again.
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto moved = index_->refresh();
    if (!moved) {
      log_(moved.error().message);
      return false;
    }
    if (!moved.value() && library_) return false;
    std::map<std::string, Entry> next;
    std::set<std::string> changed_names;
    try {
      for (auto& record : index_->files(false)) {
        auto old = entries_.find(record.name);
        if (old != entries_.end() && old->second.document->hash == record.hash) {
          next.emplace(record.name, old->second);
          continue;
        }
        auto file = index_->file(record.name, true);
        if (!file) continue;
        Document doc = parse(std::move(file->source), record.name);
        if (doc.has_errors()) {
          log_(doc.first_error() + " (in the index; not served)");
          continue;
        }
        Entry entry;
        entry.signature = record.signature;
        entry.document = prepare(std::move(doc), *tokenizer_, &file->tokens, record.name);
        entry.indexed = Entry::Indexed::exactly;
        next.emplace(record.name, std::move(entry));
        changed_names.insert(record.name);
      }
    } catch (const Xapian::DatabaseModifiedError&) {
      continue; // the revision was overwritten while it was read
    } catch (const Xapian::Error& e) {
      log_(fmt::format("index {}: {}", index_->dir(), e.get_msg()));
      return false;
    }
    for (const auto& [name, entry] : entries_)
      if (!next.count(name)) changed_names.insert(name);
    std::swap(entries_, next);
    if (swap_in(changed_names, true)) return true;
    std::swap(entries_, next); // the index moved on while the library opened it: again
  }
  log_(fmt::format("index {}: it changes faster than it can be read; still serving revision "
                   "before",
                   index_->dir()));
  return false;
}

bool DocumentStore::swap_in(const std::set<std::string>& changed, bool indexed) {
  std::vector<std::shared_ptr<const PreparedDocument>> documents;
  std::vector<RefusedDocument> refused;
  for (const auto& [name, entry] : entries_) {
    if (entry.document) documents.push_back(entry.document);
    if (!entry.problem.empty()) refused.push_back({name, entry.problem, entry.document != nullptr});
  }
  auto library = Library::open(std::move(documents), *tokenizer_, std::move(refused),
                               indexed ? &*index_ : nullptr);
  if (!library) {
    if (!following_) log_("index: " + library.error().message);
    return false;
  }
  auto fresh = std::make_shared<const Library>(std::move(library.value()));
  std::shared_ptr<const Library> before;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    before = std::exchange(library_, fresh);
  }
  if (before)
    for (const auto& listener : listeners_) listener(*before, *fresh, changed);
  return true;
}

bool DocumentStore::reload(const std::vector<std::string>& changed,
                           const std::set<std::string>& being_written) {
  if (following_) return follow_index();
  if (roots_.empty()) return false; // held in memory: no files behind it
  Walk walk = walk_documents(roots_, walk_);
  for (const auto& e : walk.errors) log_(e.message());
  for (const auto& skipped : walk.skipped)
    if (reported_.insert(skipped).second) log_("skipped " + skipped);
  std::set<std::string> forced, writing;
  for (const auto& file : changed) forced.insert(name_of(file));
  for (const auto& file : being_written) writing.insert(name_of(file));
  std::set<std::string> changed_names; // added, changed or removed documents
  std::map<std::string, Entry> next;
  ReloadStats stats;
  stats.files = walk.files.size();
  const size_t step = std::max<size_t>(1, walk.files.size() / 100);
  for (size_t i = 0; i < walk.files.size(); ++i) {
    if (progress_ && i % step == 0) progress_(i, walk.files.size());
    const std::string& file = walk.files[i];
    std::string name = name_of(file);
    auto old = entries_.find(name);
    FileSignature signature = signature_of(file);
    bool unchanged =
        old != entries_.end() && old->second.signature == signature && !forced.count(name);
    if (!unchanged && writing.count(name)) {
      // A half-written file waits for its close: the old version stays, a new file waits.
      if (old != entries_.end()) next.emplace(name, std::move(old->second));
      continue;
    }
    if (unchanged) {
      next.emplace(name, std::move(old->second));
      continue;
    }
    std::optional<Entry> entry;
    if (old == entries_.end() && !forced.count(name))
      entry = indexed_entry(name, shown(file, name), &signature);
    if (!entry) {
      entry = read_entry(file, name, signature, old == entries_.end() ? nullptr : &old->second);
      ++stats.read;
      if (entry->problem.empty() && entry->indexed == Entry::Indexed::no) ++stats.counted;
    }
    if (old == entries_.end() || entry->document != old->second.document ||
        entry->problem != old->second.problem)
      changed_names.insert(name);
    next.emplace(name, std::move(*entry));
  }
  std::set<std::string> removed;
  for (const auto& [name, entry] : entries_)
    if (!next.count(name) && entry.document) removed.insert(name); // deleted or moved
  changed_names.insert(removed.begin(), removed.end());
  bool first = !library_;
  entries_ = std::move(next);
  stats.removed = removed.size();
  for (const auto& [name, entry] : entries_) stats.refused += !entry.problem.empty();
  stats_ = stats;
  if (changed_names.empty() && !first) return false;
  if (progress_) progress_(walk.files.size(), walk.files.size());
  bool indexed = index_ && update_index(first ? std::set<std::string>{} : removed);
  stats_.committed = indexed;
  return swap_in(changed_names, indexed);
}

bool DocumentStore::update_index(const std::set<std::string>& removed) {
  std::vector<Entry*> written; // entries that wait for the commit
  try {
    if (!library_) { // the first load: the index may hold files that have gone since
      std::set<std::string> served;
      for (const auto& [name, entry] : entries_)
        if (entry.document) served.insert(name);
      stats_.removed += index_->retain(served);
    }
    for (const auto& name : removed) index_->remove(name);
    for (auto& [name, entry] : entries_) {
      if (!entry.document || entry.indexed == Entry::Indexed::exactly) continue;
      if (!entry.problem.empty()) continue; // a stale version stays as the index has it
      if (entry.indexed == Entry::Indexed::bytes)
        index_->touch(name, entry.signature);
      else
        index_->put(*entry.document, entry.signature);
      entry.indexed = Entry::Indexed::exactly;
      written.push_back(&entry);
      ++stats_.written;
    }
  } catch (const Xapian::Error& e) {
    log_(fmt::format("index {}: {} (searching in memory)", index_->dir(), e.get_msg()));
    for (Entry* entry : written) entry->indexed = Entry::Indexed::no; // written again next time
    return false;
  }
  auto committed = index_->commit();
  if (committed) return true;
  log_(committed.error().message + " (searching in memory)");
  for (Entry* entry : written) entry->indexed = Entry::Indexed::no;
  return false;
}

ReloadStats DocumentStore::last_reload() const {
  return stats_;
}

void DocumentStore::on_swap(SwapListener listener) {
  listeners_.push_back(std::move(listener));
}

std::optional<DocumentStore::Entry> DocumentStore::indexed_entry(const std::string& name,
                                                                 const std::string& shown,
                                                                 const FileSignature* sig) const {
  if (!index_) return std::nullopt;
  std::optional<IndexedFile> record;
  try {
    record = index_->file(name, true);
  } catch (const Xapian::Error&) {
    return std::nullopt; // the file is read instead
  }
  if (!record || (sig && !(record->signature == *sig))) return std::nullopt;
  Document doc = parse(std::move(record->source), shown);
  if (doc.has_errors()) return std::nullopt; // read it from the file, and say why
  Entry entry;
  entry.signature = record->signature;
  entry.document = prepare(std::move(doc), *tokenizer_, &record->tokens, name);
  entry.indexed = Entry::Indexed::exactly;
  return entry;
}

/// The document to serve for `file`: the new text when it parses without errors, else the last
/// good version (`old`), else none. Never a version with errors (docs/spec.md, "Failing closed").
/// The problem is kept, so clients can be told what is not served and why. Bytes the index
/// already holds (a touch, a rename back) keep their recorded token costs.
DocumentStore::Entry DocumentStore::read_entry(const std::string& file, const std::string& name,
                                               const FileSignature& sig, const Entry* old) {
  auto bytes = read_file(file);
  Entry entry;
  entry.signature = sig;
  if (bytes) {
    Document doc = parse(std::move(bytes.value()), shown(file, name));
    if (!doc.has_errors()) {
      std::optional<IndexedFile> record;
      try {
        if (index_) record = index_->file(name, false);
      } catch (const Xapian::Error&) {
      }
      uint64_t hash = XXH3_64bits(doc.source.data(), doc.source.size());
      bool known = record && record->hash == hash;
      entry.document =
          prepare(std::move(doc), *tokenizer_, known ? &record->tokens : nullptr, name);
      if (known) entry.indexed = Entry::Indexed::bytes;
      return entry;
    }
    entry.problem = doc.first_error();
  } else {
    entry.problem = bytes.error().message;
  }
  if (old) {
    entry.document = old->document;
    entry.indexed = old->indexed;
  } else if (auto indexed = indexed_entry(name, shown(file, name), nullptr)) {
    entry.document = std::move(indexed->document); // the last good version a run indexed
    entry.indexed = Entry::Indexed::exactly;
  }
  log_(entry.problem + (entry.document ? " (keeping the last good version)" : " (not served)"));
  return entry;
}

} // namespace og
