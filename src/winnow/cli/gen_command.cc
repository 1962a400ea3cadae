// `winnow gen`: write a generated corpus.
#include <cstdio>

#include "winnow/cli/commands.h"
#include "winnow/gen/generator.h"

namespace winnow::cli {

int RunGen(const GenArgs& args) {
  gen::GenOptions o;
  o.docs = args.docs;
  o.seed = args.seed;
  o.output = args.output;
  o.truth = args.truth;
  o.threads = args.threads;
  o.level = args.level;
  Result<gen::GenStats> stats = gen::GenerateCorpus(o);
  if (!stats.ok()) return ReportError(stats.status());
  if (!args.quiet) {
    double mb = static_cast<double>(stats->bytes) / 1e6;
    std::printf(
        "winnow gen: %llu documents, %.1f MB (%.1f MB on disk) in %.2f s (%.0f MB/s) -> %s\n",
        static_cast<unsigned long long>(stats->docs), mb,
        static_cast<double>(stats->output_bytes) / 1e6, stats->seconds,
        stats->seconds > 0 ? mb / stats->seconds : 0.0, args.output.c_str());
    for (const auto& [kind, n] : stats->kinds) {
      std::printf("  %-14s %10llu\n", kind.c_str(), static_cast<unsigned long long>(n));
    }
  }
  return 0;
}

}  // namespace winnow::cli
