// Training in the page on WebGPU (SwiftShader under --enable-unsafe-webgpu) matches the CPU
// backend: the same seeded experiment, stepped the same number of epochs with the step button,
// reaches the same training loss on both.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

/** A small seeded network (xor, 4-2 hidden) so SwiftShader steps it quickly. */
const EXPERIMENT = 'dataset=xor&networkShape=4,2&seed=7&initSeed=3&learningRate=0.1';
const EPOCHS = 5;
/**
 * Largest difference allowed between the two training losses: the native np-wgpu comparison of
 * whole Trainer runs uses 2e-3 (f32 reductions in a different order); the page shows 4 decimals.
 */
const TOLERANCE = 2e-3;

const context = (browser) => browser.context;
const num = async (page, id) => Number(await page.getByTestId(id).textContent());

/** Opens `hash` in a fresh page, waits for the backend, steps EPOCHS epochs; the losses seen. */
async function train(context, hash, problems) {
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => problems.pageErrors.push(String(err)));
  await page.goto(server.url + hash);
  await page.getByTestId('app').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid=backend]').textContent.includes('probing'));
  const backend = await page.getByTestId('backend').textContent();
  // The initial evaluation lands asynchronously on the GPU: wait for a number.
  await page.waitForFunction(() => Number.isFinite(parseFloat(document.querySelector('[data-testid=loss-train]').textContent)));
  const before = await num(page, 'loss-train');
  for (let i = 1; i <= EPOCHS; i += 1) {
    await page.getByTestId('step').click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=epoch]').textContent) === n, i, { timeout: 60_000 });
  }
  const after = await num(page, 'loss-train');
  return { page, backend, before, after };
}

test('WebGPU training in the page matches the CPU backend', async () => {
  const browser = await launch({ webgpu: true });
  const problems = { consoleErrors: [], pageErrors: [] };
  try {
    // The app's own first page stays unused; each run gets a fresh page (a fresh session).
    await openApp(browser.context, server.url + '#' + EXPERIMENT + '&backend=cpu');
    const gpu = await train(browser.context, '#' + EXPERIMENT + '&backend=webgpu', problems);
    assert.match(gpu.backend, /^webgpu: .*swiftshader/i, `backend reads "${gpu.backend}"`);
    assert.ok(await gpu.page.getByTestId('gpu-thumbnails-note').isVisible(), 'says where thumbnails are');
    await screenshot(gpu.page, 'ui-webgpu-trained');
    const cpu = await train(browser.context, '#' + EXPERIMENT + '&backend=cpu', problems);
    assert.match(cpu.backend, /^cpu: /, `backend reads "${cpu.backend}"`);
    await screenshot(cpu.page, 'ui-webgpu-cpu-trained');
    console.log(`loss-train at epoch 0: webgpu ${gpu.before}, cpu ${cpu.before}; ` +
      `at epoch ${EPOCHS}: webgpu ${gpu.after}, cpu ${cpu.after} (tolerance ${TOLERANCE})`);
    assert.ok(Math.abs(gpu.before - cpu.before) <= TOLERANCE, 'same initial weights');
    assert.ok(gpu.after < gpu.before, 'training lowered the loss on WebGPU');
    assert.ok(Math.abs(gpu.after - cpu.after) <= TOLERANCE, 'WebGPU and CPU losses agree');
    // The automatic rule keeps this tiny network on the CPU, and says why.
    const auto = await context(browser).newPage();
    await auto.goto(server.url + '#' + EXPERIMENT + '&backend=auto');
    await auto.waitForFunction(() => !document.querySelector('[data-testid=backend]').textContent.includes('probing'));
    const autoText = await auto.getByTestId('backend').textContent();
    assert.match(autoText, /^cpu: faster than the software adapter/, `auto reads "${autoText}"`);
    assert.deepEqual(problems.pageErrors, [], 'no uncaught exceptions');
    assert.deepEqual(problems.consoleErrors, [], 'no console errors');
  } finally {
    await browser.close();
  }
});
