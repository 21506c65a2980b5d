#!/usr/bin/env bash
# The soak check (not part of the test command, which runs a one-minute version): plays for
# MINUTES (default 30) in headless chromium, switching datasets, networks, backends and panels,
# and samples memory, DOM nodes and workers once per round of experiments (tests/e2e/soak.mjs).
# Record the run in BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh --with-test-harness
[ -f dist/index.html ] || trunk build --release
(cd tests/e2e && node soak.mjs "${1:-30}")
