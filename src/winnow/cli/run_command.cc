// `winnow clean` and `winnow run`: build a RunConfig, run the pipeline, print a summary.
#include <cstdio>
#include <filesystem>

#include "winnow/cli/commands.h"
#include "winnow/cli/progress.h"
#include "winnow/dist/world.h"
#include "winnow/pipeline/builtin_stages.h"
#include "winnow/pipeline/config.h"
#include "winnow/pipeline/executor.h"
#include "winnow/pipeline/report.h"

namespace winnow::cli {
namespace {

void PrintSummary(const pipeline::RunStats& s, const std::string& out) {
  double mb = static_cast<double>(s.input_bytes) / 1e6;
  double secs = s.wall_seconds > 0 ? s.wall_seconds : 1e-9;
  auto pct = [&](uint64_t n) {
    return s.input_records ? 100.0 * static_cast<double>(n) / static_cast<double>(s.input_records)
                           : 0.0;
  };
  std::string workers = std::to_string(s.threads) + " threads";
  if (s.ranks > 1) workers = std::to_string(s.ranks) + " ranks x " + workers;
  std::printf("winnow %s: %llu documents, %.1f MB in %.2f s (%.1f MB/s, %.0f docs/s, %s)\n",
              s.command.c_str(), static_cast<unsigned long long>(s.input_records), mb,
              s.wall_seconds, mb / secs, static_cast<double>(s.input_records) / secs,
              workers.c_str());
  if (s.attempts > 1) {
    std::printf("  resumed: %d attempts (times are their sums)\n", s.attempts);
  }
  std::printf("  kept      %10llu  %5.1f%%\n", static_cast<unsigned long long>(s.kept.docs),
              pct(s.kept.docs));
  std::printf("  removed   %10llu  %5.1f%%\n", static_cast<unsigned long long>(s.removed.docs),
              pct(s.removed.docs));
  for (const auto& [reason, t] : s.removed_by_reason) {
    std::printf("    %-34s %10llu  %5.1f%%\n", reason.c_str(),
                static_cast<unsigned long long>(t.docs), pct(t.docs));
  }
  std::printf("  rejected  %10llu  %5.1f%%\n", static_cast<unsigned long long>(s.rejected),
              pct(s.rejected));
  for (const auto& [kind, n] : s.rejected_by_kind) {
    std::printf("    %-34s %10llu\n", kind.c_str(), static_cast<unsigned long long>(n));
  }
  for (const std::string& note : s.notes) std::printf("note: %s\n", note.c_str());
  std::filesystem::path o(out);
  std::printf("outputs: %s/ %s/ %s/ %s %s\n", (o / "kept").c_str(), (o / "removed").c_str(),
              (o / "rejected").c_str(), (o / "stats.json").c_str(), (o / "report.html").c_str());
}

int Execute(pipeline::RunConfig cfg, const CommonRunArgs& run, const char* command) {
  if (run.resume && run.overwrite) {
    return ReportError(Status::InvalidArgument(
        "--resume and --overwrite contradict each other: --resume continues the run in OUT, "
        "--overwrite replaces it"));
  }
  cfg.resume = run.resume;
  if (!run.output.empty()) cfg.output = run.output;
  if (run.threads >= 0) cfg.threads = run.threads;
  if (run.on_error == "skip") cfg.on_error = pipeline::OnError::kSkip;
  if (run.on_error == "fail") cfg.on_error = pipeline::OnError::kFail;
  cfg.overwrite = run.overwrite;
  if (run.output_format == "parquet") cfg.output_format = pipeline::OutputFormat::kParquet;
  if (run.output_format == "jsonl") {
    cfg.output_format = pipeline::OutputFormat::kJsonl;
    if (cfg.compression != "none") cfg.compression = "zstd";
  }
  if (!run.memory_budget.empty()) {
    Result<uint64_t> budget = ParseByteSize(run.memory_budget);
    if (!budget.ok() || *budget < (uint64_t{1} << 20)) {
      return ReportError(Status::InvalidArgument(
          "--memory-budget: expected a size of at least 1M, such as 512M or 2G"));
    }
    cfg.memory_budget = *budget;
  }
  if (cfg.output.empty()) {
    return ReportError(Status::InvalidArgument("no output directory: pass -o OUT or set output"));
  }
  // Under mpirun or srun: one rank of many. Rank 0 speaks for the job; an error RunPipeline
  // returns is one every rank returns (a rank failing alone aborts the job from inside).
  Result<std::unique_ptr<Exchange>> world = dist::JoinWorld();
  if (!world.ok()) return ReportError(world.status());
  cfg.exchange = world->get();
  const bool speaks = *world == nullptr || (*world)->rank() == 0;
  ProgressLine progress(run.quiet || !speaks);
  Result<pipeline::RunStats> stats =
      pipeline::RunPipeline(cfg, pipeline::BuiltinStages(), command, progress.Callback());
  progress.Finish();
  if (!stats.ok()) return speaks ? ReportError(stats.status()) : ExitCode(stats.status());
  if (speaks && !run.quiet) PrintSummary(*stats, cfg.output);
  return 0;
}

}  // namespace

int ReportError(const Status& status) {
  std::fprintf(stderr, "winnow: %s\n", status.ToString().c_str());
  return ExitCode(status);
}

int ExitCode(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kUnimplemented:
      return 2;
    default:
      return 1;
  }
}

