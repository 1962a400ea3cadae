#!/usr/bin/env bash
# Token shards read back by the formats' own readers: numpy for .npy, the real datatrove 0.10
# (the kit) writing the same documents for .ds (byte for byte), this test's own parse of
# Megatron's layout; shards split by --shard-size hold every document once, in order; the
# shards are byte-identical for 1 and 2 threads; EOS and BOS go where they are asked; --shuffle
# permutes each shard's documents by its seed alone; Parquet input (written by DuckDB) gives the
# shards its JSONL gives.
#   token_shards_test.sh WINNOW SHARED_DIR
set -uo pipefail
winnow=${1:?usage: token_shards_test.sh WINNOW SHARED_DIR}
shared=${2:?usage: token_shards_test.sh WINNOW SHARED_DIR}
here=$(cd "$(dirname "$0")" && pwd)
[[ -d $shared/data/text ]] || { echo "SKIP: $shared/data/text not found"; exit 0; }
node_dir=$("$here/../testing/npm_oracle.sh" tiktoken) || { echo "SKIP: $node_dir"; exit 0; }
tmp=$(mktemp -d)
[[ -n ${KEEP:-} ]] || trap 'rm -rf "$tmp"' EXIT
"$here/../testing/tiktoken_ranks.sh" "$tmp" gpt2 cl100k_base || { echo "FAIL: rank files"; exit 1; }
zstd -dcq "$shared"/data/text/bbc_news.jsonl.zst "$shared"/data/text/reuters21578.jsonl.zst > "$tmp/docs.jsonl"
fail() { echo "FAIL: $*"; exit 1; }
run() { "$winnow" tokenize "$tmp/docs.jsonl" -q "$@" || fail "winnow tokenize $*"; }

for enc in gpt2 cl100k_base; do
  run -o "$tmp/$enc-m" --tokenizer "$tmp/$enc.tiktoken" --format megatron --eos none
  run -o "$tmp/$enc-m-small" --tokenizer "$tmp/$enc.tiktoken" --format megatron --eos none \
    --shard-size 100K --threads 1
  run -o "$tmp/$enc-m-small2" --tokenizer "$tmp/$enc.tiktoken" --format megatron --eos none \
    --shard-size 100K --threads 2
  diff -r "$tmp/$enc-m-small" "$tmp/$enc-m-small2" -x tokenize.json >/dev/null ||
    fail "$enc: shards differ between 1 and 2 threads"
  run -o "$tmp/$enc-n" --tokenizer "$tmp/$enc.tiktoken" --format npy --eos none
  run -o "$tmp/$enc-d" --tokenizer "$tmp/$enc.tiktoken" --format datatrove
  run -o "$tmp/$enc-d-small" --tokenizer "$tmp/$enc.tiktoken" --format datatrove --shard-size 100K
  run -o "$tmp/$enc-eb" --tokenizer "$tmp/$enc.tiktoken" --format npy --bos '<|endoftext|>' --eos none
done

# --shuffle SEED: each shard holds the same documents as without it, in an order that depends
# on the seed only (the same for 1 and 2 threads, another for another seed).
for seed in 7 8; do
  for threads in 1 2; do
    run -o "$tmp/shuffle$seed-$threads" --tokenizer "$tmp/gpt2.tiktoken" --format megatron --eos none \
      --shard-size 100K --threads $threads --shuffle $seed
  done
  diff -r "$tmp/shuffle$seed-1" "$tmp/shuffle$seed-2" -x tokenize.json >/dev/null ||
    fail "shuffled shards differ between 1 and 2 threads"
done
run -o "$tmp/shuffle7-npy" --tokenizer "$tmp/gpt2.tiktoken" --format npy --eos none --shard-size 100K --shuffle 7
/usr/bin/python3 - "$tmp/gpt2-m-small" "$tmp/shuffle7-1" "$tmp/shuffle8-1" "$tmp/shuffle7-npy" <<'PY' || fail "shuffle"
import struct, sys
from pathlib import Path
def shards(d):
    out = []
    for idx in sorted(Path(d).glob("*.idx")):
        b = idx.read_bytes()
        n, = struct.unpack_from("<Q", b, 18)
        lengths = struct.unpack_from(f"<{n}i", b, 34)
        pointers = struct.unpack_from(f"<{n}q", b, 34 + 4 * n)
        data = idx.with_suffix(".bin").read_bytes()
        out.append([struct.unpack_from(f"<{l}H", data, p) for l, p in zip(lengths, pointers)])
    return out
plain, s7, s8 = (shards(d) for d in sys.argv[1:4])
assert len(plain) == len(s7) == len(s8) > 2, "shard counts"
for a, b, c in zip(plain, s7, s8):
    assert sorted(a) == sorted(b) == sorted(c), "a shuffled shard holds other documents"
