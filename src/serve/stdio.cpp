// The stdio transport: one JSON-RPC message per line in, one compact line out, logs on stderr.
// Notifications (subscriptions, list changes) share stdout with the replies, a line at a time.
#include <map>
#include <mutex>
#include <string>

#include "og/serve.hpp"

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

} // namespace

void serve_stdio(const Dispatcher& dispatcher, const Caller& caller, std::FILE* in,
                 std::FILE* out) {
  Session session{caller, {}};
  StdioWriter writer(out);
  Notifier& notifier = dispatcher.notifier();
  auto send = [&writer](const std::string& message) { writer.line(message); };
  std::map<std::string, uint64_t> listens; // open subscriptions/listen requests, by id
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
    if (line.find_first_not_of(" \t") != std::string::npos) {
      DispatchReply reply = dispatcher.handle(line, session); // oversize lines fail the limit
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
    line.clear();
  }
  for (const auto& [id, channel] : listens) notifier.close(channel);
  if (session.channel) notifier.close(session.channel);
}

} // namespace og
