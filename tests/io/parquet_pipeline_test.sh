#!/usr/bin/env bash
# Parquet through the pipeline, against DuckDB (npm @duckdb/node-api, a test oracle only):
#   - DuckDB writes FineWeb-layout files (text, id, dump, url, date, file_path, language,
#     language_score, token_count; nulls; snappy with 1,000-row groups and zstd with one large
#     group) from the shared real text;
#   - `winnow clean --output-format parquet` reads them; DuckDB reads the output back:
#     kept + removed + rejected = input rows, every input column unchanged on every row, and
#     the decisions and kept text equal those of the same documents given as JSONL;
#   - the output is byte-identical for 1 and 2 threads, and for one shard or several per file;
#   - a column whose dictionary outgrows its page falls back to PLAIN pages, read by DuckDB;
#   - a killed run resumes to the same bytes.
# Skips (exit 0, with a message) without node/npm, DuckDB or the shared data.
#   parquet_pipeline_test.sh WINNOW SHARED_DATA_DIR
set -uo pipefail
winnow=${1:?usage: parquet_pipeline_test.sh WINNOW SHARED_DATA_DIR}
shared=${2:?usage: parquet_pipeline_test.sh WINNOW SHARED_DATA_DIR}
here=$(cd "$(dirname "$0")" && pwd)
[[ -d $shared/text ]] || { echo "SKIP: $shared/text not found (the shared data is absent)"; exit 0; }
node_dir=$("$here/../testing/duckdb_node.sh") || { echo "SKIP: $node_dir"; exit 0; }
tmp=$(mktemp -d)
[[ -n ${KEEP:-} ]] || trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
duck() { node "$here/../testing/duckdb_run.mjs" "$node_dir" "$@"; }

