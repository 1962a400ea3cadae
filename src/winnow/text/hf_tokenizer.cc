#include "winnow/text/hf_tokenizer.h"

#include <simdjson.h>

#include <filesystem>

#include "winnow/text/flat_string_map.h"
#include "winnow/text/utf8.h"

namespace winnow::text {
namespace {

namespace dom = simdjson::dom;

// GPT-2's byte-to-character alphabet: printable Latin-1 bytes stand for themselves, the other
// 68 bytes for U+0100 onwards, in byte order. Inverted here: character -> byte, -1 for none.
struct ByteAlphabet {
  int16_t byte_of[256 + 68];
  ByteAlphabet() {
    std::fill(std::begin(byte_of), std::end(byte_of), int16_t{-1});
    int next = 256;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
      byte_of[printable ? b : next++] = static_cast<int16_t>(b);
    }
  }
  // The bytes a vocabulary token stands for; false when a character is not in the alphabet.
  bool Decode(std::string_view token, std::string* out) const {
    out->clear();
    for (size_t i = 0, len = 0; i < token.size(); i += len) {
      const char32_t c = DecodeAt(token, i, &len);
      if (c >= std::size(byte_of) || byte_of[c] < 0) return false;
      out->push_back(static_cast<char>(byte_of[c]));
    }
    return !out->empty();
  }
};

Status Bad(const std::string& what) { return Status::InvalidArgument(what); }

// A JSON value that may be absent or null: false when it is neither and not of type T.
template <typename T>
bool Optional(dom::object o, std::string_view key, T* out) {
  dom::element e;
  if (o[key].get(e) != simdjson::SUCCESS || e.is_null()) return true;
  return e.get(*out) == simdjson::SUCCESS;
}

// A Split pattern {"String": s} as a regular expression that matches s literally.
std::string LiteralPattern(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80 && !std::isalnum(u)) out += '\\';
    out += c;
  }
  return out;
}

Status ReadPreTokenizer(dom::object p, BpeDefinition* def, bool* byte_level) {
  std::string_view type;
  if (p["type"].get(type)) return Bad("pre_tokenizer without a type");
  if (*byte_level) return Bad("pre_tokenizer " + std::string(type) + " after ByteLevel");
  if (type == "Sequence") {
    dom::array steps;
    if (p["pretokenizers"].get(steps)) return Bad("Sequence pre_tokenizer without pretokenizers");
    for (dom::element s : steps) {
      dom::object o;
      if (s.get(o)) return Bad("Sequence pre_tokenizer: a step is not an object");
      WINNOW_RETURN_IF_ERROR(ReadPreTokenizer(o, def, byte_level));
    }
    return Status::OK();
  }
  if (type == "ByteLevel") {
    bool prefix = false, use_regex = true;
    if (!Optional(p, "add_prefix_space", &prefix) || !Optional(p, "use_regex", &use_regex)) {
      return Bad("ByteLevel pre_tokenizer: add_prefix_space and use_regex are booleans");
    }
    BpeDefinition::Split split;
    split.add_prefix_space = prefix;
    if (use_regex) {
      split.pattern = std::string(FindBpeEncoding("gpt2")->pattern);
    }
    def->splits.push_back(std::move(split));
    *byte_level = true;
    return Status::OK();
  }
  if (type == "Split") {
    std::string_view behavior;
    bool invert = false;
    if (p["behavior"].get(behavior) || !Optional(p, "invert", &invert)) {
      return Bad("Split pre_tokenizer without a behavior");
    }
    if (behavior != "Isolated" || invert) {
      return Bad("Split pre_tokenizer with behavior " + std::string(behavior) +
                 (invert ? " (inverted)" : "") + ": winnow reads Isolated splits only");
    }
    dom::object pattern;
    std::string_view s;
    if (p["pattern"].get(pattern)) return Bad("Split pre_tokenizer without a pattern");
    BpeDefinition::Split split;
    if (pattern["Regex"].get(s) == simdjson::SUCCESS) {
      split.pattern = std::string(s);
    } else if (pattern["String"].get(s) == simdjson::SUCCESS) {
      split.pattern = LiteralPattern(s);
    } else {
      return Bad("Split pre_tokenizer: the pattern is neither Regex nor String");
    }
    if (split.pattern.empty()) return Bad("Split pre_tokenizer with an empty pattern");
    def->splits.push_back(std::move(split));
    return Status::OK();
  }
  return Bad("pre_tokenizer " + std::string(type) +
             " is not supported (winnow reads byte-level BPE: Sequence, Split, ByteLevel; for a "
             "SentencePiece-style tokenizer give its .model file)");
}

