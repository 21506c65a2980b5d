#!/usr/bin/env bash
# Same seed, same run, natively and in wasm: trains two small networks (dropout, Adam, RMSprop,
# tanh, ELU, softmax and sigmoid cross-entropy, L1/L2, shuffled mini-batches) and prints an
# FNV-1a hash of every parameter's bits, natively and as wasm32 (with and without SIMD128) run by
# node. The three lines must be equal. Needs the wasm32-unknown-unknown target and node.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo run --quiet --release --example native
RUSTFLAGS="-C target-feature=+simd128" cargo build --quiet --release --target wasm32-unknown-unknown
node run.mjs "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/det.wasm"
cargo build --quiet --release --target wasm32-unknown-unknown
node run.mjs "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/det.wasm"
