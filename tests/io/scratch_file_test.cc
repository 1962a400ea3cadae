// Scratch files (io/scratch_file.h): what a run reads back is refused, with its path, when it
// is damaged, truncated, of another kind or of another version; ids files round-trip.
#include "winnow/io/scratch_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/test_util.h"
#include "winnow/io/id_file.h"

namespace winnow::io {
namespace {

using ::testing::HasSubstr;
using winnow::testing::TempDir;

TEST(ScratchFileTest, WholeFileRoundTripsAndDamageIsNamed) {
  const std::string file = EncodeScratchFile(ScratchKind::kDecisions, 7, "the payload");
  Result<std::string_view> back = DecodeScratchFile(file, ScratchKind::kDecisions, 7, "d.bin");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, "the payload");
  // One flipped bit anywhere in the payload fails the checksum.
  for (size_t at = kScratchHeaderBytes + kBlockHeaderBytes; at < file.size(); ++at) {
    std::string damaged = file;
    damaged[at] ^= 0x10;
    Result<std::string_view> r = DecodeScratchFile(damaged, ScratchKind::kDecisions, 7, "d.bin");
    ASSERT_FALSE(r.ok()) << at;
    EXPECT_THAT(r.status().ToString(), HasSubstr("d.bin: damaged"));
  }
  // Every truncation is reported, none is believed.
  for (size_t n = 0; n < file.size(); ++n) {
    EXPECT_FALSE(DecodeScratchFile(file.substr(0, n), ScratchKind::kDecisions, 7, "d.bin").ok())
        << n;
  }
  EXPECT_THAT(DecodeScratchFile(file, ScratchKind::kSpill, 7, "d.bin").status().ToString(),
              HasSubstr("expected 'spil'"));
  EXPECT_THAT(DecodeScratchFile(file, ScratchKind::kDecisions, 8, "d.bin").status().ToString(),
              HasSubstr("format version 7"));
  EXPECT_FALSE(DecodeScratchFile(file + "x", ScratchKind::kDecisions, 7, "d.bin").ok());
}

TEST(ScratchFileTest, IdsFileRoundTripsBlockByBlock) {
  TempDir dir;
  const std::string path = dir / "ids-00000.bin";
  Result<ScratchWriter> w = ScratchWriter::Create(path, ScratchKind::kIds, kIdsVersion);
  ASSERT_TRUE(w.ok());
  std::vector<std::pair<uint64_t, std::string>> want;
  for (int block = 0; block < 3; ++block) {
    std::string payload;
    for (int i = 0; i < 5; ++i) {
      const uint64_t ordinal = static_cast<uint64_t>(block * 10 + i);
      const std::string id =
          "doc-" + std::to_string(ordinal) + std::string(static_cast<size_t>(i), 'x');
      AppendIdRecord(ordinal, id, payload);
      want.emplace_back(ordinal, id);
    }
    ASSERT_TRUE(w->Append({payload}).ok());
  }
  ASSERT_TRUE(w->Commit().ok());
  std::vector<std::pair<uint64_t, std::string>> got;
  ASSERT_TRUE(ReadIdFile(path, [&](uint64_t ordinal, std::string_view id) {
                got.emplace_back(ordinal, std::string(id));
                return Status::OK();
              }).ok());
  EXPECT_EQ(got, want);
  // A file of another kind is refused before any record is read.
  const std::string spill = dir / "other.bin";
  winnow::testing::WriteFile(spill, EncodeScratchFile(ScratchKind::kSpill, 1, ""));
  Status st = ReadIdFile(spill, [](uint64_t, std::string_view) { return Status::OK(); });
  EXPECT_EQ(st.code(), StatusCode::kCorrupt);
  EXPECT_THAT(st.ToString(), HasSubstr("other.bin"));
  // A record cut short inside a block does not decode.
  std::string payload;
  AppendIdRecord(1, "abc", payload);
  payload.pop_back();
  EXPECT_EQ(
      ForEachIdRecord(payload, "p", [](uint64_t, std::string_view) { return Status::OK(); }).code(),
      StatusCode::kCorrupt);
}

}  // namespace
}  // namespace winnow::io
