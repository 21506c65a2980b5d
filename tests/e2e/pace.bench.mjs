// A benchmark, not a test (no assertions on time): how fast the page trains and how smooth it
// stays, in the worker mode and in the fallback mode (the worker script blocked, so the host
// runs on the page between frames) in one session, on the workloads of BENCHMARKS.md:
// - TensorFlow Playground's default link (circle, 4-2 tanh, batch 10) at speed=max, inspector
//   panels in view: epochs per second, main-thread frame gaps, long tasks;
// - the 8 x 32 ReLU network on 5,000 samples with batch 1: frame gaps while it trains;
// - TensorFlow Playground's spiral link (8,8 tanh, lr 0.03) from reset to 0.85 test accuracy:
//   epochs and wall time;
// - first paint from a cold profile: navigation to the epoch counter, and to the first
//   snapshot from the host.
//
//   cd tests/e2e && node pace.bench.mjs [seconds]
//
// Frame gap = time between two requestAnimationFrame callbacks on the page.

import { serve, launch, openApp } from './harness.mjs';

const seconds = Number(process.argv[2] ?? 10);
const TFP_DEFAULT = 'activation=tanh&batchSize=10&dataset=circle&learningRate=0.03&networkShape=4,2&noise=0&percTrainData=50&x=true&y=true';
const LARGE = 'networkShape=32,32,32,32,32,32,32,32&activation=relu&samples=5000&batchSize=1';
const SPIRAL = 'activation=tanh&batchSize=10&dataset=spiral&learningRate=0.03&networkShape=8,8&seed=0.12345&percTrainData=50&x=true&y=true&sinX=true&sinY=true';

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const epochOf = (page) => page.getByTestId('epoch').textContent().then(Number);

/** Frame gaps and long tasks on the page over `ms`. */
function watchFrames(page, ms) {
  return page.evaluate((ms) => new Promise((done) => {
    const gaps = [];
    const long = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) long.push(e.duration);
    });
    try { observer.observe({ type: 'longtask', buffered: false }); } catch { /* not offered */ }
    let last = performance.now();
    const end = last + ms;
    const tick = (t) => {
      gaps.push(t - last);
      last = t;
      if (t < end) requestAnimationFrame(tick);
      else { observer.disconnect(); done({ gaps, long }); }
    };
    requestAnimationFrame(tick);
  }), ms);
}

async function open(browser, server, hash, mode) {
  const block = mode === 'page' ? ['**/worker.js'] : [];
  const { page } = await openApp(browser.context, `${server.url}#${hash}`, { block });
  const runMode = await page.getByTestId('run-mode').textContent();
  return { page, runMode };
}

async function training(server, mode, hash, label, { panels = false } = {}) {
  const browser = await launch();
  try {
    const { page, runMode } = await open(browser, server, hash, mode);
    await page.getByTestId('play').click();
    if (panels) await page.getByTestId('panel-hidden').scrollIntoViewIfNeeded();
    await page.waitForTimeout(2000);
    const e0 = await epochOf(page);
    const t0 = Date.now();
    const { gaps, long } = await watchFrames(page, seconds * 1000);
    const rate = (await epochOf(page) - e0) / ((Date.now() - t0) / 1000);
    gaps.sort((a, b) => a - b);
    const over50 = long.filter((d) => d > 50);
    console.log(`${mode.padEnd(6)} ${label.padEnd(34)} ${rate.toFixed(1).padStart(8)} epochs/s  ` +
      `frames p50 ${quantile(gaps, 0.5).toFixed(1)} p95 ${quantile(gaps, 0.95).toFixed(1)} max ${gaps[gaps.length - 1].toFixed(1)} ms  ` +
      `(${gaps.length} frames; long tasks ${long.length}, over 50 ms ${over50.length}, longest ${Math.max(0, ...long).toFixed(0)} ms)  [${runMode}]`);
  } finally {
    await browser.close();
  }
}

async function spiral(server, mode) {
  const browser = await launch();
  try {
    const { page } = await open(browser, server, `${SPIRAL}&speed=max`, mode);
    const t0 = Date.now();
    await page.getByTestId('play').click();
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=accuracy-test]').textContent) >= 0.85,
      null, { timeout: 600_000, polling: 50 });
    const wall = (Date.now() - t0) / 1000;
    const epochs = await epochOf(page);
    console.log(`${mode.padEnd(6)} spiral to 0.85 test accuracy: epoch ${epochs} in ${wall.toFixed(1)} s; ` +
      `TensorFlow Playground at 40-63 epochs/s needs ${(epochs / 63).toFixed(1)}-${(epochs / 40).toFixed(1)} s for as many epochs`);
  } finally {
    await browser.close();
  }
}

async function firstPaint(server, mode) {
  const browser = await launch();
  try {
    if (mode === 'page') {
      await browser.context.route('**/worker.js', (route) => route.fulfill({ status: 404, body: '' }));
    }
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const t0 = Date.now();
    await page.goto(`${server.url}#${TFP_DEFAULT}`);
    await page.getByTestId('epoch').waitFor();
    const counter = Date.now() - t0;
    await page.waitForFunction(() => document.querySelector('[data-testid=app]').dataset.live === 'true',
      null, { polling: 10 });
    const live = Date.now() - t0;
    console.log(`${mode.padEnd(6)} first paint (cold profile): epoch counter ${counter} ms, first host snapshot ${live} ms`);
  } finally {
    await browser.close();
  }
}

const server = await serve();
try {
  for (const mode of ['worker', 'page']) {
    await firstPaint(server, mode);
    await training(server, mode, `${TFP_DEFAULT}&speed=max`, 'TFP default, speed=max, panels', { panels: true });
    await training(server, mode, TFP_DEFAULT, 'TFP default, default speed');
    await training(server, mode, `${LARGE}&speed=max`, '8 x 32 ReLU, 5000 samples, batch 1');
    await spiral(server, mode);
  }
} finally {
  await server.close();
}
