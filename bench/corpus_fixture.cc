#include "corpus_fixture.h"

#include <map>

#include <simdjson.h>

#include "winnow/gen/generator.h"
#include "winnow/io/byte_source.h"

namespace winnow::bench {

const std::string& CorpusJsonl(size_t docs) {
  static std::map<size_t, std::string> cache;
  std::string& s = cache[docs];
  if (s.empty()) {
    gen::GeneratedDoc d;
    for (size_t i = 0; i < docs; ++i) {
      gen::GenerateDocument(1, i, &d);
      s += d.line;
    }
  }
  return s;
}

const std::vector<std::string>& CorpusTexts(size_t docs) {
  static std::map<size_t, std::vector<std::string>> cache;
  std::vector<std::string>& texts = cache[docs];
  if (texts.empty()) {
    // Texts are recovered by generating again with the text only; cheap next to any bench.
    const std::string& jsonl = CorpusJsonl(docs);
    size_t pos = 0;
    while (pos < jsonl.size()) {
      size_t nl = jsonl.find('\n', pos);
      std::string_view line(jsonl.data() + pos, nl - pos);
      size_t a = line.find("\"text\":\"") + 8;
      size_t b = line.find("\",\"meta\":");
      std::string text;
      for (size_t i = a; i < b; ++i) {
        if (line[i] == '\\' && i + 1 < b) {
          char e = line[++i];
          text += e == 'n' ? '\n' : e == 't' ? '\t' : e;
        } else {
          text += line[i];
        }
      }
      texts.push_back(std::move(text));
      pos = nl + 1;
    }
  }
  return texts;
}

const std::vector<std::string>& RealTexts() {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> out;
    Result<std::string> data =
        io::ReadFileFully(std::string(WINNOW_SHARED_DIR) + "/reference/datatrove/input.jsonl.zst");
    if (!data.ok()) return out;
    simdjson::dom::parser parser;
    size_t pos = 0;
    while (pos < data->size()) {
      size_t nl = data->find('\n', pos);
      if (nl == std::string::npos) nl = data->size();
      simdjson::padded_string line(std::string_view(data->data() + pos, nl - pos));
      std::string_view text;
      if (!parser.parse(line)["text"].get(text)) out.emplace_back(text);
      pos = nl + 1;
    }
    return out;
  }();
  return texts;
}

}  // namespace winnow::bench
