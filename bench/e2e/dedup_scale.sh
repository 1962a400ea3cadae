#!/usr/bin/env bash
# Dedup at scale (issue: deduplication, scale acceptance): a generated corpus of DOCS documents
# (default 2,000,000, about 6.6 GB) through `winnow dedup` in MinHash mode under a memory
# budget (default 2G; a smaller one shows the spill) and in Bloom mode. Reports wall time,
# docs/s, MB/s, spill volume and peak RSS (also per document).
#   bench/e2e/dedup_scale.sh [DOCS] [BUDGET...]
# Writes a dated table to bench/results/.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
winnow=${WINNOW:-$root/build/winnow}
work=${WORK:-$(mktemp -d /tmp/winnow-dedup-XXXXXX)}
docs=${1:-2000000}
shift || true
budgets=("$@")
((${#budgets[@]})) || budgets=(2G 256M)
out=$root/bench/results/$(date +%F)-dedup-scale.md
mkdir -p "$root/bench/results"

corpus=$work/corpus-$docs.jsonl.zst
[[ -s $corpus ]] || "$winnow" gen --docs "$docs" --seed 11 -o "$corpus" -q
mb=$(zstd -dc "$corpus" | wc -c | awk '{printf "%.1f", $1/1e6}')

{
  echo "# Dedup at scale ($(date +%F), $(nproc) cores, $(git -C "$root" rev-parse --short HEAD))"
  echo
  echo "Generated corpus: $docs documents, $mb MB decompressed ($(du -m "$corpus" | cut -f1) MB zstd)."
  echo "winnow dedup, 2 threads; peak RSS from getrusage (the whole process)."
  echo
  echo "| mode | budget | wall s | cpu s | docs/s | MB/s | removed | spilled MB | key spill MB | peak RSS MB | RSS bytes/doc |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$out"

report() {  # report MODE BUDGET STATS
  python3 - "$1" "$2" "$3" "$docs" "$mb" >>"$out" <<'PY'
import json, sys
mode, budget, path, docs, mb = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
s = json.load(open(path))
c = s.get("counters", {})
keys = sum(v for k, v in c.items() if k.endswith("spilled_bytes")) / 1e6
w = s["wall_seconds"]
print(f"| {mode} | {budget} | {w:.1f} | {s['cpu_seconds']:.1f} | {docs / w:.0f} | {mb / w:.1f} | "
      f"{s['removed']['documents']} | {s['spilled_mb']:.0f} | {keys:.0f} | {s['peak_rss_mb']:.0f} | "
      f"{s['peak_rss_mb'] * 1e6 / docs:.0f} |")
PY
}

for budget in "${budgets[@]}"; do
  rm -rf "$work/out"
  "$winnow" dedup "$corpus" -o "$work/out" --mode minhash --memory-budget "$budget" --threads 2 -q >/dev/null
  report minhash "$budget" "$work/out/stats.json"
done
rm -rf "$work/out"
"$winnow" dedup "$corpus" -o "$work/out" --mode bloom --expected-docs "$docs" --threads 2 -q >/dev/null
report bloom - "$work/out/stats.json"
rm -rf "$work/out"
"$winnow" dedup "$corpus" -o "$work/out" --mode exact --memory-budget "${budgets[0]}" --threads 2 -q >/dev/null
report exact "${budgets[0]}" "$work/out/stats.json"
cat "$out"
echo "corpus kept in $work (remove it when done)" >&2
