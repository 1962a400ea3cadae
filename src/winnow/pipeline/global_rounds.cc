#include "winnow/pipeline/global_rounds.h"

#include <filesystem>

#include "winnow/io/byte_source.h"
#include "winnow/io/id_file.h"
#include "winnow/io/part_file.h"
#include "winnow/io/scratch_file.h"

namespace winnow::pipeline {
namespace {

namespace fs = std::filesystem;

// Runs a global stage's decisions as the first step of a pass.
class ApplyWorker final : public StageWorker {
 public:
  explicit ApplyWorker(const GlobalDecisions* decisions) : decisions_(decisions) {}
  Status Process(Batch& batch) override { return decisions_->Apply(batch); }

 private:
  const GlobalDecisions* decisions_;
};

// The documents a map pass saw, from the ids files its writer left per shard (io/id_file.h).
class SpilledDirectory final : public DocDirectory {
 public:
  SpilledDirectory(std::vector<std::string> files, std::vector<uint64_t> shard_records)
      : files_(std::move(files)), shard_records_(std::move(shard_records)) {}

  Status ForEach(const std::function<Status(DocRef, std::string_view)>& fn) const override {
    for (size_t shard = 0; shard < files_.size(); ++shard) {
      std::error_code ec;
      if (files_[shard].empty() || !fs::exists(files_[shard], ec)) continue;  // none mapped
      WINNOW_RETURN_IF_ERROR(
          io::ReadIdFile(files_[shard], [&](uint64_t ordinal, std::string_view id) {
            return fn(PackDoc(Provenance{static_cast<uint32_t>(shard), ordinal}), id);
          }));
    }
    return Status::OK();
  }
  const std::vector<uint64_t>& shard_records() const override { return shard_records_; }

