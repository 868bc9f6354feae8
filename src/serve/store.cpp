// DocumentStore: the served documents, reloaded file by file and swapped in whole.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <future>
#include <map>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>
#include <xapian.h>
#include <xxhash.h>

#include "graph/graph.hpp"
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

namespace {

/// A path relative to a root as a walk writes it: names joined by single slashes, none `.`
/// or `..`, so normalising it would change nothing.
bool plain_relative(std::string_view rest) {
  while (true) {
    size_t slash = rest.find('/');
    std::string_view name = rest.substr(0, slash);
    if (name.empty() || name == "." || name == "..") return false;
    if (slash == std::string_view::npos) return true;
    rest.remove_prefix(slash + 1);
  }
}

} // namespace

std::string DocumentStore::name_of(const std::string& file) const {
  // A walked file below a root: the root's name and the rest as it is (no path arithmetic
  // per file, which was a tenth of a start at 100k files).
  for (const auto& [prefix, name] : root_names_)
    if (file.starts_with(prefix) && plain_relative(std::string_view(file).substr(prefix.size())))
      return name + file.substr(prefix.size());
  std::error_code ec;
  return fs::absolute(file, ec).lexically_normal().lexically_relative(base_).generic_string();
}

Result<std::shared_ptr<DocumentStore>>
DocumentStore::open(std::vector<std::string> paths, Tokenizer tokenizer,
                    std::function<void(std::string)> log, WalkOptions walk,
                    std::function<void(const LoadProgress&)> progress,
                    std::optional<CorpusIndex> index, bool names_as_given) {
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
  if (index) store->sources_.emplace(*index);
  store->index_ = std::move(index);
  store->names_as_given_ = names_as_given;
  store->roots_ = std::move(paths);
  store->walk_ = walk;
  store->base_ = common_base(store->roots_);
  for (const auto& root : store->roots_) {
    std::string prefix = fs::path(root).generic_string(), name = store->name_of(root);
    if (!prefix.ends_with('/')) prefix += '/';
    store->root_names_.emplace_back(prefix, name == "." ? "" : name + "/");
  }
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

bool DocumentStore::load(std::function<void(const LoadProgress&)> progress) {
  progress_ = [&](const LoadProgress& now) {
    files_read_ = now.read;
    files_found_ = now.found;
    files_indexed_ = now.indexed;
    files_to_index_ = now.to_index;
    if (progress) progress(now);
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
  if (size_t to_index = files_to_index_)
    return fmt::format("read all {} files, indexed {} of {}", found, files_indexed_.load(),
                       to_index);
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

/// Runs f(0) … f(n-1) on every core; this thread takes its share and calls `progress(done)`
/// as it goes. `f` must be safe to run concurrently for different arguments.
template <class F>
void on_every_core(size_t n, F&& f, const std::function<void(size_t)>& progress) {
  std::atomic<size_t> next{0}, done{0};
  auto run = [&](bool reporting) {
    for (size_t i; (i = next++) < n;) {
      f(i);
      size_t finished = ++done;
      if (reporting && progress) progress(finished);
    }
  };
  size_t helpers = std::min<size_t>(std::max(1u, std::thread::hardware_concurrency()), n);
  std::vector<std::thread> threads;
  for (size_t t = 1; t < helpers; ++t) threads.emplace_back(run, false);
  run(true);
  for (auto& thread : threads) thread.join();
}

/// Directories, none inside another: what walk_lists() needs of the roots to agree with a walk.
bool separate_directories(const std::vector<std::string>& roots) {
  std::vector<fs::path> real;
  for (const auto& root : roots) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) return false;
    real.push_back(fs::canonical(root, ec));
  }
  for (size_t a = 0; a < real.size(); ++a)
    for (size_t b = 0; b < real.size(); ++b) {
      if (a == b) continue;
      auto [r, p] = std::mismatch(real[a].begin(), real[a].end(), real[b].begin(), real[b].end());
      if (r == real[a].end()) return false; // b lies inside a (or is a)
    }
  return true;
}

} // namespace