for f in "$shared"/text/*.jsonl.zst; do zstd -dcq "$f"; done >"$tmp/all.jsonl"
# FineWeb's columns; every 7th url and every 11th language_score null.
select="SELECT text, id, 'CC-MAIN-2024-10' AS dump,
  CASE WHEN row_number() OVER () % 7 = 0 THEN NULL ELSE 'https://example.com/' || id END AS url,
  TIMESTAMP '2024-03-01 12:00:00' + INTERVAL (row_number() OVER ()) SECOND AS date,
  's3://bucket/' || id AS file_path, 'en' AS language,
  CASE WHEN row_number() OVER () % 11 = 0 THEN NULL ELSE 0.5 + (length(text) % 50) / 100.0 END::DOUBLE AS language_score,
  (length(text) / 4)::BIGINT AS token_count
  FROM read_json_auto('$tmp/all.jsonl', union_by_name = true, maximum_object_size = 100000000)"
mkdir -p "$tmp/in" "$tmp/j"
# Two files of different documents: small row groups (snappy), one large one (zstd).
duck "CREATE TABLE docs AS SELECT *, row_number() OVER () AS n FROM ($select)" \
     "COPY (SELECT * EXCLUDE (n) FROM docs WHERE n % 3 <> 0) TO '$tmp/in/a.parquet' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 200)" \
     "COPY (SELECT * EXCLUDE (n) FROM docs WHERE n % 3 = 0) TO '$tmp/in/b.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)" \
     "SELECT 1" >/dev/null || { fail "DuckDB could not write the inputs"; exit 1; }
# The same documents as JSONL, in the same order, for the decisions winnow takes on them.
duck "COPY (SELECT * FROM read_parquet('$tmp/in/a.parquet')) TO '$tmp/j/a.jsonl' (FORMAT json)" \
     "COPY (SELECT * FROM read_parquet('$tmp/in/b.parquet')) TO '$tmp/j/b.jsonl' (FORMAT json)" "SELECT 1" >/dev/null
rows=$(duck "SELECT count(*) AS n FROM read_parquet('$tmp/in/*.parquet')" | /usr/bin/python3 -c "import json,sys; print(json.loads(sys.stdin.readline())['n'])")
echo "inputs: 2 files, $rows rows"

run() {  # run OUT ARGS...
  "$winnow" clean "$tmp/in" -o "$1" --output-format parquet -q "${@:2}" 2>"$tmp/err" ||
    { fail "clean ${*:2}: $(cat "$tmp/err")"; return 1; }
}
run "$tmp/o1" --threads 1
run "$tmp/o2" --threads 2
for part in kept/part-00000.parquet kept/part-00001.parquet removed/part-00000.parquet removed/part-00001.parquet; do
  [[ -s $tmp/o1/$part ]] || fail "no $part"
  cmp -s "$tmp/o1/$part" "$tmp/o2/$part" || fail "$part differs between 1 and 2 threads"
done

# Every input row is accounted for, and every column but the text is unchanged.
counts=$(duck "SELECT (SELECT count(*) FROM read_parquet('$tmp/o1/kept/*.parquet')) AS kept,
                      (SELECT count(*) FROM read_parquet('$tmp/o1/removed/*.parquet')) AS removed")
/usr/bin/python3 - "$counts" "$rows" "$tmp/o1/stats.json" <<'EOF' || fail "accounting"
import json, sys
c = json.loads(sys.argv[1]); rows = int(sys.argv[2]); s = json.load(open(sys.argv[3]))
assert c["kept"] + c["removed"] + s["rejected"] == rows, (c, rows, s["rejected"])
assert s["kept"]["documents"] == c["kept"] and s["removed"]["documents"] == c["removed"], (c, s["kept"])
print(f"accounted: {c['kept']} kept + {c['removed']} removed + {s['rejected']} rejected = {rows}")
EOF
cols="id, dump, url, date, file_path, language, language_score, token_count"
changed=$(duck "SELECT count(*) AS n FROM (
  SELECT $cols FROM read_parquet('$tmp/in/*.parquet')
  EXCEPT ALL
  SELECT $cols FROM (SELECT * FROM read_parquet('$tmp/o1/kept/*.parquet') UNION ALL
                     SELECT * FROM read_parquet('$tmp/o1/removed/*.parquet')))")
[[ $changed == '{"n":0}' ]] || fail "input columns changed on some rows: $changed"
types=$(duck "SELECT typeof(date) AS date, typeof(token_count) AS token_count, typeof(language_score) AS score,
                     typeof(winnow) AS winnow FROM read_parquet('$tmp/o1/kept/part-00000.parquet') LIMIT 1")
[[ $types == '{"date":"TIMESTAMP","token_count":"BIGINT","score":"DOUBLE","winnow":"VARCHAR"}' ]] ||
  fail "output column types: $types"

# The same documents as JSONL: the same decisions and the same kept text.
"$winnow" clean "$tmp/j" -o "$tmp/oj" -q || fail "clean of the JSONL copy"
duck "SELECT id, text, json_extract_string(winnow, '$.reason') AS reason FROM read_parquet('$tmp/o1/kept/*.parquet')
      UNION ALL SELECT id, text, json_extract_string(winnow, '$.reason') FROM read_parquet('$tmp/o1/removed/*.parquet')" >"$tmp/pq.jsonl"
/usr/bin/python3 - "$tmp/pq.jsonl" "$tmp/oj" <<'EOF' || fail "decisions differ from the JSONL run's"
import glob, io, json, subprocess, sys
pq = {}
for l in open(sys.argv[1]):
    d = json.loads(l)
    pq[d["id"]] = (d["reason"], d["text"])
js = {}
for part in sorted(glob.glob(sys.argv[2] + "/*/part-*.jsonl.zst")):
    for l in subprocess.run(["zstd", "-dc", part], capture_output=True).stdout.decode().splitlines():
        d = json.loads(l)
        js[d["id"]] = (d["winnow"].get("reason"), d["text"])
assert set(pq) == set(js), (len(pq), len(js))
bad = [i for i in pq if pq[i] != js[i]]
assert not bad, (bad[:3], [pq[i][0] for i in bad[:3]], [js[i][0] for i in bad[:3]])
print(f"decisions and kept text equal the JSONL run's on {len(pq)} documents")
EOF

