#!/usr/bin/env bash
# `make demo` builds only what the demo runs (the winnow binary), not the tests: a new user
# sees the demo without waiting for the test binaries. Checked on make's dry run.
#   make_demo_test.sh SOURCE_DIR
set -uo pipefail
top=${1:?usage: make_demo_test.sh SOURCE_DIR}
plan=$(make -n -C "$top" demo BUILD=/nonexistent-build-dir 2>&1)
builds=$(grep -E 'cmake --build' <<<"$plan")
if [[ -z $builds ]]; then echo "FAIL make -n demo runs no build: $plan"; exit 1; fi
if grep -vq -- '--target winnow' <<<"$builds"; then
  echo "FAIL make demo builds more than the binary: $builds"
  exit 1
fi
plan=$(make -n -C "$top" test BUILD=/nonexistent-build-dir 2>&1)
if grep -E 'cmake --build' <<<"$plan" | grep -q -- '--target winnow'; then
  echo "FAIL make test must build everything (the tests): $plan"
  exit 1
fi
echo "make demo builds the binary only; make test builds everything"
