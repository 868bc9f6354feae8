// The tokenizers the fuzz targets need, loaded once ($OG_TOKENIZER_DIR or the build's
// vocabularies); a target cannot run without them, so a missing one aborts with the reason.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "og/tokenizer.hpp"

namespace fuzz {

inline const og::Tokenizer& tokenizer(og::Encoding encoding) {
  static auto cl100k = og::Tokenizer::load(og::Encoding::cl100k_base);
  static auto o200k = og::Tokenizer::load(og::Encoding::o200k_base);
  auto& loaded = encoding == og::Encoding::cl100k_base ? cl100k : o200k;
  if (!loaded) {
    std::fprintf(stderr, "%s\n", loaded.error().message.c_str());
    std::abort();
  }
  return loaded.value();
}

} // namespace fuzz
