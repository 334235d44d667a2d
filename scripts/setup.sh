#!/usr/bin/env bash
# Installs what certdrill needs to build and test on Debian 12 (or newer), from Debian's
# packages. Idempotent: when everything is present it only checks and returns.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config
  libncurses-dev libsqlite3-dev nlohmann-json3-dev doctest-dev libcli11-dev
  libminizip-dev  # Anki packages (.apkg) are zip files
  libxxhash-dev  # XXH3 hashes deck files for the library cache
  libsimdjson-dev  # reads deck files that have nothing to report without building a JSON document
  libjemalloc-dev  # the program allocates with jemalloc, on huge pages
  tmux  # the end-to-end test drives the trainer in a real pseudo-terminal
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "certdrill setup: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null; then
  sudo=(sudo)
else
  echo "certdrill setup: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
