"""winnow.datatrove inside a real datatrove 0.10 pipeline (../shared/reference/datatrove-kit)."""

import json
import os
import sys

import pytest

from conftest import ROOT, SHARED, need, read_jsonl

KIT = SHARED / "reference" / "datatrove-kit"


@pytest.fixture(scope="module")
def datatrove():
    need(KIT / "run_datatrove.py")
    os.environ.setdefault("DATATROVE_SRC", str(KIT / "datatrove" / "src"))
    os.environ.setdefault("SPACY_SRC", str(KIT / "spacy-src"))
    sys.path.insert(0, str(KIT))
    try:
        import run_datatrove

        run_datatrove.setup_datatrove()
        import datatrove  # noqa: F401
        from datatrove.pipeline.readers import JsonlReader  # noqa: F401
    except (ImportError, SystemExit) as e:
        pytest.skip(f"the datatrove kit does not run here ({e}): run its setup.sh")
    import winnow.datatrove

    return winnow.datatrove


def test_winnow_filter_keeps_what_datatrove_keeps(datatrove, tmp_path, reference_input):
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(reference_input.parent), glob_pattern=reference_input.name),
            datatrove.WinnowFilter(config=str(ROOT / "configs" / "datatrove_defaults.yaml"),
                                   exclusion_writer=JsonlWriter(str(tmp_path / "removed"))),
            JsonlWriter(str(tmp_path / "kept")),
        ],
        tasks=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    kept = [r for p in sorted((tmp_path / "kept").glob("*.jsonl.gz")) for r in _gz(p)]
    removed = [r for p in sorted((tmp_path / "removed").glob("*.jsonl.gz")) for r in _gz(p)]
    truth = read_jsonl(SHARED / "reference" / "datatrove" / "filters.jsonl.zst")
    want_kept = [t["id"] for t in truth if t["chain"]["keep"]]
    assert [r["id"] for r in kept] == want_kept
    assert len(kept) + len(removed) == len(truth)
    # Each removed document names the filter datatrove's chain dropped it with.
    dropped_by = {t["id"]: t["chain"]["dropped_by"] for t in truth if not t["chain"]["keep"]}
    for r in removed:
        reason = r["metadata"]["filter_reason"]
        assert reason.split(":")[0] == dropped_by[r["id"]], (r["id"], reason)
    assert all("signals" in r["metadata"]["winnow"] for r in kept)


def test_winnow_extractor_in_a_pipeline(datatrove, tmp_path):
    import gzip

    from datatrove.data import Document

    import winnow

    pages = sorted(need(SHARED / "data" / "extraction" / "dragnet" / "html").glob("*.html.gz"))[:10]
    docs = [Document(text=gzip.decompress(p.read_bytes()).decode("utf-8", "replace"), id=p.name)
            for p in pages]
    step = datatrove.WinnowExtractor(comments=True)
    out = list(step.run(iter(docs)))
    assert out, "pages with text come out"
    for doc in out:
        assert doc.text
    expected = [winnow.extract(gzip.decompress(p.read_bytes()).decode("utf-8", "replace"))
                for p in pages]
    assert [d.text for d in out] == [e["text"] for e in expected if e["text"]]


def _gz(path):
    import gzip

    with gzip.open(path, "rt") as f:
        return [json.loads(line) for line in f]
