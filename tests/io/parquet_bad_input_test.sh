#!/usr/bin/env bash
# Bad Parquet input through `winnow clean`: apache/parquet-testing's bad_data files (which
# crashed real readers), its corrupt-checksum files, and damage done here to a file winnow
# wrote (bad magic, truncation, a flipped page byte, a flipped compressed byte, a missing text
# column). Under --on-error skip each unreadable row group or file is one rejected entry with a
# parquet_* kind naming the file (and the row group and column when it is one of them), the run
# goes on and the accounting holds; under --on-error fail the run stops with one such line.
# Files whose columns differ from the first one's are read, with a note saying so.
#   parquet_bad_input_test.sh WINNOW SHARED_DATA_DIR
set -uo pipefail
winnow=${1:?usage: parquet_bad_input_test.sh WINNOW SHARED_DATA_DIR}
shared=${2:?usage: parquet_bad_input_test.sh WINNOW SHARED_DATA_DIR}
pq=$shared/parquet
[[ -d $pq/bad_data && -d $shared/text ]] || { echo "SKIP: $pq or $shared/text not found (the shared data is absent)"; exit 0; }
tmp=$(mktemp -d)
[[ -n ${KEEP:-} ]] || trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# check NAME FILE TEXT_COLUMN KIND WHERE: skip rejects with KIND (a regex) naming WHERE (a regex);
# fail stops with exit 1 and one line naming the file and WHERE.
check() {
  local name=$1 file=$2 column=$3 kind=$4 where=$5
  printf 'reader: {text_column: %s}\n' "$column" >"$tmp/$name.yaml"
  "$winnow" clean "$file" -o "$tmp/skip-$name" -q --config "$tmp/$name.yaml" 2>"$tmp/err"
  local rc=$?
  ((rc == 0)) || { fail "$name: skip exited $rc: $(head -c 300 "$tmp/err")"; return; }
  /usr/bin/python3 - "$tmp/skip-$name" "$file" "$kind" "$where" <<'EOF' || fail "$name: skip"
import glob, json, re, subprocess, sys
out, path, kind, where = sys.argv[1:]
s = json.load(open(out + "/stats.json"))
assert s["input"]["records"] == s["kept"]["documents"] + s["removed"]["documents"] + s["rejected"], s
lines = []
for p in sorted(glob.glob(out + "/rejected/part-*")):
    data = subprocess.run(["zstd", "-dcf", p], capture_output=True, check=True).stdout
    lines += [json.loads(l) for l in data.decode().splitlines()]
assert len(lines) == s["rejected"] >= 1, (len(lines), s["rejected"])
for r in lines:
    assert re.fullmatch(kind, r["kind"]), r
    assert r["file"] == path and path in r["error"], r
    assert re.search(where, r["error"]), r
assert sum(s["rejected_by_kind"].values()) == len(lines)
print(f"  {s['rejected']} rejected ({', '.join(sorted({r['kind'] for r in lines}))}), "
      f"{s['kept']['documents'] + s['removed']['documents']} read: {lines[0]['error'][:150]}")
EOF
  "$winnow" clean "$file" -o "$tmp/fail-$name" -q --on-error fail --config "$tmp/$name.yaml" 2>"$tmp/err"
  rc=$?
  ((rc == 1)) || fail "$name: fail exited $rc"
  [[ $(wc -l <"$tmp/err") -eq 1 ]] || fail "$name: fail printed $(wc -l <"$tmp/err") lines"
  grep -q -- "$file" "$tmp/err" && grep -Eq -- "$where" "$tmp/err" || fail "$name: fail said: $(cat "$tmp/err")"
}

echo "parquet-testing bad_data:"
rg='row group [0-9]+ column [a-z_.]+'
check dictheader "$pq/bad_data/ARROW-RS-GH-6229-DICTHEADER.parquet" comment_col parquet_page "$rg"
check levels "$pq/bad_data/ARROW-RS-GH-6229-LEVELS.parquet" outer parquet_schema 'not a string column'
check 41317 "$pq/bad_data/ARROW-GH-41317.parquet" string parquet_page "$rg"
check 41321 "$pq/bad_data/ARROW-GH-41321.parquet" string parquet_page "$rg"
check 43605 "$pq/bad_data/ARROW-GH-43605.parquet" min_fl parquet_schema 'not a string column'
check 47662 "$pq/bad_data/ARROW-GH-47662.parquet" flba_field parquet_page "$rg"
check 1481 "$pq/bad_data/PARQUET-1481.parquet" Handle 'parquet_(page|footer)' 'column Handle'
check checksum "$pq/data/rle-dict-uncompressed-corrupt-checksum.parquet" binary_field parquet_checksum \
  "checksum.*$rg"

