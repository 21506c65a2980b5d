// Training in the page on WebGPU (SwiftShader under --enable-unsafe-webgpu) against the CPU
// backend: the same seeded experiment, stepped epoch by epoch with the step button, reaches the
// same losses and draws the same neuron thumbnails; a run started on the CPU while the device
// opens carries on on the GPU, as does a run whose backend choice is switched; a run whose GPU
// process crashes carries on on the CPU.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, screenshot, canvasInk } from './harness.mjs';

let server;
/** The CPU backend's training loss after 0..EPOCHS epochs, and its thumbnails at EPOCHS. */
let cpu;

/** A small seeded network (xor, 4-2 hidden) so SwiftShader steps it quickly. */
const EXPERIMENT = 'dataset=xor&networkShape=4,2&seed=7&initSeed=3&learningRate=0.1';
const EPOCHS = 5;
/**
 * Largest difference allowed between two training losses: the native np-wgpu comparison of
 * whole Trainer runs uses 2e-3 (f32 reductions in a different order); the page shows 4 decimals.
 */
const TOLERANCE = 2e-3;
/** The thumbnails: every hidden neuron (4 + 2) and the output node. */
const NODES = ['node-0-0', 'node-0-1', 'node-0-2', 'node-0-3', 'node-1-0', 'node-1-1', 'node-2-0'];

const num = async (page, id) => Number(await page.getByTestId(id).textContent());
const badge = (page) => page.getByTestId('backend').textContent();

/** Opens `hash` in a fresh page of `context`, recording console errors and exceptions. */
async function open(context, hash, problems, init) {
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => problems.pageErrors.push(String(err)));
  // Training runs in the worker: the test's hook goes in front of the worker's script.
  if (init) {
    await context.route('**/worker.js', async (route) => {
      const response = await route.fetch();
      route.fulfill({ response, body: `(${init.toString()})();\n${await response.text()}` });
    });
  }
  await page.goto(server.url + '#' + hash);
  await page.getByTestId('app').waitFor();
  return page;
}

/**
 * Runs `body` in a fresh chromium with WebGPU (SwiftShader), then fails the test on any console
 * error or uncaught exception the pages recorded in `problems`.
 */
async function inWebgpuBrowser(body) {
  const browser = await launch({ webgpu: true });
  const problems = { consoleErrors: [], pageErrors: [] };
  try {
    await body(browser, problems);
    assert.deepEqual(problems.pageErrors, [], 'no uncaught exceptions');
    assert.deepEqual(problems.consoleErrors, [], 'no console errors');
  } finally {
    await browser.close();
  }
}

/** Releases the worker's held adapter request (`holdAdapter`). */
async function openGpu(page) {
  const [worker] = page.workers();
  await worker.evaluate(() => self.npOpenGpu());
}

async function waitBackend(page, prefix) {
  await page.waitForFunction((p) => document.querySelector('[data-testid=backend]').textContent.startsWith(p), prefix, { timeout: 60_000 });
}

/** Waits until the shown training loss is a number (the first evaluation lands asynchronously). */
async function waitLoss(page) {
  await page.waitForFunction(() => Number.isFinite(parseFloat(document.querySelector('[data-testid=loss-train]').textContent)));
}

/** Presses step once and waits for epoch `n`. */
async function stepTo(page, n) {
  await page.getByTestId('step').click();
  await page.waitForFunction((k) => Number(document.querySelector('[data-testid=epoch]').textContent) === k, n, { timeout: 60_000 });
}

/** Every thumbnail's RGB pixels. */
async function thumbnails(page) {
  const out = [];
  for (const id of NODES) {
    const canvas = page.getByTestId(id).locator('canvas');
    assert.ok(await canvasInk(canvas) > 0.01, `${id} has ink`);
    out.push(await canvas.evaluate((c) => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data)));
  }
  return out;
}

/** Mean and largest absolute difference over the RGB channels of two thumbnail sets. */
function pixelDiff(a, b) {
  let sum = 0;
  let n = 0;
  let max = 0;
  a.forEach((pa, k) => {
    assert.equal(pa.length, b[k].length, `${NODES[k]} sizes`);
    for (let i = 0; i < pa.length; i += 1) {
      if (i % 4 === 3) continue;
      const d = Math.abs(pa[i] - b[k][i]);
      sum += d;
      n += 1;
      max = Math.max(max, d);
    }
  });
  return { mean: sum / n, max };
}

