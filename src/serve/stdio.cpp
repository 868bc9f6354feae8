// The stdio transport: one JSON-RPC message per line in, one compact line out, logs on stderr.
#include <string>

#include "og/serve.hpp"

namespace og {

void serve_stdio(const Dispatcher& dispatcher, const Caller& caller, std::FILE* in,
                 std::FILE* out) {
  Session session{caller, {}};
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
      if (!reply.body.empty()) {
        std::fwrite(reply.body.data(), 1, reply.body.size(), out);
        std::fputc('\n', out);
        std::fflush(out);
      }
    }
    line.clear();
  }
}

} // namespace og
