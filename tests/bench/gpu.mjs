// Runs the WebGPU benchmark in headless chromium (--enable-unsafe-webgpu, so SwiftShader on a
// machine without a GPU): the browser round trip through our backend, and per-step training
// time of several network sizes on WebGPU against the CPU backend in the same page. Prints
// markdown tables. Build first: scripts/bench.sh (it runs this too).

import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { serve, launch } from '../e2e/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.NP_BENCH_SECONDS ?? 3);
const BURST = 10;
const SIZES = [
  [[2, 8, 8, 1], 500],
  [[64, 128, 128, 10], 128],
  [[784, 64, 10], 128],
  [[784, 256, 256, 10], 128],
];

const server = await serve(here, { base: '/' });
const browser = await launch({ webgpu: true });
try {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(server.url + 'gpu.html');
  await page.evaluate(() => window.bench.ready);
  // wgpu's adapter info is mostly empty in the browser; the browser's own names the adapter.
  const adapter = await page.evaluate(async () => {
    const a = await navigator.gpu.requestAdapter();
    return `${a.info.vendor} ${a.info.architecture} ${a.info.description}`.trim() + (a.info.isFallbackAdapter ? ' (fallback adapter)' : '');
  });
  console.log(`chromium ${browser.context.browser()?.version() ?? ''}; adapter ${adapter}; ${cpus().length} cores (${cpus()[0]?.model}), load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${seconds} s per measurement`);
  const rt = await page.evaluate(() => window.bench.roundTrip(300));
  console.log(`\nround trip (one-element dispatch + submit + 1-float mapAsync readback), 300 samples: ` +
    `min ${ms(rt.min)}, median ${ms(rt.median)}, p90 ${ms(rt.p90)}, mean ${ms(rt.mean)} ms`);
  console.log('\n| network, batch | MFLOP/step | CPU ms/step | WebGPU ms/step, loss read every step | WebGPU ms/step, read every 10 steps | CPU/GPU speed, every step | CPU/GPU speed, every 10 |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [widths, batch] of SIZES) {
    const r = await page.evaluate(([w, b, s, k]) => window.bench.steps(w, b, s, k), [widths, batch, seconds, BURST]);
    // Speed ratios: above 1 means WebGPU is faster than the CPU backend.
    console.log(`| ${widths.join('-')}, ${batch} | ${(r.flops / 1e6).toFixed(2)} | ${ms(r.cpu)} | ${ms(r.gpuEachRead)} | ${ms(r.gpuBurst)} | ` +
      `${(r.cpu / r.gpuEachRead).toFixed(3)} | ${(r.cpu / r.gpuBurst).toFixed(3)} |`);
  }
} finally {
  await browser.close();
  await server.close();
}

function ms(x) {
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(3);
}