before(async () => {
  server = await serve();
  const browser = await launch({ webgpu: false });
  try {
    const { page } = await openApp(browser.context, server.url + '#' + EXPERIMENT + '&backend=cpu');
    await waitBackend(page, 'cpu: ');
    const losses = [await num(page, 'loss-train')];
    for (let i = 1; i <= EPOCHS; i += 1) {
      await stepTo(page, i);
      losses.push(await num(page, 'loss-train'));
    }
    cpu = { losses, thumbs: await thumbnails(page) };
    await screenshot(page, 'ui-webgpu-cpu-trained');
  } finally {
    await browser.close();
  }
});
after(async () => { await server?.close(); });

test('WebGPU training in the page matches the CPU backend, thumbnails included', async () => {
  await inWebgpuBrowser(async (browser, problems) => {
    const page = await open(browser.context, EXPERIMENT + '&backend=webgpu', problems);
    await waitBackend(page, 'webgpu: ');
    assert.match(await badge(page), /^webgpu: .*swiftshader/i);
    await waitLoss(page);
    const losses = [await num(page, 'loss-train')];
    for (let i = 1; i <= EPOCHS; i += 1) {
      await stepTo(page, i);
      losses.push(await num(page, 'loss-train'));
    }
    console.log(`loss-train by epoch: webgpu ${losses.join(', ')}; cpu ${cpu.losses.join(', ')} (tolerance ${TOLERANCE})`);
    losses.forEach((l, i) => assert.ok(Math.abs(l - cpu.losses[i]) <= TOLERANCE, `epoch ${i}: webgpu ${l}, cpu ${cpu.losses[i]}`));
    assert.ok(losses[EPOCHS] < losses[0], 'training lowered the loss on WebGPU');
    // The thumbnails are read asynchronously with the evaluation; they match the CPU's.
    assert.equal(await page.getByTestId('gpu-thumbnails-note').count(), 0, 'no "CPU only" note');
    const diff = pixelDiff(await thumbnails(page), cpu.thumbs);
    console.log(`thumbnails webgpu vs cpu: mean |diff| ${diff.mean.toFixed(3)}, max ${diff.max} (of 255)`);
    assert.ok(diff.mean < 1 && diff.max <= 8, `thumbnails differ: ${JSON.stringify(diff)}`);
    await screenshot(page, 'ui-webgpu-trained');
    // The automatic rule keeps this tiny network on the CPU, and says why.
    const auto = await open(browser.context, EXPERIMENT + '&backend=auto', problems);
    await waitBackend(auto, 'cpu: ');
    assert.match(await badge(auto), /^cpu: faster than the software adapter/);
  });
});

/**
 * Holds `navigator.gpu.requestAdapter` in the training worker until the test calls
 * `self.npOpenGpu()` there (`openGpu`), so the run trains on the CPU for as long as the test
 * wants before WebGPU opens (in a real browser the device may take seconds). Test-only: the app
 * has no such hook.
 */
function holdAdapter() {
  const original = GPU.prototype.requestAdapter;
  let open;
  const gate = new Promise((resolve) => { open = resolve; });
  self.npOpenGpu = () => open();
  GPU.prototype.requestAdapter = async function requestAdapter(...args) {
    await gate;
    return original.apply(this, args);
  };
}