Status ReadNormalizer(dom::element n, BpeDefinition* def) {
  if (n.is_null()) return Status::OK();
  std::string_view type;
  if (n["type"].get(type)) return Bad("normalizer without a type");
  if (type == "NFC") {
    def->nfc = true;
    return Status::OK();
  }
  if (type == "Sequence") {
    dom::array steps;
    if (n["normalizers"].get(steps)) return Bad("Sequence normalizer without normalizers");
    for (dom::element s : steps) WINNOW_RETURN_IF_ERROR(ReadNormalizer(s, def));
    return Status::OK();
  }
  return Bad("normalizer " + std::string(type) + " is not supported (winnow reads none or NFC)");
}

Status ReadModel(dom::object m, BpeDefinition* def) {
  std::string_view type;
  if (m["type"].get(type) == simdjson::SUCCESS && type != "BPE") {
    return Bad("model " + std::string(type) + " is not supported (winnow reads byte-level BPE)");
  }
  dom::element dropout;
  if (m["dropout"].get(dropout) == simdjson::SUCCESS && !dropout.is_null()) {
    return Bad("BPE dropout is not supported (it makes encoding random)");
  }
  for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"}) {
    std::string_view affix;
    if (!Optional(m, key, &affix)) return Bad(std::string(key) + " is not a string");
    if (!affix.empty()) return Bad(std::string(key) + " is not supported in a byte-level BPE");
  }
  bool ignore_merges = false;
  if (!Optional(m, "ignore_merges", &ignore_merges)) return Bad("ignore_merges is not a boolean");
  def->whole_piece_lookup = ignore_merges;

  static const ByteAlphabet alphabet;
  dom::object vocab;
  if (m["vocab"].get(vocab)) return Bad("model without a vocab");
  FlatStringMap<uint32_t> ids;  // vocabulary string -> id
  std::string bytes;
  for (auto [token, value] : vocab) {
    uint64_t id;
    if (value.get(id) || id >= (uint64_t{1} << 31)) {
      return Bad("vocab: '" + std::string(token) + "' has no valid id");
    }
    ids.Insert(token, static_cast<uint32_t>(id));
    // A token outside the byte alphabet (a literal space, say) cannot come out of the bytes
    // of any text: it stays out of the table, as tokenizers never produces it either.
    if (!alphabet.Decode(token, &bytes)) continue;
    if (id >= def->vocab.size()) def->vocab.resize(id + 1);
    if (!def->vocab[id].empty()) return Bad("vocab: id " + std::to_string(id) + " given twice");
    def->vocab[id] = bytes;
  }
  dom::array merges;
  if (m["merges"].get(merges)) return Bad("model without merges");
  size_t rank = 0;
  for (dom::element merge : merges) {
    std::string_view left, right, text;
    dom::array pair;
    if (merge.get(text) == simdjson::SUCCESS) {
      const size_t space = text.find(' ');
      if (space == std::string_view::npos || text.find(' ', space + 1) != std::string_view::npos) {
        return Bad("merge " + std::to_string(rank) + ": expected 'a b'");
      }
      left = text.substr(0, space);
      right = text.substr(space + 1);
    } else if (merge.get(pair) == simdjson::SUCCESS && pair.size() == 2 &&
               pair.at(0).get(left) == simdjson::SUCCESS &&
               pair.at(1).get(right) == simdjson::SUCCESS) {
    } else {
      return Bad("merge " + std::to_string(rank) + ": expected 'a b' or [\"a\", \"b\"]");
    }
    const uint32_t* l = ids.Find(left);
    const uint32_t* r = ids.Find(right);
    if (l == nullptr || r == nullptr) {
      return Bad("merge " + std::to_string(rank) + ": '" +
                 std::string(l == nullptr ? left : right) + "' is not in the vocab");
    }
    def->merges.emplace_back(*l, *r);
    ++rank;
  }
  return Status::OK();
}

