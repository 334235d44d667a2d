#!/usr/bin/env bash
# Times `certdrill replay` on a generated review log: by default 100,000 cards with 10 reviews
# each (1,000,000 reviews) with random ratings and gaps from minutes to months.
#
#   scripts/bench-replay.sh path/to/certdrill [cards] [reviews-per-card]
set -euo pipefail

bin=${1:?usage: $0 path/to/certdrill [cards] [reviews-per-card]}
cards=${2:-100000}
per_card=${3:-10}

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
input=$workdir/reviews.jsonl
output=$workdir/replayed.jsonl

# Fixed seed: every run replays the same log.
awk -v cards="$cards" -v per_card="$per_card" '
function civil(days,   z, era, doe, yoe, doy, mp) {
    # days since 1970-01-01 -> "YYYY-MM-DD" (days are positive here)
    z = days + 719468
    era = int(z / 146097)
    doe = z - era * 146097
    yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
    doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
    mp = int((5 * doy + 2) / 153)
    d = doy - int((153 * mp + 2) / 5) + 1
    m = mp < 10 ? mp + 3 : mp - 9
    y = yoe + era * 400 + (m <= 2)
    return sprintf("%04d-%02d-%02d", y, m, d)
}
function stamp(seconds,   days, s) {
    days = int(seconds / 86400)
    s = seconds - days * 86400
    return sprintf("%sT%02d:%02d:%02dZ", civil(days), int(s / 3600), int(s % 3600 / 60), s % 60)
}
function rating(   x) {
    x = rand()
    return x < 0.15 ? 1 : x < 0.3 ? 2 : x < 0.85 ? 3 : 4
}
function gap(   x) {
    x = rand()
    if (x < 0.3) return 60 * (1 + int(rand() * 30))         # same session
    if (x < 0.8) return 86400 * (1 + int(rand() * 30))      # days
    return 86400 * (30 + int(rand() * 300))                 # months
}
BEGIN {
    srand(20221229)
    for (c = 0; c < cards; c++) {
        t = 1640995200 + int(rand() * 3 * 365 * 86400)      # 2022..2024
        line = "{\"reviews\":["
        for (i = 0; i < per_card; i++) {
            if (i > 0) { t += gap(); line = line "," }
            line = line "{\"at\":\"" stamp(t) "\",\"rating\":" rating() "}"
        }
        print line "]}"
    }
}' > "$input"

reviews=$((cards * per_card))
echo "input: $cards cards, $reviews reviews, $(wc -c < "$input") bytes"

TIMEFORMAT=%R
seconds=$( { time "$bin" replay "$input" > "$output"; } 2>&1 )
lines=$(wc -l < "$output")
if [ "$lines" -ne "$cards" ]; then
    echo "error: expected $cards output lines, got $lines" >&2
    exit 1
fi
echo "replayed $reviews reviews in ${seconds}s"