test('a run started while WebGPU opens carries on on the GPU without restarting', async () => {
  await inWebgpuBrowser(async (browser, problems) => {
    const page = await open(browser.context, EXPERIMENT + '&backend=webgpu', problems, holdAdapter);
    await waitLoss(page);
    for (let i = 1; i <= 3; i += 1) await stepTo(page, i);
    assert.match(await badge(page), /probing/, 'still opening the device while training on the CPU');
    const onCpu = await num(page, 'loss-train');
    assert.ok(Math.abs(onCpu - cpu.losses[3]) <= TOLERANCE, `epoch 3 on the CPU: ${onCpu}`);
    await openGpu(page);
    await waitBackend(page, 'webgpu: ');
    assert.equal(await num(page, 'epoch'), 3, 'the epoch did not go back to 0');
    const moved = await num(page, 'loss-train');
    assert.ok(Math.abs(moved - cpu.losses[3]) <= TOLERANCE, `same weights after the move: ${moved}`);
    for (let i = 4; i <= EPOCHS; i += 1) await stepTo(page, i);
    const end = await num(page, 'loss-train');
    console.log(`hand-over: loss-train ${onCpu} at epoch 3 on the CPU, ${moved} after the move, ${end} at epoch ${EPOCHS} on WebGPU (cpu-only run: ${cpu.losses[EPOCHS]})`);
    assert.ok(Math.abs(end - cpu.losses[EPOCHS]) <= TOLERANCE, 'optimizer state and shuffle went across');
    assert.equal(await page.getByTestId('backend-notice').count(), 0, 'no device-loss notice');
    await thumbnails(page);
  });
});

test('a run playing while WebGPU opens keeps its epochs when it moves to the GPU', async () => {
  await inWebgpuBrowser(async (browser, problems) => {
    const page = await open(browser.context, EXPERIMENT + '&backend=webgpu', problems, holdAdapter);
    await waitLoss(page);
    await page.getByTestId('play').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]').textContent) >= 20, null, { timeout: 60_000 });
    // Watch every epoch the page shows from here on: it may only grow.
    await page.evaluate(() => {
      window.npEpochs = [];
      const el = document.querySelector('[data-testid=epoch]');
      new MutationObserver(() => window.npEpochs.push(Number(el.textContent)))
        .observe(el, { childList: true, characterData: true, subtree: true });
    });
    const before = await num(page, 'epoch');
    await openGpu(page);
    await waitBackend(page, 'webgpu: ');
    const at = await num(page, 'epoch');
    await page.waitForFunction((e) => Number(document.querySelector('[data-testid=epoch]').textContent) >= e + 3, at, { timeout: 60_000 });
    await page.getByTestId('play').click();
    const seen = await page.evaluate(() => window.npEpochs);
    console.log(`playing hand-over: epoch ${before} when the device was released, ${at} when the badge changed, ${seen.at(-1)} at the end; ${seen.length} epoch changes seen`);
    assert.ok(at >= before, `the epoch went back from ${before} to ${at}`);
    seen.forEach((e, i) => assert.ok(i === 0 || e >= seen[i - 1], `epoch went back: ${seen.slice(Math.max(0, i - 3), i + 1)}`));
    assert.ok(await num(page, 'loss-train') < cpu.losses[0], 'the loss kept its progress');
  });
});

test('switching the backend choice mid-run moves the run, both ways', async () => {
  await inWebgpuBrowser(async (browser, problems) => {
    const page = await open(browser.context, EXPERIMENT + '&backend=webgpu', problems);
    await waitBackend(page, 'webgpu: ');
    await waitLoss(page);
    for (let i = 1; i <= 2; i += 1) await stepTo(page, i);
    await page.getByTestId('backend-choice').selectOption('cpu');
    await waitBackend(page, 'cpu: chosen');
    assert.equal(await num(page, 'epoch'), 2, 'still epoch 2 on the CPU');
    await stepTo(page, 3);
    await page.getByTestId('backend-choice').selectOption('webgpu');
    await waitBackend(page, 'webgpu: ');
    assert.equal(await num(page, 'epoch'), 3, 'still epoch 3 on WebGPU');
    for (let i = 4; i <= EPOCHS; i += 1) await stepTo(page, i);
    const end = await num(page, 'loss-train');
    console.log(`switching webgpu -> cpu -> webgpu at epochs 2 and 3: loss-train ${end} at epoch ${EPOCHS} (cpu-only run: ${cpu.losses[EPOCHS]})`);
    assert.ok(Math.abs(end - cpu.losses[EPOCHS]) <= TOLERANCE, 'one run across both switches');
    assert.equal(await page.getByTestId('backend-notice').count(), 0, 'a chosen switch is not a device loss');
    const diff = pixelDiff(await thumbnails(page), cpu.thumbs);
    assert.ok(diff.mean < 1 && diff.max <= 8, `thumbnails differ: ${JSON.stringify(diff)}`);
  });
});