# winnow's own writer: many row groups (row_group_bytes), read by DuckDB; then the same file
# cut into several shards (row groups split between them) keeps the same rows as one shard.
printf 'writer: {format: parquet, row_group_bytes: 60000, page_index: true}\nstages: []\n' >"$tmp/copy.yaml"
"$winnow" clean "$tmp/in/a.parquet" -o "$tmp/o5" --config "$tmp/copy.yaml" -q || fail "copy with small row groups"
groups=$(duck "SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata('$tmp/o5/kept/part-00000.parquet')")
[[ $groups =~ \"n\":([0-9]+) ]] && (( BASH_REMATCH[1] > 5 )) || fail "winnow wrote few row groups: $groups"
same=$(duck "SELECT count(*) AS n FROM (
  (SELECT text, $cols FROM read_parquet('$tmp/in/a.parquet') EXCEPT ALL SELECT text, $cols FROM read_parquet('$tmp/o5/kept/*.parquet'))
  UNION ALL
  (SELECT text, $cols FROM read_parquet('$tmp/o5/kept/*.parquet') EXCEPT ALL SELECT text, $cols FROM read_parquet('$tmp/in/a.parquet')))")
[[ $same == '{"n":0}' ]] || fail "a copy through winnow's writer differs from its input: $same"
mkdir -p "$tmp/many" && cp "$tmp/o5/kept/part-00000.parquet" "$tmp/many/a.parquet"
"$winnow" config --defaults | sed 's/^  parquet_shard_bytes: [0-9]*/  parquet_shard_bytes: 100000/' >"$tmp/shards.yaml"
grep -q 'parquet_shard_bytes: 100000' "$tmp/shards.yaml" || fail "could not set parquet_shard_bytes"
"$winnow" clean "$tmp/many" -o "$tmp/o6" --output-format parquet -q || fail "clean of the copy"
"$winnow" clean "$tmp/many" -o "$tmp/o3" --output-format parquet -q --config "$tmp/shards.yaml" ||
  fail "clean of the copy, several shards"
n3=$(ls "$tmp/o3/kept" | wc -l)
(( n3 > 2 )) || fail "the file was not cut into several shards ($n3 kept parts)"
same=$(duck "SELECT count(*) AS n FROM (
  (SELECT id, text FROM read_parquet('$tmp/o3/kept/*.parquet') EXCEPT ALL SELECT id, text FROM read_parquet('$tmp/o6/kept/*.parquet'))
  UNION ALL
  (SELECT id, text FROM read_parquet('$tmp/o6/kept/*.parquet') EXCEPT ALL SELECT id, text FROM read_parquet('$tmp/o3/kept/*.parquet')))")
[[ $same == '{"n":0}' ]] || fail "several shards per file keep other rows: $same"

# A column whose dictionary outgrows its page (1 MB) falls back to PLAIN pages within the chunk,
# as parquet-mr does: DuckDB reads every value.
/usr/bin/python3 - "$tmp/fallback.jsonl" <<'EOF'
import json, sys
with open(sys.argv[1], "w") as f:
    for r in range(70000):
        x = ("value-%d" % (r % 3)).ljust(50, "x") if r < 25000 else ("unique %d" % r).ljust(50, "y")
        f.write(json.dumps({"text": "doc %d" % r, "id": str(r), "x": x}) + "\n")
EOF
printf 'writer: {format: parquet}\nstages: []\n' >"$tmp/fallback.yaml"
"$winnow" clean "$tmp/fallback.jsonl" -o "$tmp/o7" -q --config "$tmp/fallback.yaml" || fail "fallback copy"
enc=$(duck "SELECT encodings FROM parquet_metadata('$tmp/o7/kept/part-00000.parquet') WHERE path_in_schema = 'x'")
[[ $enc == *RLE_DICTIONARY* && $enc == *PLAIN* ]] || fail "the x column's encodings: $enc"
diff=$(duck "SELECT count(*) AS n FROM (
  (SELECT id, x FROM read_json('$tmp/fallback.jsonl', columns = {id: 'VARCHAR', x: 'VARCHAR'})
   EXCEPT ALL SELECT id, x FROM read_parquet('$tmp/o7/kept/*.parquet'))
  UNION ALL
  (SELECT id, x FROM read_parquet('$tmp/o7/kept/*.parquet')
   EXCEPT ALL SELECT id, x FROM read_json('$tmp/fallback.jsonl', columns = {id: 'VARCHAR', x: 'VARCHAR'})))")
[[ $diff == '{"n":0}' ]] || fail "dictionary fallback: DuckDB reads other values: $diff"

# A killed run resumed: the same bytes.
( "$winnow" clean "$tmp/many" -o "$tmp/o4" --output-format parquet --threads 1 -q --config "$tmp/shards.yaml" &
  pid=$!; sleep 0.3; kill -9 $pid 2>/dev/null; wait $pid ) 2>/dev/null
"$winnow" clean "$tmp/many" -o "$tmp/o4" --output-format parquet --threads 1 -q --resume --config "$tmp/shards.yaml" ||
  fail "resume"
diff -r -q -x stats.json -x report.html -x '.winnow-checkpoint*' "$tmp/o3" "$tmp/o4" >/dev/null ||
  fail "the resumed run's parts differ"

if ((failures)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "all passed"
