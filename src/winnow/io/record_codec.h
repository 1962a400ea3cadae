// Turning input records into Documents, and Documents into output lines.
//
// Parsing uses simdjson's On-Demand API, walking every value of the record so that malformed
// JSON anywhere in it (not only in the fields winnow reads) is rejected instead of being
// copied to the output. The record must be an object with a string "text"; "id" (string or
// number) and "url" (string) are read when present. Every other field is passed through as
// raw bytes: the output line is the input line with, at most, the "text" value re-encoded
// (when a stage edited it) and one "winnow" object added or replacing an existing one.
//
// RecordParser owns a simdjson parser and its buffers: one per thread, not thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "winnow/core/batch.h"
#include "winnow/core/status.h"

namespace winnow::io {

class RecordParser {
 public:
  // `text_field` and `id_field`: the keys holding the text and the id.
  explicit RecordParser(std::string text_field = "text", std::string id_field = "id");
  ~RecordParser();
  RecordParser(const RecordParser&) = delete;
  RecordParser& operator=(const RecordParser&) = delete;

  // Parses every RecordRef of `batch` into batch.docs; records that cannot be parsed become
  // batch.rejected entries (kind "json", "utf8" or "missing_text") naming file, line, offset.
  void ParseBatch(Batch& batch);

  // Parses one JSON record. `capacity` >= record.size() + 64 bytes must be readable from
  // record.data(). On failure returns the rejection kind in `*kind` and a message.
  Status ParseJson(std::string_view record, size_t capacity, Document* doc, std::string_view* kind);

  // Calls fn(key, raw) for each top-level field of a JSON object record (already validated by
  // ParseJson): the unescaped key and the value's JSON text as it stands. Same `capacity`
  // contract. Corrupt when it does not parse.
  Status Fields(std::string_view record, size_t capacity,
                const std::function<void(std::string_view key, std::string_view raw)>& fn);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string text_field_, id_field_;
};

// Decodes a JSON string literal (quotes included) into UTF-8 in *out (cleared first). False
// for a malformed literal. Used to read back a text value the parser already validated.
bool UnescapeJsonString(std::string_view quoted, std::string* out);

// Appends `doc` as one output line (with '\n'): the passthrough record, or a fresh object for
// documents that came from non-JSON input.
void AppendDocumentLine(const Document& doc, std::string& out);

// Appends the "winnow" object of `doc`:
//   {"reason":..,"duplicate_of":..,"cluster_id":..,"cluster_size":..,"signals":{..}}.
void AppendWinnowObject(const Document& doc, std::string& out);

// Appends `doc` as one `winnow annotate` line (with '\n'):
//   {"id": ..., "winnow": {"filters": {"<filter>": {"keep": ..., "reason": ...}},
//                          "signals": {...}, <each field a stage wrote: "language": "de">}}
void AppendAnnotateLine(const Document& doc, std::string& out);

// Appends a rejected record as one line: {"file","line","offset","kind","error","excerpt"}.
void AppendRejectedLine(const Rejected& rejected, std::string& out);

}  // namespace winnow::io
