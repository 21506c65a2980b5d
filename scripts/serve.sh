#!/usr/bin/env bash
# Serves the playground (release build) on http://127.0.0.1:8080, installing what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
exec trunk serve --release "$@"
