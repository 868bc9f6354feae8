// Fuzz target for the :check expression parser and evaluator: any text either parses or gives
// an error with an in-range offset; evaluation of what parses never crashes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "og/assertion.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  og::ExpressionError error;
  auto expression = og::Expression::parse(text, &error);
  if (!expression) {
    if (error.offset > text.size() || error.message.empty()) std::abort();
    return 0;
  }
  (void)expression->evaluate(R"({"a": {"b": [1, "x", null, true]}, "n": 3, "s": "text"})", text);
  return 0;
}