Status ReadAddedTokens(dom::element added, BpeDefinition* def) {
  if (added.is_null()) return Status::OK();
  dom::array tokens;
  if (added.get(tokens)) return Bad("added_tokens is not an array");
  for (dom::element e : tokens) {
    dom::object t;
    std::string_view content;
    uint64_t id;
    if (e.get(t) || t["content"].get(content) || t["id"].get(id) || id >= (uint64_t{1} << 31)) {
      return Bad("added_tokens: each needs an id and a content");
    }
    BpeDefinition::AddedToken token;
    token.content = std::string(content);
    token.id = static_cast<uint32_t>(id);
    if (!Optional(t, "single_word", &token.single_word) || !Optional(t, "lstrip", &token.lstrip) ||
        !Optional(t, "rstrip", &token.rstrip) || !Optional(t, "normalized", &token.normalized)) {
      return Bad("added token '" + token.content + "': flags must be booleans");
    }
    def->added.push_back(std::move(token));
  }
  return Status::OK();
}

// tokenizer_config.json's eos_token: a string or {"content": ...}; empty when absent.
std::string ConfigEos(const std::string& path) {
  Result<std::string> text = ReadTokenizerFile(path);
  if (!text.ok()) return "";
  dom::parser parser;
  dom::element root, eos;
  simdjson::padded_string padded(*text);
  if (parser.parse(padded).get(root) || root["eos_token"].get(eos)) return "";
  std::string_view s;
  if (eos.get(s) == simdjson::SUCCESS) return std::string(s);
  if (eos["content"].get(s) == simdjson::SUCCESS) return std::string(s);
  return "";
}

}  // namespace

Result<BpeDefinition> ParseHfTokenizer(std::string_view json, std::string name) {
  dom::parser parser;
  dom::element root;
  simdjson::padded_string padded(json);
  if (auto err = parser.parse(padded).get(root)) {
    return Bad(std::string("not JSON: ") + simdjson::error_message(err));
  }
  BpeDefinition def;
  def.name = std::move(name);
  dom::object model;
  if (root["model"].get(model)) return Bad("no model");
  WINNOW_RETURN_IF_ERROR(ReadModel(model, &def));
  dom::element normalizer, added;
  if (root["normalizer"].get(normalizer) == simdjson::SUCCESS) {
    WINNOW_RETURN_IF_ERROR(ReadNormalizer(normalizer, &def));
  }
  dom::object pre;
  bool byte_level = false;
  if (root["pre_tokenizer"].get(pre) == simdjson::SUCCESS) {
    WINNOW_RETURN_IF_ERROR(ReadPreTokenizer(pre, &def, &byte_level));
  }
  if (!byte_level) {
    return Bad(
        "no ByteLevel pre_tokenizer: not a byte-level BPE (for a SentencePiece-style "
        "tokenizer give its .model file)");
  }
  if (root["added_tokens"].get(added) == simdjson::SUCCESS) {
    WINNOW_RETURN_IF_ERROR(ReadAddedTokens(added, &def));
  }
  for (const char* eos : {"<|endoftext|>", "<|end_of_text|>", "</s>", "<eos>"}) {
    for (const auto& t : def.added) {
      if (t.content == eos && def.default_eos.empty()) def.default_eos = eos;
    }
  }
  return def;
}

Result<std::unique_ptr<BytePairEncoder>> LoadHfTokenizer(const std::string& path) {
  namespace fs = std::filesystem;
  WINNOW_ASSIGN_OR_RETURN(std::string json, ReadTokenizerFile(path));
  const fs::path p(path);
  std::string name = p.stem().string();
  if (name == "tokenizer" && p.has_parent_path()) {
    name = fs::absolute(p).parent_path().filename().string();  // a model's directory
  }
  Result<BpeDefinition> def = ParseHfTokenizer(json, name);
  if (!def.ok()) return def.status().WithContext(path);
  std::string eos = ConfigEos((p.parent_path() / "tokenizer_config.json").string());
  if (!eos.empty()) def->default_eos = std::move(eos);
  Result<std::unique_ptr<BytePairEncoder>> e = BytePairEncoder::Build(std::move(def).value());
  if (!e.ok()) return e.status().WithContext(path);
  return e;
}

}  // namespace winnow::text