moved = sum(a != b for a, b in zip(plain, s7))
assert moved == len(plain), f"only {moved} of {len(plain)} shards were shuffled"
assert s7 != s8, "seeds 7 and 8 give the same order"
import numpy as np
npy = []
for f in sorted(Path(sys.argv[4]).glob("*.offsets.npy")):
    ids, offsets = np.load(str(f).replace(".offsets.npy", ".npy")), np.load(f)
    npy.append([tuple(int(x) for x in ids[a:b]) for a, b in zip(offsets[:-1], offsets[1:])])
assert npy == s7, "npy shards shuffled by the same seed differ from Megatron's"
print(f"shuffle: {len(plain)} shards, each a permutation of its documents, by seed")
PY

# The tokenize stage, last in a clean run: token_count per kept document, and shards equal to
# `winnow tokenize` over the run's kept output (both shuffled by one seed), for 1 and 2 threads.
for threads in 1 2; do
  cat > "$tmp/stage$threads.yaml" <<YAML
stages:
  - gopher_quality
  - tokenize: {tokenizer: $tmp/cl100k_base.tiktoken, shards: $tmp/stage$threads-shards, shard_size: 200K, shuffle: 3}
YAML
  "$winnow" clean "$tmp/docs.jsonl" --config "$tmp/stage$threads.yaml" -o "$tmp/stage$threads-out" \
    --threads $threads -q || fail "clean with the tokenize stage ($threads threads)"
done
diff -r "$tmp/stage1-shards" "$tmp/stage2-shards" >/dev/null || fail "stage shards differ by thread count"
"$winnow" tokenize -q -o "$tmp/stage-cli" --tokenizer "$tmp/cl100k_base.tiktoken" --shard-size 200K --shuffle 3 \
  "$tmp/stage1-out/kept"
diff -r "$tmp/stage1-shards" "$tmp/stage-cli" -x tokenize.json >/dev/null ||
  fail "the stage's shards differ from winnow tokenize over the kept documents"
