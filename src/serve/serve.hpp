// Internal interface of the server: tool and resource handlers behind the dispatcher.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "og/serve.hpp"

namespace og::serve {

using json = nlohmann::json;

/// Thrown by a handler that sees its request cancelled: the request gets no reply.
struct Cancelled {};

struct CallContext {
  const Library& library;
  const Caller& caller;
  const ServeLimits& limits;
  const CallControl* control = nullptr; ///< progress and cancellation; null: neither
  json progress_token = nullptr;        ///< the request's `_meta.progressToken`, if any
  std::string request_id;               ///< the request's id as JSON
  /// Added to progress and total: a request that waited for the first load, with progress
  /// notifications, goes on counting from there (progress must only increase).
  size_t progress_offset = 0;

  /// Throws Cancelled when the request was cancelled. Long handlers call it between units of
  /// work.
  void check_cancelled() const;
  /// check_cancelled(), then `notifications/progress` when the request asked for it.
  void progress(size_t done, std::optional<size_t> total, const std::string& message) const;
};

/// The Index -> Dense -> Full reading protocol, for `initialize` / `server/discover`.
extern const char* const instructions;

/// `tools/list`'s tools, deterministic order.
const json& tool_list();
/// A CallToolResult, with `isError` for bad arguments (the message names the argument path);
/// nullopt for a tool that does not exist.
std::optional<json> call_tool(const std::string& name, const json& arguments,
                              const CallContext& context);

/// Every resource the caller may see: one per document, one per visible node.
std::vector<json> list_resources(const CallContext& context);
/// The resources of one document the caller may see (none when it sees no node of it).
std::vector<json> document_resources(const PreparedDocument& doc, const Caller& caller);
/// The document path an `og://doc/…` URI names, or nullopt.
std::optional<std::string> document_of(const std::string& uri);
json resource_templates();
/// `contents` of a resource, or nullopt when there is none (or it is hidden).
std::optional<json> read_resource(const std::string& uri, const CallContext& context);

/// `prompts/list`'s prompts.
const json& prompt_list();
/// The messages of a prompt, or an error message naming the bad argument; nullopt for a prompt
/// that does not exist.
struct PromptError {
  std::string message;
};
std::optional<json> get_prompt(const std::string& name, const json& arguments,
                               const CallContext& context);
/// `completion/complete`: values for a prompt's or a resource template's argument.
json complete(const json& params, const CallContext& context);

} // namespace og::serve
