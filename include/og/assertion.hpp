// Executable assertions: the `:check` expression language and the `check` primitive that
// follows a node's `:retry` and `:escalate`. Evaluation runs no code: expressions read a JSON
// `state` and an `output` string, and regular expressions are RE2 (linear time).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "og/query.hpp"
#include "og/result.hpp"

namespace og {

/// Named bounds of the expression language.
struct ExpressionLimits {
  uint32_t max_bytes = 4096;       ///< longer expressions are refused
  uint32_t max_depth = 64;         ///< nesting of parentheses, `not` and lists (parser recursion)
  uint32_t max_regex_bytes = 1024; ///< pattern length; RE2 also caps its program size
};

/// A parse error with its byte offset in the expression text.
struct ExpressionError {
  uint32_t offset = 0;
  std::string message;
};

/// A parsed `:check` expression. Immutable; cheap to copy.
class Expression {
public:
  static std::optional<Expression> parse(std::string_view text, ExpressionError* error,
                                         const ExpressionLimits& limits = {});

  struct Outcome {
    bool value = false;
    std::string actual; ///< the values it compared, for failure reports
  };
  /// Evaluates against `state` (JSON text, already validated by the caller) and `output`.
  Outcome evaluate(const std::string& state_json, const std::string& output) const;

  struct Tree;

private:
  explicit Expression(std::shared_ptr<const Tree> tree) : tree_(std::move(tree)) {}
  std::shared_ptr<const Tree> tree_;
};

enum class CheckStatus : uint8_t { pass, fail, retry, escalate };
std::string_view check_status_name(CheckStatus status);

struct CheckRequest {
  std::string id;       ///< `id` or `doc#id` of an `.assert` node
  std::string state;    ///< JSON text
  std::string output;   ///< command output the checks may match
  uint32_t attempt = 1; ///< 1 for the first try
};

struct FailedCheck {
  std::string check;  ///< the expression as written
  std::string actual; ///< the values it saw
};

struct CheckResult {
  CheckStatus status = CheckStatus::fail;
  std::vector<FailedCheck> failed;
  std::optional<std::string> retry_after; ///< e.g. "30s", with status retry
  std::optional<std::string> escalate_to; ///< node id, with status escalate (only if visible)
};

/// Runs the node's checks. Errors (unknown or hidden id, not an `.assert` node, state that is
/// not JSON, an expression that does not parse) are values.
Result<CheckResult> check_assertion(const Library& library, const CheckRequest& request,
                                    const Caller& caller);

} // namespace og
