#!/usr/bin/env bash
# Dedup memory against corpus size (issue 25): generated corpora of 1, 3 and 10 million
# documents (winnow gen --seed 11) through `winnow dedup --mode minhash`, `--mode exact` and
# the default `clean`, all under one --memory-budget (default 256M), 2 threads. Records wall
# and CPU time, peak RSS, and each step's peak RSS and spill (stats.json "memory": every pass
# and every global stage's group step), then the growth per document between sizes: the
# slopes docs/scaling.md projects from.
#   bench/e2e/dedup_memory.sh [DOCS...]     default: 1000000 3000000 10000000
#   BUDGET=256M WORK=/tmp/dir RUNS="minhash exact clean" OUT=file.md bench/e2e/dedup_memory.sh
# The corpora stay in WORK (about 1 GB of zstd per million documents); remove them
# when done. Writes a dated table to bench/results/.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
winnow=${WINNOW:-$root/build/winnow}
work=${WORK:-$(mktemp -d /tmp/winnow-memory-XXXXXX)}
budget=${BUDGET:-256M}
runs=(${RUNS:-minhash exact clean})
sizes=("$@")
((${#sizes[@]})) || sizes=(1000000 3000000 10000000)
out=${OUT:-$root/bench/results/$(date +%F)-dedup-memory-scale.md}
mkdir -p "$root/bench/results" "$work"
rows=$work/rows.jsonl
: >"$rows"

for docs in "${sizes[@]}"; do
  corpus=$work/corpus-$docs.jsonl.zst
  [[ -s $corpus ]] || "$winnow" gen --docs "$docs" --seed 11 -o "$corpus" -q
  for run in "${runs[@]}"; do
    rm -rf "$work/out"
    case $run in
      minhash|exact)
        "$winnow" dedup "$corpus" -o "$work/out" --mode "$run" --memory-budget "$budget" \
          --threads 2 -q >/dev/null ;;
      clean)
        "$winnow" clean "$corpus" -o "$work/out" --memory-budget "$budget" --threads 2 -q \
          >/dev/null ;;
    esac
    /usr/bin/python3 - "$run" "$docs" "$work/out/stats.json" >>"$rows" <<'PY'
import json, sys
run, docs, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = json.load(open(path))
print(json.dumps({"run": run, "docs": docs, "wall": s["wall_seconds"], "cpu": s["cpu_seconds"],
                  "mb": s["input"]["bytes"] / 1e6, "removed": s["removed"]["documents"],
                  "peak": s["peak_rss_mb"], "spilled": s["spilled_mb"], "memory": s["memory"]}))
PY
  done
done
rm -rf "$work/out"

/usr/bin/python3 - "$rows" "$budget" "$(git -C "$root" rev-parse --short HEAD)" "$(nproc)" >"$out" <<'PY'
import datetime, json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
budget, rev, cores = sys.argv[2], sys.argv[3], sys.argv[4]
print(f"# Dedup memory against corpus size ({datetime.date.today()}, {cores} cores, {rev})\n")
print(f"`winnow gen --seed 11` corpora; every run `--memory-budget {budget} --threads 2`. Peak RSS")
print("in MB (10^6 bytes) from stats.json: the run's, and each step's (`memory`: a pass over the")
print("documents, or one global stage's group step; `pass N` spilled MB are the documents, a")
print("group step's the keys past the budget).\n")
print("| run | docs | input MB | wall s | cpu s | docs/cpu-s | removed | peak RSS MB | spilled MB |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    print(f"| {r['run']} | {r['docs']:,} | {r['mb']:.0f} | {r['wall']:.1f} | {r['cpu']:.1f} | "
          f"{r['docs'] / r['cpu']:.0f} | {r['removed']:,} | {r['peak']:.0f} | {r['spilled']:.0f} |")
print("\n## Peak RSS by step, MB (spilled MB)\n")
def name(m):
    return f"pass {m['pass']}" + (f" group {m['stage']}" if m["step"] == "group" else "")
for run in dict.fromkeys(r["run"] for r in rows):
    mine = [r for r in rows if r["run"] == run]
    steps = list(dict.fromkeys(name(m) for r in mine for m in r["memory"]))
    print(f"{run}:\n")
    print("| step | " + " | ".join(f"{r['docs']:,}" for r in mine) + " |")
    print("|---|" + "---:|" * len(mine))
    for st in steps:
        cells = []
        for r in mine:
            m = next((m for m in r["memory"] if name(m) == st), None)
            cells.append("-" if m is None else f"{m['peak_rss_mb']:.0f} ({m['spilled_mb']:.0f})")
        print(f"| {st} | " + " | ".join(cells) + " |")
    print()
    # Growth per document between consecutive sizes: the run's peak and each step's.
    for a, b in zip(mine, mine[1:]):
        d = b["docs"] - a["docs"]
        per = lambda x, y: (y - x) * 1e6 / d
        parts = [f"run peak {per(a['peak'], b['peak']):+.1f}"]
        for st in steps:
            ma = next((m for m in a["memory"] if name(m) == st), None)
            mb = next((m for m in b["memory"] if name(m) == st), None)
            if ma and mb:
                parts.append(f"{st} {per(ma['peak_rss_mb'], mb['peak_rss_mb']):+.1f}")
        print(f"- {a['docs']:,} -> {b['docs']:,}: bytes per document: " + ", ".join(parts))
    print()
PY
cat "$out"
echo "written: $out; corpora kept in $work" >&2
