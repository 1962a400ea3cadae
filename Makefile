# winnow: the two entry points of the README.
#   make demo   set up, build (release), generate a 20,000-document corpus and clean it
#   make test   set up, build, run every test through ctest
# Both are idempotent and quick to re-run. CI (.ci/run) also runs:
#   make sanitize   the whole test suite built with ASan+UBSan (build-asan/)

BUILD      ?= build
JOBS       ?= $(shell nproc)
DEMO_DIR   ?= demo
DEMO_DOCS  ?= 20000
CMAKE_ARGS ?=

.PHONY: demo test build setup clean-build sanitize

setup:
	@scripts/setup

$(BUILD)/build.ninja: | setup
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_ARGS)

build: setup $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@mkdir -p $(DEMO_DIR)
	@test -s $(DEMO_DIR)/corpus.jsonl.zst || \
	  $(BUILD)/winnow gen --docs $(DEMO_DOCS) --seed 1 -o $(DEMO_DIR)/corpus.jsonl.zst \
	    --truth $(DEMO_DIR)/truth.jsonl.zst
	$(BUILD)/winnow clean $(DEMO_DIR)/corpus.jsonl.zst -o $(DEMO_DIR)/out --overwrite

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Tests only (no benchmarks); leaks, overflows and undefined behaviour fail the run.
sanitize: setup
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWINNOW_SANITIZE=ON \
	  -DWINNOW_BUILD_BENCH=OFF $(CMAKE_ARGS)
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

clean-build:
	rm -rf $(BUILD)
