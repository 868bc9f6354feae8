// Prompts (how to read these documents; follow one) and argument completion for prompts and
// resource templates. Both see only what the caller's role may read.
#include <algorithm>

#include <fmt/format.h>

#include "og/query_text.hpp"
#include "serve/serve.hpp"

namespace og::serve {

namespace {

constexpr size_t max_completions = 100; // the most completion/complete may return (MCP)

json argument(const char* name, const char* description, bool required) {
  return {{"name", name}, {"description", description}, {"required", required}};
}

json make_prompt_list() {
  return json::array(
      {{{"name", "read_documents"},
        {"title", "Read the documents in three passes"},
        {"description", "How to answer from these documents with few tokens: search the "
                        "index, read dense summaries, open full text only where needed, "
                        "within a token budget."},
        {"arguments",
         json::array({argument("question", "what to find out (optional)", false),
                      argument("budget", "tokens to spend on document text (optional)", false)})}},
       {{"name", "follow_document"},
        {"title", "Follow a document step by step"},
        {"description", "Start a task from a document (a runbook, a procedure): its index, "
                        "then each step read in full before it is done, warnings heeded, "
                        "assertions run."},
        {"arguments",
         json::array({argument("doc", "the document, as resources/list names it", true),
                      argument("node", "the node to start from (optional)", false)})}}});
}

json user_message(std::string text) {
  return {{"role", "user"}, {"content", {{"type", "text"}, {"text", std::move(text)}}}};
}

std::string string_argument(const json& arguments, const char* name) {
  auto it = arguments.find(name);
  if (it == arguments.end() || it->is_null()) return "";
  if (!it->is_string()) // prompt arguments are strings in MCP
    throw PromptError{fmt::format("arguments.{}: expected a string", name)};
  return it->get<std::string>();
}

json read_documents(const json& arguments) {
  std::string question = string_argument(arguments, "question");
  std::string budget = string_argument(arguments, "budget");
  if (!budget.empty() && budget.find_first_not_of("0123456789") != std::string::npos)
    throw PromptError{"arguments.budget: expected a number of tokens, e.g. \"2000\""};
  std::string text = instructions;
  if (!budget.empty())
    text += fmt::format(" Spend at most {} tokens of document text: pass max_tokens={} to "
                        "resolve_context and add up the costs search_index shows.",
                        budget, budget);
  if (!question.empty()) text += "\n\nQuestion: " + question;
  return {{"description", "Read the documents in three passes"},
          {"messages", json::array({user_message(std::move(text))})}};
}

/// Whether the caller sees at least one node of the document: one it sees none of reads as
/// unknown.
bool sees_any_node(const PreparedDocument& doc, const Caller& caller) {
  for (size_t n = 0; n < doc.outline.nodes.size(); ++n)
    if (doc.outline.visible(n, caller)) return true;
  return false;
}

/// The documents the caller sees at least one node of, by served path.
std::vector<std::string> visible_documents(const CallContext& c) {
  std::vector<std::string> out;
  for (const auto& doc : c.library.prepared())
    if (sees_any_node(*doc, c.caller)) out.push_back(doc->path);
  return out;
}

json follow_document(const json& arguments, const CallContext& c) {
  std::string path = string_argument(arguments, "doc");
  std::string start = string_argument(arguments, "node");
  if (path.empty()) throw PromptError{"arguments.doc: required (a document path)"};
  const PreparedDocument* prepared = c.library.prepared(path);
  if (!prepared || !sees_any_node(*prepared, c.caller))
    throw PromptError{"arguments.doc: no document `" + path + "`"}; // hidden reads as unknown
  const Document* doc = &prepared->document();
  if (!start.empty() && (!doc->find(start) || !visible(*doc, *doc->find(start), c.caller)))
    throw PromptError{fmt::format("arguments.node: no node `{}` in {}", start, path)};
  SearchRequest request;
  request.doc = doc->path;
  request.limit = 0;
  std::string index = entries_text(c.library.search_index(request, c.caller), false);
  std::string text = fmt::format(
      "Follow the document {} to carry out its task{}. Its index (handle, id, type, title, "
      "token costs):\n\n{}\nWork through it in order: before doing a step, read it with "
      "resolve_context (its prerequisites and warnings come with it); do what it says; for an "
      "`assert` node run run_assertion with the state you observe and retry or escalate as it "
      "answers. Stop and report when a warning applies or an escalation is reached.",
      doc->path, start.empty() ? "" : ", starting at #" + start, index);
  return {{"description", "Follow " + doc->path},
          {"messages", json::array({user_message(std::move(text))})}};
}

/// Up to max_completions of `names` that start with `prefix` (case-insensitively), then those
/// that contain it; `total` counts them all.
json completion_of(const std::vector<std::string>& names, const std::string& prefix) {
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return s;
  };
  std::string want = lower(prefix);
  std::vector<std::string> starts, contains;
  for (const auto& name : names) {
    std::string n = lower(name);
    if (n.rfind(want, 0) == 0)
      starts.push_back(name);
    else if (n.find(want) != std::string::npos)
      contains.push_back(name);
  }
  starts.insert(starts.end(), contains.begin(), contains.end());
  size_t total = starts.size();
  if (starts.size() > max_completions) starts.resize(max_completions);
  return {
      {"completion", {{"values", starts}, {"total", total}, {"hasMore", total > max_completions}}}};
}

std::vector<std::string> node_ids(const CallContext& c, const std::string& path) {
  std::vector<std::string> ids;
  if (const PreparedDocument* doc = c.library.prepared(path))
    for (size_t n = 0; n < doc->outline.nodes.size(); ++n)
      if (doc->outline.visible(n, c.caller)) ids.push_back(doc->outline.nodes[n].id);
  return ids;
}

} // namespace

const json& prompt_list() {
  static const json prompts = make_prompt_list();
  return prompts;
}

std::optional<json> get_prompt(const std::string& name, const json& arguments,
                               const CallContext& context) {
  if (name == "read_documents") return read_documents(arguments);
  if (name == "follow_document") return follow_document(arguments, context);
  return std::nullopt;
}

json complete(const json& params, const CallContext& c) {
  const json& ref = params.at("ref");
  const json& arg = params.at("argument");
  std::string type = ref.at("type").get<std::string>();
  std::string name = arg.at("name").get<std::string>();
  std::string value = arg.value("value", "");
  json context = params.value("context", json::object()).value("arguments", json::object());
  auto context_string = [&](const char* key) {
    return context.contains(key) && context[key].is_string() ? context[key].get<std::string>()
                                                             : std::string();
  };
  // A prompt or template this server does not have has nothing to complete: an empty list.
  if (type == "ref/prompt" && ref.value("name", "") == "follow_document") {
    if (name == "doc") return completion_of(visible_documents(c), value);
    if (name == "node") return completion_of(node_ids(c, context_string("doc")), value);
  }
  if (type == "ref/resource" && ref.value("uri", "").rfind("og://doc/{path}", 0) == 0) {
    if (name == "path") return completion_of(visible_documents(c), value);
    if (name == "id") return completion_of(node_ids(c, context_string("path")), value);
  }
  return completion_of({}, value);
}

} // namespace og::serve
