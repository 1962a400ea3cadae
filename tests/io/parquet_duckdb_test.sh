#!/usr/bin/env bash
# Parquet files from many writers (../shared/data/parquet: parquet-mr, Arrow C++, arrow-rs,
# Impala, DuckDB...) read by winnow as DuckDB reads them: every row of every file, value by
# value. DuckDB (npm @duckdb/node-api, a prebuilt engine) is the independent reader: a test
# oracle only. Files out of scope must be refused with a clear error (the list below); files
# that crashed real readers (bad_data/) must be errors, never crashes.
# Skips (exit 0, with a message) without node/npm, DuckDB or the shared data.
#   parquet_duckdb_test.sh PARQUET_DUMP SHARED_DATA_DIR
set -uo pipefail
dump=${1:?usage: parquet_duckdb_test.sh PARQUET_DUMP SHARED_DATA_DIR}
shared=${2:?usage: parquet_duckdb_test.sh PARQUET_DUMP SHARED_DATA_DIR}
here=$(cd "$(dirname "$0")" && pwd)
data=$shared/parquet/data
[[ -d $data ]] || { echo "SKIP: $data not found (the shared data is absent)"; exit 0; }
node_dir=$("$here/../testing/duckdb_node.sh") || { echo "SKIP: $node_dir"; exit 0; }
tmp=$(mktemp -d)
[[ -n ${KEEP:-} ]] || trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# Refused, by design (README: Parquet, out of scope): damaged on purpose, or past a limit.
declare -A refused=(
  [datapage_v1-corrupt-checksum.parquet]=parquet_checksum          # a page's CRC does not match
  [rle-dict-uncompressed-corrupt-checksum.parquet]=parquet_checksum
  [nation.dict-malformed.parquet]=parquet_page                     # a malformed dictionary page
  [large_string_map.brotli.parquet]=parquet_too_large              # a 2 GB string column chunk
)
# Files DuckDB does not read (the deprecated LZ4 codec, a MAP without values, FLOAT16 split
# streams): checked against what they hold by construction instead.
declare -A sibling=(
  [hadoop_lz4_compressed.parquet]=lz4_raw_compressed.parquet          # the same rows, LZ4_RAW
  [non_hadoop_lz4_compressed.parquet]=lz4_raw_compressed.parquet
  [hadoop_lz4_compressed_larger.parquet]=lz4_raw_compressed_larger.parquet
)
by_construction() {  # by_construction NAME OURS.jsonl: 0 when the file holds what it says
  case $1 in
    byte_stream_split_extended.gzip.parquet)  # each X_plain column equals X_byte_stream_split
      /usr/bin/python3 -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) > 100
for r in rows:
    for k in r:
        if k.endswith('_plain'):
            assert r[k] == r[k[:-6] + '_byte_stream_split'], (k, r)
" "$2" ;;
    map_no_value.parquet)  # the maps' keys are the list's values
      /usr/bin/python3 -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert rows
for r in rows:
    assert [int(k) for k in r['my_map']] == r['my_list'] == [int(k) for k in r['my_map_no_v']], r
" "$2" ;;
    *) return 1 ;;
  esac
}
checked=0
for f in "$data"/*.parquet; do
  name=$(basename "$f")
  timeout 120 "$dump" "$f" >"$tmp/ours.jsonl" 2>"$tmp/err"
  rc=$?
  (( rc == 0 )) || { fail "$name: parquet_dump exited $rc"; head -3 "$tmp/err"; continue; }
  if [[ -n ${refused[$name]:-} ]]; then
    grep -q "^ERROR ${refused[$name]}: parquet: .*$name" "$tmp/ours.jsonl" ||
      fail "$name: not refused as ${refused[$name]}: $(head -c 300 "$tmp/ours.jsonl")"
    continue
  fi
  if grep -q '^ERROR' "$tmp/ours.jsonl"; then fail "$name: $(grep -m1 '^ERROR' "$tmp/ours.jsonl")"; continue; fi
  if [[ -n ${sibling[$name]:-} ]]; then
    "$dump" "$data/${sibling[$name]}" >"$tmp/sibling.jsonl"
    cmp -s "$tmp/ours.jsonl" "$tmp/sibling.jsonl" || fail "$name: rows differ from ${sibling[$name]}'s"
    checked=$((checked + 1))
    continue
  fi
  if ! node "$here/../testing/duckdb_copy.mjs" "$node_dir" "$f" "$tmp/duck.jsonl" >"$tmp/duck.log" 2>&1; then
    if by_construction "$name" "$tmp/ours.jsonl"; then
      checked=$((checked + 1))
    else
      fail "$name: DuckDB cannot read it and no other check holds: $(grep -m1 Error "$tmp/duck.log" | head -c 300)"
    fi
    continue
  fi
  /usr/bin/python3 "$here/parquet_compare.py" "$tmp/duck.jsonl" "$tmp/ours.jsonl" "$tmp/duck.types" \
    >"$tmp/cmp" 2>&1 || { fail "$name: $(head -c 600 "$tmp/cmp")"; continue; }
  checked=$((checked + 1))
done
echo "parquet: $checked files equal to DuckDB's reading, ${#refused[@]} refused by design"
for f in "$shared"/parquet/bad_data/*.parquet; do
  timeout 60 "$dump" "$f" >"$tmp/bad.jsonl" 2>&1
  rc=$?
  (( rc == 0 )) || { fail "bad_data/$(basename "$f"): exited $rc (a crash or a hang)"; continue; }
  grep -q '^ERROR parquet_' "$tmp/bad.jsonl" || fail "bad_data/$(basename "$f"): no error reported"
done
if ((failures)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "all passed"
