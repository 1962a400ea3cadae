// libFuzzer target: byte-level BPE (text/bpe.h) on arbitrary valid UTF-8, for each built-in
// split pattern (r50k, cl100k, o200k, and the single-digit cl100k and o200k of Qwen 2 and
// Mistral Nemo): wherever the hand-written ASCII splitter decides a piece, PCRE2's match of the
// pattern at that position ends at the same byte; and the ids decode back to the text, with
// tiktoken's merging by rank and Hugging Face's by pair, with and without added tokens. The ranks
// are synthetic (every byte, then merges of frequent English pairs and words), so merges run on
// every input; the tiktoken oracle test checks the real vocabularies.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "winnow/core/json_writer.h"
#include "winnow/text/bpe.h"

namespace {

std::string Base64(std::string_view in) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(k[(v >> s) & 63]);
  }
  if (i + 1 == in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    out += {k[v >> 18], k[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], '='};
  }
  return out;
}

std::vector<std::unique_ptr<winnow::text::BytePairEncoder>> Encoders() {
  std::string ranks;
  uint32_t rank = 0;
  for (int b = 0; b < 256; ++b) {
    ranks += Base64(std::string(1, static_cast<char>(b))) + " " + std::to_string(rank++) + "\n";
  }
  static const char* const merged[] = {" t",   "th",   "he",  "in",  "er", "an", " a",   "re",
                                       "on",   " the", "at",  "en",  "nd", " s", "es",   "or",
                                       "is",   "ing",  " w",  "it",  "ou", "  ", "\n\n", " of",
                                       " and", "ed",   " th", "123", "'s", "ll", "é",    " é"};
  for (const char* t : merged) ranks += Base64(t) + " " + std::to_string(rank++) + "\n";
  std::vector<std::unique_ptr<winnow::text::BytePairEncoder>> out;
  for (const char* name : {"r50k_base", "cl100k_base", "o200k_base"}) {
    auto e =
        winnow::text::BytePairEncoder::FromTiktoken(ranks, *winnow::text::FindBpeEncoding(name));
    if (!e.ok()) std::abort();
    out.push_back(std::move(e).value());
  }
  // Hugging Face style: merges by pair (each token from its first split into two tokens), the
  // single-digit patterns of Qwen 2 and Mistral Nemo (their fast splitters), added tokens.
  std::vector<std::string> vocab;
  for (int b = 0; b < 256; ++b) vocab.emplace_back(1, static_cast<char>(b));
  for (const char* t : merged) vocab.emplace_back(t);
  auto id_of = [&](std::string_view t) -> int64_t {
    for (size_t i = 0; i < vocab.size(); ++i) {
      if (vocab[i] == t) return static_cast<int64_t>(i);
    }
    return -1;
  };
  std::vector<std::pair<uint32_t, uint32_t>> merges;
  for (size_t id = 256; id < vocab.size(); ++id) {
    const std::string& t = vocab[id];
    for (size_t i = 1; i < t.size(); ++i) {
      const int64_t l = id_of(t.substr(0, i)), r = id_of(t.substr(i));
      if (l >= 0 && r >= 0) {
        merges.emplace_back(static_cast<uint32_t>(l), static_cast<uint32_t>(r));
        break;
      }
    }
  }
  for (const char* name : {"cl100k_base", "o200k_base"}) {
    std::string pattern(winnow::text::FindBpeEncoding(name)->pattern);
    pattern.replace(pattern.find("\\p{N}{1,3}"), 10, "\\p{N}");
    winnow::text::BpeDefinition def;
    def.name = std::string(name) + "-hf";
    def.vocab = vocab;
    def.merges = merges;
    def.whole_piece_lookup = false;
    def.splits.push_back({pattern, false});
    const auto n = static_cast<uint32_t>(vocab.size());
    def.added = {{"<|endoftext|>", n, false, false, false, false},
                 {"<|end|>", n + 1, false, false, false, false},
                 {"xyz", n + 2, true, false, false, true}};
    auto e = winnow::text::BytePairEncoder::Build(std::move(def));
    if (!e.ok()) std::abort();
    out.push_back(std::move(e).value());
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto encoders = Encoders();
  size = std::min<size_t>(size, 4096);
  const std::string text =
      winnow::ToValidUtf8(std::string_view(reinterpret_cast<const char*>(data), size));
  winnow::text::BpeScratch scratch;
  std::vector<uint32_t> ids;
  for (const auto& e : encoders) {
    for (size_t pos = 0; pos < text.size();) {
      const size_t regex = e->SplitRegex(text, pos, scratch);
      const size_t fast = e->SplitAscii(text, pos);
      if (fast != 0 && fast != regex) std::abort();  // the hand-written splitter disagrees
      if (regex <= pos) std::abort();                // the pattern covers every character
      pos = regex;
    }
    ids.clear();
    e->Encode(text, scratch, &ids);
    auto decoded = e->Decode(ids.data(), ids.size());
    if (!decoded.ok() || *decoded != text) std::abort();
  }
  return 0;
}
