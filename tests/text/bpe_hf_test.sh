#!/usr/bin/env bash
# `winnow tokenize` with a Hugging Face tokenizer.json gives the ids Hugging Face's tokenizers
# gives (@anush008/tokenizers, a native build of the Rust library: a test oracle only), on
# every document of ../shared/data/text, the extraction gold texts and generated adversarial
# strings. The tokenizer.json files are built here from tiktoken's ranks in five model
# families' styles (tests/testing/hf_tokenizer_json.py): GPT-2 (ByteLevel regex, "a b"
# merges), Llama 3 (cl100k split, ignore_merges, 256 special tokens), Qwen 2 (single digits,
# NFC, chat tokens), Mistral Nemo (single-digit o200k split) and RoBERTa-like (a String split,
# add_prefix_space, lstrip/rstrip/single_word/normalized added tokens). Skips without node/npm
# or the shared data.
#   bpe_hf_test.sh WINNOW SHARED_DIR
set -uo pipefail
winnow=${1:?usage: bpe_hf_test.sh WINNOW SHARED_DIR}
shared=${2:?usage: bpe_hf_test.sh WINNOW SHARED_DIR}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
[[ -n ${KEEP:-} ]] || trap 'rm -rf "$tmp"' EXIT

# Without the oracle: what a tokenizer.json says about the end of text, and what winnow refuses.
# A small vocabulary (every byte, a few merges) in Llama 3's style.
/usr/bin/python3 - "$tmp/tiny.tiktoken" <<'PY'
import base64, sys
tokens = [bytes([b]) for b in range(256)] + [b"th", b"he", b"the", b" the", b"in", b"ing"]
with open(sys.argv[1], "w") as f:
    for r, t in enumerate(tokens):
        f.write(f"{base64.b64encode(t).decode()} {r}\n")
PY
mkdir -p "$tmp/tiny"
/usr/bin/python3 "$here/../testing/hf_tokenizer_json.py" llama3 "$tmp/tiny.tiktoken" "$tmp/tiny/tokenizer.json" ||
  { echo "FAIL: cannot write the small tokenizer.json"; exit 1; }
printf '{"text":"the thing"}\n{"text":"in <|eot_id|> the"}\n' > "$tmp/two.jsonl"
ids_of() {  # the documents' ids in a Megatron shard directory, one line per document
  /usr/bin/python3 -c '
import struct, sys
from pathlib import Path
idx = next(Path(sys.argv[1]).glob("*.idx")).read_bytes()
n, = struct.unpack_from("<Q", idx, 18)
lengths = struct.unpack_from(f"<{n}i", idx, 34)
pointers = struct.unpack_from(f"<{n}q", idx, 34 + 4 * n)
data = next(Path(sys.argv[1]).glob("*.bin")).read_bytes()
for l, p in zip(lengths, pointers):
    print(*struct.unpack_from(f"<{l}H", data, p))' "$1"
}
# The end of text ("auto"): the added token named like one (Llama 3's <|end_of_text|>, 263) ...
"$winnow" tokenize "$tmp/two.jsonl" -o "$tmp/auto" --tokenizer "$tmp/tiny" -q ||
  { echo "FAIL: winnow tokenize --eos auto"; exit 1; }
got=$(ids_of "$tmp/auto" | tr '\n' '|')
want="258 32 256 261 263|260 32 271 259 263|"
[[ $got == "$want" ]] || { echo "FAIL: ids with --eos auto: got $got, want $want"; exit 1; }
# ... or tokenizer_config.json's eos_token, as transformers reads it. Added tokens in a document
# are their ids (<|eot_id|> is 271 here), as tokenizers encodes them.
echo '{"eos_token": {"content": "<|eot_id|>", "special": true}, "bos_token": "<|begin_of_text|>"}' \
  > "$tmp/tiny/tokenizer_config.json"
"$winnow" tokenize "$tmp/two.jsonl" -o "$tmp/config" --tokenizer "$tmp/tiny" --bos "<|begin_of_text|>" -q ||
  { echo "FAIL: winnow tokenize with tokenizer_config.json"; exit 1; }
got=$(ids_of "$tmp/config" | tr '\n' '|')
want="262 258 32 256 261 271|262 260 32 271 259 271|"
[[ $got == "$want" ]] || { echo "FAIL: ids with BOS/EOS: got $got, want $want"; exit 1; }
# ... and with neither, "auto" asks for --eos.
mkdir -p "$tmp/bare"
/usr/bin/python3 -c "import json, sys; t = json.load(open(sys.argv[1])); t['added_tokens'] = []; json.dump(t, open(sys.argv[2], 'w'))" \
  "$tmp/tiny/tokenizer.json" "$tmp/bare/tokenizer.json"
