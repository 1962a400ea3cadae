# winnow: the two entry points of the README.
#   make demo   set up, build (release), generate a 20,000-document corpus and clean it
#   make test   set up, build, run every test through ctest
# Both are idempotent and quick to re-run.

BUILD      ?= build
JOBS       ?= $(shell nproc)
DEMO_DIR   ?= demo
DEMO_DOCS  ?= 20000
CMAKE_ARGS ?=

.PHONY: demo test build setup clean-build

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

clean-build:
	rm -rf $(BUILD)
