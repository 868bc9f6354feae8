// Fuzz target for the tokenizer, both encodings: decode(encode(s)) == s for any bytes, and
// count() agrees with encode(). Needs the vocabularies ($OG_TOKENIZER_DIR or the build's).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "og/tokenizer.hpp"
#include "tokenizers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  for (auto encoding : {og::Encoding::cl100k_base, og::Encoding::o200k_base}) {
    const og::Tokenizer& tokenizer = fuzz::tokenizer(encoding);
    std::vector<uint32_t> ids = tokenizer.encode(input);
    if (tokenizer.decode(ids) != input) std::abort();
    if (tokenizer.count(input) != ids.size()) std::abort();
  }
  return 0;
}
