// The pipeline on real third-party text (../shared/data): nothing lost, every field intact.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <map>

#include "pipeline/output_reader.h"
#include "testing/test_util.h"
#include "winnow/pipeline/builtin_stages.h"
#include "winnow/pipeline/executor.h"

namespace winnow::pipeline {
namespace {

using winnow::testing::OutputLines;
using winnow::testing::ReadDecoded;
using winnow::testing::SharedDataDir;
using winnow::testing::SplitLines;
using winnow::testing::TempDir;

// The output line without the ,"winnow":{...} object winnow appended before the final brace.
std::string WithoutWinnow(const std::string& line) {
  size_t at = line.rfind(",\"winnow\":{");
  return at == std::string::npos ? line : line.substr(0, at) + "}";
}

TEST(RealDataTest, CleaningRealTextLosesNothingAndPassesFieldsThrough) {
  std::string data = SharedDataDir();
  if (data.empty()) GTEST_SKIP() << "../shared/data is absent: real-data test skipped";
  std::string text_dir = data + "/text";
  TempDir dir;
  RunConfig cfg = DefaultCleanConfig(BuiltinStages());
  cfg.inputs = {text_dir};
  cfg.output = dir / "out";
  cfg.threads = 2;
  Result<RunStats> s = RunPipeline(cfg, BuiltinStages(), "clean");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(s->AccountingHolds());
  EXPECT_EQ(s->rejected, 0u);

  // Input lines by id, in the order of the sorted files.
  std::map<std::string, std::string> input;
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(text_dir)) {
    if (e.path().string().ends_with(".jsonl.zst")) files.push_back(e.path().string());
  }
  ASSERT_FALSE(files.empty());
  simdjson::dom::parser parser;
  auto id_of = [&](const std::string& line) {
    return std::string(std::string_view(parser.parse(line)["id"]));
  };
  size_t n = 0;
  for (const std::string& f : files) {
    for (const std::string& line : SplitLines(ReadDecoded(f))) {
      input[id_of(line)] = line;
      ++n;
    }
  }
  EXPECT_EQ(s->input_records, n);
  size_t matched = 0;
  for (const char* part : {"kept", "removed"}) {
    for (const std::string& line : OutputLines(cfg.output, part)) {
      std::string id = id_of(line);
      auto it = input.find(id);
      ASSERT_NE(it, input.end()) << id;
      // No stage in the default pipeline edits text: the record is the input, byte for byte.
      EXPECT_EQ(WithoutWinnow(line), it->second) << id;
      input.erase(it);
      ++matched;
    }
  }
  EXPECT_EQ(matched, n);
  EXPECT_TRUE(input.empty());
}

}  // namespace
}  // namespace winnow::pipeline
