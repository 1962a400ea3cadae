#include "winnow/pipeline/checkpoint.h"

#include <algorithm>

#include <xxhash.h>

#include <cstring>

#include "winnow/core/wire.h"

namespace winnow::pipeline {
namespace {

constexpr std::string_view kMagic = "winnow-checkpoint";
constexpr uint64_t kVersion = 2;  // 2: report examples carry their DocRef

void PutTally(WireWriter& w, const Tally& t) {
  w.PutVarint(t.docs);
  w.PutVarint(t.bytes);
}

Tally GetTally(WireReader& r) {
  Tally t;
  t.docs = r.GetVarint();
  t.bytes = r.GetVarint();
  return t;
}

void PutStage(WireWriter& w, const StageStats& s) {
  PutTally(w, s.in);
  PutTally(w, s.out);
  w.PutDouble(s.seconds);
  w.PutVarint(s.removed.size());
  for (const auto& [reason, t] : s.removed) {
    w.PutString(reason);
    PutTally(w, t);
  }
}

StageStats GetStage(WireReader& r) {
  StageStats s;
  s.in = GetTally(r);
  s.out = GetTally(r);
  s.seconds = r.GetDouble();
  for (uint64_t n = r.GetCount(3); n > 0 && r.ok(); --n) {
    std::string reason(r.GetString());
    s.removed[reason] = GetTally(r);
  }
  return s;
}

template <typename Map>
void PutCounts(WireWriter& w, const Map& m) {
  w.PutVarint(m.size());
  for (const auto& [k, v] : m) {
    w.PutString(k);
    w.PutVarint(v);
  }
}

template <typename Map>
void GetCounts(WireReader& r, Map& m) {
  for (uint64_t n = r.GetCount(2); n > 0 && r.ok(); --n) {
    std::string k(r.GetString());
    m[k] = r.GetVarint();
  }
}

}  // namespace

void Tallies::Clear(size_t stage_count) {
  stages.resize(stage_count);
  for (StageStats& s : stages) {
    s.in = s.out = Tally{};
    s.seconds = 0;
    s.removed.clear();
  }
  read = parse = encode = StageStats{};
  counters = Counters{};
  input_records = input_bytes = blank_lines = 0;
  skipped_records.clear();
}

void Tallies::Combine(const Tallies& o) {
  if (stages.size() < o.stages.size()) stages.resize(o.stages.size());
  for (size_t s = 0; s < o.stages.size(); ++s) stages[s].Combine(o.stages[s]);
  read.Combine(o.read);
  parse.Combine(o.parse);
  encode.Combine(o.encode);
  counters.Combine(o.counters);
  input_records += o.input_records;
  input_bytes += o.input_bytes;
  blank_lines += o.blank_lines;
  for (const auto& [why, n] : o.skipped_records) skipped_records[why] += n;
}

void RunState::Combine(const RunState& o) {
  tally.Combine(o.tally);
  write.Combine(o.write);
  kept.Combine(o.kept);
  removed.Combine(o.removed);
  rejected += o.rejected;
  for (const auto& [why, t] : o.removed_by_reason) removed_by_reason[why].Combine(t);
  for (const auto& [kind, n] : o.rejected_by_kind) rejected_by_kind[kind] += n;
  spilled_bytes += o.spilled_bytes;
  if (shard_records.size() < o.shard_records.size()) shard_records.resize(o.shard_records.size());
  for (size_t i = 0; i < o.shard_records.size(); ++i) shard_records[i] += o.shard_records[i];
  wall_seconds = std::max(wall_seconds, o.wall_seconds);
  cpu_seconds += o.cpu_seconds;
  attempts = std::max(attempts, o.attempts);
}

std::string EncodeCheckpoint(const Checkpoint& c) {
  WireWriter w;
  w.bytes().append(kMagic);
  w.PutVarint(kVersion);
  w.PutVarint(c.config_digest);
  w.PutVarint(c.inputs_digest);
  w.PutVarint(c.pass);
  w.PutVarint(c.shards_done);

  const RunState& s = c.state;
  w.PutVarint(s.tally.stages.size());
  for (const StageStats& st : s.tally.stages) PutStage(w, st);
  for (const StageStats* st : {&s.tally.read, &s.tally.parse, &s.tally.encode, &s.write}) {
    PutStage(w, *st);
  }
  w.PutVarint(s.tally.counters.values().size());
  for (const auto& [name, v] : s.tally.counters.values()) {
    w.PutString(name);
    w.PutSigned(v);
  }
  w.PutVarint(s.tally.input_records);
  w.PutVarint(s.tally.input_bytes);
  w.PutVarint(s.tally.blank_lines);
  PutCounts(w, s.tally.skipped_records);
  PutTally(w, s.kept);
  PutTally(w, s.removed);
  w.PutVarint(s.rejected);
  w.PutVarint(s.removed_by_reason.size());
  for (const auto& [reason, t] : s.removed_by_reason) {
    w.PutString(reason);
    PutTally(w, t);
  }
  PutCounts(w, s.rejected_by_kind);
  w.PutVarint(s.spilled_bytes);
  w.PutVarint(s.shard_records.size());
  for (uint64_t n : s.shard_records) w.PutVarint(n);
  w.PutDouble(s.wall_seconds);
  w.PutDouble(s.cpu_seconds);
  w.PutVarint(static_cast<uint64_t>(s.attempts));
  w.PutString(c.report);

  const uint64_t sum = XXH3_64bits(w.bytes().data(), w.bytes().size());
  char tail[8];
  std::memcpy(tail, &sum, sizeof(sum));
  w.bytes().append(tail, sizeof(tail));
  return std::move(w.bytes());
}

Result<Checkpoint> DecodeCheckpoint(std::string_view bytes, NameTable& names) {
  auto damaged = [](std::string_view why) {
    return Status::Corrupt("checkpoint is damaged (" + std::string(why) + ")");
  };
  if (bytes.size() < kMagic.size() + 8 || bytes.substr(0, kMagic.size()) != kMagic) {
    return damaged("not a winnow checkpoint");
  }
  uint64_t sum;
  std::memcpy(&sum, bytes.data() + bytes.size() - 8, sizeof(sum));
  bytes.remove_suffix(8);
  if (XXH3_64bits(bytes.data(), bytes.size()) != sum) return damaged("checksum mismatch");
  WireReader r(bytes.substr(kMagic.size()));
  if (r.GetVarint() != kVersion) return damaged("written by another version of winnow");

  Checkpoint c;
  c.config_digest = r.GetVarint();
  c.inputs_digest = r.GetVarint();
  c.pass = static_cast<uint32_t>(r.GetVarint());
  c.shards_done = r.GetVarint();
  RunState& s = c.state;
  s.tally.stages.resize(r.GetCount(8));
  for (StageStats& st : s.tally.stages) st = GetStage(r);
  for (StageStats* st : {&s.tally.read, &s.tally.parse, &s.tally.encode, &s.write}) {
    *st = GetStage(r);
  }
  for (uint64_t n = r.GetCount(2); n > 0 && r.ok(); --n) {
    std::string_view name = names.Intern(r.GetString());
    s.tally.counters.Add(name, r.GetSigned());
  }
  s.tally.input_records = r.GetVarint();
  s.tally.input_bytes = r.GetVarint();
  s.tally.blank_lines = r.GetVarint();
  GetCounts(r, s.tally.skipped_records);
  s.kept = GetTally(r);
  s.removed = GetTally(r);
  s.rejected = r.GetVarint();
  for (uint64_t n = r.GetCount(3); n > 0 && r.ok(); --n) {
    std::string reason(r.GetString());
    s.removed_by_reason[reason] = GetTally(r);
  }
  GetCounts(r, s.rejected_by_kind);
  s.spilled_bytes = r.GetVarint();
  s.shard_records.resize(r.GetCount(1));
  for (uint64_t& n : s.shard_records) n = r.GetVarint();
  s.wall_seconds = r.GetDouble();
  s.cpu_seconds = r.GetDouble();
  s.attempts = static_cast<int>(r.GetVarint());
  c.report.assign(r.GetString());
  if (!r.ok() || !r.at_end()) return damaged("fields do not decode");
  return c;
}

}  // namespace winnow::pipeline
