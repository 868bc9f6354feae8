// Hot reload: inotify on the served directories. Events are gathered until the tree has been
// quiet for a moment (a `git checkout` of 2,000 files is one reload), then DocumentStore::reload
// re-reads what changed: the files the events named when they name every change, else what a
// walk of the tree finds changed. A file opened for writing and not yet closed keeps its old
// version, so half-written files are never served.
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include "og/serve.hpp"

namespace og {

namespace fs = std::filesystem;

namespace {

/// How long the tree must be quiet before a reload, and the longest a reload waits under a
/// steady stream of events (a writer that never stops must not starve readers of changes).
constexpr int quiet_ms = 200;
constexpr auto max_wait = std::chrono::seconds(2);

constexpr uint32_t watched_events = IN_CLOSE_WRITE | IN_MODIFY | IN_MOVED_TO | IN_MOVED_FROM |
                                    IN_DELETE | IN_CREATE | IN_DELETE_SELF;

class Watcher {
public:
  Watcher(int fd, const std::function<void(std::string)>& log) : fd_(fd), log_(log) {}

  /// Watches `dir` and every directory below it that a walk would enter.
  void add_tree(const fs::path& dir) {
    add(dir);
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name.starts_with(".") || name == "node_modules") {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_directory(ec) && !it->is_symlink(ec)) add(it->path());
    }
  }

  /// Reads the pending events; returns whether any arrived.
  bool drain() {
    alignas(inotify_event) char buffer[16384];
    bool any = false;
    for (ssize_t n; (n = read(fd_, buffer, sizeof buffer)) > 0;)
      for (char* at = buffer; at < buffer + n;) {
        auto* event = reinterpret_cast<inotify_event*>(at);
        at += sizeof(inotify_event) + event->len;
        any = true;
        on_event(*event);
      }
    return any;
  }

  std::vector<std::string> take_changed() {
    std::vector<std::string> changed(changed_.begin(), changed_.end());
    changed_.clear();
    return changed;
  }
  /// Whether the paths taken are every change since the last take: no folder, link or ignore
  /// file changed, no event was lost and every folder is watched. Then a reload can look at
  /// those files alone.
  bool take_complete() {
    bool complete = complete_ && !warned_limit_;
    complete_ = true;
    return complete;
  }
  const std::set<std::string>& being_written() const { return writing_; }

private:
  void add(const fs::path& dir) {
    int wd = inotify_add_watch(fd_, dir.c_str(), watched_events);
    if (wd >= 0)
      directories_[wd] = dir.string();
    else if (!warned_limit_ && errno == ENOSPC)
      warned_limit_ = true, log_("hot reload: out of inotify watches "
                                 "(fs.inotify.max_user_watches); some folders are not watched");
  }

  void on_event(const inotify_event& event) {
    if (event.mask & IN_Q_OVERFLOW) complete_ = false; // events were dropped
    if (event.mask & (IN_DELETE_SELF | IN_IGNORED)) {
      complete_ = false;
      directories_.erase(event.wd);
      return;
    }
    if (!event.len) return;
    auto dir = directories_.find(event.wd);
    if (dir == directories_.end()) return;
    fs::path path = fs::path(dir->second) / event.name;
    bool is_dir = event.mask & IN_ISDIR;
    std::string name = event.name;
    std::error_code ec;
    if (is_dir || name == ".gitignore" || name == ".ogignore" || fs::is_symlink(path, ec))
      complete_ = false; // what a walk would list may change beyond this path
    if (is_dir && (event.mask & (IN_CREATE | IN_MOVED_TO)) && !name.starts_with(".") &&
        name != "node_modules")
      add_tree(path); // a folder created or moved in: its documents come with it
    if (is_dir && (event.mask & IN_MOVED_FROM)) forget_tree(path.string());
    // Opened for writing: a regular file created or modified (a created link is complete).
    if (!is_dir && (event.mask & (IN_CREATE | IN_MODIFY)) &&
        fs::is_regular_file(fs::symlink_status(path, ec)))
      writing_.insert(path.string());
    if (event.mask & (IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM))
      writing_.erase(path.string());
    if (!(event.mask & IN_MODIFY)) changed_.insert(path.string());
  }

  void forget_tree(const std::string& dir) {
    for (auto it = directories_.begin(); it != directories_.end();) {
      if (it->second == dir || it->second.starts_with(dir + "/")) {
        inotify_rm_watch(fd_, it->first);
        it = directories_.erase(it);
      } else {
        ++it;
      }
    }
  }

  int fd_;
  const std::function<void(std::string)>& log_;
  std::map<int, std::string> directories_; // watch descriptor -> directory
  std::set<std::string> changed_;          // paths named by events since the last reload
  std::set<std::string> writing_;          // opened for writing, not closed yet
  bool warned_limit_ = false;
  bool complete_ = true; ///< see take_complete()
};

} // namespace

void watch_documents(const std::shared_ptr<DocumentStore>& store, const std::atomic<bool>& stop,
                     const std::function<void(std::string)>& log) {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return log("hot reload off: inotify is not available");
  Watcher watcher(fd, log);
  for (const auto& root : store->roots()) {
    std::error_code ec;
    fs::path dir = fs::is_directory(root, ec) ? fs::path(root) : fs::path(root).parent_path();
    watcher.add_tree(dir.empty() ? fs::path(".") : dir);
  }
  // Files edited between the first load and the watches being in place raised no event: one
  // pass over the signatures catches them (a client may already have subscribed).
  if (store->reload({})) log("reloaded after changes made while hot reload started");
  bool pending = false;
  auto first_event = std::chrono::steady_clock::now();
  while (!stop) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, quiet_ms) > 0 && watcher.drain()) {
      if (!pending) first_event = std::chrono::steady_clock::now();
      pending = true;
      if (std::chrono::steady_clock::now() - first_event < max_wait) continue;
    }
    if (!pending) continue;
    pending = false;
    std::vector<std::string> changed = watcher.take_changed();
    if (store->reload(changed, watcher.being_written(), watcher.take_complete()))
      log("reloaded after changes to " + std::to_string(changed.size()) + " path(s)");
  }
  close(fd);
}

} // namespace og
