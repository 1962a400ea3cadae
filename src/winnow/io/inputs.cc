#include "winnow/io/inputs.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "winnow/io/parquet_reader.h"

namespace winnow::io {
namespace {

namespace fs = std::filesystem;

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The name without a compression suffix.
std::string StripCodec(std::string name) {
  for (std::string_view ext : {".gz", ".zst", ".zstd", ".lz4"}) {
    if (EndsWith(name, ext)) return name.substr(0, name.size() - ext.size());
  }
  return name;
}

enum class Kind { kJsonl, kText, kWarc, kHtml, kParquet, kUnknown };

Kind KindOf(const std::string& path) {
  std::string name = StripCodec(fs::path(path).filename().string());
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (EndsWith(name, ".jsonl") || EndsWith(name, ".ndjson") || EndsWith(name, ".json")) {
    return Kind::kJsonl;
  }
  if (EndsWith(name, ".txt")) return Kind::kText;
  if (EndsWith(name, ".warc") || EndsWith(name, ".wet") || EndsWith(name, ".arc")) {
    return Kind::kWarc;
  }
  if (EndsWith(name, ".html") || EndsWith(name, ".htm")) return Kind::kHtml;
  if (EndsWith(name, ".parquet")) return Kind::kParquet;
  return Kind::kUnknown;
}

// The first Parquet input's columns, which later ones are compared with.
struct FirstParquet {
  std::string path, columns;
};

Status AddFile(const std::string& path, bool explicit_arg, const ReaderOptions& options,
               FirstParquet& first, InputList& out) {
  Kind kind = KindOf(path);
  if (kind == Kind::kParquet) {
    Result<ParquetLayout> layout = ParquetShards(path, options.parquet_shard_bytes);
    if (!layout.ok()) {  // the reader reports what is wrong with it, per --on-error
      std::error_code ec;
      const uint64_t size = fs::file_size(path, ec);
      out.shards.push_back(Shard{path, InputFormat::kParquet, ec ? 0 : size});
      out.total_bytes += out.shards.back().size;
      return Status::OK();
    }
    if (first.path.empty()) {
      first = FirstParquet{path, layout->columns};
    } else if (layout->columns != first.columns) {
      // Allowed: each output part keeps its own input's columns. Said, since a reader of the
      // output parts together must then merge their schemas.
      out.notes.push_back("parquet: " + path + " has columns (" + layout->columns + ") where " +
                          first.path + " has (" + first.columns +
                          "); each output part keeps its own input's columns (read them "
                          "together with DuckDB's union_by_name or Spark's mergeSchema)");
    }
    for (const RowGroupRange& r : layout->runs) {
      Shard s{path, InputFormat::kParquet, r.bytes, r.first, r.count};
      out.total_bytes += s.size;
      out.shards.push_back(std::move(s));
    }
    return Status::OK();
  }
  if (kind == Kind::kUnknown) {
    if (!explicit_arg) {
      out.skipped.push_back(path);
      return Status::OK();
    }
    // A file named explicitly without a known extension (a pipe, a temp file) is read as
    // JSONL; its codec is still sniffed from its bytes.
    kind = Kind::kJsonl;
  }
  Shard s;
  s.path = path;
  s.format = kind == Kind::kText   ? InputFormat::kText
             : kind == Kind::kWarc ? InputFormat::kWarc
             : kind == Kind::kHtml ? InputFormat::kHtml
                                   : InputFormat::kJsonl;
  std::error_code ec;
  uint64_t size = fs::file_size(path, ec);
  s.size = ec ? 0 : size;
  out.total_bytes += s.size;
  out.shards.push_back(std::move(s));
  return Status::OK();
}

}  // namespace

std::unique_ptr<RecordReader> OpenShardReader(const Shard& shard, const ReaderOptions& options) {
  if (shard.format == InputFormat::kParquet) {
    return OpenParquetReader(shard.path, shard.first_group, shard.groups, options);
  }
  return OpenRecordReader(shard.path, shard.format, options);
}

Result<InputList> ExpandInputs(const std::vector<std::string>& args, const ReaderOptions& options) {
  InputList out;
  FirstParquet first;
  for (const std::string& arg : args) {
    if (arg == "-") {
      out.shards.push_back(Shard{"-", InputFormat::kJsonl, 0});
      continue;
    }
    std::error_code ec;
    fs::file_status st = fs::status(arg, ec);
    if (ec || !fs::exists(st)) return Status::NotFound("no such input: " + arg);
    if (fs::is_directory(st)) {
      std::vector<std::string> files;
      for (auto it = fs::recursive_directory_iterator(arg, ec); !ec && it != fs::end(it);
           it.increment(ec)) {
        if (it->is_regular_file(ec)) files.push_back(it->path().string());
      }
      if (ec) return Status::IOError("cannot list input directory: " + arg + ": " + ec.message());
      std::sort(files.begin(), files.end());
      for (const std::string& f : files)
        WINNOW_RETURN_IF_ERROR(AddFile(f, false, options, first, out));
      continue;
    }
    WINNOW_RETURN_IF_ERROR(AddFile(arg, true, options, first, out));
  }
  constexpr size_t kMaxNotes = 5;
  if (out.notes.size() > kMaxNotes) {
    const size_t more = out.notes.size() - kMaxNotes;
    out.notes.resize(kMaxNotes);
    out.notes.push_back("parquet: " + std::to_string(more) +
                        " more files have columns other than the first file's");
  }
  return out;
}

}  // namespace winnow::io
