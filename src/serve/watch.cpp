// Hot reload: inotify on the served directories; changed .og/.md files are re-read together
// after a short quiet period and swapped in by DocumentStore::reload.
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include "og/serve.hpp"

namespace og {

namespace fs = std::filesystem;

namespace {

bool is_document(const std::string& name) {
  return name.size() > 3 && (name.ends_with(".og") || name.ends_with(".md"));
}

} // namespace

void watch_documents(const std::shared_ptr<DocumentStore>& store, const std::atomic<bool>& stop,
                     const std::function<void(std::string)>& log) {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return log("hot reload off: inotify is not available");
  std::map<int, std::string> directories; // watch descriptor -> directory
  auto add = [&](const fs::path& dir) {
    int wd = inotify_add_watch(fd, dir.c_str(),
                               IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE);
    if (wd >= 0) directories[wd] = dir.string();
  };
  for (const auto& root : store->roots()) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) {
      add(fs::path(root).parent_path().empty() ? fs::path(".") : fs::path(root).parent_path());
      continue;
    }
    add(root);
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it); it.increment(ec))
      if (it->is_directory()) add(it->path());
  }
  std::set<std::string> pending;
  alignas(inotify_event) char buffer[16384];
  while (!stop) {
    pollfd p{fd, POLLIN, 0};
    int ready = poll(&p, 1, 200);
    if (ready > 0) {
      for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;)
        for (char* at = buffer; at < buffer + n;) {
          auto* event = reinterpret_cast<inotify_event*>(at);
          at += sizeof(inotify_event) + event->len;
          if (!event->len) continue;
          fs::path path = fs::path(directories[event->wd]) / event->name;
          if ((event->mask & IN_CREATE) && (event->mask & IN_ISDIR)) add(path);
          if (is_document(event->name)) pending.insert(path.string());
        }
      continue; // wait for a quiet period: editors write in several steps
    }
    if (pending.empty()) continue;
    std::vector<std::string> changed(pending.begin(), pending.end());
    pending.clear();
    if (store->reload(changed)) log("reloaded " + std::to_string(changed.size()) + " changed file(s)");
  }
  close(fd);
}

} // namespace og
