// The JSON-RPC dispatcher: message validation, the two protocol eras, method routing.
#include <fmt/format.h>

#include <array>
#include <stdexcept>

#include "serve/serve.hpp"

namespace og {

namespace {

using serve::json;

constexpr std::string_view modern_version = "2026-07-28";
constexpr std::array<std::string_view, 3> legacy_versions = {"2025-11-25", "2025-06-18",
                                                             "2025-03-26"};
const std::string meta_version_key = "io.modelcontextprotocol/protocolVersion";

// JSON-RPC and MCP error codes (../shared/mcp-facts.md §2).
enum Code : int {
  parse_error = -32700,
  invalid_request = -32600,
  method_not_found = -32601,
  invalid_params = -32602,
  internal_error = -32603,
  resource_not_found_legacy = -32002,
  header_mismatch = -32020,
  unsupported_version = -32022,
};

struct RpcError {
  int code;
  std::string message;
  json data = nullptr;
  int http_status = 200;
};

const json server_info = {{"name", "og"}, {"title", "ObjectGraph"}, {"version", "0.1.0"}};

json capabilities() {
  return {{"tools", {{"listChanged", false}}},
          {"resources", {{"subscribe", true}, {"listChanged", true}}},
          {"prompts", {{"listChanged", false}}},
          {"completions", json::object()}};
}

/// The request being handled: its era decides the shape of results and errors.
struct Call {
  const json& params;
  bool modern = false;
};

json page_of(std::vector<json> items, const json& params, size_t page_size, const char* key) {
  size_t offset = 0;
  if (auto cursor = params.find("cursor"); cursor != params.end() && !cursor->is_null()) {
    const std::string c = cursor->is_string() ? cursor->get<std::string>() : "";
    bool valid = c.size() > 1 && c[0] == 'o' &&
                 c.find_first_not_of("0123456789", 1) == std::string::npos && c.size() < 12;
    if (!valid || (offset = std::stoul(c.substr(1))) > items.size())
      throw RpcError{invalid_params, "params.cursor: not a cursor this server gave"};
  }
  json result;
  size_t end = std::min(items.size(), offset + page_size);
  result[key] =
      json(std::vector<json>(std::make_move_iterator(items.begin() + static_cast<long>(offset)),
                             std::make_move_iterator(items.begin() + static_cast<long>(end))));
  if (end < items.size()) result["nextCursor"] = "o" + std::to_string(end);
  return result;
}

const std::string& string_param(const json& params, const char* key) {
  auto it = params.find(key);
  if (it == params.end() || !it->is_string())
    throw RpcError{invalid_params, fmt::format("params.{}: expected a string", key)};
  return it->get_ref<const std::string&>();
}

/// Methods whose answer depends on the served documents: while the first load runs they wait
/// for it (wait_for_documents) rather than be answered from an empty library.
bool needs_documents(const std::string& method) {
  return method == "tools/call" || method == "resources/read" || method == "prompts/get" ||
         method == "completion/complete" || method == "resources/list";
}

class Handler {
public:
  Handler(std::shared_ptr<const Library> library, const ServeLimits& limits, Session& session,
          Notifier& notifier, const CallControl* control, size_t progress_offset)
      : library_(std::move(library)), limits_(limits), session_(session), notifier_(notifier),
        control_(control), progress_offset_(progress_offset) {}

  json run(const std::string& method, const Call& call, const json& id) {
    serve::CallContext context{*library_, session_.caller, limits_,         control_,
                               nullptr,   id.dump(),       progress_offset_};
    if (auto meta = call.params.find("_meta"); meta != call.params.end() && meta->is_object())
      if (auto token = meta->find("progressToken");
          token != meta->end() && (token->is_string() || token->is_number_integer()))
        context.progress_token = *token;
    if (method == "initialize") return initialize(call);
    if (method == "ping") return json::object();
    if (method == "server/discover") return discover();
    if (method == "tools/list") return json{{"tools", serve::tool_list()}};
    if (method == "tools/call") return call_tool(call, context);
    if (method == "resources/list")
      return page_of(serve::list_resources(context), call.params, limits_.page_size, "resources");
    if (method == "resources/templates/list")
      return json{{"resourceTemplates", serve::resource_templates()}};
    if (method == "resources/read") return read_resource(call, context);
    if ((method == "resources/subscribe" || method == "resources/unsubscribe") && !call.modern)
      return subscribe(method == "resources/subscribe", call);
    if (method == "prompts/list")
      return page_of(serve::prompt_list(), call.params, limits_.page_size, "prompts");
    if (method == "prompts/get") return get_prompt(call, context);
    if (method == "completion/complete") return serve::complete(call.params, context);
    if (method == "logging/setLevel" && !call.modern) return json::object();
    throw RpcError{method_not_found, "method not found: " + method, nullptr, 404};
  }

private:
  json initialize(const Call& call) {
    std::string asked = call.params.value("protocolVersion", "");
    std::string chosen(legacy_versions[0]);
    for (auto v : legacy_versions)
      if (asked == v) chosen = asked;
    session_.protocol_version = chosen;
    return {{"protocolVersion", chosen},
            {"capabilities", capabilities()},
            {"serverInfo", server_info},
            {"instructions", serve::instructions}};
  }

