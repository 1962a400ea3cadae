"""Fixtures of the Python API's tests: the CLI binary, the repository, the shared data.

ctest runs pytest with PYTHONPATH=<build>/python and WINNOW_BIN, WINNOW_ROOT and
WINNOW_SHARED set (tests/CMakeLists.txt); tests that need the shared data skip without it.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("WINNOW_ROOT", Path(__file__).resolve().parents[2]))
BIN = Path(os.environ.get("WINNOW_BIN", ROOT / "build" / "winnow"))
SHARED = Path(os.environ.get("WINNOW_SHARED", ROOT.parent / "shared"))


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared data is not on this machine)")
    return path


def cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *map(str, args)], check=True, capture_output=True, **kwargs)


def read_jsonl(path: Path):
    """Records of a JSONL file, plain or .zst (decompressed by the zstd tool)."""
    if str(path).endswith(".zst"):
        data = subprocess.run(["zstd", "-dc", str(path)], check=True, capture_output=True).stdout
    else:
        data = path.read_bytes()
    return [json.loads(line) for line in data.splitlines() if line.strip()]


@pytest.fixture
def reference_input():
    return need(SHARED / "reference" / "datatrove" / "input.jsonl.zst")
