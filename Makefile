# winnow: the two entry points of the README.
#   make demo   set up, build (release), generate a 20,000-document corpus and clean it
#   make test   set up, build, run every test through ctest
#   make test-fast  the unit and small CLI tests only (ctest -L fast): the edit-compile-test loop
#   make format     clang-format the tree (.clang-format; the `format` test checks it)
# Both are idempotent and quick to re-run. CI (.ci/run) also runs:
#   make sanitize   the whole test suite built with Clang ASan+UBSan (build-asan/)
#   make fuzz       each libFuzzer target for 60 s (FUZZ_SECONDS)
#   make tsan       the executor's and dedup's tests under ThreadSanitizer (build-tsan/)
#   make slurm      srun and sbatch on a one-node Slurm cluster started here (root)

BUILD      ?= build
JOBS       ?= $(shell nproc)
DEMO_DIR   ?= demo
DEMO_DOCS  ?= 20000
CMAKE_ARGS ?=

.PHONY: demo test test-fast format build build-winnow setup clean-build sanitize sanitize-build fuzz tsan slurm

setup:
	@scripts/setup

$(BUILD)/build.ninja: | setup
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_ARGS)

build: setup $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Only what the demo runs: the binary (make test builds the tests).
build-winnow: setup $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target winnow

demo: build-winnow
	@mkdir -p $(DEMO_DIR)
	@test -s $(DEMO_DIR)/corpus.jsonl.zst || \
	  $(BUILD)/winnow gen --docs $(DEMO_DOCS) --seed 1 -o $(DEMO_DIR)/corpus.jsonl.zst \
	    --truth $(DEMO_DIR)/truth.jsonl.zst
	$(BUILD)/winnow clean $(DEMO_DIR)/corpus.jsonl.zst -o $(DEMO_DIR)/out --overwrite

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-fast: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L fast

# The whole test suite built with Clang, ASan+UBSan and libFuzzer's coverage (build-asan/):
# leaks, overflows and undefined behaviour fail the run. The fuzz targets share the build.
# OpenMPI itself is not built for the sanitizers (its own allocations look like leaks): these
# builds leave MPI out, and tests/pipeline/ranks_test.cc runs the distributed code with ranks
# as threads of one process instead.
SANITIZE_ARGS = -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
                -DWINNOW_SANITIZE=ON -DWINNOW_BUILD_FUZZ=ON -DWINNOW_BUILD_BENCH=OFF \
                -DWINNOW_WITH_MPI=OFF
sanitize-build: setup
	cmake -S . -B build-asan -G Ninja $(SANITIZE_ARGS) $(CMAKE_ARGS)
	cmake --build build-asan -j $(JOBS)

sanitize: sanitize-build
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

# Every libFuzzer target for FUZZ_SECONDS each on its seed corpus (scripts/fuzz).
FUZZ_SECONDS ?= 60
fuzz: sanitize-build
	FUZZ_BUILD=build-asan scripts/fuzz $(FUZZ_SECONDS)

# The executor's and dedup's tests under ThreadSanitizer (build-tsan/). Debian's libtbb is
# not instrumented: tests/tsan.supp names the one hand-off inside it TSan cannot see.
TSAN_TESTS = ^(ExecutorTest|ResumeTest|RanksTest|ExactKey|ExactDedup|SortedRuns|RemovalSet|MinHash|RepeatedLines|Bloom)
tsan: setup
	cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DWINNOW_TSAN=ON -DWINNOW_BUILD_BENCH=OFF -DWINNOW_WITH_MPI=OFF $(CMAKE_ARGS)
	cmake --build build-tsan -j $(JOBS) --target dedup_test pipeline_test
	cd build-tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp" \
	  ctest --output-on-failure -j $(JOBS) -R '$(TSAN_TESTS)'

# A one-node Slurm cluster on this machine (tests/slurm/slurm1.sh: installs munge and Slurm,
# needs root), srun -n 2 and an sbatch job compared with one process; the cluster is stopped.
slurm: build-winnow
	bash tests/slurm/slurm_test.sh $(BUILD)/winnow

# Formats every source as .clang-format says (the `format` test checks it).
format:
	find src tests bench fuzz python -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean-build:
	rm -rf $(BUILD)
