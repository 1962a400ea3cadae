#include "winnow/pipeline/checkpoint.h"

#include <sys/stat.h>
#include <xxhash.h>

#include <algorithm>
#include <filesystem>

#include "winnow/core/wire.h"
#include "winnow/io/byte_source.h"
#include "winnow/io/part_file.h"
#include "winnow/io/scratch_file.h"

namespace winnow::pipeline {
namespace {

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
  return io::EncodeScratchFile(io::ScratchKind::kCheckpoint, kCheckpointVersion, w.bytes());
}

Result<Checkpoint> DecodeCheckpoint(std::string_view bytes, NameTable& names,
                                    std::string_view path) {
  WINNOW_ASSIGN_OR_RETURN(
      std::string_view payload,
      io::DecodeScratchFile(bytes, io::ScratchKind::kCheckpoint, kCheckpointVersion, path));
  WireReader r(payload);
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
  bool repeated = false;  // a saved map never names a counter twice (adding would overflow)
  for (uint64_t n = r.GetCount(2); n > 0 && r.ok(); --n) {
    std::string_view name = names.Intern(r.GetString());
    const int64_t value = r.GetSigned();
    repeated |= s.tally.counters.values().count(name) > 0;
    if (!repeated) s.tally.counters.Add(name, value);
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
  if (!r.ok() || !r.at_end() || repeated) {
    return Status::Corrupt(std::string(path) +
                           ": damaged (its fields do not decode); start "
                           "the run again with --overwrite");
  }
  return c;
}

uint64_t ConfigDigest(const RunConfig& config) {
  // Threads, the memory budget and the output's name do not change the output.
  RunConfig c = config;
  c.threads = 0;
  c.memory_budget = 0;
  c.output.clear();
  std::string text = ConfigYaml(c);
  for (const StageConfig& s : config.stages) {
    for (const auto& [lang, options] : s.per_language) {
      text += s.name + "/" + lang + ":";
      for (const auto& [k, v] : options) {
        text += k + "=" + v.scalar;
        for (const std::string& item : v.list) text += "," + item;
        text += ";";
      }
    }
  }
  return XXH3_64bits(text.data(), text.size());
}

uint64_t InputsDigest(const io::InputList& inputs) {
  std::string text;
  for (const io::Shard& shard : inputs.shards) {
    struct stat st {};
    int64_t mtime = 0;
    if (::stat(shard.path.c_str(), &st) == 0) {
      mtime = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    }
    text += shard.path + "\n" + std::to_string(shard.size) + "\n" + std::to_string(mtime) + "\n";
  }
  return XXH3_64bits(text.data(), text.size());
}

Checkpointer::Checkpointer(std::string path, std::string output, uint64_t config_digest,
                           uint64_t inputs_digest)
    : path_(std::move(path)),
      output_(std::move(output)),
      config_digest_(config_digest),
      inputs_digest_(inputs_digest) {}

Result<std::optional<Checkpoint>> Checkpointer::Load(const std::string& path, NameTable& names,
                                                     const RunShape& shape) const {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<Checkpoint>();
  WINNOW_ASSIGN_OR_RETURN(std::string bytes, io::ReadFileFully(path));
  WINNOW_ASSIGN_OR_RETURN(Checkpoint c, DecodeCheckpoint(bytes, names, path));
  const std::string cannot = "cannot resume the run in " + output_ + ": ";
  if (c.config_digest != config_digest_) {
    return Status::InvalidArgument(cannot +
                                   "the configuration (stages, options, reader, writer "
                                   "or on_error) differs from the one it started with; restore "
                                   "it, or start again with --overwrite");
  }
  if (c.inputs_digest != inputs_digest_) {
    return Status::InvalidArgument(cannot +
                                   "the input files (names, sizes or modification "
                                   "times) changed since it started; restore them, or start "
                                   "again with --overwrite");
  }
  if (c.pass > shape.passes || c.shards_done > shape.shards ||
      c.state.tally.stages.size() != shape.stages || c.state.shard_records.size() != shape.shards) {
    return Status::Corrupt(path +
                           ": does not match this run's passes and shards; start the run "
                           "again with --overwrite");
  }
  return std::optional<Checkpoint>(std::move(c));
}

Status Checkpointer::Save(Checkpoint c) const {
  c.config_digest = config_digest_;
  c.inputs_digest = inputs_digest_;
  return io::WriteFileAtomically(path_, EncodeCheckpoint(c));
}

Status Checkpointer::KeepAsPrevious() const {
  WINNOW_ASSIGN_OR_RETURN(std::string bytes, io::ReadFileFully(path_));
  return io::WriteFileAtomically(previous_path(), bytes);
}

}  // namespace winnow::pipeline
