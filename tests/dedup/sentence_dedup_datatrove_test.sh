#!/usr/bin/env bash
# sentence_dedup against the real datatrove's three SentenceDedup steps (Signature,
# FindDedups, Filter, default SentDedupConfig; ../shared/reference/datatrove-kit) on the
# datatrove reference input (1,649 real documents) plus documents planted from it: whole
# copies, copies with other numbers and case (simplify_text makes them equal), and documents
# stitched from runs of sentences of two others with new text between. Every document must
# be kept or removed as datatrove decides, and every kept text must equal datatrove's, byte
# for byte; with 1 and 2 threads.
# Skips (exit 0, with a message) without /usr/bin/python3, the kit or its packages.
#   sentence_dedup_datatrove_test.sh WINNOW SHARED_DIR
set -uo pipefail
winnow=${1:?usage: sentence_dedup_datatrove_test.sh WINNOW SHARED_DIR}
shared=${2:?usage: sentence_dedup_datatrove_test.sh WINNOW SHARED_DIR}
kit=$shared/reference/datatrove-kit
input=$shared/reference/datatrove/input.jsonl.zst
[[ -f $input ]] || { echo "SKIP: $input not found (the shared data is absent)"; exit 0; }
[[ -x /usr/bin/python3 && -f $kit/run_datatrove.py ]] || { echo "SKIP: /usr/bin/python3 or $kit absent"; exit 0; }
(cd "$kit" && source ./env.sh && /usr/bin/python3 -c 'import run_datatrove; run_datatrove.setup_datatrove(); import datatrove.pipeline.dedup.sentence_dedup') >/dev/null 2>&1 ||
  { echo "SKIP: the kit's datatrove does not import (sudo bash $kit/setup.sh)"; exit 0; }
tmp=$(mktemp -d)
[[ -n ${KEEP:-} ]] || trap 'rm -rf "$tmp"' EXIT

(cd "$kit" && source ./env.sh && HOME=$tmp /usr/bin/python3 - "$input" "$tmp") <<'PY' || { echo "FAIL: the datatrove side did not run"; exit 1; }
import io, json, os, random, re, sys
import zstandard
input_path, tmp = sys.argv[1:3]
sys.path.insert(0, os.getcwd())
import run_datatrove
run_datatrove.setup_datatrove()
from datatrove.data import Document
from datatrove.pipeline.dedup.sentence_dedup import (SentDedupConfig, SentenceDedupFilter,
                                                     SentenceDedupSignature, SentenceFindDedups)

with open(input_path, "rb") as f:
    lines = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(f), encoding="utf-8").read().splitlines()
docs = [json.loads(l) for l in lines if l.strip()]
rng = random.Random(21)
sentence_end = re.compile(r"(?<=[.!?])\s+")
planted = []
for k in range(300):
    a, b = rng.choice(docs), rng.choice(docs)
    kind = k % 3
    if kind == 0:    # a whole copy
        text = a["text"]
    elif kind == 1:  # other numbers and case
        text = re.sub(r"\d", lambda m: str((int(m.group()) + 3) % 10), a["text"]).upper()
    else:            # runs of sentences of two documents around new text
        sa, sb = sentence_end.split(a["text"]), sentence_end.split(b["text"])
        i, j = rng.randrange(max(1, len(sa))), rng.randrange(max(1, len(sb)))
        text = (" ".join(sa[i:i + 5]) + f"\n\nPlanted paragraph number {k} says something new here. "
                "It goes on for a while, with words that no other document has. " * 3 + "\n\n" +
                " ".join(sb[j:j + 6]))
    planted.append({"id": f"planted-{k}", "text": text})
corpus = docs + planted
rng.shuffle(corpus)
with open(os.path.join(tmp, "corpus.jsonl"), "w") as f:
    for d in corpus:
        f.write(json.dumps({"id": d["id"], "text": d["text"]}) + "\n")

config = SentDedupConfig()
stream = lambda: (Document(text=d["text"], id=d["id"]) for d in corpus)
SentenceDedupSignature(output_folder=os.path.join(tmp, "sigs"), config=config).run(stream(), rank=0, world_size=1)
SentenceFindDedups(data_folder=os.path.join(tmp, "sigs"), output_folder=os.path.join(tmp, "dups"),
                   config=config).run(rank=0, world_size=1)
kept = SentenceDedupFilter(data_folder=os.path.join(tmp, "dups"), config=config).run(stream(), rank=0, world_size=1)
with open(os.path.join(tmp, "datatrove.jsonl"), "w") as f:
    for d in kept:
        f.write(json.dumps({"id": d.id, "text": d.text}) + "\n")
print(f"datatrove: {len(corpus)} documents")
PY

printf 'stages:\n  - sentence_dedup\n' >"$tmp/config.yaml"
failures=0
for threads in 1 2; do
  "$winnow" clean "$tmp/corpus.jsonl" -o "$tmp/out$threads" --config "$tmp/config.yaml" --threads "$threads" -q ||
    { echo "FAIL: winnow clean --threads $threads"; failures=$((failures + 1)); continue; }
  echo -n "threads $threads: "
  /usr/bin/python3 - "$tmp/datatrove.jsonl" "$tmp/out$threads" "$tmp/corpus.jsonl" <<'PY' || failures=$((failures + 1))
import glob, io, json, os, subprocess, sys
want = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    want[d["id"]] = d["text"]
def read(part):
    out = subprocess.run(["zstd", "-dcq", part], capture_output=True, check=True).stdout.decode()
    return [json.loads(l) for l in out.splitlines() if l]
got, removed = {}, {}
for part in sorted(glob.glob(os.path.join(sys.argv[2], "kept", "*.jsonl.zst"))):
    for d in read(part):
        got[d["id"]] = d["text"]
for part in sorted(glob.glob(os.path.join(sys.argv[2], "removed", "*.jsonl.zst"))):
    for d in read(part):
        removed[d["id"]] = d["winnow"]["reason"]
bad = 0
for i in sorted(set(want) | set(got)):
    if i not in got:
        bad += 1
        if bad <= 10: print(f"DIFF {i}: datatrove keeps it, winnow removes it ({removed.get(i)})")
    elif i not in want:
        bad += 1
        if bad <= 10: print(f"DIFF {i}: winnow keeps it, datatrove removes it")
    elif want[i] != got[i]:
        bad += 1
        if bad <= 10:
            a, b = want[i], got[i]
            k = next((n for n in range(min(len(a), len(b))) if a[n] != b[n]), min(len(a), len(b)))
            print(f"DIFF {i}: texts differ at {k}: datatrove {a[max(0, k - 40):k + 40]!r} winnow {b[max(0, k - 40):k + 40]!r}")
original = {d["id"]: d["text"] for d in map(json.loads, open(sys.argv[3]))}
edited = sum(1 for i, t in want.items() if t != original[i])
print(f"{len(want)} kept by datatrove ({edited} edited), {len(got)} by winnow, {len(removed)} removed, {bad} differ")
# The comparison must have exercised every outcome: kept as is, edited, removed.
if edited == 0 or not removed or any(r != "sentence_dedup:too_short" for r in removed.values()):
    print(f"FAIL: too little was exercised (edited {edited}, removed {set(removed.values())})"); sys.exit(1)
sys.exit(1 if bad else 0)
PY
done
cmp -s <(zstd -dcq "$tmp"/out1/kept/*.jsonl.zst) <(zstd -dcq "$tmp"/out2/kept/*.jsonl.zst) ||
  { echo "FAIL: 1 and 2 threads differ"; failures=$((failures + 1)); }
exit $((failures > 0))
