#include "winnow/pipeline/document_stream.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pipeline/output_reader.h"
#include "testing/test_util.h"
#include "winnow/gen/generator.h"
#include "winnow/pipeline/builtin_stages.h"
#include "winnow/pipeline/executor.h"

namespace winnow::pipeline {
namespace {

using winnow::testing::OutputLines;
using winnow::testing::ReadRaw;
using winnow::testing::SplitLines;
using winnow::testing::TempDir;
using winnow::testing::WriteFile;

// A generated corpus as plain JSONL (its records, '\n'-terminated).
std::string Corpus(const TempDir& dir, uint64_t docs) {
  gen::GenOptions o;
  o.docs = docs;
  o.seed = 5;
  o.output = dir / "corpus.jsonl";
  o.truth = dir / "truth.jsonl";
  EXPECT_TRUE(gen::GenerateCorpus(o).ok());
  return ReadRaw(o.output);
}

// The default clean pipeline without its corpus-wide stages.
RunConfig PerDocumentConfig(int threads) {
  RunConfig cfg = DefaultCleanConfig(BuiltinStages());
  std::vector<StageConfig> kept;
  for (StageConfig& s : cfg.stages) {
    if (s.name != "exact" && s.name != "minhash") kept.push_back(std::move(s));
  }
  cfg.stages = std::move(kept);
  cfg.threads = threads;
  return cfg;
}

// Feeds `records` in pieces of about `piece` bytes (cut at record ends).
DocumentStream::Output Feed(DocumentStream& stream, const std::string& records, size_t piece) {
  DocumentStream::Output out;
  size_t pos = 0;
  while (pos < records.size()) {
    size_t end = records.find('\n', std::min(records.size() - 1, pos + piece));
    end = end == std::string::npos ? records.size() : end + 1;
    Status st = stream.Process(std::string_view(records).substr(pos, end - pos), &out);
    EXPECT_TRUE(st.ok()) << st.ToString();
    pos = end;
  }
  return out;
}

TEST(DocumentStreamTest, CleanWritesWhatTheExecutorWrites) {
  TempDir dir;
  std::string records = Corpus(dir, 3000);
  RunConfig cfg = PerDocumentConfig(1);
  cfg.inputs = {dir / "corpus.jsonl"};
  cfg.output = dir / "out";
  cfg.compress = false;
  Result<RunStats> stats = RunPipeline(cfg, BuiltinStages(), "clean");
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  std::vector<std::string> kept = OutputLines(cfg.output, "kept");
  std::vector<std::string> removed = OutputLines(cfg.output, "removed");
  ASSERT_GT(kept.size(), 100u);
  ASSERT_GT(removed.size(), 100u);
  for (int threads : {1, 2, 3}) {
    for (size_t piece : {size_t{1} << 30, size_t{100} << 10, size_t{3000}}) {
      Result<std::unique_ptr<DocumentStream>> stream = DocumentStream::Create(
          PerDocumentConfig(threads), BuiltinStages(), DocumentStream::Mode::kClean);
      ASSERT_TRUE(stream.ok()) << stream.status().ToString();
      DocumentStream::Output out = Feed(**stream, records, piece);
      std::vector<std::string> lines = SplitLines(out.lines);
      ASSERT_EQ(lines.size(), out.kinds.size());
      std::vector<std::string> got_kept, got_removed;
      for (size_t i = 0; i < lines.size(); ++i) {
        ASSERT_NE(out.kinds[i], DocumentStream::Kind::kRejected);
        (out.kinds[i] == DocumentStream::Kind::kKept ? got_kept : got_removed).push_back(lines[i]);
      }
      EXPECT_EQ(got_kept, kept) << threads << " threads, pieces of " << piece;
      EXPECT_EQ(got_removed, removed) << threads << " threads, pieces of " << piece;
      EXPECT_EQ((*stream)->records(), kept.size() + removed.size());
    }
  }
}

TEST(DocumentStreamTest, AnnotateWritesWhatTheCliWrites) {
  TempDir dir;
  std::string records = Corpus(dir, 1500);
  RunConfig cfg = DefaultCleanConfig(BuiltinStages());
  cfg.inputs = {dir / "corpus.jsonl"};
  cfg.annotate = true;
  cfg.annotate_output = dir / "annotate.jsonl";
  cfg.compress = false;
  ASSERT_TRUE(RunPipeline(cfg, BuiltinStages(), "annotate").ok());
  // Annotate mode skips the global stages instead of refusing them.
  Result<std::unique_ptr<DocumentStream>> stream = DocumentStream::Create(
      DefaultCleanConfig(BuiltinStages()), BuiltinStages(), DocumentStream::Mode::kAnnotate);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  DocumentStream::Output out = Feed(**stream, records, 50 << 10);
  EXPECT_EQ(out.lines, ReadRaw(cfg.annotate_output));
}

TEST(DocumentStreamTest, BadRecordsComeBackInPlaceAsRejectedLines) {
  RunConfig cfg = PerDocumentConfig(2);
  cfg.reader.max_record_bytes = 1000;
  Result<std::unique_ptr<DocumentStream>> stream =
      DocumentStream::Create(cfg, BuiltinStages(), DocumentStream::Mode::kAnnotate);
  ASSERT_TRUE(stream.ok());
  std::string big = "{\"text\":\"" + std::string(2000, 'a') + "\"}\n";
  std::string records =
      "{\"id\":\"a\",\"text\":\"one\"}\n{\"id\":\"b\",\"text\":\n" + big +
      "{\"id\":\"c\"}\n{\"id\":\"d\",\"text\":\"\xff\"}\n{\"id\":\"e\",\"text\":\"x\"}\n";
  DocumentStream::Output out;
  ASSERT_TRUE((*stream)->Process(records, &out).ok());
  std::vector<std::string> lines = SplitLines(out.lines);
  using K = DocumentStream::Kind;
  ASSERT_EQ(out.kinds, (std::vector<K>{K::kKept, K::kRejected, K::kRejected, K::kRejected,
                                       K::kRejected, K::kKept}));
  EXPECT_NE(lines[1].find("\"line\":2"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("\"kind\":\"json\""), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("\"kind\":\"line_too_long\""), std::string::npos) << lines[2];
  EXPECT_NE(lines[3].find("\"kind\":\"missing_text\""), std::string::npos) << lines[3];
  EXPECT_NE(lines[4].find("\"kind\":\"utf8\""), std::string::npos) << lines[4];
  EXPECT_NE(lines[5].find("\"id\":\"e\""), std::string::npos) << lines[5];
  // Record numbers go on across calls.
  out.Clear();
  ASSERT_TRUE((*stream)->Process("{\"id\":\"f\"}\n", &out).ok());
  EXPECT_NE(out.lines.find("\"line\":7"), std::string::npos) << out.lines;
}

TEST(DocumentStreamTest, CleanRefusesCorpusWideStages) {
  RunConfig cfg = DefaultCleanConfig(BuiltinStages());
  Result<std::unique_ptr<DocumentStream>> stream =
      DocumentStream::Create(cfg, BuiltinStages(), DocumentStream::Mode::kClean);
  ASSERT_FALSE(stream.ok());
  EXPECT_EQ(stream.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(stream.status().message().find("whole corpus"), std::string::npos);
}

}  // namespace
}  // namespace winnow::pipeline
