#!/usr/bin/env bash
# Parquet end to end (issue 18's speed acceptance), one core, against DuckDB (npm
# @duckdb/node-api: a reference here, never a dependency) and against the same data as
# .jsonl.zst:
#   1. reading a FineWeb-layout snappy file's text column: winnow's reader (parquet_bench's
#      BM_ParquetReadTextColumn) vs DuckDB `SELECT sum(strlen(text))` with threads=1;
#   2. writing: the file's rows copied by `clean` with no stages to zstd Parquet vs to
#      .jsonl.zst (same input: the .jsonl.zst copy), and parquet_bench's writer benchmarks;
#   3. `clean` (the default pipeline) on the Parquet file vs on the .jsonl.zst copy;
#   4. peak memory reading the file (1,000-row groups, about 1 GB at the default size).
#   bench/e2e/parquet.sh [DOCS]       default 650000 generated documents (a ~1 GB file)
# Writes a dated table to bench/results/.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
winnow=${WINNOW:-$root/build/winnow}
bench=${PARQUET_BENCH:-$root/build/bench/parquet_bench}
docs=${1:-650000}
work=${WORK:-$(mktemp -d /tmp/winnow-parquet-XXXXXX)}
node_dir=$("$root/tests/testing/duckdb_node.sh") || { echo "needs DuckDB's npm package: $node_dir"; exit 1; }
out=$root/bench/results/$(date +%F)-parquet.md
duck() { node "$root/tests/testing/duckdb_run.mjs" "$node_dir" "$@"; }
duck_time() { node "$root/bench/e2e/duckdb_time.mjs" "$node_dir" "$@"; }

# The corpus: generated documents in FineWeb's columns; the same rows as .jsonl.zst.
fw=$work/fineweb.parquet
if [[ ! -s $fw ]]; then
  "$winnow" gen --docs "$docs" --seed 11 -o "$work/gen.jsonl" -q
  duck "COPY (SELECT text, id, 'CC-MAIN-2024-10' AS dump, 'https://example.com/' || id AS url,
                TIMESTAMP '2024-03-01 12:00:00' + INTERVAL (row_number() OVER ()) SECOND AS date,
                's3://commoncrawl/crawl-data/' || id AS file_path, 'en' AS language,
                (0.5 + (length(text) % 50) / 100.0)::DOUBLE AS language_score,
                (length(text) / 4)::BIGINT AS token_count
              FROM read_json('$work/gen.jsonl', columns = {id: 'VARCHAR', text: 'VARCHAR'},
                             maximum_object_size = 100000000))
        TO '$fw' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 1000)" "SELECT 1" >/dev/null
  duck "COPY (SELECT * FROM read_parquet('$fw')) TO '$work/fineweb.jsonl' (FORMAT json)" "SELECT 1" >/dev/null
  zstd -3 -q -T1 --rm -f "$work/fineweb.jsonl" -o "$work/fineweb.jsonl.zst"
  rm -f "$work/gen.jsonl"
fi
file_mb=$(stat -c %s "$fw" | awk '{printf "%.0f", $1/1e6}')
value() { /usr/bin/python3 -c 'import json, sys; print(list(json.loads(sys.stdin.readline()).values())[0])'; }
text_mb=$(duck "SELECT round(sum(strlen(text)) / 1e6) AS mb FROM read_parquet('$fw')" | value)
groups=$(duck "SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata('$fw')" | value)
jsonl_mb=$(zstd -dc "$work/fineweb.jsonl.zst" | wc -c | awk '{printf "%.0f", $1/1e6}')

# 1. The text column, one core.
read -r duck_s _ < <(duck_time 3 "SET threads = 1" "SELECT sum(strlen(text)) AS n FROM read_parquet('$fw')")
ours=$(WINNOW_BENCH_PARQUET=$fw taskset -c 0 "$bench" --benchmark_filter='BM_ParquetRead' \
         --benchmark_repetitions=3 --benchmark_format=json)
