"""The Python API against the CLI on real data: same engine, same answers."""

import gzip
import json
import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import winnow
from conftest import BIN, ROOT, SHARED, cli, need, read_jsonl

DATATROVE_DEFAULTS = ROOT / "configs" / "datatrove_defaults.yaml"


def kept_and_removed(out: Path):
    kept = [r for p in sorted((out / "kept").glob("part-*")) for r in read_jsonl(p)]
    removed = [r for p in sorted((out / "removed").glob("part-*")) for r in read_jsonl(p)]
    return kept, removed


def test_annotate_equals_cli(reference_input, tmp_path):
    docs = read_jsonl(reference_input)
    for config in (DATATROVE_DEFAULTS, None):
        args = [reference_input, "-o", tmp_path / "cli.jsonl", "-q"]
        if config is not None:
            args += ["--config", config]
        cli("annotate", *args)
        want = read_jsonl(tmp_path / "cli.jsonl")
        pipeline = winnow.Pipeline(config) if config else winnow.Pipeline()
        got = list(pipeline.annotate(iter(docs)))
        assert len(got) == len(want) == len(docs)
        assert got == want


def test_annotate_small_batches_and_threads_change_nothing(reference_input):
    docs = read_jsonl(reference_input)[:300]
    one = list(winnow.Pipeline(DATATROVE_DEFAULTS, threads=1).annotate(docs))
    many = list(winnow.Pipeline(DATATROVE_DEFAULTS, threads=2, batch_bytes=5000).annotate(docs))
    assert one == many


def test_clean_equals_cli(reference_input, tmp_path):
    cli("clean", reference_input, "--config", DATATROVE_DEFAULTS, "-o", tmp_path / "out", "-q")
    want_kept, want_removed = kept_and_removed(tmp_path / "out")
    docs = read_jsonl(reference_input)
    pipeline = winnow.Pipeline.from_yaml(DATATROVE_DEFAULTS)
    got = list(pipeline.clean(docs, removed=True))
    got_kept = [d for d in got if "reason" not in d["winnow"]]
    got_removed = [d for d in got if "reason" in d["winnow"]]
    assert got_kept == want_kept
    assert got_removed == want_removed
    assert [d["id"] for d in pipeline.clean(docs)] == [d["id"] for d in want_kept]
    # The default pipeline, edits (anatomy strips comment threads) included.
    cli("clean", reference_input, "-o", tmp_path / "default", "-q", "--config",
        _write_stages(tmp_path, "default.yaml", _per_document_default()))
    want_kept, _ = kept_and_removed(tmp_path / "default")
    got = list(winnow.Pipeline({"stages": _per_document_default()}).clean(docs))
    assert got == want_kept


def _per_document_default():
    """The default clean pipeline's stages without its global (corpus-wide) ones."""
    import re

    names = re.findall(r"^  - ([a-z_0-9]+)", winnow.default_config(), re.M)
    assert names, "the default configuration lists stages"
    return [n for n in names if n not in ("exact", "minhash", "bloom", "repeated_lines",
                                          "sentence_dedup")]


def _write_stages(tmp_path, name, stages):
    path = tmp_path / name
    path.write_text(json.dumps({"stages": stages}))
    return path


def test_run_and_clean_over_files(reference_input, tmp_path):
    cli("clean", reference_input, "-o", tmp_path / "cli", "-q")
    seen = []
    stats = winnow.clean(reference_input, tmp_path / "py", progress=seen.append)
    assert stats["command"] == "clean"
    cli_stats = json.loads((tmp_path / "cli" / "stats.json").read_text())
    assert stats["kept"] == cli_stats["kept"] and stats["removed"] == cli_stats["removed"]
    for part in ("kept", "removed"):
        for p in sorted((tmp_path / "cli" / part).glob("part-*")):
            assert (tmp_path / "py" / part / p.name).read_bytes() == p.read_bytes()
    assert seen and seen[-1]["done"]
    # A configuration as a dict, inputs and output in it.
    stats = winnow.run({"inputs": [str(reference_input)], "output": str(tmp_path / "run"),
                        "stages": [{"length": {"min_words": 50}}]})
    assert stats["command"] == "run"
    assert stats["kept"]["documents"] + stats["removed"]["documents"] == stats["input"]["records"]
    with pytest.raises(winnow.ConfigError, match="not empty|already|overwrite"):
        winnow.clean(reference_input, tmp_path / "py")


