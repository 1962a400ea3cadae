#!/usr/bin/env bash
# `winnow tokenize --tokenizer M.model` gives the ids Debian's `spm_encode --output_format=id`
# gives, for a BPE and a unigram SentencePiece model trained here (spm_train) on real text, on
# every line of ../shared/data/text and the extraction gold texts (a line per document: the
# tool encodes lines); EOS defaults to the model's </s>. Skips without the tools or the data.
#   sentencepiece_test.sh WINNOW SHARED_DIR
set -uo pipefail
winnow=${1:?usage: sentencepiece_test.sh WINNOW SHARED_DIR}
shared=${2:?usage: sentencepiece_test.sh WINNOW SHARED_DIR}
[[ -d $shared/data/text ]] || { echo "SKIP: $shared/data/text not found"; exit 0; }
command -v spm_train >/dev/null && command -v spm_encode >/dev/null ||
  { echo "SKIP: spm_train/spm_encode not found (apt-get install sentencepiece)"; exit 0; }
tmp=$(mktemp -d)
[[ -n ${KEEP:-} ]] || trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

/usr/bin/python3 - "$shared" "$tmp" <<'PY' || fail "corpus"
import gzip, json, subprocess, sys
from pathlib import Path
shared, tmp = Path(sys.argv[1]), Path(sys.argv[2])
lines = []
for f in sorted((shared / "data" / "text").glob("*.jsonl.zst")):
    data = subprocess.run(["zstd", "-dc", str(f)], check=True, capture_output=True).stdout
    for l in data.splitlines():
        lines += json.loads(l)["text"].split("\n")
for f in sorted((shared / "data" / "extraction").glob("*/truth.jsonl.gz")):
    with gzip.open(f, "rt") as g:
        for l in g:
            lines += (json.loads(l).get("main_text") or "").split("\n")
lines = [l for l in lines if l.strip() and "\r" not in l]
(tmp / "train.txt").write_text("\n".join(lines[::2]) + "\n")
(tmp / "lines.txt").write_text("\n".join(lines) + "\n")
with open(tmp / "docs.jsonl", "w") as out:
    for i, l in enumerate(lines):
        out.write(json.dumps({"id": str(i), "text": l}) + "\n")
print(f"{len(lines)} lines", file=sys.stderr)
PY

for type in bpe unigram; do
  spm_train --input="$tmp/train.txt" --model_prefix="$tmp/$type" --vocab_size=4000 \
    --model_type=$type --character_coverage=0.9995 --minloglevel=2 >/dev/null 2>&1 ||
    fail "spm_train $type"
  spm_encode --model="$tmp/$type.model" --output_format=id < "$tmp/lines.txt" > "$tmp/$type.want" ||
    fail "spm_encode $type"
  "$winnow" tokenize "$tmp/docs.jsonl" -o "$tmp/$type-out" --tokenizer "$tmp/$type.model" \
    --format npy -q || fail "winnow tokenize $type"
  /usr/bin/python3 - "$tmp/$type-out" "$tmp/$type.want" "$type" <<'PY' || exit 1
import sys
from pathlib import Path
import numpy as np
out, want_path, kind = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
ids = np.load(out / "tokens-00000.npy")
off = np.load(out / "tokens-00000.offsets.npy")
got = [ids[a:b].astype(np.int64).tolist() for a, b in zip(off[:-1], off[1:])]
want = [[int(x) for x in l.split()] for l in open(want_path).read().split("\n")[:-1]]
assert len(got) == len(want), (len(got), len(want))
eos = {d[-1] for d in got}
assert eos == {2}, f"EOS after each document should be </s> (2), got {eos}"
bad = [i for i in range(len(want)) if got[i][:-1] != want[i]]
if bad:
    print(f"FAIL {kind}: {len(bad)} of {len(want)} lines differ; first {bad[0]}: "
          f"{got[bad[0]][:20]} vs {want[bad[0]][:20]}")
    sys.exit(1)
print(f"sentencepiece {kind}: {len(want)} lines, {sum(map(len, want))} ids, identical to spm_encode")
PY
done
