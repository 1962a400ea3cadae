// libFuzzer target: page anatomy (cues, comment sections, posts, template clusters) on
// arbitrary valid UTF-8 (invalid input never reaches it: readers reject or repair it first).
// Checks the analysis's own invariants: a label per line, clusters of labelled comments.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "winnow/anatomy/anatomy.h"
#include "winnow/core/json_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using winnow::anatomy::Analysis;
  using winnow::anatomy::Analyzer;
  using winnow::anatomy::Label;
  static const Analyzer* analyzer = Analyzer::Create().value().release();
  static winnow::anatomy::AnalyzerScratch scratch;
  std::string text =
      winnow::ToValidUtf8(std::string_view(reinterpret_cast<const char*>(data), size));
  Analysis out;
  analyzer->Analyze(text, scratch, &out);
  if (out.labels.size() != out.lines.size()) std::abort();
  for (const auto& clusters : {out.strong, out.weak}) {
    for (const auto& c : clusters) {
      if (c.size() < 2) std::abort();
      for (uint32_t line : c) {
        if (line >= out.labels.size() || out.labels[line] != Label::kComment) std::abort();
      }
    }
  }
  if (out.templated_lines > out.comment_lines || out.question_lines > out.comment_lines)
    std::abort();
  return 0;
}
