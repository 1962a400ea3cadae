// `winnow bench`: generate a corpus, run the default pipeline on one thread and on all, and
// print per-stage throughput (busy time per stage, so MB/s per core).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "winnow/cli/commands.h"
#include "winnow/gen/generator.h"
#include "winnow/pipeline/builtin_stages.h"
#include "winnow/pipeline/config.h"
#include "winnow/pipeline/executor.h"

namespace winnow::cli {
namespace {

namespace fs = std::filesystem;

double Rate(double x, double s) { return s > 0 ? x / s : 0; }

}  // namespace

int RunBench(const BenchArgs& args) {
  std::string dir = args.workdir;
  bool temporary = dir.empty();
  if (temporary) {
    std::string tmpl = (fs::temp_directory_path() / "winnow-bench-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
      return ReportError(Status::IOError("bench: cannot create a temporary directory"));
    }
    dir = tmpl;
  }
  fs::create_directories(dir);
  std::string corpus = (fs::path(dir) / "corpus.jsonl.zst").string();
  gen::GenOptions go;
  go.docs = args.docs;
  go.output = corpus;
  Result<gen::GenStats> g = gen::GenerateCorpus(go);
  if (!g.ok()) return ReportError(g.status());
  std::printf("winnow bench: %llu generated documents, %.1f MB (%.1f MB zstd); gen %.0f MB/s\n",
              static_cast<unsigned long long>(g->docs), static_cast<double>(g->bytes) / 1e6,
              static_cast<double>(g->output_bytes) / 1e6,
              Rate(static_cast<double>(g->bytes) / 1e6, g->seconds));

  int rc = 0;
  // One thread (the per-stage table), then the requested count when it is another.
  std::vector<int> runs = {1};
  if (args.threads != 1) runs.push_back(args.threads);
  for (int threads : runs) {
    pipeline::RunConfig cfg = pipeline::DefaultCleanConfig(pipeline::BuiltinStages());
    cfg.inputs = {corpus};
    cfg.output = (fs::path(dir) / ("out-" + std::to_string(threads))).string();
    cfg.threads = threads;
    cfg.overwrite = true;
    Result<pipeline::RunStats> s = pipeline::RunPipeline(cfg, pipeline::BuiltinStages(), "bench");
    if (!s.ok()) {
      rc = ReportError(s.status());
      break;
    }
    double mb = static_cast<double>(s->input_bytes) / 1e6;
    std::printf("\nclean, %d thread%s: %.2f s wall, %.1f MB/s, %.0f docs/s\n", s->threads,
                s->threads == 1 ? "" : "s", s->wall_seconds, Rate(mb, s->wall_seconds),
                Rate(static_cast<double>(s->input_records), s->wall_seconds));
    if (threads != 1) continue;
    std::printf("  %-18s %12s %12s %10s\n", "stage", "docs/s", "MB/s", "busy s");
    for (const pipeline::StageStats& st : s->stages) {
      std::printf("  %-18s %12.0f %12.1f %10.3f\n", st.name.c_str(),
                  Rate(static_cast<double>(st.in.docs), st.seconds),
                  Rate(static_cast<double>(st.in.bytes) / 1e6, st.seconds), st.seconds);
    }
  }
  if (temporary) fs::remove_all(dir);
  return rc;
}

}  // namespace winnow::cli
