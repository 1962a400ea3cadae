// Checkpoints: they round-trip, and damage that passes the envelope's checksum (a bug, or a
// crafted file) is still reported, never believed.
#include "winnow/pipeline/checkpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "winnow/io/scratch_file.h"

namespace winnow::pipeline {
namespace {

using ::testing::HasSubstr;

Checkpoint Sample() {
  Checkpoint c;
  c.config_digest = 11;
  c.inputs_digest = 22;
  c.pass = 1;
  c.shards_done = 3;
  c.state.tally.Clear(2);
  c.state.tally.counters.Add("counter.one", 9041809595184406205);
  c.state.tally.counters.Add("counter.two", 9041809595184406205);
  c.state.shard_records = {4, 5, 6};
  c.state.kept.Add(7, 700);
  c.state.removed_by_reason["exact:duplicate"] = Tally{2, 20};
  c.report = "report bytes";
  return c;
}

TEST(CheckpointTest, RoundTrips) {
  NameTable names;
  Result<Checkpoint> back = DecodeCheckpoint(EncodeCheckpoint(Sample()), names);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->pass, 1u);
  EXPECT_EQ(back->shards_done, 3u);
  EXPECT_EQ(back->state.shard_records, (std::vector<uint64_t>{4, 5, 6}));
  EXPECT_EQ(back->state.tally.counters.Get("counter.two"), 9041809595184406205);
  EXPECT_EQ(back->state.removed_by_reason["exact:duplicate"].docs, 2u);
  EXPECT_EQ(back->report, "report bytes");
}

// Found by checkpoint_fuzz: a checkpoint naming a counter twice made the decoder add the two
// values, a signed overflow. A saved map never repeats a name: it is damage.
TEST(CheckpointTest, ACounterNamedTwiceIsDamagedNotAnOverflow) {
  const std::string file = EncodeCheckpoint(Sample());
  Result<std::string_view> payload =
      io::DecodeScratchFile(file, io::ScratchKind::kCheckpoint, kCheckpointVersion, "c");
  ASSERT_TRUE(payload.ok());
  std::string bytes(*payload);
  const size_t at = bytes.find("counter.two");
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, 11, "counter.one");
  NameTable names;
  Result<Checkpoint> r = DecodeCheckpoint(
      io::EncodeScratchFile(io::ScratchKind::kCheckpoint, kCheckpointVersion, bytes), names,
      "OUT/.winnow-checkpoint");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().ToString(), HasSubstr("OUT/.winnow-checkpoint: damaged"));
}

}  // namespace
}  // namespace winnow::pipeline
