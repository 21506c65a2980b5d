// Runs the browser benchmark: our engine (CPU backend, wasm + SIMD128) and TensorFlow.js
// (tfjs-backend-wasm, SIMD, single-threaded like us) on the same workloads in one headless
// chromium session, and prints our speed as a ratio to theirs. Build first: scripts/bench.sh.

import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch } from '../e2e/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.NP_BENCH_SECONDS ?? 3);

const server = await serve(here, { base: '/' });
const browser = await launch({ webgpu: false });
try {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(server.url);
  const env = await page.evaluate(() => window.bench.ready);
  console.log(`chromium ${browser.context.browser()?.version() ?? ''}; tfjs backend ${env.tfjsBackend}, SIMD ${env.tfjsSimd}, threads ${env.tfjsThreads}; ${seconds} s per measurement`);
  const rows = [
    ['MLP 784-64-10 Adam b128 (samples/s)', 'mlp', []],
    ['2-8-8-1 tanh, 500 pts full batch (steps/s)', 'tiny', []],
    ['matmul 256 (GFLOP/s)', 'matmul', [256]],
    ['matmul 1024 (GFLOP/s)', 'matmul', [1024]],
  ];
  console.log('| workload | ours | TF.js wasm | ours / TF.js |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [label, name, args] of rows) {
    const ours = await page.evaluate(([n, a, s]) => window.bench.ours[n](...a, s), [name, args, seconds]);
    const theirs = await page.evaluate(([n, a, s]) => window.bench.theirs[n](...a, s), [name, args, seconds]);
    console.log(`| ${label} | ${fmt(ours)} | ${fmt(theirs)} | ${(ours / theirs).toFixed(2)} |`);
  }
  const fit = await page.evaluate((s) => window.bench.theirs.mlpFit(s), seconds);
  console.log(`| TF.js model.fit on the same MLP (samples/s) | | ${fmt(fit)} | |`);
} finally {
  await browser.close();
  await server.close();
}

function fmt(x) {
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(2);
}