err=$("$winnow" tokenize "$tmp/two.jsonl" -o "$tmp/bare.out" --tokenizer "$tmp/bare" -q 2>&1) &&
  { echo "FAIL: --eos auto without an end-of-text token succeeded"; exit 1; }
[[ $err == *"pass --eos"* ]] || { echo "FAIL: --eos auto without one says: $err"; exit 1; }
# What winnow does not read is refused, naming it.
refused() {  # NAME PYTHON-EDIT EXPECTED-MESSAGE-PART
  mkdir -p "$tmp/$1"
  /usr/bin/python3 -c "import json, sys; t = json.load(open(sys.argv[1])); $2; json.dump(t, open(sys.argv[2], 'w'))" \
    "$tmp/tiny/tokenizer.json" "$tmp/$1/tokenizer.json"
  err=$("$winnow" tokenize "$tmp/two.jsonl" -o "$tmp/$1.out" --tokenizer "$tmp/$1/tokenizer.json" --eos none -q 2>&1) &&
    { echo "FAIL: $1: winnow accepted it"; exit 1; }
  [[ $err == *"$3"* && $err == *"$1/tokenizer.json"* ]] || { echo "FAIL: $1: the error says: $err"; exit 1; }
}
refused metaspace 't["pre_tokenizer"] = {"type": "Metaspace", "replacement": "\u2581"}' "pre_tokenizer Metaspace is not supported"
refused wordpiece 't["model"]["type"] = "WordPiece"' "model WordPiece is not supported"
refused dropout 't["model"]["dropout"] = 0.1' "dropout"
refused lowercase 't["normalizer"] = {"type": "Lowercase"}' "normalizer Lowercase"
refused merge 't["model"]["merges"].append(["x", "nonexistent"])' "'nonexistent' is not in the vocab"
refused notjson 't = None' "no model"
echo "tokenizer.json: the end of text from added tokens or tokenizer_config.json, added tokens in text, six refusals named"

[[ -d $shared/data/text ]] || { echo "SKIP: $shared/data/text not found"; exit 0; }
tiktoken_dir=$("$here/../testing/npm_oracle.sh" tiktoken) || { echo "SKIP: $tiktoken_dir"; exit 0; }
hf_dir=$("$here/../testing/npm_oracle.sh" @anush008/tokenizers) || { echo "SKIP: $hf_dir"; exit 0; }

"$here/../testing/tiktoken_ranks.sh" "$tmp" gpt2 cl100k_base o200k_base || { echo "FAIL: cannot write the rank files"; exit 1; }
/usr/bin/python3 "$here/../testing/tokenizer_corpus.py" "$shared" "$tmp/docs.jsonl" ||
  { echo "FAIL: corpus"; exit 1; }

failures=0
for spec in gpt2:gpt2 llama3:cl100k_base qwen2:cl100k_base nemo:o200k_base roberta:gpt2; do
  style=${spec%%:*}
  mkdir -p "$tmp/$style"
  json=$tmp/$style/tokenizer.json
  /usr/bin/python3 "$here/../testing/hf_tokenizer_json.py" "$style" "$tmp/${spec##*:}.tiktoken" "$json" ||
    { echo "FAIL: cannot write $style's tokenizer.json"; failures=$((failures + 1)); continue; }
  "$winnow" tokenize "$tmp/docs.jsonl" -o "$tmp/$style.out" --tokenizer "$tmp/$style" \
    --format megatron --eos none --threads 2 -q || { echo "FAIL: winnow tokenize ($style)"; failures=$((failures + 1)); continue; }
  NODE_PATH=$hf_dir/node_modules node -e '
const fs = require("fs"), readline = require("readline");
const { Tokenizer } = require("@anush008/tokenizers");
const tok = Tokenizer.fromFile(process.argv[1]);
const out = fs.createWriteStream(process.argv[3]);
const texts = [];
readline.createInterface({ input: fs.createReadStream(process.argv[2]) })
  .on("line", (l) => texts.push(JSON.parse(l).text))
  .on("close", async () => {
    for (let i = 0; i < texts.length; i += 256) {
      const batch = await tok.encodeBatch(texts.slice(i, i + 256), { addSpecialTokens: false });
      for (const e of batch) out.write(JSON.stringify(e.getIds()) + "\n");
    }
    out.end();
  });' "$json" "$tmp/docs.jsonl" "$tmp/$style.want.jsonl" ||
    { echo "FAIL: the tokenizers oracle ($style)"; failures=$((failures + 1)); continue; }
  /usr/bin/python3 "$here/../testing/megatron_ids_match.py" "$tmp/$style.out" "$tmp/$style.want.jsonl" \
    "$tmp/docs.jsonl" "$style" tokenizers || failures=$((failures + 1))
done
((failures == 0)) || exit 1
