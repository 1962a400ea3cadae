"""Reads Megatron-LM indexed-dataset shards (.bin + .idx) with this test's own parser of the
layout and checks each document's ids equal a reference's (one JSON array per line).

    megatron_ids_match.py SHARD_DIR WANT.jsonl DOCS.jsonl NAME REFERENCE
"""
import json
import struct
import sys
from pathlib import Path

out, want_path, docs_path, name, reference = Path(sys.argv[1]), *sys.argv[2:6]
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
    print(f"FAIL {name}: {len(bad)} of {len(want)} documents differ; first {i}: {texts[i][:80]!r}\n"
          f"  winnow    {got[i][:30]}\n  {reference:9} {want[i][:30]}")
    sys.exit(1)
print(f"{name}: {len(want)} documents, {tokens} tokens, identical to {reference}")