def test_interrupted_run_resumes_to_the_same_output(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(6):
        cli("gen", "--docs", "3000", "--seed", str(i + 1), "-o", corpus / f"part{i}.jsonl")
    whole = winnow.clean(corpus, tmp_path / "whole", threads=1)

    def stop_after_first(progress):
        if progress["records"] > 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        winnow.clean(corpus, tmp_path / "cut", threads=1, progress=stop_after_first)
    resumed = winnow.clean(corpus, tmp_path / "cut", threads=1, resume=True)
    assert resumed["kept"] == whole["kept"]
    for part in ("kept", "removed"):
        for p in sorted((tmp_path / "whole" / part).glob("part-*")):
            assert (tmp_path / "cut" / part / p.name).read_bytes() == p.read_bytes()


def test_explain_equals_cli(tmp_path):
    seed = need(SHARED / "data" / "seed" / "000_a9cbf47f8b5096a3.txt")
    want = json.loads(cli("explain", seed, "--json").stdout)
    assert winnow.explain(seed.read_text(), id=str(seed)) == want
    docs = read_jsonl(need(SHARED / "data" / "text" / "bbc_news.jsonl.zst"))[:40]
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs))
    want = [json.loads(line) for line in cli("explain", path, "--json").stdout.splitlines()]
    got = [winnow.explain(d["text"], id=str(d.get("id", ""))) for d in docs]
    assert got == want
    got = winnow.explain(docs[0]["text"], config=DATATROVE_DEFAULTS)
    assert set(got["filters"]) == {"gopher_repetition", "gopher_quality", "c4_quality",
                                   "fineweb_quality"}


def test_extract_equals_cli(tmp_path):
    pages = sorted(need(SHARED / "data" / "extraction" / "dragnet" / "html").glob("*.html.gz"))[:25]
    for page in pages:
        html = tmp_path / page.name[:-3]
        html.write_bytes(gzip.decompress(page.read_bytes()))
        want = json.loads(cli("extract", html, "--format", "jsonl", "--comments").stdout)
        got = winnow.extract(html.read_bytes())
        for key in ("title", "text", "comments"):
            assert got[key] == want[key], (page, key)
        assert got.get("author", "") == want.get("author", "")
        assert got.get("published", "") == want.get("published", "")


def test_minhash_equals_cli_signatures(tmp_path):
    docs = read_jsonl(need(SHARED / "data" / "text" / "reuters21578.jsonl.zst"))[:300]
    docs.append({"id": "empty", "text": ""})
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs))
    texts = [d["text"] for d in docs]
    for preset in ("native", "datatrove"):
        sig_file = tmp_path / f"{preset}.sig.jsonl"
        cli("dedup", path, "--mode", "minhash", "--preset", preset, "--signatures", sig_file,
            "-o", tmp_path / preset, "-q")
        want = {r["id"]: r["sig"] for r in read_jsonl(sig_file)}
        sigs, mask = winnow.minhash(texts, preset, with_mask=True)
        assert sigs.dtype == np.uint64 and sigs.shape == (len(texts), 112)
        compared = 0
        for d, row, has in zip(docs, sigs, mask):
            if d["id"] not in want:
                continue  # removed as a duplicate before its signature was written
            if want[d["id"]] is None:
                assert not has and (row == np.iinfo(np.uint64).max).all()
            else:
                assert has and row.tolist() == [v for band in want[d["id"]] for v in band]
            compared += 1
        assert compared > 250


def test_words():
    assert winnow.words("Don't stop-believing, it's 3.5km away!") == \
        ["Do", "n't", "stop", "-", "believing", ",", "it", "'s", "3.5", "km", "away", "!"]


