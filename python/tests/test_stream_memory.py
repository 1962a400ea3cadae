"""A million generated documents through Pipeline.annotate: memory stays flat."""

import random

import winnow
from conftest import ROOT


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def documents(n, seed=1):
    rng = random.Random(seed)
    vocab = [w.strip() for w in "the of and to a in is that it was for on are as with his they at be "
             "this from have or by one had not but what all were when we there can an your which "
             "their said if do will each about how up out them then she many some so these would "
             "other into has more her two like him see time could no make than first been its "
             "who now people my made over did down only way find use may water long little very "
             "after words called just where most know".split()]
    for i in range(n):
        lines = []
        for _ in range(rng.randint(1, 6)):
            words = [rng.choice(vocab) for _ in range(rng.randint(3, 30))]
            lines.append(" ".join(words).capitalize() + rng.choice([".", "!", "?", ""]))
        yield {"id": f"doc-{i}", "text": "\n".join(lines), "source": "generated", "n": i}


def test_million_documents_flat_memory():
    pipeline = winnow.Pipeline(ROOT / "configs" / "datatrove_defaults.yaml")
    n = 1_000_000
    samples = {}
    kept = 0
    for i, line in enumerate(pipeline.annotate(documents(n))):
        assert line["id"] == f"doc-{i}"
        kept += all(f["keep"] for f in line["winnow"]["filters"].values())
        if i + 1 in (100_000, 500_000, n):
            samples[i + 1] = rss_bytes()
    assert i + 1 == n
    growth = samples[n] - samples[100_000]
    print(f"RSS after 100k {samples[100_000] >> 20} MB, 500k {samples[500_000] >> 20} MB, "
          f"1M {samples[n] >> 20} MB; {kept} pass every filter")
    assert growth < 32 << 20, f"RSS grew {growth >> 20} MB from 100k to 1M documents"
