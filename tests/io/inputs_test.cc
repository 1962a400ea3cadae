#include "winnow/io/inputs.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "testing/test_util.h"

namespace winnow::io {
namespace {

using winnow::testing::TempDir;
using winnow::testing::WriteFile;

TEST(InputsTest, DirectoriesAreRecursedAndSorted) {
  TempDir dir;
  std::filesystem::create_directories(dir / "b/c");
  WriteFile(dir / "b/c/z.jsonl.zst", "x");
  WriteFile(dir / "b/a.jsonl", "x");
  WriteFile(dir / "a.txt", "x");
  WriteFile(dir / "README.md", "x");
  Result<InputList> list = ExpandInputs({dir.path()});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->shards.size(), 3u);
  EXPECT_EQ(list->shards[0].path, dir / "a.txt");
  EXPECT_EQ(list->shards[0].format, InputFormat::kText);
  EXPECT_EQ(list->shards[1].path, dir / "b/a.jsonl");
  EXPECT_EQ(list->shards[2].path, dir / "b/c/z.jsonl.zst");
  ASSERT_EQ(list->skipped.size(), 1u);
  EXPECT_EQ(list->total_bytes, 3u);
}

TEST(InputsTest, ArgumentOrderIsKept) {
  TempDir dir;
  WriteFile(dir / "b.jsonl", "x");
  WriteFile(dir / "a.jsonl", "x");
  Result<InputList> list = ExpandInputs({dir / "b.jsonl", dir / "a.jsonl"});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->shards[0].path, dir / "b.jsonl");
}

TEST(InputsTest, MissingInputIsAnErrorAndArchivesAreRecognised) {
  TempDir dir;
  WriteFile(dir / "crawl.warc.gz", "x");
  WriteFile(dir / "page.html", "<p>x</p>");
  WriteFile(dir / "crawl.warc.wet.gz", "x");
  EXPECT_EQ(ExpandInputs({dir / "nope.jsonl"}).status().code(), StatusCode::kNotFound);
  Result<InputList> in = ExpandInputs({dir.path()});
  ASSERT_TRUE(in.ok());
  ASSERT_EQ(in->shards.size(), 3u);
  for (const Shard& s : in->shards) {
    bool html = s.path.ends_with(".html");
    EXPECT_EQ(s.format, html ? InputFormat::kHtml : InputFormat::kWarc) << s.path;
  }
}

}  // namespace
}  // namespace winnow::io
