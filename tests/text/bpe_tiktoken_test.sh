#!/usr/bin/env bash
# `winnow tokenize` gives the token ids OpenAI's tiktoken gives (its npm build, a WASM copy of
# the Rust library: a test oracle only), for gpt2, cl100k_base and o200k_base, on every
# document of ../shared/data/text, the extraction benchmarks' gold texts and generated
# adversarial strings (whitespace runs, digits, emoji, mixed scripts, marks, case-folded
# contractions, NEL). The rank files are written from the npm package's data; cl100k_base's
# must hash to the published file's sha256. The Megatron shards are parsed here, by this test's
# own reader of the layout. Skips without node/npm or the shared data.
#   bpe_tiktoken_test.sh WINNOW SHARED_DIR
set -uo pipefail
winnow=${1:?usage: bpe_tiktoken_test.sh WINNOW SHARED_DIR}
shared=${2:?usage: bpe_tiktoken_test.sh WINNOW SHARED_DIR}
here=$(cd "$(dirname "$0")" && pwd)
[[ -d $shared/data/text ]] || { echo "SKIP: $shared/data/text not found"; exit 0; }
node_dir=$("$here/../testing/npm_oracle.sh" tiktoken) || { echo "SKIP: $node_dir"; exit 0; }
tmp=$(mktemp -d)
[[ -n ${KEEP:-} ]] || trap 'rm -rf "$tmp"' EXIT

"$here/../testing/tiktoken_ranks.sh" "$tmp" gpt2 cl100k_base o200k_base || { echo "FAIL: cannot write the rank files"; exit 1; }
sha=$(sha256sum "$tmp/cl100k_base.tiktoken" | cut -c1-64)
[[ $sha == 223921b7* && $sha == *865b2a7 ]] ||
  { echo "FAIL: cl100k_base.tiktoken hashes to $sha, not the published file's"; exit 1; }

# The documents: real text, gold texts, adversarial strings.
/usr/bin/python3 "$here/../testing/tokenizer_corpus.py" "$shared" "$tmp/docs.jsonl" ||
  { echo "FAIL: corpus"; exit 1; }

failures=0
for enc in gpt2 cl100k_base o200k_base; do
  "$winnow" tokenize "$tmp/docs.jsonl" -o "$tmp/$enc" --tokenizer "$tmp/$enc.tiktoken" \
    --format megatron --eos none --threads 2 -q || { echo "FAIL: winnow tokenize ($enc)"; failures=$((failures + 1)); continue; }
  NODE_PATH=$node_dir/node_modules node -e '
const fs = require("fs"), readline = require("readline");
const { get_encoding } = require("tiktoken");
const enc = get_encoding(process.argv[1]);
const out = fs.createWriteStream(process.argv[3]);
const rl = readline.createInterface({ input: fs.createReadStream(process.argv[2]) });
rl.on("line", (l) => { out.write(JSON.stringify(Array.from(enc.encode_ordinary(JSON.parse(l).text))) + "\n"); });
rl.on("close", () => out.end());' "$enc" "$tmp/docs.jsonl" "$tmp/$enc.want.jsonl" ||
    { echo "FAIL: the tiktoken oracle ($enc)"; failures=$((failures + 1)); continue; }
  /usr/bin/python3 "$here/../testing/megatron_ids_match.py" "$tmp/$enc" "$tmp/$enc.want.jsonl" \
    "$tmp/docs.jsonl" "$enc" tiktoken || failures=$((failures + 1))
done
((failures == 0)) || exit 1
