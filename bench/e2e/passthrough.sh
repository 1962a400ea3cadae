#!/usr/bin/env bash
# End-to-end pass-through benchmark (issue: foundation, speed acceptance):
# read, parse and re-write a generated JSONL.zst with no stages, against
#   zstd -dc FILE | zstd -3 > /dev/null
# on the same file; throughput per core and peak RSS, at several input sizes.
#   bench/e2e/passthrough.sh [DOCS...]      (default: 300000 1200000, about 1 GB and 4 GB)
# Writes a dated table to bench/results/.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
winnow=${WINNOW:-$root/build/winnow}
work=${WORK:-$(mktemp -d /tmp/winnow-e2e-XXXXXX)}
sizes=("$@")
((${#sizes[@]})) || sizes=(300000 1200000)
out=$root/bench/results/$(date +%F)-passthrough.md
mkdir -p "$root/bench/results"

printf 'stages: []\n' >"$work/passthrough.yaml"
cpu_of() {  # cpu_of CMD...: prints "wall cpu" seconds (user+system, children included)
  local TIMEFORMAT='%R %U %S' t
  t=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
  awk '{printf "%s %.3f\n", $1, $2 + $3}' <<<"$t"
}

{
  echo "# Pass-through: read, parse, re-write ($(date +%F), $(nproc) cores, $(git -C "$root" rev-parse --short HEAD))"
  echo
  echo "MB are decompressed input bytes. MB/cpu-s divides by user+system CPU seconds, so it is"
  echo "throughput per core used; the zstd pipe runs two processes in parallel."
  echo
  echo "| docs | input MB | command | wall s | cpu s | MB/s | MB/cpu-s | peak RSS MB |"
  echo "|---:|---:|---|---:|---:|---:|---:|---:|"
} >"$out"

for docs in "${sizes[@]}"; do
  corpus=$work/corpus-$docs.jsonl.zst
  [[ -s $corpus ]] || "$winnow" gen --docs "$docs" --seed 7 -o "$corpus" -q
  mb=$(zstd -dc "$corpus" | wc -c | awk '{printf "%.1f", $1/1e6}')
  read -r wall cpu < <(cpu_of bash -c "zstd -dc '$corpus' | zstd -3 -T1 -q > /dev/null")
  printf '| %s | %s | zstd -dc \\| zstd -3 | %.2f | %.2f | %.1f | %.1f | - |\n' "$docs" "$mb" "$wall" "$cpu" \
    "$(echo "$mb / $wall" | bc -l)" "$(echo "$mb / $cpu" | bc -l)" >>"$out"
  for threads in 1 2; do
    rm -rf "$work/out"
    "$winnow" clean "$corpus" --config "$work/passthrough.yaml" -o "$work/out" --threads "$threads" --overwrite -q >/dev/null
    python3 - "$work/out/stats.json" "$docs" "$mb" "$threads" >>"$out" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
mb = float(sys.argv[3])
print(f"| {sys.argv[2]} | {sys.argv[3]} | winnow, {sys.argv[4]} thread(s) | {s['wall_seconds']:.2f} | "
      f"{s['cpu_seconds']:.2f} | {mb / s['wall_seconds']:.1f} | {mb / s['cpu_seconds']:.1f} | "
      f"{s['peak_rss_mb']:.0f} |")
PY
  done
done
rm -rf "$work/out"
cat "$out"
echo "written: $out"
