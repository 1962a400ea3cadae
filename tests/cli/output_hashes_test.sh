#!/usr/bin/env bash
# Refactoring guard: the executor's outputs on fixed inputs must stay byte for byte what they
# were when tests/golden/output_hashes.txt was recorded (before the executor was split, issue
# 17). Inputs: the demo corpus (winnow gen --docs 20000 --seed 1), datatrove's reference input,
# a Common Crawl WARC, and warcio's test files (damaged records: rejected/). Each runs the
# default clean pipeline plus repeated_lines (three passes) with 1 and 2 threads and, when
# mpirun is present, 2 ranks; annotate runs on the reference input. What is hashed: every
# output part decompressed, and the deterministic sections of stats.json (counts, reasons,
# counters, histograms, which documents the report shows as examples).
#
#   output_hashes_test.sh WINNOW SHARED_DATA_DIR [--record FILE]
# A change that means to alter the outputs re-records the file and says why in its commit.
set -uo pipefail
winnow=${1:?usage: output_hashes_test.sh WINNOW SHARED_DATA_DIR [--record FILE]}
shared=${2:?usage: output_hashes_test.sh WINNOW SHARED_DATA_DIR [--record FILE]}
here=$(cd "$(dirname "$0")" && pwd)
expected=$here/../golden/output_hashes.txt
record=""
[[ ${3:-} == --record ]] && record=${4:?--record needs a file}
reference=$shared/../reference/datatrove/input.jsonl.zst
warc=$shared/warc/commoncrawl-whirlwind/whirlwind.warc.gz
warcio=$shared/warc/warcio-testdata
for f in "$reference" "$warc" "$warcio"; do
  [[ -e $f ]] || { echo "SKIP: $f not found (the shared data is absent)"; exit 0; }
done
py=/usr/bin/python3
[[ -x $py ]] || py=python3
tmp=$(mktemp -d)
[[ -n ${KEEP:-} ]] || trap 'rm -rf "$tmp"' EXIT
winnow=$(cd "$(dirname "$winnow")" && pwd)/$(basename "$winnow")
[[ $record == /* || -z $record ]] || record=$PWD/$record
# Rejected records name their input file as given: the inputs get the same names on every run.
ln -s "$(cd "$(dirname "$reference")" && pwd)/$(basename "$reference")" "$tmp/reference.jsonl.zst"
ln -s "$(cd "$(dirname "$warc")" && pwd)/$(basename "$warc")" "$tmp/whirlwind.warc.gz"
ln -s "$(cd "$warcio" && pwd)" "$tmp/warcio"
cd "$tmp" || exit 1
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl=self,vader OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_mpi_yield_when_idle=1

"$winnow" gen --docs 20000 --seed 1 -o "$tmp/demo.jsonl.zst" -q || exit 1
# The default clean pipeline with repeated_lines after it: three passes, every global stage.
"$winnow" config --defaults >"$tmp/base.yaml" || exit 1
cat >"$tmp/edit.py" <<'EOF'
import sys
text = open(sys.argv[1]).read()
# the defaults end with the stage list; append repeated_lines to it
sys.stdout.write(text.rstrip("\n") + "\n  - repeated_lines\n")
EOF
"$py" "$tmp/edit.py" "$tmp/base.yaml" >"$tmp/full.yaml"

# The deterministic part of stats.json, one canonical JSON line.
cat >"$tmp/stats.py" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
keep = ["input", "kept", "removed", "rejected", "removed_by_reason", "rejected_by_kind",
        "accounting", "passes"]
out = {k: d.get(k) for k in keep}
out["counters"] = {k: v for k, v in d.get("counters", {}).items()
                   if not k.startswith("exchange.")}
r = d.get("report", {})
out["report"] = {k: r.get(k) for k in ("signals", "thresholds", "languages", "clusters")}
# Which documents are examples, not how they are shown: the highlights (and the excerpt's
# window, which follows them) come from the filters.
shown = ("marks", "excerpt", "truncated_front", "truncated_back")
out["examples"] = {reason: [{k: v for k, v in e.items() if k not in shown} for e in lst]
                   for reason, lst in r.get("examples", {}).items()}
print(json.dumps(out, sort_keys=True))
EOF

hashes=$tmp/hashes.txt
: >"$hashes"
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
# digest CASE OUT: one line per output file and one for the stats.
digest() {
  local case=$1 out=$2 f
  for f in $(cd "$out" && find kept removed rejected -type f | sort); do
    echo "$case $f $(zstd -dcq "$out/$f" | sha256sum | cut -c1-16)" >>"$hashes"
  done
  echo "$case stats.json $("$py" "$tmp/stats.py" "$out/stats.json" | sha256sum | cut -c1-16)" >>"$hashes"
}
# run CASE LAUNCH... -- ARGS: a clean run and its digest.
run() {
  local case=$1
  shift
  local out=$tmp/out-$case
  if ! "$@" -o "$out" -q >"$tmp/log" 2>&1; then
    fail "$case: the run failed"; tail -3 "$tmp/log"; return
  fi
  digest "$case" "$out"
}
# WINNOW_MPI=0: the binary was built without MPI (sanitizer builds); no 2-rank cases.
mpi=()
if [[ ${WINNOW_MPI:-1} != 0 ]] && command -v mpirun >/dev/null; then
  mpi=(mpirun -np 2 --oversubscribe)
fi
for input in demo reference warc warcio; do
  case $input in
    demo) path=demo.jsonl.zst ;;
    reference) path=reference.jsonl.zst ;;
    warc) path=whirlwind.warc.gz ;;
    warcio) path=warcio ;;
  esac
  run "$input.clean.t1" "$winnow" clean "$path" --threads 1
  run "$input.clean.t2" "$winnow" clean "$path" --threads 2
  run "$input.full.t2" "$winnow" clean "$path" --config "$tmp/full.yaml" --threads 2
  if ((${#mpi[@]})); then
    run "$input.full.np2" "${mpi[@]}" "$winnow" clean "$path" --config "$tmp/full.yaml" --threads 1
  fi
done
for t in 1 2; do
  "$winnow" annotate reference.jsonl.zst -o "$tmp/annotate.jsonl" --threads $t -q ||
    fail "annotate --threads $t failed"
  echo "reference.annotate.t$t annotate.jsonl $(sha256sum <"$tmp/annotate.jsonl" | cut -c1-16)" >>"$hashes"
done

if [[ -n $record ]]; then
  {
    echo "# Recorded by tests/cli/output_hashes_test.sh --record; case, file, sha256 (16 hex digits)"
    echo "# of the decompressed file (stats.json: its deterministic sections)."
    cat "$hashes"
  } >"$record"
  echo "recorded $(wc -l <"$hashes") hashes in $record"
  exit 0
fi
# Runs without mpirun check every case but the MPI ones.
grep -v '^#' "$expected" | { if ((${#mpi[@]})); then cat; else grep -v '\.np2 '; fi; } >"$tmp/want"
if ! diff "$tmp/want" "$hashes" >"$tmp/diff"; then
  fail "outputs differ from tests/golden/output_hashes.txt:"
  head -20 "$tmp/diff"
fi
((${#mpi[@]})) || echo "note: no MPI (mpirun absent or a build without it); the 2-rank cases were not run"
if ((failures)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "output hashes: $(wc -l <"$hashes") files identical to the recorded ones"
