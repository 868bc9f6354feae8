// Fuzz target for parse(): every input must parse (no crash, no sanitizer report), write back
// byte for byte, format idempotently, and render.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "og/og.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  og::Document doc = og::parse(input, "fuzz.og");
  if (og::write(doc) != input) std::abort();
  std::string once = og::format(doc);
  std::string twice = og::format(og::parse(once, "fuzz.og"));
  if (once != twice) std::abort();
  (void)og::render_html(doc);
  (void)og::graph_json(doc);
  return 0;
}
