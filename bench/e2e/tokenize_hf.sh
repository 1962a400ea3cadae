#!/usr/bin/env bash
# `winnow tokenize` with Hugging Face tokenizer.json files against Hugging Face's tokenizers
# (@anush008/tokenizers, a native build of the Rust library) on the same real text, one core,
# CPU time, in one run: ../shared/data/text repeated to REPEAT copies (default 8, about 20 MB).
# The tokenizer.json files are built from tiktoken's ranks in GPT-2's and Llama 3's styles
# (tests/testing/hf_tokenizer_json.py). Prints MB/s and tokens/s of each and their ratio.
#   bench/e2e/tokenize_hf.sh [WINNOW] [REPEAT]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
winnow=${1:-$root/build/winnow}
repeat=${2:-8}
shared=$root/../shared
hf_dir=$("$root/tests/testing/npm_oracle.sh" @anush008/tokenizers) || { echo "needs node/npm: $hf_dir"; exit 1; }
"$root/tests/testing/npm_oracle.sh" tiktoken >/dev/null || { echo "needs node/npm"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/tests/testing/tiktoken_ranks.sh" "$tmp" gpt2 cl100k_base
for _ in $(seq "$repeat"); do zstd -dcq "$shared"/data/text/*.jsonl.zst; done > "$tmp/docs.jsonl"
mb=$(stat -c %s "$tmp/docs.jsonl" | awk '{printf "%.1f", $1 / 1e6}')
echo "input: $(wc -l < "$tmp/docs.jsonl") documents, $mb MB of JSONL (../shared/data/text x $repeat)"
for spec in gpt2:gpt2 llama3:cl100k_base; do
  style=${spec%%:*}
  /usr/bin/python3 "$root/tests/testing/hf_tokenizer_json.py" "$style" "$tmp/${spec##*:}.tiktoken" "$tmp/$style.json"
  cpu=$( { /usr/bin/time -f "%U %S" "$winnow" tokenize "$tmp/docs.jsonl" -o "$tmp/out-$style" \
    --tokenizer "$tmp/$style.json" --format megatron --eos none --threads 1 -q; } 2>&1 | awk '{print $1 + $2}')
  tokens=$(/usr/bin/python3 -c "import json; print(json.load(open('$tmp/out-$style/tokenize.json'))['tokens'])")
  printf '%-7s winnow     %6.2f s CPU  %6.1f MB/s  %5.1f M tokens/s\n' "$style" "$cpu" \
    "$(awk "BEGIN{print $mb / $cpu}")" "$(awk "BEGIN{print $tokens / $cpu / 1e6}")"
  # One thread: tokenizers' batch encoding would otherwise use every core (rayon).
  RAYON_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false NODE_PATH=$hf_dir/node_modules node -e '
const fs = require("fs");
const { Tokenizer } = require("@anush008/tokenizers");
const texts = fs.readFileSync(process.argv[2], "utf8").split("\n").filter((l) => l).map((l) => JSON.parse(l).text);
const tok = Tokenizer.fromFile(process.argv[1]);
(async () => {
  const t0 = process.cpuUsage();
  let tokens = 0;
  for (let i = 0; i < texts.length; i += 1024) {
    for (const e of await tok.encodeBatch(texts.slice(i, i + 1024), { addSpecialTokens: false })) tokens += e.getIds().length;
  }
  const u = process.cpuUsage(t0);
  console.log(((u.user + u.system) / 1e6).toFixed(3), tokens);
})();' "$tmp/$style.json" "$tmp/docs.jsonl" > "$tmp/node-$style"
  read -r ncpu ntokens < "$tmp/node-$style"
  printf '%-7s tokenizers %6.2f s CPU  %6.1f MB/s  %5.1f M tokens/s (encodeBatch only)\n' "$style" \
    "$ncpu" "$(awk "BEGIN{print $mb / $ncpu}")" "$(awk "BEGIN{print $ntokens / $ncpu / 1e6}")"
  printf '%-7s winnow (reading and writing included) is %.1fx tokenizers\n' "$style" \
    "$(echo "$ncpu / $cpu" | bc -l)"
done
