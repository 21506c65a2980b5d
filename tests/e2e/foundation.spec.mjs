// The foundation's promises: the page mounts cleanly offline, reports the backend it will use,
// and draws with plotters-canvas.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, screenshot, canvasInk } from './harness.mjs';

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

async function withApp(options, body, hash = '') {
  const browser = await launch(options);
  try {
    const { page, problems } = await openApp(browser.context, server.url + hash);
    await body(page, problems);
  } finally {
    await browser.close();
  }
}

test('without WebGPU the page mounts, falls back to cpu, and stays on loopback', async () => {
  await withApp({ webgpu: false }, async (page, problems) => {
    const backend = page.getByTestId('backend');
    await page.waitForFunction(() => !document.querySelector('[data-testid=backend]').textContent.includes('probing'));
    const text = await backend.textContent();
    assert.match(text, /^cpu: /, `backend reads "${text}"`);
    for (const area of ['area-data', 'area-network', 'area-output', 'area-charts']) {
      assert.ok(await page.getByTestId(area).isVisible(), `${area} is visible`);
    }
    const ink = await canvasInk(page.getByTestId('chart-activations').locator('canvas'));
    assert.ok(ink > 0.02, `the activation chart has drawn something (ink ${ink.toFixed(3)})`);
    await screenshot(page, 'foundation-cpu');
    assert.deepEqual(problems.consoleErrors, [], 'no console errors');
    assert.deepEqual(problems.pageErrors, [], 'no uncaught exceptions');
    assert.deepEqual(problems.offLoopback, [], 'no request leaves loopback');
  });
});

test('with --enable-unsafe-webgpu the page reports the SwiftShader WebGPU adapter', async () => {
  await withApp({ webgpu: true }, async (page, problems) => {
    await page.waitForFunction(() => !document.querySelector('[data-testid=backend]').textContent.includes('probing'));
    const text = await page.getByTestId('backend').textContent();
    assert.match(text, /^webgpu: .*swiftshader/i, `backend reads "${text}"`);
    await screenshot(page, 'foundation-webgpu');
    assert.deepEqual(problems.consoleErrors, []);
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.offLoopback, []);
  // The automatic rule trains the default tiny network on the CPU; ask for WebGPU explicitly.
  }, '#backend=webgpu');
});