read -r col_s rec_s < <(/usr/bin/python3 -c '
import json, sys
runs = [x for x in json.loads(sys.stdin.read())["benchmarks"] if x.get("run_type") == "iteration"]
best = lambda key: min(x["real_time"] for x in runs if key in x["name"]) / 1e3  # ms per iteration -> s
print(best("TextColumn"), best("Records"))' <<<"$ours")

# 2 and 3: winnow runs, one thread; seconds and peak memory from stats.json.
printf 'stages: []\n' >"$work/copy.yaml"
runs=()
run() {  # run NAME INPUT ARGS...
  rm -rf "$work/out-$1"
  "$winnow" clean "$2" -o "$work/out-$1" --threads 1 -q "${@:3}"
  runs+=("$1")
}
run copy-to-parquet "$work/fineweb.jsonl.zst" --config "$work/copy.yaml" --output-format parquet
run copy-to-jsonl "$work/fineweb.jsonl.zst" --config "$work/copy.yaml"
run copy-parquet-in "$fw" --config "$work/copy.yaml" --output-format parquet
run clean-parquet "$fw"
run clean-jsonl "$work/fineweb.jsonl.zst"
run clean-parquet-to-parquet "$fw" --output-format parquet
rm -rf "$work/out-mem" && "$winnow" clean "$fw" -o "$work/out-mem" -q --config "$work/copy.yaml" --output-format parquet
runs+=(mem)

{
  echo "# Parquet end to end ($(date +%F), $(nproc) cores, $(git -C "$root" rev-parse --short HEAD))"
  echo
  echo "Corpus: $docs generated documents (winnow gen --seed 11) in FineWeb's columns (text, id,"
  echo "dump, url, date, file_path, language, language_score, token_count), written by DuckDB"
  echo "with snappy and 1,000-row groups: $file_mb MB, $groups row groups, $text_mb MB of text;"
  echo "the same rows as DuckDB's JSON lines, zstd -3: $jsonl_mb MB decompressed."
  echo
  echo "## Reading the text column, one core"
  echo
  echo "| reader | s (best of 3) | text MB/s |"
  echo "|---|---:|---:|"
  awk -v s="$duck_s" -v mb="$text_mb" 'BEGIN{printf "| DuckDB, threads=1, SELECT sum(strlen(text)) | %.2f | %.0f |\n", s, mb/s}'
  awk -v s="$col_s" -v mb="$text_mb" 'BEGIN{printf "| winnow ParquetFile::ReadColumn (text only) | %.2f | %.0f |\n", s, mb/s}'
  awk -v s="$rec_s" -v mb="$text_mb" 'BEGIN{printf "| winnow reader, every column as JSON records | %.2f | %.0f |\n", s, mb/s}'
  echo
  echo "## winnow runs, one thread"
  echo
  echo "MB are the decompressed JSONL bytes of the same rows ($jsonl_mb MB); cpu s is user+system."
  echo
  echo "| run | wall s | cpu s | MB/cpu-s | docs/cpu-s | output MB | peak RSS MB |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for r in "${runs[@]}"; do
    /usr/bin/python3 - "$work/out-$r" "$r" "$jsonl_mb" <<'PY'
import json, os, sys
d, name, mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
s = json.load(open(d + "/stats.json"))
size = sum(os.path.getsize(os.path.join(p, f)) for sub in ("kept", "removed")
           for p, _, fs in os.walk(os.path.join(d, sub)) for f in fs) / 1e6
label = {"mem": "copy, Parquet in and out, 2 threads (peak memory)"}.get(name, name)
print(f"| {label} | {s['wall_seconds']:.1f} | {s['cpu_seconds']:.1f} | {mb / s['cpu_seconds']:.1f} | "
      f"{s['input']['records'] / s['cpu_seconds']:.0f} | {size:.0f} | {s['peak_rss_mb']:.0f} |")
PY
  done
  echo
  echo "## Writer micro benchmarks (parquet_bench, generated corpus, one core)"
  echo
  echo '```'
  taskset -c 0 "$bench" --benchmark_filter='Write' 2>/dev/null | grep -E '^BM_'
  echo '```'
} >"$out"
cat "$out"
echo "written: $out"
