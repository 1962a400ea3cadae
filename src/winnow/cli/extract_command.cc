// `winnow extract`: the main text (and comments) of HTML pages and web archives, as text or
// as CLI.md's JSONL. Reads with the pipeline's readers (WARC/ARC/WET, .html, JSONL whose
// text is HTML is not assumed: only pages and archives are extracted; WET text passes).
//
// A oneTBB pipeline as in the executor: a serial reader cuts the inputs into batches, each
// batch is parsed, extracted and formatted on any thread, and a serial writer prints the
// batches in input order, so the output is the same for any --threads.
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <thread>

#include "winnow/cli/commands.h"
#include "winnow/core/json_writer.h"
#include "winnow/extract/html_extractor.h"
#include "winnow/io/inputs.h"
#include "winnow/io/record_codec.h"
#include "winnow/io/record_reader.h"

namespace winnow::cli {
namespace {

// A batch of pages and what extracting them gave.
struct Pages {
  Batch batch;
  bool several_shards = false;
  std::string out;       // formatted output
  std::string messages;  // what to say on standard error (skipped records and pages)
  uint64_t pages = 0, skipped = 0;
};

// Each thread's parser and extraction scratch.
struct Local {
  io::RecordParser parser;
  extract::ExtractScratch scratch;
};

void Format(const ExtractArgs& args, const Document& doc, const extract::Extracted& page,
            bool separate, std::string& line) {
  if (args.format == "text") {
    line += page.text;
    line += "\n";
    if (args.comments && !page.comments.empty()) line += "\n" + page.comments + "\n";
    if (separate) line += "\n";
    return;
  }
  line += "{\"id\":";
  AppendJsonString(line, doc.id);
  line += ",\"url\":";
  AppendJsonString(line, doc.url);
  line += ",\"title\":";
  AppendJsonString(line, page.title);
  if (!page.author.empty()) {
    line += ",\"author\":";
    AppendJsonString(line, page.author);
  }
  if (!page.published.empty()) {
    line += ",\"published\":";
    AppendJsonString(line, page.published);
  }
  line += ",\"text\":";
  AppendJsonString(line, page.text);
  if (args.comments) {
    line += ",\"comments\":";
    AppendJsonString(line, page.comments);
  }
  line += "}\n";
}

void ExtractBatch(const ExtractArgs& args, const extract::HtmlExtractor& extractor, Local& local,
                  Pages& p) {
  Batch& batch = p.batch;
  local.parser.ParseBatch(batch);
  for (const Rejected& r : batch.rejected) {
    ++p.skipped;
    p.messages += "winnow extract: skipped: " + r.error + "\n";
  }
  extract::Extracted page;
  for (Document& doc : batch.docs) {
    page = extract::Extracted{};
    if (doc.needs_extraction) {
      Status st = extractor.Extract(doc.text, local.scratch, &page);
      if (!st.ok()) {
        ++p.skipped;
        p.messages += "winnow extract: " + doc.id + ": " + st.ToString() + "\n";
        continue;
      }
    } else {
      page.text = doc.text;  // WET: already text
    }
    ++p.pages;
    Format(args, doc, page, p.several_shards || batch.docs.size() > 1, p.out);
  }
}

}  // namespace

int RunExtract(const ExtractArgs& args) {
  if (args.format != "text" && args.format != "jsonl") {
    std::fprintf(stderr, "winnow extract: --format must be text or jsonl\n");
    return 2;
  }
  Result<io::InputList> inputs = io::ExpandInputs(args.inputs);
  if (!inputs.ok()) return ReportError(inputs.status());
  std::FILE* out = stdout;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, std::fclose);
  if (!args.output.empty() && args.output != "-") {
    file.reset(std::fopen(args.output.c_str(), "wb"));
    if (!file) {
      std::fprintf(stderr, "winnow extract: cannot write %s\n", args.output.c_str());
      return 1;
    }
    out = file.get();
  }
  extract::ExtractOptions options;
  options.comments = args.comments;
  const extract::HtmlExtractor extractor(options);
  const int threads = args.threads > 0
                          ? args.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  tbb::enumerable_thread_specific<Local> locals;
  io::ReaderOptions reader_options;
  uint64_t pages = 0, skipped = 0;
  bool write_failed = false;
  size_t shard = 0;
  std::unique_ptr<io::RecordReader> reader;
  tbb::task_arena arena(threads);
  arena.execute([&] {
    auto read = [&](tbb::flow_control& fc) -> Pages* {
      while (shard < inputs->shards.size()) {
        const io::Shard& s = inputs->shards[shard];
        if (!reader) reader = io::OpenShardReader(s, reader_options);
        auto p = std::make_unique<Pages>();
        p->batch.source = s.path;
        p->several_shards = inputs->shards.size() > 1;
        if (!reader->Next(p->batch)) {
          reader.reset();
          ++shard;
        }
        if (!p->batch.records.empty() || !p->batch.rejected.empty()) return p.release();
      }
      fc.stop();
      return nullptr;
    };
    auto work = [&](Pages* p) {
      ExtractBatch(args, extractor, locals.local(), *p);
      return p;
    };
    auto write = [&](Pages* p) {
      std::unique_ptr<Pages> owned(p);
      pages += p->pages;
      skipped += p->skipped;
      if (!args.quiet) std::fputs(p->messages.c_str(), stderr);
      if (std::fwrite(p->out.data(), 1, p->out.size(), out) != p->out.size()) write_failed = true;
    };
    tbb::parallel_pipeline(
        static_cast<size_t>(2 * threads + 2),
        tbb::make_filter<void, Pages*>(tbb::filter_mode::serial_in_order, read) &
            tbb::make_filter<Pages*, Pages*>(tbb::filter_mode::parallel, work) &
            tbb::make_filter<Pages*, void>(tbb::filter_mode::serial_in_order, write));
  });
  if (write_failed || std::fflush(out) != 0) {
    std::fprintf(stderr, "winnow extract: write failed\n");
    return 1;
  }
  if (!args.quiet) {
    std::fprintf(stderr, "winnow extract: %llu pages, %llu skipped\n",
                 static_cast<unsigned long long>(pages), static_cast<unsigned long long>(skipped));
  }
  return 0;
}

}  // namespace winnow::cli
