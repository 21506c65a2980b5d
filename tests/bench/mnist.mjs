// Issue 14's speed check: MNIST 784-64-10 (ReLU, softmax, Adam, batch 128) trained in the
// playground on the CPU backend, against the engine's own wasm rate on the same workload
// (index.html's `mlp`, scripts/bench.sh's MLP row) measured in the same headless chromium
// session. Prints the page's training rate (samples per second of wall time, its per-epoch
// evaluation of all 70,000 digits included), the ratio, the frame rate while it trains, and
// the time from play to a test accuracy of 0.97. Build first: scripts/bench.sh builds the
// engine's bench page; the playground is `trunk build --release` in dist/.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, playgroundUrl } from '../e2e/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.NP_BENCH_SECONDS ?? 3);
const limitS = Number(process.env.NP_MNIST_LIMIT_S ?? 300);

const bench = await serve(here, { base: '/' });
const site = await serve(process.env.NP_DIST ?? join(here, '../../dist'));
const browser = await launch({ webgpu: false });
try {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(bench.url);
  await page.evaluate(() => window.bench.ready);
  const engine = await page.evaluate((s) => window.bench.ours.mlp(s), seconds);

  const hash = 'dataset=mnist&networkShape=64&activation=relu&init=he&optimizer=adam&learningRate=0.001&batchSize=128&speed=max';
  const opened = Date.now();
  await page.goto(playgroundUrl(`${site.url}#${hash}`));
  await page.getByTestId('wide-view').waitFor({ timeout: 120000 });
  const loadedS = (Date.now() - opened) / 1000;
  const mode = await page.getByTestId('run-mode').textContent().catch(() => '?');
  await page.evaluate(() => {
    // Frame times while training: the page must keep drawing.
    window.frames_ = [];
    const tick = (t) => { window.frames_.push(t); requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  const started = Date.now();
  await page.getByTestId('play').click();
  const read = () => page.evaluate(() => ({
    epoch: Number(document.querySelector('[data-testid=epoch]').textContent),
    acc: Number(document.querySelector('[data-testid=accuracy-test]').textContent),
  }));
  let reached = null;
  let last = await read();
  const marks = [];
  while ((Date.now() - started) / 1000 < limitS) {
    await page.waitForTimeout(250);
    const now = await read();
    if (now.epoch !== last.epoch) marks.push({ t: (Date.now() - started) / 1000, ...now });
    last = now;
    if (reached === null && now.acc >= 0.97) reached = (Date.now() - started) / 1000;
    if (reached !== null && now.epoch >= 3) break;
  }
  await page.getByTestId('play').click();
  const frames = await page.evaluate(() => window.frames_);
  const gaps = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
  const fps = gaps.length / ((frames.at(-1) - frames[0]) / 1000);
  const p95 = gaps[Math.floor(gaps.length * 0.95)] ?? NaN;
  // The rate from the first epoch's end to the last one's: the download and the first
  // evaluation are not training.
  const [first, end] = [marks[0], marks.at(-1)];
  const rate = end && end !== first ? ((end.epoch - first.epoch) * 60000) / (end.t - first.t) : NaN;
  console.log(`chromium ${browser.context.browser()?.version() ?? ''}; run mode ${mode}`);
  console.log(`MNIST loaded and first drawn in ${loadedS.toFixed(1)} s`);
  console.log('| measure | value |');
  console.log('| --- | ---: |');
  console.log(`| engine wasm MLP 784-64-10 Adam b128 (samples/s) | ${Math.round(engine).toLocaleString('en-US')} |`);
  console.log(`| playground, MNIST 784-64-10 Adam b128, epochs ${first?.epoch}-${end?.epoch} (samples/s) | ${Math.round(rate).toLocaleString('en-US')} |`);
  console.log(`| playground / engine | ${(rate / engine).toFixed(2)} |`);
  console.log(`| page while training: frames/s, p95 frame gap | ${fps.toFixed(0)}, ${p95.toFixed(0)} ms |`);
  console.log(`| play to test accuracy 0.97 | ${reached === null ? `not within ${limitS} s` : `${reached.toFixed(1)} s`} |`);
  console.log('epochs:', marks.map((m) => `${m.epoch}@${m.t.toFixed(1)}s acc ${m.acc}`).join(', '));
} finally {
  await browser.close();
  await bench.close();
  await site.close();
}
