// DocumentStore: the served documents, reloaded file by file and swapped in whole.
#include <algorithm>
#include <filesystem>

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

Result<std::shared_ptr<DocumentStore>> DocumentStore::open(std::vector<std::string> paths,
                                                           Tokenizer tokenizer,
                                                           std::function<void(std::string)> log) {
  std::shared_ptr<DocumentStore> store(new DocumentStore());
  store->roots_ = std::move(paths);
  store->base_ = common_base(store->roots_);
  store->tokenizer_ = std::move(tokenizer);
  store->log_ = std::move(log);
  store->reload({});
  if (!store->library_ || store->library_->documents().empty())
    return Error{"no readable document without errors under the given paths"};
  return store;
}

Result<std::shared_ptr<DocumentStore>> DocumentStore::hold(std::vector<Document> documents,
                                                           Tokenizer tokenizer) {
  auto library = Library::open(documents, tokenizer);
  if (!library) return library.error();
  std::shared_ptr<DocumentStore> store(new DocumentStore());
  store->tokenizer_ = std::move(tokenizer);
  store->log_ = [](const std::string&) {};
  store->documents_ = std::move(documents);
  store->library_ = std::make_shared<const Library>(std::move(library.value()));
  return store;
}

std::shared_ptr<const Library> DocumentStore::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return library_;
}

bool DocumentStore::reload(const std::vector<std::string>& changed) {
  if (roots_.empty()) return false; // held in memory: no files behind it
  std::vector<Error> errors;
  std::vector<std::string> files = collect_documents(roots_, &errors);
  for (const auto& e : errors) log_(e.message);
  std::vector<Document> next;
  bool swapped = false;
  std::vector<std::string> changed_names;
  for (const auto& file : changed) changed_names.push_back(name_of(file));
  for (const auto& file : files) {
    std::string name = name_of(file);
    auto old = std::find_if(documents_.begin(), documents_.end(),
                            [&](const Document& d) { return d.path == name; });
    bool wanted = changed.empty() || std::find(changed_names.begin(), changed_names.end(), name) !=
                                         changed_names.end();
    if (!wanted && old != documents_.end()) {
      next.push_back(std::move(*old));
      continue;
    }
    auto bytes = read_file(file);
    Document doc = bytes ? parse(std::move(bytes.value()), name) : Document{};
    if (!bytes || doc.has_errors()) {
      log_(file + ": " + (bytes ? "has errors (og check shows them)" : bytes.error().message) +
           (old != documents_.end() ? "; keeping the last good version" : "; not served"));
      if (old != documents_.end()) next.push_back(std::move(*old));
      continue;
    }
    next.push_back(std::move(doc));
    swapped = true;
  }
  swapped = swapped || next.size() != documents_.size();
  if (!swapped && library_) {
    documents_ = std::move(next);
    return false;
  }
  auto library = Library::open(next, *tokenizer_);
  if (!library) {
    log_("index: " + library.error().message);
    return false;
  }
  documents_ = std::move(next);
  auto fresh = std::make_shared<const Library>(std::move(library.value()));
  std::lock_guard<std::mutex> lock(mutex_);
  library_ = std::move(fresh);
  return true;
}

} // namespace og
