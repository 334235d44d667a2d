#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ with clang (AddressSanitizer and UndefinedBehaviorSanitizer
# included) and runs each one for a short time, starting from its committed seed corpus. New
# inputs go to a scratch directory; the committed corpus is left as it is. A crash stops the
# script with the reproducer path libFuzzer prints.
#   FUZZ_SECONDS=300 bash scripts/fuzz-smoke.sh     # a longer run
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-10}"
targets=(deck blueprint replay progress csv)

# A smoke run needs the sanitizers and line numbers in their reports, not optimised code: -O0 with
# line tables halves the time to build every library again with clang.
CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCERTDRILL_FUZZ=ON -DCERTDRILL_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O0 -gline-tables-only -DNDEBUG" >/dev/null
cmake --build build-fuzz -j2 --target "${targets[@]/#/fuzz_}"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
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
