#include "corpus_fixture.h"

#include <map>

#include "winnow/gen/generator.h"

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

}  // namespace winnow::bench
