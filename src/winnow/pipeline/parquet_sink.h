// The Parquet output sink (record_sink.h): kept and removed documents as
// OUT/{kept,removed}/part-NNNNN.parquet, one part per input shard; rejected records stay JSONL.
//
// Columns:
//   - a Parquet input shard: the input file's top-level columns with their types (a nested
//     column becomes a JSON string column), the text column holding the (possibly edited)
//     text, and a `winnow` column: the JSON object JSONL output adds, as a string;
//   - any other input: one string column per top-level field, in the order fields first
//     appear in the shard: a JSON string's content, or the JSON text of any other value (so a
//     field's type can never conflict later in the run), and the `winnow` column.
// Rows are gathered and converted to columns on the worker threads; row groups are cut, as
// the rows arrive in input order, at the first batch past `row_group_bytes`, so the bytes do
// not depend on the thread count.
#pragma once

#include <memory>
#include <string>

#include "winnow/io/inputs.h"
#include "winnow/pipeline/output_dir.h"
#include "winnow/pipeline/record_sink.h"

namespace winnow::pipeline {

std::unique_ptr<RecordSink> NewParquetSink(const OutputDirectory& dir, const PartFormat& format,
                                           bool rejected, const io::InputList& inputs,
                                           const io::ReaderOptions& reader);

}  // namespace winnow::pipeline