  json discover() {
    json versions = json::array({modern_version});
    for (auto v : legacy_versions) versions.push_back(v);
    return {{"supportedVersions", versions},
            {"capabilities", capabilities()},
            {"instructions", serve::instructions}};
  }

  json call_tool(const Call& call, const serve::CallContext& context) {
    const std::string& name = string_param(call.params, "name");
    json arguments = json::object();
    if (auto it = call.params.find("arguments"); it != call.params.end() && !it->is_null()) {
      if (!it->is_object()) throw RpcError{invalid_params, "params.arguments: expected an object"};
      arguments = *it;
    }
    auto result = serve::call_tool(name, arguments, context);
    if (!result)
      throw RpcError{invalid_params,
                     fmt::format("params.name: unknown tool `{}` (tools: search_index, "
                                 "resolve_context, changes_since, run_assertion, diagnostics)",
                                 name)};
    return std::move(*result);
  }

  json subscribe(bool on, const Call& call) {
    const std::string& uri = string_param(call.params, "uri");
    // Any URI is accepted: refusing unknown ones would tell a role which hidden ones exist.
    if (!on)
      notifier_.unsubscribe(session_.channel, uri);
    else if (!notifier_.subscribe(session_.channel, uri))
      throw RpcError{invalid_params, fmt::format("at most {} subscriptions per session",
                                                 Notifier::max_subscriptions)};
    return json::object();
  }

  json get_prompt(const Call& call, const serve::CallContext& context) {
    const std::string& name = string_param(call.params, "name");
    json arguments = call.params.value("arguments", json::object());
    if (!arguments.is_object())
      throw RpcError{invalid_params, "params.arguments: expected an object"};
    try {
      auto prompt = serve::get_prompt(name, arguments, context);
      if (!prompt)
        throw RpcError{invalid_params, fmt::format("params.name: unknown prompt `{}` (prompts: "
                                                   "read_documents, follow_document)",
                                                   name)};
      return std::move(*prompt);
    } catch (const serve::PromptError& e) {
      throw RpcError{invalid_params, "params." + e.message};
    }
  }

  json read_resource(const Call& call, const serve::CallContext& context) {
    const std::string& uri = string_param(call.params, "uri");
    auto contents = serve::read_resource(uri, context);
    if (!contents)
      throw RpcError{call.modern ? invalid_params : resource_not_found_legacy,
                     "resource not found: " + uri, json{{"uri", uri}}};
    return json{{"contents", std::move(*contents)}};
  }

