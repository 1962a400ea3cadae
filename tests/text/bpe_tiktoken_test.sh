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
/usr/bin/python3 - "$shared" "$tmp/docs.jsonl" <<'PY' || { echo "FAIL: corpus"; exit 1; }
import gzip, json, random, subprocess, sys
from pathlib import Path
shared, out = Path(sys.argv[1]), sys.argv[2]
docs = []
for f in sorted((shared / "data" / "text").glob("*.jsonl.zst")):
    data = subprocess.run(["zstd", "-dc", str(f)], check=True, capture_output=True).stdout
    docs += [json.loads(l)["text"] for l in data.splitlines() if l.strip()]
for f in sorted([*(shared / "data" / "extraction").glob("*/truth.jsonl.gz"),
                *(shared / "data" / "extraction-dev").glob("*/truth.jsonl.gz")]):
    with gzip.open(f, "rt") as g:
        for line in g:
            r = json.loads(line)
            docs += [r[k] for k in ("main_text", "comments_text") if isinstance(r.get(k), str) and r[k]]
rng = random.Random(7)
pieces = [" ", "  ", "\t", "\n", "\r\n", "\n\n\n", "   \n ", "\u00a0", "\u0085", "\u2028", "\u3000",
          "123", "4567890", "1,234.56", "٣٤٥", "²³", "Ⅻ", "'s", "'S", "'LL", "'ſ", "'Ve", "don't",
          "O'Neil's", "HELLO", "Hello", "hELLo", "ǅungla", "straße", "Straße", "İstanbul", "K", "Ωmega",
          "😀", "👍🏽", "👨‍👩‍👧", "🇫🇷", "中文字符", "日本語のテキスト", "한국어", "ไทย", "עברית", "العربية",
          "русский", "Ελληνικά", "हिन्दी", "e\u0301", "a\u0300\u0301", "\u200b", "\u200d", "\ufeff",
          "<|endoftext|>", "<|fim_prefix|>", "...", "!!!", "?!", "—", "–", "«»", "/", "//", "\\",
          "http://example.com/a?b=c", "foo@bar.com", "#hashtag", "$100", "€5", "£", "%", "_x_",
          "\x00", "\x01", "\x7f", "\ue000", "\U0010fffd", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "ﬁ", "Ａｂｃ１２３"]
for _ in range(3000):
    docs.append("".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))))
for n in (1, 2, 3, 17, 100, 1000, 5000):
    docs += [" " * n, "\n" * n, " \n" * n, "x" + " " * n + "y", "9" * n, "a" * n]
with open(out, "w") as f:
    for i, t in enumerate(docs):
        f.write(json.dumps({"id": str(i), "text": t}) + "\n")
print(f"{len(docs)} documents", file=sys.stderr)
PY

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
  /usr/bin/python3 - "$tmp/$enc" "$tmp/$enc.want.jsonl" "$tmp/docs.jsonl" "$enc" <<'PY' || failures=$((failures + 1))
import json, struct, sys
from pathlib import Path
out, want_path, docs_path, enc = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
got = []
for idx in sorted(out.glob("*.idx")):
    b = idx.read_bytes()
    assert b[:9] == b"MMIDIDX\x00\x00", "magic"
    version, = struct.unpack_from("<Q", b, 9)
    dtype = b[17]
    n, ndoc = struct.unpack_from("<QQ", b, 18)
    assert version == 1 and ndoc == n + 1
    lengths = struct.unpack_from(f"<{n}i", b, 34)
    pointers = struct.unpack_from(f"<{n}q", b, 34 + 4 * n)
    docidx = struct.unpack_from(f"<{n + 1}q", b, 34 + 12 * n)
    assert list(docidx) == list(range(n + 1))
    size, fmt = {8: (2, "H"), 4: (4, "i")}[dtype]
    data = idx.with_suffix(".bin").read_bytes()
    for l, p in zip(lengths, pointers):
        got.append(list(struct.unpack_from(f"<{l}{fmt}", data, p)))
want = [json.loads(l) for l in open(want_path)]
texts = [json.loads(l)["text"] for l in open(docs_path)]
assert len(got) == len(want), (len(got), len(want))
bad = [i for i in range(len(want)) if got[i] != want[i]]
tokens = sum(map(len, want))
if bad:
    i = bad[0]
    print(f"FAIL {enc}: {len(bad)} of {len(want)} documents differ; first {i}: {texts[i][:80]!r}\n"
          f"  winnow   {got[i][:30]}\n  tiktoken {want[i][:30]}")
    sys.exit(1)
print(f"{enc}: {len(want)} documents, {tokens} tokens, identical to tiktoken")
PY
done
((failures == 0)) || exit 1
