#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ with clang (AddressSanitizer and UndefinedBehaviorSanitizer
# included) and runs each one for a short time, starting from its committed seed corpus. New
# inputs go to a scratch directory; the committed corpus is left as it is. A crash stops the
# script with the reproducer path libFuzzer prints.
#   FUZZ_SECONDS=300 bash scripts/fuzz-smoke.sh     # a longer run
#   bash scripts/fuzz-smoke.sh --tests              # first the layer tests, sanitized (CI)
# With --tests the same build (build-fuzz) also builds certdrill_layer_tests (the tests in
# tests/core, tests/decks, tests/store and tests/app that need neither the command line nor the
# trainer), and ctest runs them there before the fuzz
# targets, under ASan and UBSan, on the sanitized libraries the fuzz targets link. The whole
# suite sanitized (-DCERTDRILL_BUILD_TESTS=ON in build-fuzz) builds and passes too, but takes
# longer than CI allows on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-10}"
targets=(deck blueprint library replay progress csv)
layer_tests=OFF
if [ "${1:-}" = "--tests" ]; then layer_tests=ON; fi

# Under .ci/run each phase prints its wall and CPU time.
phase() {
  local name="$1"
  shift
  if [ -n "${CI_PHASE_TIMES:-}" ]; then
    local TIMEFORMAT="ci: $name: %1R s wall, %1U s user, %1S s sys"
    time "$@"
  else
    "$@"
  fi
}

# A smoke run needs the sanitizers and line numbers in their reports, not optimised code: -O0 with
# line tables halves the time to build every library again with clang.
CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCERTDRILL_FUZZ=ON -DCERTDRILL_BUILD_TESTS=OFF \
  -DCERTDRILL_LAYER_TESTS="$layer_tests" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O0 -gline-tables-only -DNDEBUG" >/dev/null
if [ "$layer_tests" = ON ]; then
  phase "clang build" cmake --build build-fuzz -j2 --target certdrill_layer_tests "${targets[@]/#/fuzz_}"
  # Any sanitizer report fails the test that ran into it (ASan and UBSan stop the process;
  # LeakSanitizer reports at exit with a failing status). Left out: the two mastery property
  # tests, which replay thousands of answers and take minutes under ASan at -O0, and the CAT
  # test that simulates 200 candidates (11 s here; the other CAT tests run the same code under
  # the sanitizers); the unsanitized suite runs them.
  ASAN_OPTIONS="detect_leaks=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    phase "sanitized tests" ctest --test-dir build-fuzz --output-on-failure -j2 \
    -E "a wrong answer never raises a figure and a right one never lowers one|decisions match the ability for at least 95% of 200 candidates"
else
  cmake --build build-fuzz -j2 --target "${targets[@]/#/fuzz_}"
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
fuzz_all() {
  for t in "${targets[@]}"; do
    mkdir -p "$scratch/$t"
    echo "fuzz_$t: ${seconds}s from fuzz/corpus/$t" >&2
    # A crashing input is kept as build-fuzz/crash-<target>-<hash>; rerun the target on it to see why.
    status=0
    "build-fuzz/fuzz/fuzz_$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="build-fuzz/crash-$t-" "$scratch/$t" "fuzz/corpus/$t" >"$scratch/$t.log" 2>&1 || status=$?
    grep -E "DONE" "$scratch/$t.log" >&2 || true
    if [ "$status" -ne 0 ]; then
      tail -n 40 "$scratch/$t.log" >&2
      echo "fuzz_$t failed; the input is in build-fuzz/crash-$t-*" >&2
      exit 1
    fi
  done
}
phase "fuzz runs" fuzz_all
