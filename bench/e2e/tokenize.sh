#!/usr/bin/env bash
# `winnow tokenize` against OpenAI's tiktoken (its npm build, WASM) on the same real text, one
# core, CPU time, in one run: ../shared/data/text repeated to REPEAT copies (default 8, about
# 20 MB). Prints MB/s and tokens/s of each and their ratio, per encoding and shard format.
#   bench/e2e/tokenize.sh [WINNOW] [REPEAT]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
winnow=${1:-$root/build/winnow}
repeat=${2:-8}
shared=$root/../shared
node_dir=$("$root/tests/testing/npm_oracle.sh" tiktoken) || { echo "needs node/npm: $node_dir"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/tests/testing/tiktoken_ranks.sh" "$tmp" gpt2 cl100k_base o200k_base
for _ in $(seq "$repeat"); do zstd -dcq "$shared"/data/text/*.jsonl.zst; done > "$tmp/docs.jsonl"
mb=$(stat -c %s "$tmp/docs.jsonl" | awk '{printf "%.1f", $1 / 1e6}')
echo "input: $(wc -l < "$tmp/docs.jsonl") documents, $mb MB of JSONL (../shared/data/text x $repeat)"
for enc in gpt2 cl100k_base o200k_base; do
  for format in megatron datatrove npy; do
    cpu=$( { /usr/bin/time -f "%U %S" "$winnow" tokenize "$tmp/docs.jsonl" -o "$tmp/out-$enc-$format" \
      --tokenizer "$tmp/$enc.tiktoken" --format "$format" --threads 1 -q; } 2>&1 | awk '{print $1 + $2}')
    tokens=$(/usr/bin/python3 -c "import json; print(json.load(open('$tmp/out-$enc-$format/tokenize.json'))['tokens'])")
    printf '%-12s %-9s winnow   %6.2f s CPU  %6.1f MB/s  %5.1f M tokens/s\n' "$enc" "$format" "$cpu" \
      "$(awk "BEGIN{print $mb / $cpu}")" "$(awk "BEGIN{print $tokens / $cpu / 1e6}")"
    echo "$cpu" > "$tmp/winnow-$enc-$format"
  done
  NODE_PATH=$node_dir/node_modules node -e '
const fs = require("fs");
const { get_encoding } = require("tiktoken");
const texts = fs.readFileSync(process.argv[2], "utf8").split("\n").filter((l) => l).map((l) => JSON.parse(l).text);
const enc = get_encoding(process.argv[1]);
const t0 = process.cpuUsage();
let tokens = 0;
for (const t of texts) tokens += enc.encode_ordinary(t).length;
const u = process.cpuUsage(t0);
console.log(((u.user + u.system) / 1e6).toFixed(3), tokens);' "$enc" "$tmp/docs.jsonl" > "$tmp/node-$enc"
  read -r ncpu ntokens < "$tmp/node-$enc"
  printf '%-12s %-9s tiktoken %6.2f s CPU  %6.1f MB/s  %5.1f M tokens/s (encode_ordinary only)\n' "$enc" "" \
    "$ncpu" "$(awk "BEGIN{print $mb / $ncpu}")" "$(awk "BEGIN{print $ntokens / $ncpu / 1e6}")"
  printf '%-12s winnow (megatron, reading and writing included) is %.1fx tiktoken\n' "$enc" \
    "$(echo "$ncpu / $(cat "$tmp/winnow-$enc-megatron")" | bc -l)"
done