# A file winnow wrote (uncompressed, so a page's bytes can be found), then damaged.
mkdir -p "$tmp/src"
zstd -dcq "$(ls "$shared"/text/*.jsonl.zst | head -1)" | head -300 >"$tmp/src/docs.jsonl"
printf 'writer: {format: parquet, compression: none, row_group_bytes: 100000}\nstages: []\n' >"$tmp/copy.yaml"
"$winnow" clean "$tmp/src/docs.jsonl" -o "$tmp/good" -q --config "$tmp/copy.yaml" || fail "writing the good file"
good=$tmp/good/kept/part-00000.parquet
size=$(stat -c %s "$good")
echo "damaged copies of a file winnow wrote ($size bytes):"
head -c $((size - 9)) "$good" >"$tmp/truncated.parquet"
check truncated "$tmp/truncated.parquet" text parquet_footer 'Parquet file|footer'
{ printf 'JSON'; tail -c +5 "$good"; } >"$tmp/magic.parquet"
check magic "$tmp/magic.parquet" text parquet_footer 'Parquet file|magic'
cp "$good" "$tmp/noText.parquet"
check notext "$tmp/noText.parquet" body parquet_schema "no text column 'body'"
# A byte inside the first text page (its CRC then fails): the first row group is rejected,
# the others are read.
/usr/bin/python3 - "$good" "$tmp/flipped.parquet" "$(zstd -dcq "$(ls "$shared"/text/*.jsonl.zst | head -1)" | head -1 |
  /usr/bin/python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["text"][:40])')" <<'EOF'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
at = data.find(sys.argv[3].encode())
assert at > 0
data[at + 5] ^= 0x20
open(sys.argv[2], "wb").write(data)
EOF
check flipped "$tmp/flipped.parquet" text parquet_checksum "checksum.*row group 0 column text"
groups=$(/usr/bin/python3 -c "import json; print(json.load(open('$tmp/skip-flipped/stats.json'))['kept']['documents'])")
((groups > 0)) || fail "flipped: the undamaged row groups were not read"

# Damaged compressed bytes: the page's checksum finds them before zstd does (a failed
# decompression itself is ParquetTest.CodecsRoundTripAndReportDamage's).
printf 'writer: {format: parquet, compression: zstd, row_group_bytes: 100000}\nstages: []\n' >"$tmp/zstd.yaml"
"$winnow" clean "$tmp/src/docs.jsonl" -o "$tmp/gz" -q --config "$tmp/zstd.yaml" || fail "writing the zstd file"
/usr/bin/python3 - "$tmp/gz/kept/part-00000.parquet" "$tmp/codec.parquet" <<'EOF'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
at = data.find(b"\x28\xb5\x2f\xfd")  # the first zstd frame: its header and first block
assert at > 0
for i in range(at + 4, at + 40):
    data[i] = 0xff
open(sys.argv[2], "wb").write(data)
EOF
check codec "$tmp/codec.parquet" text parquet_checksum "$rg"

# Files with other columns than the first one's: read, with a note.
mkdir -p "$tmp/mixed"
cp "$good" "$tmp/mixed/a.parquet"
cp "$pq/bad_data/ARROW-RS-GH-6229-DICTHEADER.parquet" "$tmp/mixed/b.parquet"
"$winnow" clean "$tmp/mixed" -o "$tmp/mixed-out" >"$tmp/summary" 2>&1 || fail "mixed schemas: $(cat "$tmp/summary")"
grep -q "^note: parquet: .*b.parquet has columns (nation_key INT32, .*) where .*a.parquet has (" "$tmp/summary" ||
  fail "mixed schemas: no note in $(cat "$tmp/summary")"
grep -q '"notes"' "$tmp/mixed-out/stats.json" || fail "mixed schemas: no notes in stats.json"

if ((failures)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "all passed"