def test_bad_input_raises_clear_errors(tmp_path):
    p = winnow.Pipeline(DATATROVE_DEFAULTS)
    with pytest.raises(winnow.InputError, match="document 2: no 'text'"):
        list(p.annotate([{"text": "fine"}, {"id": 1}]))
    with pytest.raises(winnow.InputError, match="document 1: 'text' is int"):
        list(p.clean([{"text": 5}]))
    with pytest.raises(winnow.InputError, match="document 1: no dict"):
        list(p.clean(["just a string"]))
    with pytest.raises(winnow.InputError, match="not valid Unicode"):
        list(p.clean([{"text": "bad \ud800 surrogate"}]))
    with pytest.raises(winnow.InputError, match="cannot be written as JSON"):
        list(p.clean([{"text": "x", "when": object()}]))
    with pytest.raises(winnow.ConfigError, match="no_such_stage"):
        winnow.Pipeline({"stages": ["no_such_stage"]})
    with pytest.raises(winnow.ConfigError, match="minhash works across the whole corpus"):
        list(winnow.Pipeline({"stages": ["minhash"]}).clean([{"text": "x"}]))
    with pytest.raises(winnow.NotFoundError):
        winnow.Pipeline.from_yaml(tmp_path / "missing.yaml")
    with pytest.raises(winnow.NotFoundError):
        winnow.clean(tmp_path / "missing.jsonl", tmp_path / "out")
    with pytest.raises(ValueError):  # ConfigError is a ValueError too
        winnow.minhash(["a b c"], "no_such_preset")
    # Garbage and giant text are documents, not crashes.
    junk = bytes(range(256)).decode("latin-1") * 50
    out = list(p.annotate([{"id": "junk", "text": junk}, {"id": "big", "text": "a " * 3_000_000}]))
    assert [o["id"] for o in out] == ["junk", "big"]


def test_types_and_help():
    assert issubclass(winnow.ConfigError, winnow.Error) and issubclass(winnow.ConfigError, ValueError)
    assert "annotate" in winnow.Pipeline.__doc__ or winnow.Pipeline.annotate.__doc__
    stub = Path(winnow.__file__).with_name("_winnow.pyi")
    assert stub.exists(), "type stubs ship with the package"


def test_one_pipeline_from_two_threads(reference_input):
    docs = read_jsonl(reference_input)[:400]
    pipeline = winnow.Pipeline(DATATROVE_DEFAULTS, batch_bytes=20000)
    want = list(pipeline.annotate(docs))
    results = [None, None]

    def work(k):
        results[k] = list(pipeline.annotate(docs))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "deadlock"
    assert results[0] == want and results[1] == want


def test_ctrl_c_stops_a_run_that_resumes(tmp_path):
    import signal
    import subprocess
    import sys

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(8):
        cli("gen", "--docs", "4000", "--seed", str(i + 1), "-o", corpus / f"part{i}.jsonl")
    child = subprocess.Popen(
        [sys.executable, "-c", f"""
import sys, winnow
def progress(p):
    if p["records"]:
        print("running", flush=True)
try:
    winnow.clean({str(corpus)!r}, {str(tmp_path / "cut")!r}, threads=1, progress=progress)
    print("finished", flush=True)
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""], stdout=subprocess.PIPE, text=True, env=os.environ)
    assert child.stdout.readline().strip() == "running"
    child.send_signal(signal.SIGINT)
    rest = child.stdout.read()
    assert child.wait(timeout=120) == 0
    if "finished" in rest:
        pytest.skip("the run finished before the signal arrived")
    assert "interrupted" in rest
    whole = winnow.clean(corpus, tmp_path / "whole", threads=1)
    resumed = winnow.clean(corpus, tmp_path / "cut", threads=1, resume=True)
    assert resumed["kept"] == whole["kept"]
    for part in ("kept", "removed"):
        for p in sorted((tmp_path / "whole" / part).glob("part-*")):
            assert (tmp_path / "cut" / part / p.name).read_bytes() == p.read_bytes()