std::map<std::string, FileSignature> served_files(const std::vector<std::string>& roots,
                                                  WalkOptions walk) {
  fs::path base = common_base(roots);
  std::map<std::string, FileSignature> files;
  std::error_code ec;
  Walk found = walk_documents(roots, walk);
  for (size_t f = 0; f < found.files.size(); ++f)
    files.emplace(fs::absolute(found.files[f], ec)
                      .lexically_normal()
                      .lexically_relative(base)
                      .generic_string(),
                  found.signatures[f]);
  return files;
}

Result<std::shared_ptr<DocumentStore>> DocumentStore::follow(CorpusIndex index, Tokenizer tokenizer,
                                                             std::function<void(std::string)> log) {
  std::shared_ptr<DocumentStore> store(new DocumentStore());
  store->tokenizer_ = std::move(tokenizer);
  store->log_ = std::move(log);
  store->sources_.emplace(index);
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
      for (auto& record : index_->files(false)) { // the bytes are read when parsed
        auto old = entries_.find(record.name);
        if (old != entries_.end() && old->second.document->hash == record.hash) {
          next.emplace(record.name, old->second);
          continue;
        }
        FileSignature signature = record.signature;
        std::string name = record.name;
        auto document = from_record(std::move(record), name);
        if (!document) {
          log_(name + ": the index's record does not fit its bytes (not served)");
          continue;
        }
        Entry entry;
        entry.signature = signature;
        entry.document = std::move(document);
        entry.indexed = Entry::Indexed::exactly;
        next.emplace(name, std::move(entry));
        changed_names.insert(name);
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
                           const std::set<std::string>& being_written, bool only_changed) {
  if (following_) return follow_index();
  if (roots_.empty()) return false; // held in memory: no files behind it
  // Only the files named, when they are every change and walk_lists() answers as a walk
  // would: an edit then costs its files, not a walk and a stat of the whole tree.
  bool targeted = only_changed && targets_exact_ && library_;
  // A first load reads every record the index holds in one pass, on another core while this
  // one walks the tree; a file without one is then not looked up again.
  bool fresh = entries_.empty() && !library_;
  std::future<Recorded> reading;
  if (index_ && fresh) reading = std::async(std::launch::async, [this] { return read_records(); });
  std::vector<std::string> files;
  std::vector<FileSignature> signatures; // files[i]'s
  if (targeted) {
    files = changed;
    for (const auto& file : files) signatures.push_back(signature_of(file));
  } else {
    Walk walk = walk_documents(roots_, walk_);
    for (const auto& e : walk.errors) log_(e.message());
    for (const auto& skipped : walk.skipped)
      if (reported_.insert(skipped).second) log_("skipped " + skipped);
    targets_exact_ = walk.links == 0 && separate_directories(roots_);
    files = std::move(walk.files);
    signatures = std::move(walk.signatures);
  }
  std::set<std::string> forced, writing;
  std::unordered_set<std::string> seen; // not on a first load: nothing it holds can have gone
  if (!fresh) seen.reserve(files.size());
  for (const auto& file : changed) forced.insert(name_of(file));
  for (const auto& file : being_written) writing.insert(name_of(file));
  std::set<std::string> changed_names; // added, changed or removed documents
  ReloadStats stats;
  // Which files need reading is decided in order; reading, parsing and counting them then runs
  // on every core (the index's reads one at a time), and the results are taken in order.
  struct Work {
    const std::string* file;
    std::string name;
    FileSignature signature;
    Entry* old;
    std::optional<Entry> entry;
    bool read = false;
    bool recorded = false; ///< the index holds a record of `name`
  };
  std::vector<Work> work;
  for (size_t f = 0; f < files.size(); ++f) {
    const std::string& file = files[f];
    if (targeted && !walk_lists(roots_, file)) continue; // gone, or not a document: removed
    std::string name = name_of(file);
    if (!fresh) seen.insert(name);
    auto found = entries_.find(name);
    Entry* old = found == entries_.end() ? nullptr : &found->second;
    const FileSignature& signature = signatures[f];
    bool unchanged = old && old->signature == signature && !forced.count(name);
    // A half-written file waits for its close: the old version stays, a new file waits.
    if (unchanged || writing.count(name)) continue;
    work.push_back({&file, std::move(name), signature, old, std::nullopt});
  }
  Recorded recorded = reading.valid() ? reading.get() : Recorded{};
  std::vector<char> taken(recorded.by_name.size()); // records[i] serves a walked file
  on_every_core(
      work.size(),
      [&](size_t i) {
        Work& w = work[i];
        const std::string& file = *w.file;
        if (!w.old && !forced.count(w.name)) {
          auto record = recorded.by_name.find(w.name); // lookups only: safe on every core
          if (record != recorded.by_name.end()) {
            size_t r = record->second;
            taken[r] = w.recorded = true;
            if (recorded.entries.empty())
              w.entry = indexed_entry(w.name, shown(file, w.name), &w.signature,
                                      std::move(recorded.records[r]));
            else if (recorded.entries[r].signature == w.signature)
              w.entry = std::move(recorded.entries[r]);
          } else if (!recorded.complete) {
            w.entry = indexed_entry(w.name, shown(file, w.name), &w.signature);
          }
        }
        if (!w.entry) {
          w.entry = read_entry(file, w.name, w.signature, w.old);
          w.read = true;
        }
      },
      [&](size_t done) {
        if (progress_) progress_({files.size() - work.size() + done, files.size()});
      });
  auto hint = entries_.begin();      // the work is in name order mostly: each insert costs O(1)
  std::vector<std::string> unserved; // recorded, and now without a document to serve
  for (Work& w : work) {
    if (w.recorded && !w.entry->document) unserved.push_back(w.name);
    stats.read += w.read;
    stats.counted += w.read && w.entry->problem.empty() && w.entry->indexed == Entry::Indexed::no;
    bool differs =
        !w.old || w.entry->document != w.old->document || w.entry->problem != w.old->problem;
    if (differs && library_) changed_names.insert(w.name); // a first load has no listeners
    if (w.old)
      *w.old = std::move(*w.entry);
    else
      hint = std::next(entries_.emplace_hint(hint, std::move(w.name), std::move(*w.entry)));
  }
  std::set<std::string> removed; // deleted or moved
  for (auto it = fresh ? entries_.end() : entries_.begin(); it != entries_.end();) {
    bool gone = !seen.count(it->first) && (!targeted || forced.count(it->first));
    if (!gone) {
      ++it;
      continue;
    }
    if (it->second.document) removed.insert(it->first);
    it = entries_.erase(it);
  }
  changed_names.insert(removed.begin(), removed.end());
  bool first = !library_;
  stats.files = entries_.size();
  stats.removed = removed.size();
  for (const auto& [name, entry] : entries_) stats.refused += !entry.problem.empty();
  stats_ = stats;
  if (changed_names.empty() && !first) return false;
  if (progress_) progress_({files.size(), files.size()});
  // A first load that read every record knows which the tree no longer serves; else the
  // index keeps only what is served (CorpusIndex::retain, a pass over every record).
  bool retain = first && (!recorded.complete || recorded.damaged > 0);
  if (first && !retain) { // nothing was removed from entries_ yet: they were empty
    for (const auto& [name, i] : recorded.by_name)
      if (!taken[i]) removed.insert(name);
    removed.insert(unserved.begin(), unserved.end());
    stats_.removed += removed.size();
  }
  bool indexed = index_ && update_index(removed, retain);
  stats_.committed = indexed;
  return swap_in(changed_names, indexed);
}

bool DocumentStore::update_index(const std::set<std::string>& removed, bool retain) {
  std::vector<Entry*> written; // entries that wait for the commit
  try {
    if (retain) { // the index may hold files that have gone since
      std::set<std::string> served;
      for (const auto& [name, entry] : entries_)
        if (entry.document) served.insert(name);
      stats_.removed += index_->retain(served);
    }
    for (const auto& name : removed) index_->remove(name);
    std::vector<CorpusIndex::Put> puts;
    for (auto& [name, entry] : entries_) {
      if (!entry.document || entry.indexed == Entry::Indexed::exactly) continue;
      if (!entry.problem.empty()) continue; // a stale version stays as the index has it
      if (entry.indexed == Entry::Indexed::bytes)
        index_->touch(name, entry.signature);
      else
        puts.push_back({entry.document.get(), entry.signature});
      entry.indexed = Entry::Indexed::exactly;
      written.push_back(&entry);
      ++stats_.written;
    }
    std::function<void(size_t)> indexed;
    if (progress_ && !puts.empty())
      indexed = [&, found = files_found_.load()](size_t done) {
        progress_({found, found, done, puts.size()});
      };
    index_->put(puts, indexed);
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

DocumentStore::Recorded DocumentStore::read_records() const {
  Recorded out;
  try {
    // No bytes: a document shown by another name is parsed from its record only where that
    // name titles it otherwise (from_record), and then reads its bytes alone.
    out.records = index_->files(false, &out.damaged);
  } catch (const Xapian::Error&) {
    return Recorded{}; // each file is looked up, or read, instead
  }
  out.complete = true;
  out.by_name.reserve(out.records.size());
  for (size_t i = 0; i < out.records.size(); ++i) out.by_name.emplace(out.records[i].name, i);
  if (names_as_given_) return out;
  out.entries.resize(out.records.size());
  for (size_t i = 0; i < out.records.size(); ++i) {
    Entry& entry = out.entries[i];
    entry.signature = out.records[i].signature;
    std::string name = out.records[i].name;
    entry.document = from_record(std::move(out.records[i]), name);
    entry.indexed = Entry::Indexed::exactly;
  }
  out.records.clear(); // each is in its entry now
  return out;
}

std::optional<DocumentStore::Entry>
DocumentStore::indexed_entry(const std::string& name, const std::string& shown,
                             const FileSignature* sig, std::optional<IndexedFile> stored) const {
  if (!index_) return std::nullopt;
  std::optional<IndexedFile> record = std::move(stored);
  if (!record) try {
      std::lock_guard<std::mutex> lock(reading_);
      record = index_->file(name, !derived_alike(shown, name)); // bytes if from_record parses
    } catch (const Xapian::Error&) {
      return std::nullopt; // the file is read instead
    }
  if (!record || (sig && !(record->signature == *sig))) return std::nullopt;
  FileSignature signature = record->signature;
  auto document = from_record(std::move(*record), shown);
  if (!document) return std::nullopt; // read it from the file, and say why
  Entry entry;
  entry.signature = signature;
  entry.document = std::move(document);
  entry.indexed = Entry::Indexed::exactly;
  return entry;
}

bool DocumentStore::derived_alike(const std::string& shown, const std::string& name) {
  return shown == name || graph::file_title(shown) == graph::file_title(name);
}

std::shared_ptr<const PreparedDocument> DocumentStore::from_record(IndexedFile record,
                                                                   const std::string& shown) const {
  if (derived_alike(shown, record.name)) { // what the record says holds for `shown`: parse later
    SourceLoader load = [sources = *sources_, name = record.name, hash = record.hash]() mutable {
      return sources.bytes(name, hash);
    };
    return prepare_recorded(std::move(load), shown, record.name, record.hash,
                            std::move(record.tokens), std::move(record.language),
                            std::move(record.outline));
  }
  // Shown by a path that titles it otherwise (`README.md` at the root of what is served,
  // `docs/README.md` as the CLI names it): the document is parsed now.
  if (record.source.empty()) {
    IndexedSources sources = *sources_; // shares the locked reader
    std::optional<std::string> bytes = sources.bytes(record.name, record.hash);
    if (!bytes) return nullptr;
    record.source = std::move(*bytes);
  }
  if (XXH3_64bits(record.source.data(), record.source.size()) != record.hash) return nullptr;
  Document doc = parse(std::move(record.source), shown);
  if (doc.has_errors()) return nullptr;
  return prepare(std::move(doc), *tokenizer_, &record.tokens, record.name);
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
        std::lock_guard<std::mutex> lock(reading_);
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
  std::lock_guard<std::mutex> lock(reading_);
  log_(entry.problem + (entry.document ? " (keeping the last good version)" : " (not served)"));
  return entry;
}

} // namespace og