  std::shared_ptr<const Library> library_;
  const ServeLimits& limits_;
  Session& session_;
  Notifier& notifier_;
  const CallControl* control_;
  size_t progress_offset_; // where this request's progress goes on from (wait_for_documents)
};

std::string error_body(const json& id, const RpcError& e) {
  json error = {{"code", e.code}, {"message", e.message}};
  if (!e.data.is_null()) error["data"] = e.data;
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"error", error}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

/// A 2026-07-28 `subscriptions/listen`: what of the asked-for notifications this server grants
/// (tools and prompts never change, so their list changes are not offered).
DispatchReply::Listen listen_of(const json& id, const json& params) {
  auto wanted = params.find("notifications");
  if (wanted == params.end() || !wanted->is_object())
    throw RpcError{invalid_params, "params.notifications: expected an object"};
  DispatchReply::Listen listen;
  listen.id = id.dump();
  json granted = json::object();
  if (wanted->value("resourcesListChanged", false) == true) {
    listen.list_changed = true;
    granted["resourcesListChanged"] = true;
  }
  if (auto uris = wanted->find("resourceSubscriptions"); uris != wanted->end()) {
    if (!uris->is_array() || uris->size() > Notifier::max_subscriptions)
      throw RpcError{invalid_params,
                     fmt::format("params.notifications.resourceSubscriptions: expected an array "
                                 "of at most {} URIs",
                                 Notifier::max_subscriptions)};
    for (const auto& uri : *uris) {
      if (!uri.is_string())
        throw RpcError{invalid_params,
                       "params.notifications.resourceSubscriptions: expected strings"};
      listen.uris.push_back(uri.get<std::string>());
    }
    granted["resourceSubscriptions"] = *uris;
  }
  listen.acknowledged = json{{"jsonrpc", "2.0"},
                             {"method", "notifications/subscriptions/acknowledged"},
                             {"params",
                              {{"_meta", {{"io.modelcontextprotocol/subscriptionId", id}}},
                               {"notifications", granted}}}}
                            .dump(-1, ' ', false, json::error_handler_t::replace);
  return listen;
}

/// Modern requests carry their era in `_meta`; the version must be ours and the HTTP headers
/// must repeat the body.
bool check_modern(const json& params, const std::string& method, const HttpHeaders* http) {
  auto meta = params.find("_meta");
  if (meta == params.end() || !meta->is_object() || !meta->contains(meta_version_key)) return false;
  const json& version = (*meta)[meta_version_key];
  if (!version.is_string() || version.get<std::string>() != modern_version) {
    json supported = json::array({modern_version});
    throw RpcError{unsupported_version,
                   "unsupported protocol version",
                   {{"supported", supported}, {"requested", version}},
                   400};
  }
  if (!meta->contains("io.modelcontextprotocol/clientCapabilities"))
    throw RpcError{invalid_params,
                   "params._meta.io.modelcontextprotocol/clientCapabilities: required", nullptr,
                   400};
  if (http) {
    auto mismatch = [](const std::string* header, const std::string& expected) {
      return !header || *header != expected;
    };
    if (mismatch(http->protocol_version, std::string(modern_version)) ||
        mismatch(http->method, method))
      throw RpcError{header_mismatch,
                     "MCP-Protocol-Version and Mcp-Method headers must match the body", nullptr,
                     400};
    const char* name_key = method == "tools/call" || method == "prompts/get" ? "name"
                           : method == "resources/read"                      ? "uri"
                                                                             : nullptr;
    if (name_key && params.contains(name_key) && params[name_key].is_string() &&
        mismatch(http->name, params[name_key].get<std::string>()))
      throw RpcError{header_mismatch, "the Mcp-Name header must match the body", nullptr, 400};
  }
  return true;
}

} // namespace

Dispatcher::Dispatcher(std::shared_ptr<DocumentStore> store, ServeLimits limits)
    : store_(std::move(store)), limits_(limits), notifier_(std::make_shared<Notifier>(limits)) {
  store_->on_swap([notifier = notifier_](const Library& before, const Library& after,
                                         const std::set<std::string>& changed) {
    notifier->changed(before, after, changed);
  });
}

std::string Dispatcher::listen_closed(const std::string& id) {
  json request_id = json::parse(id);
  return json{{"jsonrpc", "2.0"},
              {"id", request_id},
              {"result",
               {{"resultType", "complete"},
                {"_meta",
                 {{"io.modelcontextprotocol/subscriptionId", request_id},
                  {"io.modelcontextprotocol/serverInfo", server_info}}}}}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {

/// While the store's first load runs: waits for it, with `notifications/progress` every half
/// second when the request asked for progress (files read of files found, then files indexed
/// of those to index added to both; while the library is built, one more each time, without a
/// total); a cancelled request stops waiting (Cancelled).
/// Returns where the request's own progress goes on counting from.
size_t wait_for_documents(const DocumentStore& store, const ServeLimits& limits, const json& params,
                          const json& id, const Session& session, const CallControl* control) {
  if (!store.loading()) return 0;
  json token = nullptr;
  if (auto meta = params.find("_meta"); meta != params.end() && meta->is_object())
    token = meta->value("progressToken", json(nullptr));
  auto waiting = store.snapshot();
  serve::CallContext context{*waiting, session.caller, limits, control, token, id.dump()};
  std::optional<size_t> sent;
  while (auto loading = store.wait_loaded(std::chrono::milliseconds(500))) {
    LoadProgress now = store.load_progress();
    size_t read = now.read + now.indexed, found = now.found + now.to_index;
    size_t next = sent ? std::max(*sent + 1, read) : read;
    context.progress(next, next <= found ? std::optional<size_t>(found) : std::nullopt,
                     "og serve is still reading the documents: " + *loading);
    sent = next;
  }
  return sent ? *sent + 1 : 0;
}

} // namespace

DispatchReply Dispatcher::handle(std::string_view message, Session& session,
                                 const HttpHeaders* http, const CallControl* control) const {
  DispatchReply reply;
  if (message.size() > limits_.max_request_bytes) {
    reply.body = error_body(nullptr, {invalid_request, fmt::format("request larger than {} bytes",
                                                                   limits_.max_request_bytes)});
    reply.http_status = 413;
    return reply;
  }
  json request = json::parse(message, nullptr, false);
  if (request.is_discarded()) {
    reply.body = error_body(nullptr, {parse_error, "parse error: not JSON"});
    reply.http_status = 400; // nothing to route: no era's rules apply
    return reply;
  }
  json id = nullptr;
  bool modern_intent = false; // legacy errors are HTTP 200; modern ones carry their status
  try {
    if (!request.is_object())
      throw RpcError{invalid_request, request.is_array() ? "batches are not supported: send "
                                                           "one message at a time"
                                                         : "a message is a JSON object"};
    if (request.contains("id")) {
      id = request["id"];
      if (!id.is_string() && !id.is_number_integer()) {
        id = nullptr;
        throw RpcError{invalid_request, "id: expected a string or an integer"};
      }
    }
    if (request.value("jsonrpc", json()) != "2.0")
      throw RpcError{invalid_request, "jsonrpc: expected \"2.0\""};
    auto method_it = request.find("method");
    if (method_it == request.end()) {
      if (request.contains("result") || request.contains("error")) return reply; // a response
      throw RpcError{invalid_request, "method: required"};
    }
    if (!method_it->is_string()) throw RpcError{invalid_request, "method: expected a string"};
    const std::string method = method_it->get<std::string>();
    json params = request.value("params", json::object());
    if (!params.is_object()) throw RpcError{invalid_params, "params: expected an object"};
    bool notification = !request.contains("id");
    if (notification) { // initialized, cancelled, …: nothing to answer
      if (method == "notifications/cancelled" && params.contains("requestId"))
        reply.cancelled = params["requestId"].dump();
      return reply;
    }
    modern_intent = params.contains("_meta");
    Call call{params, check_modern(params, method, http)};
    if (method == "subscriptions/listen" && call.modern) {
      reply.listen = listen_of(id, params);
      return reply; // the transport holds the stream open and answers when it ends
    }
    size_t progress_offset =
        needs_documents(method) ? wait_for_documents(*store_, limits_, params, id, session, control)
                                : 0;
    Handler handler(store_->snapshot(), limits_, session, *notifier_, control, progress_offset);
    json result = handler.run(method, call, id);
    reply.initialized = method == "initialize";
    if (call.modern) {
      result["resultType"] = "complete";
      result["_meta"] = {{"io.modelcontextprotocol/serverInfo", server_info}};
      if (method == "tools/list" || method.rfind("resources/", 0) == 0 ||
          method == "prompts/list" || method == "server/discover") {
        result["ttlMs"] = 0;
        result["cacheScope"] = "private"; // answers depend on the caller's role
      }
    }
    reply.body = json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}}.dump(
        -1, ' ', false, json::error_handler_t::replace);
  } catch (const serve::Cancelled&) {
    reply.body.clear(); // a cancelled request gets no response
  } catch (const RpcError& e) {
    reply.body = error_body(id, e);
    reply.http_status = modern_intent ? e.http_status : 200;
  } catch (const json::exception& e) {
    reply.body = error_body(id, {invalid_params, std::string("params: ") + e.what()});
  } catch (const std::runtime_error& e) {
    // A document parsed on first use whose bytes are gone or do not fit its record: this
    // answer fails, the server and the other answers do not.
    reply.body = error_body(id, {internal_error, e.what()});
  }
  return reply;
}

} // namespace og
