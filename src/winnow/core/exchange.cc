#include "winnow/core/exchange.h"

#include "winnow/core/wire.h"

namespace winnow {

Result<std::vector<uint64_t>> Exchange::SumAll(const std::vector<uint64_t>& values) {
  WireWriter w;
  for (uint64_t v : values) w.PutVarint(v);
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> all, AllGather(w.bytes()));
  std::vector<uint64_t> sum(values.size(), 0);
  for (const std::string& bytes : all) {
    WireReader r(bytes);
    for (uint64_t& s : sum) s += r.GetVarint();
    if (!r.ok() || !r.at_end()) return Status::Internal("SumAll: ranks gave different lengths");
  }
  return sum;
}

std::vector<uint32_t> CutShards(const std::vector<uint64_t>& sizes, int ranks) {
  uint64_t total = 0;
  for (uint64_t s : sizes) total += s + 1;  // +1: empty files still count for something
  std::vector<uint32_t> first(static_cast<size_t>(ranks) + 1, 0);
  uint64_t seen = 0;
  size_t shard = 0;
  for (int r = 1; r < ranks; ++r) {
    // Rank r starts at the first shard whose start lies at or past r/ranks of the bytes.
    const long double target = static_cast<long double>(total) * r / ranks;
    while (shard < sizes.size() &&
           static_cast<long double>(seen) + (sizes[shard] + 1) / 2.0L < target) {
      seen += sizes[shard] + 1;
      ++shard;
    }
    first[static_cast<size_t>(r)] = static_cast<uint32_t>(shard);
  }
  first[static_cast<size_t>(ranks)] = static_cast<uint32_t>(sizes.size());
  return first;
}

}  // namespace winnow
