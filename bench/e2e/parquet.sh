#!/usr/bin/env bash
# Parquet end to end (issue 18's speed acceptance), one core, against DuckDB (npm
# @duckdb/node-api: a reference here, never a dependency) and against the same data as
# .jsonl.zst:
#   1. reading a FineWeb-layout snappy file's text column: winnow's reader (parquet_bench's
#      BM_ParquetReadTextColumn) vs DuckDB `SELECT sum(strlen(text))` with threads=1;
#   2. writing: the file's rows copied by `clean` with no stages to zstd Parquet vs to
#      .jsonl.zst (same input: the .jsonl.zst copy), and parquet_bench's writer benchmarks;
#   3. `clean` (the default pipeline) on the Parquet file vs on the .jsonl.zst copy;
#   4. peak memory reading the file (about 1 GB at the default size; DuckDB is asked for
#      1,000-row groups and writes 2,048-row ones, its vector size).
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

# This VM's run-to-run noise is about 10%: every comparison interleaves its sides, REPEATS
# times (default 5 for reads, 3 for runs), and reports the minimum and the median.
repeats=${REPEATS:-5}
runs_repeats=${RUN_REPEATS:-3}
stat2() { /usr/bin/python3 -c 'import statistics, sys; v = sorted(map(float, sys.argv[1:])); print(f"{v[0]:.2f} {statistics.median(v):.2f}")' "$@"; }

# 1. The text column, one core (both pinned to CPU 0).
duck_runs=() col_runs=() rec_runs=()
for ((i = 0; i < repeats; ++i)); do
  duck_runs+=("$(taskset -c 0 node "$root/bench/e2e/duckdb_time.mjs" "$node_dir" 1 "SET threads = 1" \
                 "SELECT sum(strlen(text)) AS n FROM read_parquet('$fw')" | cut -d' ' -f1)")
  read -r c r < <(WINNOW_BENCH_PARQUET=$fw taskset -c 0 "$bench" --benchmark_filter='BM_ParquetRead' \
                    --benchmark_format=json | /usr/bin/python3 -c '
import json, sys
runs = json.loads(sys.stdin.read())["benchmarks"]
t = lambda key: [x["real_time"] / 1e3 for x in runs if key in x["name"]][0]  # ms -> s
print(t("TextColumn"), t("Records"))')
  col_runs+=("$c") rec_runs+=("$r")
done
read -r duck_min duck_med < <(stat2 "${duck_runs[@]}")
read -r col_min col_med < <(stat2 "${col_runs[@]}")
read -r rec_min rec_med < <(stat2 "${rec_runs[@]}")

# 2 and 3: winnow runs, one thread, pinned to CPU 0; CPU seconds and peak memory from
# stats.json, the pairs compared interleaved.
printf 'stages: []\n' >"$work/copy.yaml"
declare -A cpu rss
names=()
run() {  # run NAME INPUT ARGS...
  rm -rf "$work/out"
  taskset -c 0 "$winnow" clean "$2" -o "$work/out" --threads 1 -q "${@:3}"
  read -r c m < <(/usr/bin/python3 -c 'import json, sys; s = json.load(open(sys.argv[1])); print(s["cpu_seconds"], s["peak_rss_mb"])' "$work/out/stats.json")
  [[ -n ${cpu[$1]:-} ]] || names+=("$1")
  cpu[$1]="${cpu[$1]:-} $c"
  rss[$1]=$m
}
for ((i = 0; i < runs_repeats; ++i)); do
  run "copy: .jsonl.zst in, Parquet (zstd) out" "$work/fineweb.jsonl.zst" --config "$work/copy.yaml" --output-format parquet
  run "copy: .jsonl.zst in, .jsonl.zst out" "$work/fineweb.jsonl.zst" --config "$work/copy.yaml"
  run "copy: Parquet in, .jsonl.zst out" "$fw" --config "$work/copy.yaml"
done
for ((i = 0; i < runs_repeats; ++i)); do
  run "clean: Parquet in, .jsonl.zst out" "$fw"
  run "clean: .jsonl.zst in, .jsonl.zst out" "$work/fineweb.jsonl.zst"
done
run "clean: Parquet in, Parquet out" "$fw" --output-format parquet
run "copy: Parquet in, Parquet out" "$fw" --config "$work/copy.yaml" --output-format parquet
# Peak memory with both threads.
mem=()
for args in "--output-format jsonl" "--output-format parquet"; do
  rm -rf "$work/out"
  "$winnow" clean "$fw" -o "$work/out" -q --config "$work/copy.yaml" --threads 2 $args
  mem+=("$(/usr/bin/python3 -c 'import json, sys; print(round(json.load(open(sys.argv[1]))["peak_rss_mb"]))' "$work/out/stats.json")")
done
rm -rf "$work/out"

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
  echo "| reader | s, min of $repeats | s, median | text MB/s (min) |"
  echo "|---|---:|---:|---:|"
  awk -v s="$duck_min" -v m="$duck_med" -v mb="$text_mb" 'BEGIN{printf "| DuckDB, threads=1, SELECT sum(strlen(text)) | %.2f | %.2f | %.0f |\n", s, m, mb/s}'
  awk -v s="$col_min" -v m="$col_med" -v mb="$text_mb" 'BEGIN{printf "| winnow ParquetFile::ReadColumn (text only) | %.2f | %.2f | %.0f |\n", s, m, mb/s}'
  awk -v s="$rec_min" -v m="$rec_med" -v mb="$text_mb" 'BEGIN{printf "| winnow reader, every column as JSON records | %.2f | %.2f | %.0f |\n", s, m, mb/s}'
  echo
  echo "## winnow runs, one thread"
  echo
  echo "MB are the decompressed JSONL bytes of the same rows ($jsonl_mb MB); cpu s is user+system"
  echo "(min and median of the interleaved repetitions); peak RSS of the last repetition."
  echo
  echo "| run | cpu s, min | cpu s, median | MB/cpu-s (min) | docs/cpu-s (min) | peak RSS MB |"
  echo "|---|---:|---:|---:|---:|---:|"
  for n in "${names[@]}"; do
    read -r lo med < <(stat2 ${cpu[$n]})
    awk -v n="$n" -v lo="$lo" -v med="$med" -v mb="$jsonl_mb" -v docs="$docs" -v rss="${rss[$n]}" \
      'BEGIN{printf "| %s | %.1f | %.1f | %.1f | %.0f | %.0f |\n", n, lo, med, mb/lo, docs/lo, rss}'
  done
  echo
  echo "Peak RSS reading the file with 2 threads (no stages): ${mem[0]} MB writing .jsonl.zst,"
  echo "${mem[1]} MB writing Parquet."
  echo
  echo "## Writer micro benchmarks (parquet_bench, generated corpus, one core)"
  echo
  echo '```'
  taskset -c 0 "$bench" --benchmark_filter='Write' 2>/dev/null | grep -E '^BM_'
  echo '```'
} >"$out"
cat "$out"
echo "written: $out"
