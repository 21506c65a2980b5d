#!/usr/bin/env bash
# Builds the deployable site (release build) into a folder, default ./site. Its asset URLs are
# relative to the page and its Content-Security-Policy is a meta tag (Trunk.toml, scripts/csp.mjs),
# so the folder works copied to any path of any static host: no server configuration needed.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-site}")"
. scripts/setup.sh
trunk build --release --dist "$out"
printf 'site built in %s: copy the folder to any static host, under any path\n' "$out"
