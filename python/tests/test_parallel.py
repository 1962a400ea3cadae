"""Two Python threads calling the engine run in parallel: the GIL is released while it works.
A timing test: ctest runs it alone (RUN_SERIAL), on an otherwise idle machine."""

import os
import threading
import time

import pytest

import winnow


def test_two_python_threads_run_in_parallel():
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: nothing to run in parallel")
    texts = [" ".join(f"word{(i * 7 + j) % 997}" for j in range(400)) for i in range(8000)]
    winnow.minhash(texts[:10], "datatrove")  # load the tokenizer outside the timing

    def work():
        winnow.minhash(texts, "datatrove")

    t0 = time.perf_counter()
    work()
    one_wall = time.perf_counter() - t0
    t0 = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    two_wall = time.perf_counter() - t0
    # Two calls' work in less wall time than two calls one after the other: the GIL is
    # released while the engine works. (A 2-core machine gives about 1.8.)
    speedup = 2 * one_wall / two_wall
    print(f"two threads: speedup {speedup:.2f}")
    assert speedup > 1.3
