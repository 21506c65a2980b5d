#!/usr/bin/env bash
# Runs the benchmarks (not tests): the engine natively, and in headless chromium the engine's
# wasm build against TensorFlow.js on the same workloads in one session, and the WebGPU backend
# against the CPU backend in one page (round trip, per-step time). Results belong in
# BENCHMARKS.md with the machine and this command.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh --with-test-harness

printf '\n==> native: engine CPU backend\n'
cargo run --quiet --release --locked -p np-engine --example bench

printf '\n==> browser: engine (wasm, SIMD128) against TensorFlow.js (tfjs-backend-wasm, SIMD)\n'
(cd tests/bench && { cmp -s package-lock.json node_modules/.np-lock 2>/dev/null || { npm ci --no-audit --no-fund --silent && cp package-lock.json node_modules/.np-lock; }; })
cargo build --quiet --release --locked --target wasm32-unknown-unknown -p np-bench
wasm-bindgen --target web --out-dir tests/bench/pkg "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/np_bench.wasm"
(cd tests/bench && node run.mjs)

printf '\n==> browser: MNIST 784-64-10 trained in the playground, against the engine wasm rate\n'
[ -f dist/index.html ] || trunk build --release
(cd tests/bench && node mnist.mjs)

printf '\n==> browser: WebGPU backend against the CPU backend (headless chromium, --enable-unsafe-webgpu)\n'
(cd tests/bench && node gpu.mjs)
