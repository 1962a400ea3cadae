#!/usr/bin/python3
"""The Python API's throughput against the CLI's, and winnow.datatrove against datatrove's
own filters, on one core, in CPU time (each measured in its own process).

    PYTHONPATH=build/python /usr/bin/python3 bench/python/python_api.py [--winnow build/winnow]
        [--shared ../shared] [--repeat 3]

1. `winnow annotate --threads 1` and `winnow clean --threads 1` (datatrove_defaults.yaml) on
   the texts of ../shared/data/text against Pipeline(threads=1).annotate / .clean on the same
   documents (read and decompressed before the clock starts: the CLI's time includes its own
   reading, so the comparison favours Python slightly less than it looks).
2. A datatrove pipeline JsonlReader -> [filters] -> JsonlWriter with datatrove's four filters
   in FineWeb's order against the same pipeline with WinnowFilter(threads=1) in their place
   (the real datatrove 0.10 from ../shared/reference/datatrove-kit).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cpu_of_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_child(code: str, env=None) -> float:
    """CPU seconds the child reports for its measured part (printed as its last line)."""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                         env={**os.environ, **(env or {})})
    return float(out.stdout.strip().splitlines()[-1])


def corpus(shared: Path, tmp: Path) -> Path:
    path = tmp / "text.jsonl"
    with open(path, "wb") as out:
        for f in sorted((shared / "data" / "text").glob("*.jsonl.zst")):
            out.write(subprocess.run(["zstd", "-dc", str(f)], check=True,
                                     capture_output=True).stdout)
    return path


def best(times):
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--winnow", default=str(ROOT / "build" / "winnow"))
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    shared = Path(args.shared)
    config = ROOT / "configs" / "datatrove_defaults.yaml"
    tmp = Path(tempfile.mkdtemp())
    data = corpus(shared, tmp)
    mb = data.stat().st_size / 1e6
    docs = sum(1 for _ in open(data, "rb"))
    print(f"input: {docs} documents, {mb:.1f} MB ({data})")

    def cli(*argv):
        c0 = cpu_of_children()
        subprocess.run([args.winnow, *argv], check=True, capture_output=True)
        return cpu_of_children() - c0

    py_setup = (f"import json, time, winnow\n"
                f"docs = [json.loads(l) for l in open({str(data)!r}, 'rb')]\n"
                f"p = winnow.Pipeline({str(config)!r}, threads=1)\n")
    for mode in ("annotate", "clean"):
        if mode == "annotate":
            cli_times = [cli("annotate", str(data), "--config", str(config), "--threads", "1",
                             "-o", str(tmp / "a.jsonl"), "-q") for _ in range(args.repeat)]
        else:
            cli_times = [cli("clean", str(data), "--config", str(config), "--threads", "1",
                             "-o", str(tmp / "c"), "--overwrite", "-q")
                         for _ in range(args.repeat)]
        code = py_setup + (
            f"c0 = time.process_time()\n"
            f"n = sum(1 for _ in p.{mode}(docs{', removed=True' if mode == 'clean' else ''}))\n"
            f"print(time.process_time() - c0)\n")
        py_times = [run_child(code) for _ in range(args.repeat)]
        c, p = best(cli_times), best(py_times)
        print(f"{mode:8s}  CLI {c:.2f} s ({mb / c:.1f} MB/s, {docs / c:.0f} docs/s)   "
              f"Python {p:.2f} s ({mb / p:.1f} MB/s, {docs / p:.0f} docs/s)   "
              f"Python/CLI throughput {c / p:.2f}")

    kit = shared / "reference" / "datatrove-kit"
    if not (kit / "run_datatrove.py").exists():
        print("datatrove kit absent: skipping the datatrove comparison")
        return
    env = {"DATATROVE_SRC": str(kit / "datatrove" / "src"), "SPACY_SRC": str(kit / "spacy-src"),
           "PYTHONPATH": f"{kit}:{os.environ.get('PYTHONPATH', '')}"}
    step = {
        "no": "",
        "datatrove": "GopherRepetitionFilter(), GopherQualityFilter(), C4QualityFilter(), "
                     "FineWebQualityFilter()",
        "winnow": f"WinnowFilter(config={str(config)!r}, threads=1)",
    }
    results = {}
    for name, steps in step.items():
        code = (
            "import run_datatrove, time, tempfile\n"
            "run_datatrove.setup_datatrove()\n"
            "from datatrove.executor import LocalPipelineExecutor\n"
            "from datatrove.pipeline.readers import JsonlReader\n"
            "from datatrove.pipeline.writers import JsonlWriter\n"
            "from datatrove.pipeline.filters import (GopherRepetitionFilter, GopherQualityFilter,"
            " C4QualityFilter, FineWebQualityFilter)\n"
            "from winnow.datatrove import WinnowFilter\n"
            "out = tempfile.mkdtemp()\n"
            f"steps = [{steps}]\n"
            "c0 = time.process_time()\n"
            f"LocalPipelineExecutor(pipeline=[JsonlReader({str(tmp)!r}, glob_pattern='text.jsonl'),"
            " *steps, JsonlWriter(out)], tasks=1, logging_dir=out + '/logs').run()\n"
            "print(time.process_time() - c0)\n")
        runs = 1 if name == "datatrove" else args.repeat
        results[name] = best([run_child(code, env) for _ in range(runs)])
        print(f"datatrove pipeline with {name:9s} filters: {results[name]:.2f} s CPU "
              f"({mb / results[name]:.2f} MB/s)")
    base = results["no"]
    print(f"WinnowFilter pipeline is {results['datatrove'] / results['winnow']:.1f}x faster "
          f"(reader and writer included in both); the filter steps alone (the pipeline "
          f"without filters, {base:.2f} s, taken off): "
          f"{(results['datatrove'] - base) / max(results['winnow'] - base, 1e-9):.1f}x")


if __name__ == "__main__":
    main()
