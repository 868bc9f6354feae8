// What the transports' threads hand each other: messages (stdio's reader to its worker, the
// Notifier to an HTTP stream) and the ids of cancelled requests.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <string>

namespace og::serve {

class MessageQueue {
public:
  /// `limit` 0: unbounded; else, when full, the oldest message makes room.
  explicit MessageQueue(size_t limit = 0) : limit_(limit) {}

  void push(std::string message) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (limit_ && messages_.size() == limit_) messages_.pop_front();
    messages_.push_back(std::move(message));
    ready_.notify_all();
  }
  void close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    ready_.notify_all();
  }
  /// Waits up to `timeout` for a message or the close, then takes every waiting message;
  /// `closed` says whether the queue is closed (what was pushed before still comes first).
  std::deque<std::string> take(std::chrono::milliseconds timeout, bool& closed) {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait_for(lock, timeout, [&] { return closed_ || !messages_.empty(); });
    std::deque<std::string> out;
    out.swap(messages_);
    closed = closed_;
    return out;
  }

private:
  size_t limit_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::string> messages_;
  bool closed_ = false;
};

/// Ids (as JSON) of requests a client cancelled (`notifications/cancelled`), which running
/// requests check. Bounded: ids of requests long answered are forgotten.
class CancelledIds {
public:
  void add(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (ids_.size() > 4096) ids_.clear();
    ids_.insert(id);
  }
  bool has(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    return ids_.count(id) > 0;
  }

private:
  std::mutex mutex_;
  std::set<std::string> ids_;
};

} // namespace og::serve
