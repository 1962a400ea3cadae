// winnow: the command line. Parses arguments with CLI11 and dispatches to the subcommands.
#include <CLI/CLI.hpp>

#include <malloc.h>

#include <cstdio>

#include "winnow/cli/commands.h"

namespace {

constexpr const char* kVersion = "0.1.0";

void AddRunOptions(CLI::App* cmd, winnow::cli::CommonRunArgs& run, bool output_required) {
  auto* o = cmd->add_option("-o,--output", run.output,
                            "output directory (kept/, removed/, "
                            "rejected/, stats.json)");
  if (output_required) o->required();
  cmd->add_option("--threads", run.threads, "worker threads (0: every core)")
      ->check(CLI::Range(0, 4096));
  cmd->add_option("--on-error", run.on_error,
                  "skip: count bad input and write it to OUT/rejected/; fail: stop at the first")
      ->check(CLI::IsMember({"skip", "fail"}));
  cmd->add_flag("--resume", run.resume, "continue an interrupted run in OUT");
  cmd->add_flag("--overwrite", run.overwrite, "replace the outputs of an earlier run in OUT");
  cmd->add_flag("-q,--quiet", run.quiet, "print nothing on success (errors still go to stderr)");
  cmd->add_option("--output-format", run.output_format,
                  "kept and removed parts as jsonl (default) or parquet")
      ->check(CLI::IsMember({"jsonl", "parquet"}));
  cmd->add_option("--memory-budget", run.memory_budget,
                  "memory for dedup keys before they spill to disk (512M, 2G; default 1G)");
}

}  // namespace

