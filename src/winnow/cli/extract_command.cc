// `winnow extract`: the main text (and comments) of HTML pages and web archives, as text or
// as CLI.md's JSONL. Reads with the pipeline's readers (WARC/ARC/WET, .html, JSONL whose
// text is HTML is not assumed: only pages and archives are extracted; WET text passes).
#include <cstdio>
#include <memory>

#include "winnow/cli/commands.h"
#include "winnow/core/json_writer.h"
#include "winnow/extract/html_extractor.h"
#include "winnow/io/inputs.h"
#include "winnow/io/record_codec.h"
#include "winnow/io/record_reader.h"

namespace winnow::cli {

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
  extract::HtmlExtractor extractor(options);
  extract::ExtractScratch scratch;
  io::RecordParser parser;
  io::ReaderOptions reader_options;
  uint64_t pages = 0, rejected = 0;
  std::string line;
  for (const io::Shard& shard : inputs->shards) {
    std::unique_ptr<io::RecordReader> reader =
        io::OpenRecordReader(shard.path, shard.format, reader_options);
    bool more = true;
    while (more) {
      Batch batch;
      batch.source = shard.path;
      more = reader->Next(batch);
      parser.ParseBatch(batch);
      for (const Rejected& r : batch.rejected) {
        ++rejected;
        std::fprintf(stderr, "winnow extract: skipped: %s\n", r.error.c_str());
      }
      for (Document& doc : batch.docs) {
        extract::Extracted page;
        if (doc.needs_extraction) {
          Status st = extractor.Extract(doc.text, scratch, &page);
          if (!st.ok()) {
            ++rejected;
            std::fprintf(stderr, "winnow extract: %s: %s\n", doc.id.c_str(), st.ToString().c_str());
            continue;
          }
        } else {
          page.text = doc.text;  // WET: already text
        }
        ++pages;
        line.clear();
        if (args.format == "text") {
          line = page.text;
          line += "\n";
          if (args.comments && !page.comments.empty()) line += "\n" + page.comments + "\n";
          if (inputs->shards.size() > 1 || batch.docs.size() > 1) line += "\n";
        } else {
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
        std::fwrite(line.data(), 1, line.size(), out);
      }
    }
  }
  if (std::fflush(out) != 0) {
    std::fprintf(stderr, "winnow extract: write failed\n");
    return 1;
  }
  if (!args.quiet) {
    std::fprintf(stderr, "winnow extract: %llu pages, %llu skipped\n",
                 static_cast<unsigned long long>(pages), static_cast<unsigned long long>(rejected));
  }
  return 0;
}

}  // namespace winnow::cli