zstd -dcq "$tmp"/stage1-out/kept/*.zst | /usr/bin/python3 -c "
import json, sys
counts = [json.loads(l)['winnow']['signals']['token_count'] for l in sys.stdin]
stats = json.load(open('$tmp/stage1-out/stats.json'))
assert len(counts) > 100 and sum(counts) == stats['counters']['tokenize.tokens'], 'token_count'
print(f'tokenize stage: {len(counts)} kept documents, {int(sum(counts))} tokens; shards as winnow tokenize')
" || fail "token_count"

/usr/bin/python3 - "$tmp" "$shared/reference/datatrove-kit" <<'PY' || exit 1
import json, os, struct, sys
from pathlib import Path
import numpy as np
tmp, kit = Path(sys.argv[1]), Path(sys.argv[2])

def megatron(dir):
    docs = []
    for idx in sorted(dir.glob("*.idx")):
        b = idx.read_bytes()
        assert b[:9] == b"MMIDIDX\x00\x00"
        n, = struct.unpack_from("<Q", b, 18)
        dtype = {8: np.uint16, 4: np.int32}[b[17]]
        lengths = np.frombuffer(b, np.int32, n, 34)
        pointers = np.frombuffer(b, np.int64, n, 34 + 4 * n)
        data = np.fromfile(idx.with_suffix(".bin"), dtype)
        for l, p in zip(lengths, pointers):
            start = p // data.itemsize
            docs.append(data[start:start + l].astype(np.int64).tolist())
    return docs

for enc, eos, vocab in (("gpt2", 50256, 50257), ("cl100k_base", 100257, 100277)):
    ref = megatron(tmp / f"{enc}-m")
    assert len(ref) > 500, len(ref)
    small = megatron(tmp / f"{enc}-m-small")
    assert len(list((tmp / f"{enc}-m-small").glob("*.bin"))) > 3, "100K shards"
    assert small == ref, f"{enc}: size-capped shards hold other documents"
    for f in (tmp / f"{enc}-m-small").glob("*.bin"):
        assert f.stat().st_size <= 100 * 1024 or f.stat().st_size == max(
            len(d) for d in ref) * (2 if vocab < 65500 else 4), f
    ids = np.load(tmp / f"{enc}-n" / "tokens-00000.npy")
    offsets = np.load(tmp / f"{enc}-n" / "tokens-00000.offsets.npy")
    assert ids.dtype == (np.uint16 if vocab <= 65536 else np.uint32) and offsets.dtype == np.uint64
    assert [ids[a:b].astype(np.int64).tolist() for a, b in zip(offsets[:-1], offsets[1:])] == ref
    ids = np.load(tmp / f"{enc}-eb" / "tokens-00000.npy")
    offsets = np.load(tmp / f"{enc}-eb" / "tokens-00000.offsets.npy")
    assert [ids[a:b].astype(np.int64).tolist() for a, b in zip(offsets[:-1], offsets[1:])] == \
        [[eos] + d for d in ref], "BOS"
    stats = json.loads((tmp / f"{enc}-d" / "tokenize.json").read_text())
    assert stats["documents"] == len(ref) and stats["tokens"] == sum(map(len, ref)) + len(ref)
    # datatrove's own writer, given the same documents (EOS after each, as its tokenizer adds).
    if (kit / "run_datatrove.py").exists():
        os.environ.setdefault("DATATROVE_SRC", str(kit / "datatrove" / "src"))
        os.environ.setdefault("SPACY_SRC", str(kit / "spacy-src"))
        sys.path.insert(0, str(kit))
        import run_datatrove
        run_datatrove.setup_datatrove()
        from datatrove.pipeline.tokens.tokenizer import TokenizedFile
        size = 2 if vocab <= 65536 else 4
        out = tmp / f"{enc}-dt"
        f = TokenizedFile(str(out), "tokens-00000.ds", tokenizer_name_or_path=enc,
                          save_final_metadata=True, token_size=size)
        for d in ref:
            f.write(d + [eos], None)
        f.close()
        for name in ("tokens-00000.ds", "tokens-00000.ds.index", "tokens-00000.ds.metadata"):
            ours, theirs = (tmp / f"{enc}-d" / name).read_bytes(), (out / name).read_bytes()
            assert ours == theirs, f"{enc}: {name} differs from datatrove's ({ours[:60]!r} vs {theirs[:60]!r})"
        print(f"{enc}: .ds, .ds.index and .ds.metadata byte-identical to datatrove's TokenizedFile")
        # datatrove's reader, as a nanotron-style trainer uses it: windows of seq_len + 1 ids
        # over the folder's .ds files, with positions (needs torch: Debian's python3-torch,
        # installed by scripts/setup).
        try:
            import torch  # noqa: F401
        except ImportError:
            print("SKIP (DatatroveFolderDataset): no torch")
        else:
            from datatrove.utils.dataset import DatatroveFolderDataset
            seq = 127
            # Positions from EOS: Debian's torch 1.13 cannot run the .ds.index path (datatrove
            # indexes with an int32 tensor, which torch 2 accepts); the index is byte-identical
            # to datatrove's own above.
            ds = DatatroveFolderDataset(str(tmp / f"{enc}-d-small"), seq_len=seq, token_size=size,
                                        return_positions=True, positions_from_eos_token_id=eos)
            files = sorted((tmp / f"{enc}-d-small").glob("*.ds"))
            assert len(files) > 3, "100K .ds shards"
            want_ids, want_pos, k = [], [], 0
            for f in files:  # each file: its documents + EOS, cut into whole windows
                ends = np.fromfile(str(f) + ".index", dtype=np.uint64).tolist()
                n = ends[-1]
                stream = ref[k:k + len(ends)]
                k += len(ends)
                flat = [t for d in stream for t in d + [eos]]
                assert len(flat) == n, "index ends"
                starts = set([0] + ends)
                for w in range(n // (seq + 1)):
                    a = w * (seq + 1)
                    want_ids.append(flat[a:a + seq + 1])
                    pos, p = [], 0
                    for j in range(a, a + seq + 1):
                        p = 0 if j == a or j in starts else p + 1
                        pos.append(p)
                    want_pos.append(pos)
            assert k == len(ref), "documents across the .ds files"
            assert len(ds) == len(want_ids), (len(ds), len(want_ids))
            for i in range(len(ds)):
                item = ds[i]
                assert item["input_ids"].tolist() == want_ids[i], f"window {i}: ids"
                assert item["positions"].tolist() == want_pos[i], f"window {i}: positions"
            print(f"{enc}: DatatroveFolderDataset reads {len(ds)} windows of {seq + 1} ids from "
                  f"{len(files)} .ds files, ids and positions as written")
    print(f"{enc}: {len(ref)} documents read back from Megatron, size-capped Megatron and npy shards")
PY

# Parquet input (as FineWeb and Hugging Face datasets publish corpora): the documents written to
# Parquet by DuckDB (an independent writer: zstd, several row groups) give the same shards as
# their JSONL.
if duck=$("$here/../testing/duckdb_node.sh"); then
  NODE_PATH=$duck/node_modules node -e '
const { DuckDBInstance } = require("@duckdb/node-api");
(async () => {
  const c = await (await DuckDBInstance.create()).connect();
  await c.run(`COPY (SELECT id, text FROM read_json_auto(\x27${process.argv[1]}\x27)) TO \x27${process.argv[2]}\x27
               (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 200)`);
})();' "$tmp/docs.jsonl" "$tmp/docs.parquet" || fail "DuckDB could not write Parquet"
  "$winnow" tokenize "$tmp/docs.parquet" -q -o "$tmp/parquet" --tokenizer "$tmp/cl100k_base.tiktoken" \
    --format megatron --eos none || fail "winnow tokenize docs.parquet"
  run -o "$tmp/jsonl" --tokenizer "$tmp/cl100k_base.tiktoken" --format megatron --eos none
  diff -r "$tmp/parquet" "$tmp/jsonl" -x tokenize.json >/dev/null || fail "Parquet input gives other shards than its JSONL"
  echo "Parquet input (DuckDB's writer): the same shards as the JSONL"
else
  echo "SKIP (Parquet input): $duck"
fi