/** Crashes the browser's GPU process (Chrome DevTools Protocol), which loses every WebGPU device. */
async function crashGpu(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Browser.crashGpuProcess');
  await cdp.detach();
}

test('when the GPU process crashes between epochs, training carries on on the CPU from where it was', async () => {
  await inWebgpuBrowser(async (browser, problems) => {
    const page = await open(browser.context, EXPERIMENT + '&backend=webgpu', problems);
    await waitBackend(page, 'webgpu: ');
    await waitLoss(page);
    for (let i = 1; i <= 2; i += 1) await stepTo(page, i);
    await crashGpu(browser.context, page);
    // The next step finds the device lost: the last checkpoint (end of epoch 2) and the calls
    // since are replayed on the CPU, and the step runs there.
    for (let i = 3; i <= EPOCHS; i += 1) await stepTo(page, i);
    await waitBackend(page, 'cpu: ');
    const notice = await page.getByTestId('backend-notice').textContent();
    assert.match(notice, /GPU stopped working; training goes on on the CPU/);
    const end = await num(page, 'loss-train');
    console.log(`device lost after epoch 2: badge "${await badge(page)}", loss-train ${end} at epoch ${EPOCHS} (cpu-only run: ${cpu.losses[EPOCHS]}); notice: ${notice}`);
    assert.ok(Math.abs(end - cpu.losses[EPOCHS]) <= TOLERANCE, 'the same run, not a restart');
    assert.equal(await page.getByTestId('diverged').count(), 0, 'no error');
    // The crash also cleared the page's canvases; the browser restores them blank and the app
    // paints them again.
    await page.waitForFunction((ids) => ids.every((id) => {
      const c = document.querySelector(`[data-testid=${id}] canvas`);
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      return d.some((v, i) => i % 4 !== 3 && v !== d[i % 4]);
    }), NODES, { timeout: 20_000 });
    const diff = pixelDiff(await thumbnails(page), cpu.thumbs);
    assert.ok(diff.mean < 1 && diff.max <= 8, `thumbnails differ: ${JSON.stringify(diff)}`);
    // A second crash while the page stands still (now on the CPU): nothing new to draw, yet
    // every canvas comes back painted, the inspection panels' included.
    await crashGpu(browser.context, page);
    await page.waitForFunction(() => [...document.querySelectorAll('canvas')].every((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      return d.some((v, i) => i % 4 !== 3 && v !== d[i % 4]);
    }), null, { timeout: 20_000 });
    // The canvases hold their pictures now; the screenshot also needs the restarted GPU
    // process to composite the page again, which can lag behind by a moment.
    await page.waitForTimeout(1000);
    await screenshot(page, 'ui-webgpu-device-lost');
  });
});

test('when the GPU process crashes while playing, training goes on on the CPU', async () => {
  await inWebgpuBrowser(async (browser, problems) => {
    const page = await open(browser.context, EXPERIMENT + '&backend=webgpu', problems);
    await waitBackend(page, 'webgpu: ');
    await waitLoss(page);
    await page.getByTestId('play').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]').textContent) >= 3, null, { timeout: 60_000 });
    // Evaluation reads are in flight most of the time while playing on the GPU.
    await crashGpu(browser.context, page);
    await waitBackend(page, 'cpu: ');
    const at = await num(page, 'epoch');
    const lossAt = await num(page, 'loss-train');
    await page.waitForFunction((e) => Number(document.querySelector('[data-testid=epoch]').textContent) >= e + 10, at, { timeout: 60_000 });
    await page.getByTestId('play').click();
    const [epoch, end] = [await num(page, 'epoch'), await num(page, 'loss-train')];
    console.log(`device lost while playing: on the CPU from epoch ${at} (loss ${lossAt}) to epoch ${epoch} (loss ${end}); initial loss ${cpu.losses[0]}`);
    assert.ok(at >= 3, 'the epoch did not go back');
    assert.ok(Number.isFinite(end) && end < cpu.losses[0] - 0.01, `the loss went on falling: ${end}`);
    assert.equal(await page.getByTestId('diverged').count(), 0, 'no error');
    assert.equal(await page.getByTestId('backend-notice').count(), 1, 'the user is told');
  });
});
