// Fuzz target for og transpile: any input either transpiles or gets an Error (never a crash);
// for Markdown without og syntax (strip changes nothing) it must transpile, strip() must give
// the input back byte for byte, and transpiling the result must change nothing.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "og/og.hpp"
#include "tokenizers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  og::Document doc = og::parse(input, "fuzz.md");
  auto result = og::transpile(doc, fuzz::tokenizer(og::Encoding::cl100k_base));
  bool plain_markdown = !doc.has_errors() && og::strip(doc) == input;
  if (!result) {
    if (plain_markdown) {
      std::fprintf(stderr, "plain Markdown refused: %s\n", result.error().message.c_str());
      std::abort();
    }
    return 0;
  }
  og::Document written = og::parse(result.value().source, "fuzz.og");
  if (plain_markdown && og::strip(written) != input) std::abort();
  auto again = og::transpile(written, fuzz::tokenizer(og::Encoding::cl100k_base));
  if (!again || again.value().changed) std::abort();
  return 0;
}
