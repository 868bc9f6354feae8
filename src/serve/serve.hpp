// Internal interface of the server: tool and resource handlers behind the dispatcher.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "og/serve.hpp"

namespace og::serve {

using json = nlohmann::json;

struct CallContext {
  const Library& library;
  const Caller& caller;
  const ServeLimits& limits;
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
json resource_templates();
/// `contents` of a resource, or nullopt when there is none (or it is hidden).
std::optional<json> read_resource(const std::string& uri, const CallContext& context);

} // namespace og::serve