int main(int argc, char** argv) {
  // Allocator policy, the binary's business (the library sets none). CLD2 allocates and frees
  // a few MB of scratch on every call; above glibc's default mmap threshold each call maps and
  // unmaps fresh pages (page faults, ~15% of the language stage). Serve blocks up to 8 MB
  // from the arenas and keep up to 64 MB of free top memory per arena instead of trimming.
  mallopt(M_MMAP_THRESHOLD, 8 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  CLI::App app{"winnow: clean, filter and deduplicate web text for training language models"};
  app.require_subcommand(1);
  app.set_version_flag("--version", kVersion);

  winnow::cli::CleanArgs clean;
  auto* c = app.add_subcommand("clean",
                               "run the default cleaning pipeline (or --config) on "
                               "INPUT files or directories");
  c->add_option("inputs", clean.inputs, "JSONL(.gz/.zst) or .txt files, directories, or -")
      ->required();
  c->add_option("--config", clean.config, "pipeline YAML (see `winnow config --defaults`)");
  AddRunOptions(c, clean.run, true);

  winnow::cli::RunArgs run;
  auto* r = app.add_subcommand("run", "run the pipeline described by a YAML file");
  r->add_option("pipeline", run.pipeline, "pipeline YAML (inputs, output, stages)")->required();
  AddRunOptions(r, run.run, false);

  winnow::cli::AnnotateArgs annotate;
  auto* a = app.add_subcommand("annotate",
                               "every filter's decision and signals per document, "
                               "nothing dropped");
  a->add_option("inputs", annotate.inputs, "JSONL(.gz/.zst) or .txt files, directories, or -")
      ->required();
  a->add_option("-o,--output", annotate.output, "output JSONL (.zst compresses); default stdout");
  a->add_option("--config", annotate.config,
                "pipeline YAML whose filters to run (default: clean's)");
  a->add_option("--threads", annotate.threads, "worker threads (0: every core)")
      ->check(CLI::Range(0, 4096));
  a->add_option("--on-error", annotate.on_error, "skip or fail on unreadable input")
      ->check(CLI::IsMember({"skip", "fail"}));
  a->add_flag("-q,--quiet", annotate.quiet, "print nothing on success but the annotations");

  winnow::cli::DedupArgs dedup;
  auto* d = app.add_subcommand("dedup",
                               "remove exact or near duplicates from INPUT files or "
                               "directories");
  d->add_option("inputs", dedup.inputs, "JSONL(.gz/.zst) or .txt files, directories, or -")
      ->required();
  d->add_option("--mode", dedup.mode,
                "exact (same text up to whitespace), minhash (MinHash-LSH, clusters) or bloom "
                "(one streaming pass, Bloom filters)")
      ->check(CLI::IsMember({"exact", "minhash", "bloom"}));
  d->add_option("--threshold", dedup.threshold,
                "minhash: target Jaccard similarity; derives bands x rows and verifies candidates")
      ->check(CLI::Range(0.01, 0.99));
  d->add_flag("--no-verify", dedup.no_verify,
              "minhash with --threshold: join LSH candidates without checking their estimate");
  d->add_option("--preset", dedup.preset, "native, or datatrove for datatrove's exact signatures")
      ->check(CLI::IsMember({"native", "datatrove"}));
  d->add_option("--bands", dedup.bands, "LSH bands (with --rows)")->check(CLI::Range(1, 1024));
  d->add_option("--rows", dedup.rows, "permutations per band (with --bands)")
      ->check(CLI::Range(1, 1024));
  d->add_option("--signatures", dedup.signatures, "minhash: write {id, sig} per document to FILE");
  d->add_option("--clusters", dedup.clusters,
                "minhash: write {id, kept, cluster_id, cluster_size} per document to FILE");
  d->add_option("--expected-docs", dedup.expected_docs, "bloom: documents to size the filters for");
  AddRunOptions(d, dedup.run, true);

  winnow::cli::GenArgs gen;
  auto* g = app.add_subcommand("gen", "generate a deterministic web-like corpus");
  g->add_option("--docs", gen.docs, "number of documents")->required();
  g->add_option("--seed", gen.seed, "random seed");
  g->add_option("-o,--output", gen.output, "output file (.jsonl or .jsonl.zst)")->required();
  g->add_option("--truth", gen.truth, "write what was planted to this file");
  g->add_option("--threads", gen.threads, "threads (0: every core)");
  g->add_option("--level", gen.level, "zstd level")->check(CLI::Range(1, 19));
  g->add_flag("-q,--quiet", gen.quiet, "print nothing on success");

  winnow::cli::BenchArgs bench;
  auto* b = app.add_subcommand("bench", "per-stage throughput on a generated corpus");
  b->add_option("--docs", bench.docs, "documents to generate");
  b->add_option("--threads", bench.threads, "threads for the parallel run (0: every core)");
  b->add_option("--workdir", bench.workdir, "keep the corpus and outputs here");

  winnow::cli::ExplainArgs explain;
  auto* ex = app.add_subcommand("explain",
                                "one document at a time: its segments, templates, signals, "
                                "every filter's verdict and the decision, in words");
  ex->add_option("input", explain.input,
                 "a .txt page, a JSONL(.gz/.zst) or Parquet file, or - (JSONL)")
      ->required();
  ex->add_option("--config", explain.config, "pipeline YAML (default: clean's)");
  ex->add_flag("--json", explain.json, "one JSON object per document (CLI.md's format)");

  std::string report_dir;
  auto* rep =
      app.add_subcommand("report", "write OUT/report.html from an earlier run's OUT/stats.json");
  rep->add_option("output", report_dir, "the output directory of a clean/run/dedup")->required();
  bool report_quiet = false;
  rep->add_flag("-q,--quiet", report_quiet, "print nothing on success");

  bool defaults = false;
  auto* cfg = app.add_subcommand("config", "print configuration");
  cfg->add_flag("--defaults", defaults, "the full default configuration, commented")->required();

  app.add_subcommand("version", "print the version");

  winnow::cli::ExtractArgs extract;
  auto* xt =
      app.add_subcommand("extract", "main text (and comments) of HTML pages and web archives");
  xt->add_option("inputs", extract.inputs,
                 ".html files, .warc(.gz), .arc, .warc.wet.gz, directories")
      ->required();
  xt->add_option("-o,--output", extract.output, "output file (default: standard output)");
  xt->add_option("--format", extract.format, "text or jsonl ({id,url,title,text[,comments]})");
  xt->add_flag("--comments", extract.comments,
               "also the comment section (jsonl: a comments field)");
  xt->add_option("--threads", extract.threads, "worker threads (0: every core)")
      ->check(CLI::Range(0, 4096));
  xt->add_flag("-q,--quiet", extract.quiet,
               "print nothing but the output (errors still go to stderr)");

  winnow::cli::TokenizeArgs tokenize;
  auto* tk =
      app.add_subcommand("tokenize",
                         "token ids of clean documents as training shards (tiktoken, Hugging Face "
                         "tokenizer.json, SentencePiece)");
  tk->add_option("inputs", tokenize.inputs, "JSONL(.gz/.zst), Parquet or .txt files, directories")
      ->required();
  tk->add_option("-o,--output", tokenize.output, "directory of shards")->required();
  tk->add_option("--tokenizer", tokenize.tokenizer,
                 "a .tiktoken rank file (gpt2, r50k_base, p50k_base, cl100k_base, o200k_base), "
                 "a Hugging Face tokenizer.json, a SentencePiece .model, or a model directory "
                 "holding tokenizer.json or tokenizer.model")
      ->required();
  tk->add_option("--encoding", tokenize.encoding, "the encoding (default: from the file name)");
  tk->add_option("--format", tokenize.format, "megatron (.bin/.idx), datatrove (.ds) or npy");
  tk->add_option("--eos", tokenize.eos,
                 "token after each document, or none (default auto: the tokenizer's end of "
                 "text: <|endoftext|>, a SentencePiece model's </s>, tokenizer_config.json's "
                 "eos_token)");
  tk->add_option("--bos", tokenize.bos, "token before each document, or none (default)");
  tk->add_option("--shard-size", tokenize.shard_size, "bytes of ids per shard (default 1G)");
  tk->add_option("--name", tokenize.name, "shard file prefix (default tokens)");
  tk->add_option("--shuffle", tokenize.shuffle,
                 "SEED: each shard's documents in a random order, the same for the same seed "
                 "(default: input order)");
  tk->add_option("--threads", tokenize.threads, "worker threads (0: every core)")
      ->check(CLI::Range(0, 4096));
  tk->add_flag("-q,--quiet", tokenize.quiet, "print nothing on success");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  try {
    if (c->parsed()) return winnow::cli::RunClean(clean);
    if (r->parsed()) return winnow::cli::RunRun(run);
    if (a->parsed()) return winnow::cli::RunAnnotate(annotate);
    if (d->parsed()) return winnow::cli::RunDedup(dedup);
    if (g->parsed()) return winnow::cli::RunGen(gen);
    if (b->parsed()) return winnow::cli::RunBench(bench);
    if (cfg->parsed()) return winnow::cli::RunConfigDefaults();
    if (rep->parsed()) return winnow::cli::RunReport(report_dir, report_quiet);
    if (ex->parsed()) return winnow::cli::RunExplain(explain);
    if (app.got_subcommand("version")) {
      std::printf("winnow %s\n", kVersion);
      return 0;
    }
    if (xt->parsed()) return winnow::cli::RunExtract(extract);
    if (tk->parsed()) return winnow::cli::RunTokenize(tokenize);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "winnow: internal error: %s\n", e.what());
    return 1;
  }
  return 2;
}
