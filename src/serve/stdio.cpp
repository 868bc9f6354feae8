// The stdio transport: one JSON-RPC message per line in, one compact line out, logs on stderr.
// A reader thread takes lines in while a worker answers them in order, so that a
// `notifications/cancelled` reaches the request it names while that request runs.
// Notifications (progress, subscriptions, list changes) share stdout with the replies.
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "og/serve.hpp"
#include "serve/queue.hpp"

namespace og {

namespace {

class StdioWriter {
public:
  explicit StdioWriter(std::FILE* out) : out_(out) {}
  void line(const std::string& message) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::fwrite(message.data(), 1, message.size(), out_);
    std::fputc('\n', out_);
    std::fflush(out_);
  }

private:
  std::FILE* out_;
  std::mutex mutex_;
};

/// Lines waiting for the worker, and the ids cancelled while they wait or run.
class Inbox {
public:
  void push(std::string line) {
    if (line.find("notifications/cancelled") != std::string::npos) note_cancel(line);
    lines_.push(std::move(line));
  }
  void close() { lines_.close(); }
  /// The next line; false once input ended and every line was taken.
  bool pop(std::string& line) {
    while (taken_.empty()) {
      bool closed = false;
      taken_ = lines_.take(std::chrono::hours(1), closed);
      if (taken_.empty() && closed) return false;
    }
    line = std::move(taken_.front());
    taken_.pop_front();
    return true;
  }
  bool cancelled(const std::string& id) { return cancelled_.has(id); }

private:
  void note_cancel(const std::string& line) {
    auto message = nlohmann::json::parse(line, nullptr, false);
    if (message.is_discarded() || !message.is_object() ||
        message.value("method", "") != "notifications/cancelled")
      return;
    auto params = message.value("params", nlohmann::json::object());
    if (!params.is_object() || !params.contains("requestId")) return;
    cancelled_.add(params["requestId"].dump());
  }

  serve::MessageQueue lines_;
  std::deque<std::string> taken_; // the worker's: lines taken, not yet handled
  serve::CancelledIds cancelled_;
};

} // namespace

void serve_stdio(const Dispatcher& dispatcher, const Caller& caller, std::FILE* in,
                 std::FILE* out) {
  StdioWriter writer(out);
  Inbox inbox;
  Notifier& notifier = dispatcher.notifier();
  auto send = [&writer](const std::string& message) { writer.line(message); };
  CallControl control{send, [&inbox](const std::string& id) { return inbox.cancelled(id); }};
  std::thread worker([&] {
    Session session{caller, {}};
    std::map<std::string, uint64_t> listens; // open subscriptions/listen requests, by id
    for (std::string line; inbox.pop(line);) {
      DispatchReply reply = dispatcher.handle(line, session, nullptr, &control);
      if (!reply.body.empty()) writer.line(reply.body);
      if (reply.initialized && !session.channel)
        session.channel = notifier.open(caller, send, true); // legacy: list changes, subscribe
      if (reply.listen && !listens.count(reply.listen->id)) {
        writer.line(reply.listen->acknowledged);
        uint64_t channel =
            notifier.open(caller, send, reply.listen->list_changed, reply.listen->id);
        for (const auto& uri : reply.listen->uris) notifier.subscribe(channel, uri);
        listens[reply.listen->id] = channel;
      }
      if (auto found = listens.find(reply.cancelled); found != listens.end()) {
        notifier.close(found->second);
        writer.line(Dispatcher::listen_closed(found->first));
        listens.erase(found);
      }
    }
    for (const auto& [id, channel] : listens) notifier.close(channel);
    if (session.channel) notifier.close(session.channel);
  });
  std::string line;
  const size_t limit = dispatcher.limits().max_request_bytes;
  for (int c; (c = getc_unlocked(in)) != EOF;) {
    if (c != '\n') {
      // Past the limit the line stops growing (a hostile sender cannot exhaust memory); the
      // dispatcher then refuses it as too large.
      if (line.size() <= limit) line += static_cast<char>(c);
      continue;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") != std::string::npos) inbox.push(std::move(line));
    line.clear();
  }
  inbox.close();
  worker.join();
}

} // namespace og