int RunClean(const CleanArgs& args) {
  pipeline::RunConfig cfg;
  if (args.config.empty()) {
    cfg = pipeline::DefaultCleanConfig(pipeline::BuiltinStages());
  } else {
    Result<pipeline::RunConfig> loaded = pipeline::LoadConfig(args.config);
    if (!loaded.ok()) return ReportError(loaded.status());
    cfg = std::move(loaded).value();
  }
  cfg.inputs = args.inputs;
  return Execute(std::move(cfg), args.run, "clean");
}

int RunRun(const RunArgs& args) {
  Result<pipeline::RunConfig> loaded = pipeline::LoadConfig(args.pipeline);
  if (!loaded.ok()) return ReportError(loaded.status());
  return Execute(std::move(loaded).value(), args.run, "run");
}

int RunDedup(const DedupArgs& args) {
  pipeline::RunConfig cfg;
  cfg.inputs = args.inputs;
  pipeline::StageConfig stage;
  stage.name = args.mode;
  auto set = [&](const std::string& key, const std::string& value) {
    stage.options[key].scalar = value;
  };
  if (args.mode != "exact") {
    set("preset", args.preset);
    if (args.bands > 0 || args.rows > 0) {
      if (args.bands == 0 || args.rows == 0) {
        return ReportError(Status::InvalidArgument("give --bands and --rows together"));
      }
      set("bands", std::to_string(args.bands));
      set("rows", std::to_string(args.rows));
    }
  }
  if (args.mode == "minhash") {
    if (args.threshold > 0) set("threshold", std::to_string(args.threshold));
    if (args.no_verify) set("verify", "false");
    if (!args.signatures.empty()) set("signatures_file", args.signatures);
    if (!args.clusters.empty()) set("clusters_file", args.clusters);
  } else if (args.threshold > 0 || !args.signatures.empty() || !args.clusters.empty()) {
    return ReportError(Status::InvalidArgument(
        "--threshold, --signatures and --clusters apply to --mode minhash"));
  }
  if (args.mode == "bloom" && args.expected_docs > 0) {
    set("expected_docs", std::to_string(args.expected_docs));
  }
  cfg.stages.push_back(std::move(stage));
  return Execute(std::move(cfg), args.run, "dedup");
}

int RunAnnotate(const AnnotateArgs& args) {
  pipeline::RunConfig cfg;
  if (args.config.empty()) {
    cfg = pipeline::DefaultCleanConfig(pipeline::BuiltinStages());
  } else {
    Result<pipeline::RunConfig> loaded = pipeline::LoadConfig(args.config);
    if (!loaded.ok()) return ReportError(loaded.status());
    cfg = std::move(loaded).value();
  }
  cfg.inputs = args.inputs;
  cfg.annotate = true;
  cfg.annotate_output = args.output;
  // Compressed when the name says so; standard output is plain JSONL.
  cfg.compress =
      args.output.size() > 4 && args.output.compare(args.output.size() - 4, 4, ".zst") == 0;
  const bool to_stdout = args.output.empty() || args.output == "-";
  if (to_stdout) {
    cfg.annotate_writer = [](std::string_view bytes) {
      if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size()) {
        return Status::IOError("annotate: cannot write to standard output");
      }
      return Status::OK();
    };
  }
  if (args.threads >= 0) cfg.threads = args.threads;
  if (args.on_error == "skip") cfg.on_error = pipeline::OnError::kSkip;
  if (args.on_error == "fail") cfg.on_error = pipeline::OnError::kFail;
  ProgressLine progress(args.quiet);
  Result<pipeline::RunStats> stats =
      pipeline::RunPipeline(cfg, pipeline::BuiltinStages(), "annotate", progress.Callback());
  progress.Finish();
  if (stats.ok() && to_stdout && std::fflush(stdout) != 0) {
    stats = Status::IOError("annotate: cannot write to standard output");
  }
  if (!stats.ok()) return ReportError(stats.status());
  if (!args.quiet) {
    // The summary goes to stderr: stdout may be carrying the annotations.
    std::fprintf(stderr,
                 "winnow annotate: %llu documents annotated, %llu unreadable records "
                 "skipped, %.2f s\n",
                 static_cast<unsigned long long>(stats->kept.docs),
                 static_cast<unsigned long long>(stats->rejected), stats->wall_seconds);
  }
  return 0;
}

int RunReport(const std::string& output, bool quiet) {
  Status st = pipeline::WriteReport(output);
  if (!st.ok()) return ReportError(st);
  if (!quiet) std::printf("wrote %s\n", (std::filesystem::path(output) / "report.html").c_str());
  return 0;
}

int RunConfigDefaults() {
  std::fputs(pipeline::DefaultConfigYaml(pipeline::BuiltinStages()).c_str(), stdout);
  return 0;
}

}  // namespace winnow::cli
