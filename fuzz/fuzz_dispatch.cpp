// Fuzz target for the MCP dispatcher through its in-memory transport: the input is a
// conversation, one JSON-RPC message per line, the first line's first byte choosing stdio or
// HTTP (with headers taken from the second line). Properties: handle() never throws; every
// reply is one JSON-RPC 2.0 object with a result or an error; and a node outside the
// connection's role never leaks into any reply, whatever was asked.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "og/parse.hpp"
#include "og/serve.hpp"
#include "tokenizers.hpp"

namespace {

constexpr std::string_view secret = "ZEBRA-CROSSING-7731";

const char* const document = R"(---
og: 1
version: 3
roles: {admin: [operator], operator: []}
---
# Payments runbook

## Access {#access .prereq}
:dense Get cluster access through the SSO portal.
Use `sso login` to get kubectl credentials.

## Deploy {#deploy .steps scope=operator}
:requires #access
:precedes #verify
1. Run `helm upgrade payments`.
2. Watch the rollout.

## Verify {#verify .assert scope=operator}
:check state.ready >= state.desired and output matches /ok/
:retry 2 every 5s
:escalate #page

Compare ready and desired replicas.

## Page the on-call {#page scope=admin}
:dense Page with the incident tool.
The pager code is ZEBRA-CROSSING-7731.

## Changelog {#__changelog}
- v3 · 2026-05-01 · ~deploy ~page · Pager code rotated.
- v2 · 2026-04-01 · +verify
)";

const og::Dispatcher& dispatcher() {
  static const og::Dispatcher* instance = [] {
    std::vector<og::Document> documents;
    documents.push_back(og::parse(document, "runbook.og"));
    auto store =
        og::DocumentStore::hold(std::move(documents), fuzz::tokenizer(og::Encoding::cl100k_base));
    if (!store) std::abort();
    og::ServeLimits limits;
    limits.max_request_bytes = 4096;
    return new og::Dispatcher(store.value(), limits);
  }();
  return *instance;
}

void check_reply(const og::DispatchReply& reply, bool secret_was_sent) {
  if (reply.body.empty()) return; // a notification
  // (An error may quote what it was sent: only a secret it was not sent is a leak.)
  if (!secret_was_sent && reply.body.find(secret) != std::string::npos) std::abort();
  auto parsed = nlohmann::json::parse(reply.body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object() || parsed.value("jsonrpc", "") != "2.0")
    std::abort();
  if (parsed.contains("result") == parsed.contains("error")) std::abort();
  if (reply.http_status < 200 || reply.http_status > 499) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  bool http = !input.empty() && (input[0] & 1);
  bool secret_was_sent = input.find(secret) != std::string_view::npos;
  og::Session session{og::Caller{std::string("operator")}, {}};
  std::string version, method, name; // HTTP headers, from the first line when http
  og::HttpHeaders headers;
  size_t line_number = 0;
  while (!input.empty()) {
    size_t end = input.find('\n');
    std::string_view line = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    if (http && line_number++ == 0) {
      // "version|method|name": each part present only when non-empty
      size_t a = line.find('|'), b = a == std::string_view::npos ? a : line.find('|', a + 1);
      version = std::string(line.substr(1, a == std::string_view::npos ? line.npos : a - 1));
      if (a != std::string_view::npos) method = std::string(line.substr(a + 1, b - a - 1));
      if (b != std::string_view::npos) name = std::string(line.substr(b + 1));
      headers = {version.empty() ? nullptr : &version, method.empty() ? nullptr : &method,
                 name.empty() ? nullptr : &name};
      continue;
    }
    check_reply(dispatcher().handle(line, session, http ? &headers : nullptr), secret_was_sent);
  }
  return 0;
}
