// Tokenizer: vocabulary loading (the npm `tiktoken` package's encoders/*.json) and the
// encode / count / decode loops over pre-tokens.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tokenize/tokenize.hpp"

#ifndef OG_INSTALLED_VOCAB_DIR
#define OG_INSTALLED_VOCAB_DIR "../share/og/vocab"
#endif
#ifndef OG_DEFAULT_VOCAB_DIR
#define OG_DEFAULT_VOCAB_DIR "vocab"
#endif

namespace og {

namespace {

// The patterns next_pretoken() implements; a vocabulary file with another pattern is refused.
constexpr std::string_view cl100k_pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr std::string_view o200k_pattern =
    R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool decode_base64(std::string_view text, std::string& out) {
  out.clear();
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    int v = base64_value(c);
    if (v < 0) return false;
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return !out.empty();
}

} // namespace

struct Tokenizer::Data {
  Encoding encoding{};
  tokenize::RankTable ranks;
  std::unordered_map<uint32_t, std::string> special; // id -> text
};

std::string_view encoding_name(Encoding encoding) {
  return encoding == Encoding::cl100k_base ? "cl100k_base" : "o200k_base";
}

bool parse_encoding(std::string_view name, Encoding* encoding) {
  if (name == "cl100k_base")
    *encoding = Encoding::cl100k_base;
  else if (name == "o200k_base")
    *encoding = Encoding::o200k_base;
  else
    return false;
  return true;
}

std::string default_vocabulary_dir() {
  const char* dir = std::getenv("OG_TOKENIZER_DIR");
  if (dir && *dir) return dir;
  // An installed og finds the vocabularies its install put beside it (bin/../share/og/vocab),
  // wherever the prefix was moved; a build tree's og falls back to the build's vocab/.
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = (self.parent_path() / OG_INSTALLED_VOCAB_DIR).lexically_normal();
    if (std::filesystem::exists(installed / "cl100k_base.json", ec)) return installed.string();
  }
  return OG_DEFAULT_VOCAB_DIR;
}

Result<Tokenizer> Tokenizer::load(Encoding encoding, const std::string& dir) {
  std::string path = fmt::format("{}/{}.json", dir, encoding_name(encoding));
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error{fmt::format("{}: vocabulary not found; run `bash scripts/fetch-vocab.sh DIR` (it "
                             "unpacks the npm `tiktoken` package's encoders) and pass --vocab DIR "
                             "or set OG_TOKENIZER_DIR",
                             path)};
  std::stringstream content;
  content << in.rdbuf();
  nlohmann::json json = nlohmann::json::parse(content.str(), nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("bpe_ranks") ||
      !json["bpe_ranks"].is_string() || !json.contains("pat_str"))
    return Error{
        fmt::format("{}: not a tiktoken encoder file (pat_str, special_tokens, bpe_ranks)", path)};
  std::string_view expected = encoding == Encoding::cl100k_base ? cl100k_pattern : o200k_pattern;
  if (json["pat_str"] != expected)
    return Error{
        fmt::format("{}: its pre-tokenization pattern is not {}'s", path, encoding_name(encoding))};

  auto data = std::make_shared<Data>();
  data->encoding = encoding;
  const std::string& ranks = json["bpe_ranks"].get_ref<const std::string&>();
  data->ranks.reserve(ranks.size() / 6, ranks.size() * 3 / 4);
  // "! <first rank> <base64> <base64> …": consecutive ranks; a new "! N" restarts the count.
  std::string bytes;
  uint32_t rank = 0;
  for (size_t i = 0; i < ranks.size();) {
    size_t end = ranks.find(' ', i);
    if (end == std::string::npos) end = ranks.size();
    std::string_view word(ranks.data() + i, end - i);
    i = end + 1;
    if (word.empty()) continue;
    if (word == "!") {
      size_t number_end = ranks.find(' ', i);
      if (number_end == std::string::npos) number_end = ranks.size();
      rank =
          static_cast<uint32_t>(std::strtoul(ranks.substr(i, number_end - i).c_str(), nullptr, 10));
      i = number_end + 1;
      continue;
    }
    if (!decode_base64(word, bytes))
      return Error{fmt::format("{}: invalid base64 token `{}`", path, word)};
    data->ranks.add(bytes, rank++);
  }
  if (json.contains("special_tokens") && json["special_tokens"].is_object())
    for (auto& [text, id] : json["special_tokens"].items())
      if (id.is_number_unsigned()) data->special.emplace(id.get<uint32_t>(), text);
  return Tokenizer(std::move(data));
}

Encoding Tokenizer::encoding() const {
  return data_->encoding;
}

std::vector<uint32_t> Tokenizer::encode(std::string_view text) const {
  std::vector<uint32_t> ids;
  ids.reserve(text.size() / 3);
  for (size_t pos = 0; pos < text.size();) {
    size_t end = tokenize::next_pretoken(data_->encoding, text, pos);
    tokenize::byte_pair_encode(data_->ranks, text.substr(pos, end - pos), ids);
    pos = end;
  }
  return ids;
}

size_t Tokenizer::count(std::string_view text) const {
  size_t count = 0;
  std::vector<uint32_t> scratch;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = tokenize::next_pretoken(data_->encoding, text, pos);
    scratch.clear();
    tokenize::byte_pair_encode(data_->ranks, text.substr(pos, end - pos), scratch);
    count += scratch.size();
    pos = end;
  }
  return count;
}

std::string Tokenizer::decode(const std::vector<uint32_t>& ids, size_t* unknown) const {
  std::string out;
  size_t missing = 0;
  for (uint32_t id : ids) {
    std::string_view bytes = data_->ranks.bytes(id);
    if (!bytes.empty()) {
      out.append(bytes);
      continue;
    }
    auto special = data_->special.find(id);
    if (special != data_->special.end())
      out += special->second;
    else
      ++missing;
  }
  if (unknown) *unknown = missing;
  return out;
}

size_t Tokenizer::vocabulary_size() const {
  return data_->ranks.size() + data_->special.size();
}

} // namespace og