 private:
  std::vector<std::string> files_;
  std::vector<uint64_t> shard_records_;
};

}  // namespace

GlobalRounds::GlobalRounds(const std::vector<std::unique_ptr<Stage>>& stages,
                           const OutputDirectory& dir, const io::InputList& inputs,
                           NameTable& names, Exchange* exchange, uint64_t memory_budget,
                           uint64_t first, uint64_t end)
    : stages_(stages),
      dir_(dir),
      inputs_(inputs),
      names_(names),
      exchange_(exchange),
      memory_budget_(memory_budget),
      my_first_(first),
      my_end_(end),
      decisions_(stages.size()) {}

void GlobalRounds::InstallAppliers(size_t stage, PassRunner& runner) {
  for (int t = 0; t < runner.threads(); ++t) {
    runner.thread(t).appliers[stage] = std::make_unique<ApplyWorker>(decisions_[stage].get());
  }
}

Status GlobalRounds::Begin(const PassPlan& pass, PassRunner& runner) {
  for (size_t s : pass.map) {
    auto* g = static_cast<GlobalStage*>(stages_[s].get());
    GlobalContext ctx;
    ctx.work_dir = dir_.StageWorkDir(s, g->name());
    ctx.exchange = exchange_;
    std::error_code ec;
    fs::remove_all(ctx.work_dir, ec);  // what a killed attempt left
    fs::create_directories(ctx.work_dir, ec);
    if (ec) return Status::IOError("cannot create " + ctx.work_dir + ": " + ec.message());
    // The stages mapped together hold their keys at the same time: they share the budget.
    ctx.memory_budget = memory_budget_ / pass.map.size();
    ctx.threads = runner.threads();
    WINNOW_RETURN_IF_ERROR(g->Begin(ctx).WithContext(g->name()));
    for (int t = 0; t < runner.threads(); ++t) {
      WorkerContext wc;
      wc.thread = t;
      wc.threads = runner.threads();
      wc.counters = &runner.thread(t).counters;
      WINNOW_ASSIGN_OR_RETURN(runner.thread(t).mappers[s], g->NewMapper(wc));
    }
  }
  return Status::OK();
}

Status GlobalRounds::Group(const PassPlan& pass, size_t index, PassRunner& runner, RunState& state,
                           std::vector<StepMemory>* memory) {
  for (int t = 0; t < runner.threads(); ++t) {
    for (size_t s : pass.map) {
      auto& mapper = runner.thread(t).mappers[s];
      WINNOW_RETURN_IF_ERROR(mapper->Finish().WithContext(stages_[s]->name()));
      mapper.reset();
    }
  }
  std::vector<std::string> ids;  // this rank's shards' ids files ("" for other ranks' shards)
  for (size_t shard = 0; shard < inputs_.shards.size(); ++shard) {
    const bool mine = shard >= my_first_ && shard < my_end_;
    ids.push_back(mine ? dir_.IdsPath(index, static_cast<uint32_t>(shard)) : std::string());
  }
  SpilledDirectory directory(std::move(ids), state.shard_records);
  std::vector<const GlobalDecisions*> earlier;
  for (size_t s : pass.map) {
    auto* g = static_cast<GlobalStage*>(stages_[s].get());
    auto t0 = Clock::now();
    const uint64_t sent = exchange_ != nullptr ? exchange_->bytes_sent() : 0;
    Counters counters;
    ResetPeakRss();
    Result<std::unique_ptr<GlobalDecisions>> d = g->Group(directory, earlier, &counters);
    if (!d.ok()) return d.status().WithContext(g->name());
    StepMemory step{.pass = static_cast<int>(index) + 1,
                    .step = "group",
                    .stage = std::string(g->name()),
                    .peak_rss_bytes = StepPeakRssBytes()};
    for (const auto& [name, n] : counters.values()) {  // the keys spilled past the budget
      if (name.ends_with(".spilled_bytes")) step.spilled_bytes += static_cast<uint64_t>(n);
    }
    memory->push_back(std::move(step));
    if (exchange_ != nullptr) {  // what the stage's shuffles and routing sent to other ranks
      // Interned: counters keep string_views.
      counters.Add(names_.Intern("exchange." + std::string(g->name()) + ".bytes_sent"),
                   static_cast<int64_t>(exchange_->bytes_sent() - sent));
    }
    decisions_[s] = std::move(d).value();
    // Saved for a resumed run, which applies them without grouping again.
    std::string saved;
    decisions_[s]->Save(&saved);
    WINNOW_RETURN_IF_ERROR(io::WriteFileAtomically(
        dir_.DecisionsPath(s),
        io::EncodeScratchFile(io::ScratchKind::kDecisions, kDecisionsVersion, saved)));
    state.tally.stages[s].seconds += SecondsSince(t0);
    state.tally.counters.Combine(counters);
    earlier.push_back(decisions_[s].get());
    InstallAppliers(s, runner);
  }
  return Status::OK();
}

Status GlobalRounds::Load(const std::vector<PassPlan>& passes, size_t resume_pass,
                          PassRunner& runner) {
  for (size_t q = 0; q < resume_pass && q < passes.size(); ++q) {
    for (size_t s : passes[q].map) {
      const std::string path = dir_.DecisionsPath(s);
      Result<std::string> bytes = io::ReadFileFully(path);
      if (!bytes.ok()) {
        return Status::IOError("cannot resume: " + path +
                               " (saved dedup decisions) is missing; "
                               "start the run again with --overwrite");
      }
      WINNOW_ASSIGN_OR_RETURN(
          std::string_view payload,
          io::DecodeScratchFile(*bytes, io::ScratchKind::kDecisions, kDecisionsVersion, path));
      auto* g = static_cast<GlobalStage*>(stages_[s].get());
      Result<std::unique_ptr<GlobalDecisions>> d = g->LoadDecisions(payload);
      if (!d.ok()) return d.status().WithContext(path);
      decisions_[s] = std::move(d).value();
      InstallAppliers(s, runner);
    }
  }
  return Status::OK();
}

std::vector<std::vector<std::pair<DocRef, DocRef>>> GlobalRounds::ExamplePairs(size_t k) const {
  std::vector<std::vector<std::pair<DocRef, DocRef>>> pairs(stages_.size());
  for (size_t s = 0; s < stages_.size(); ++s) {
    if (decisions_[s]) pairs[s] = decisions_[s]->ExamplePairs(k);
  }
  return pairs;
}

}  // namespace winnow::pipeline
