#!/bin/sh
# Times `certdrill optimize --from` on about 25,000 reviews: the committed reference histories
# (tests/data/optimizer) repeated until the input holds at least that many reviews.
#   scripts/bench-optimize.sh [path/to/certdrill] [reviews]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-"$here/build/certdrill"}
want=${2:-25000}
input=$(mktemp)
trap 'rm -f "$input"' EXIT
count=0
while [ "$count" -lt "$want" ]; do
    for f in "$here"/tests/data/optimizer/*.jsonl; do
        cat "$f" >>"$input"
        count=$((count + $(grep -o '"rating"' "$f" | wc -l)))
        [ "$count" -ge "$want" ] && break
    done
done
echo "input: $count reviews, $(wc -l <"$input") cards"
# Wall-clock and CPU time (the CPU figure is steadier on a busy machine).
/usr/bin/env time -f "optimize --from: %e s wall, %U s user CPU" "$bin" optimize --from "$input" --json >/dev/null
