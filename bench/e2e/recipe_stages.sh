#!/usr/bin/env bash
# Issue 21's stages, one core, on real text (../shared/data/text, 1,648 documents):
#   - url_filter: filter_bench BM_UrlFilter (1 M-domain blocklist, datatrove's word lists);
#   - sentence_dedup: the stage in `winnow clean` (stats.json's stage seconds) on the real
#     text once (the tokenizer's span memo cold) and on 8 variants of it with every
#     document's sentences shuffled (new 3-sentence spans, the same vocabulary: the memo warm,
#     as in a corpus of gigabytes), and dedup_bench's map and apply steps;
#   - decontaminate: filter_bench BM_DecontaminateReal (an index of 10 M n-grams) and the
#     stage in `winnow clean` against 300 Reuters passages.
#   bench/e2e/recipe_stages.sh      writes a dated table to bench/results/
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
winnow=${WINNOW:-$root/build/winnow}
build=${BUILD:-$root/build}
shared=$root/../shared/data
work=${WORK:-$(mktemp -d /tmp/winnow-recipe-XXXXXX)}
out=$root/bench/results/$(date +%F)-recipe-stages.md
[[ -d $shared/text ]] || { echo "needs ../shared/data/text"; exit 1; }

for f in "$shared"/text/*.jsonl.zst; do zstd -dcq "$f"; done >"$work/text.jsonl"
/usr/bin/python3 - "$work/text.jsonl" "$work" <<'PY'
import json, random, re, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
rng = random.Random(3)
with open(f"{sys.argv[2]}/shuffled.jsonl", "w") as out:
    for copy in range(8):
        for d in docs:
            parts = re.split(r"(?<=[.!?])\s+", d["text"])
            rng.shuffle(parts)
            out.write(json.dumps({"id": f"{d['id']}-{copy}", "text": " ".join(parts)}) + "\n")
with open(f"{sys.argv[2]}/bench.jsonl", "w") as out:
    for i, d in enumerate(rng.sample([d for d in docs if d["id"].startswith("reuters")], 300)):
        out.write(json.dumps({"id": str(i), "text": d["text"][:600]}) + "\n")
with open(f"{sys.argv[2]}/corpus.jsonl", "w") as out:
    for d in docs:
        if not d["id"].startswith("reuters"):
            out.write(json.dumps(d) + "\n")
PY
stage() {  # stage NAME INPUT CONFIG: "MB/s docs/s" of the stage from stats.json
  rm -rf "$work/out"
  taskset -c 0 "$winnow" clean "$2" -o "$work/out" --config "$3" --threads 1 -q
  /usr/bin/python3 - "$work/out/stats.json" "$1" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
x = next(x for x in s["stages"] if x["name"] == sys.argv[2])
print(f"{x['mb_per_s']:.1f} {x['docs_per_s']:.0f} {x['in']['bytes'] / 1e6:.1f} {s['peak_rss_mb']:.0f}")
PY
}
printf 'stages:\n  - sentence_dedup\n' >"$work/sd.yaml"
printf 'stages:\n  - decontaminate: {benchmarks: [%s], n: 13}\n' "$work/bench.jsonl" >"$work/dc.yaml"
read -r sd_cold sd_cold_docs sd_cold_mb sd_cold_rss < <(stage sentence_dedup "$work/text.jsonl" "$work/sd.yaml")
read -r sd_warm sd_warm_docs sd_warm_mb sd_warm_rss < <(stage sentence_dedup "$work/shuffled.jsonl" "$work/sd.yaml")
read -r dc dc_docs dc_mb dc_rss < <(stage decontaminate "$work/corpus.jsonl" "$work/dc.yaml")
micro() { taskset -c 0 "$@" 2>/dev/null | grep -E '^BM_'; }

{
  echo "# Recipe stages: url_filter, sentence_dedup, decontaminate ($(date +%F), $(nproc) cores, $(git -C "$root" rev-parse --short HEAD))"
  echo
  echo "One core (taskset), release build. Stage MB/s are of the text the stage saw, from"
  echo "stats.json's stage seconds (CPU of the stage's own work: map, group and apply for"
  echo "sentence_dedup)."
  echo
  echo "| stage | input | text MB | stage MB/s | docs/s | peak RSS MB |"
  echo "|---|---|---:|---:|---:|---:|"
  echo "| sentence_dedup | shared real text, once (memo cold) | $sd_cold_mb | $sd_cold | $sd_cold_docs | $sd_cold_rss |"
  echo "| sentence_dedup | 8 sentence-shuffled copies (memo warm) | $sd_warm_mb | $sd_warm | $sd_warm_docs | $sd_warm_rss |"
  echo "| decontaminate | shared real text, 300 Reuters passages | $dc_mb | $dc | $dc_docs | $dc_rss |"
  echo
  echo "## Micro benchmarks"
  echo
  echo '```'
  micro "$build/bench/filter_bench" --benchmark_filter='Url|Decont|NGram'
  micro "$build/bench/dedup_bench" --benchmark_filter='SentenceSpanHashes|RemoveDuplicate'
  echo '```'
} >"$out"
cat "$out"
echo "written: $out"
