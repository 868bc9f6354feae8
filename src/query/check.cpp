// check: run an `.assert` node's `:check` expressions, then answer pass, retry (with the
// interval of `:retry N every D`), escalate (to the `:escalate` target, only when the caller
// can see it) or fail. The engine keeps no state between calls: the caller passes the attempt.
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "og/assertion.hpp"

namespace og {

namespace {

struct RetryRule {
  uint32_t count = 0;
  std::string every;
};

RetryRule retry_rule(const Node& node) {
  RetryRule rule;
  for (const auto& d : node.directives) {
    if (d.name != "retry") continue;
    rule.count = static_cast<uint32_t>(std::strtoul(d.value.c_str(), nullptr, 10));
    size_t every = d.value.find(" every ");
    if (every != std::string::npos) rule.every = d.value.substr(every + 7);
  }
  return rule;
}

} // namespace

std::string_view check_status_name(CheckStatus status) {
  switch (status) {
  case CheckStatus::pass:
    return "pass";
  case CheckStatus::fail:
    return "fail";
  case CheckStatus::retry:
    return "retry";
  case CheckStatus::escalate:
    return "escalate";
  }
  return "fail";
}

Result<CheckResult> check_assertion(const Library& library, const CheckRequest& request,
                                    const Caller& caller) {
  auto found = library.find(request.id, caller);
  if (!found) return found.error();
  const Document* document = found.value().document;
  const Node* node = found.value().node;
  if (node->type != "assert") return Error{fmt::format("`{}` is not an .assert node", request.id)};
  if (nlohmann::json::parse(request.state, nullptr, false).is_discarded())
    return Error{"state is not valid JSON"};

  CheckResult result;
  for (const auto& d : node->directives) {
    if (d.name != "check") continue;
    ExpressionError error;
    auto expression = Expression::parse(d.value, &error);
    if (!expression)
      return Error{
          fmt::format("`:check {}`: {} (at byte {})", d.value, error.message, error.offset + 1)};
    Expression::Outcome outcome = expression->evaluate(request.state, request.output);
    if (!outcome.value) result.failed.push_back({d.value, outcome.actual});
  }
  if (result.failed.empty()) {
    result.status = CheckStatus::pass;
    return result;
  }
  RetryRule retry = retry_rule(*node);
  if (request.attempt <= retry.count) {
    result.status = CheckStatus::retry;
    if (!retry.every.empty()) result.retry_after = retry.every;
    return result;
  }
  result.status = CheckStatus::fail;
  for (const auto& edge : node->edges) {
    if (edge.kind != EdgeKind::escalate || !edge.target.doc.empty()) continue;
    const Node* target = document->find(edge.target.id);
    if (target && visible(*document, *target, caller)) {
      result.status = CheckStatus::escalate;
      result.escalate_to = target->id;
    }
  }
  return result;
}

} // namespace og
