#!/usr/bin/env bash
# Scale benchmark: a synthetic exam of CARDS cards and a history of REVIEWS reviews (loaded
# through `certdrill progress import`), each figure printed next to its floor, a Python script
# that parses the same JSON and reads what the figure needs from the same SQLite file.
#
#   scripts/bench-scale.sh path/to/certdrill [cards] [reviews]     # default 50000 1000000
set -euo pipefail
bin=${1:?usage: $0 path/to/certdrill [cards] [reviews]}
exec python3 "$(dirname "$0")/bench_scale.py" "$bin" "${2:-50000}" "${3:-1000000}"
