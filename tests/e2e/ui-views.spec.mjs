// What the panels show: the plane drawn the right way up, the 1-D fit, the loss chart's hover
// read-out and log scale, and weights edited from the keyboard.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, screenshot, waitForLive, quiet } from './harness.mjs';

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

async function withApp(hash, body) {
  const browser = await launch();
  try {
    const { page, problems } = await openApp(browser.context, server.url + hash);
    await body(page);
    assert.deepEqual(problems.pageErrors, [], 'no uncaught exceptions');
    assert.deepEqual(problems.consoleErrors, [], 'no console errors');
  } finally {
    await browser.close();
  }
}

const num = async (page, id) => Number(await page.getByTestId(id).textContent());

/** Mean RGB of a horizontal band of a canvas (fractions of its height). */
async function band(locator, from, to) {
  return locator.evaluate((c, [a, b]) => {
    const y0 = Math.floor(c.height * a);
    const h = Math.max(1, Math.floor(c.height * b) - y0);
    const d = c.getContext('2d').getImageData(0, y0, c.width, h).data;
    const sum = [0, 0, 0];
    for (let i = 0; i < d.length; i += 4) for (let k = 0; k < 3; k += 1) sum[k] += d[i + k];
    return sum.map((s) => s / (d.length / 4));
  }, [from, to]);
}

async function edit(page, testid, value) {
  await page.getByTestId(testid).click();
  await page.getByTestId('weight-input').fill(String(value));
  await page.getByTestId('weight-input').press('Enter');
}

test('the output and the neuron thumbnails are drawn the right way up', async () => {
  // One linear unit on X2 alone: output = w * X2 + b. With w = 1, b = 0 the top half (X2 > 0)
  // is positive (blue), the bottom half negative (orange).
  await withApp('#problem=regression&regDataset=reg-plane&networkShape=&x=false&y=true', async (page) => {
    await edit(page, 'link-0-0-0', 1);
    await edit(page, 'bias-0-0', 0);
    for (const target of [page.getByTestId('boundary'), page.getByTestId('node-0-0').locator('canvas')]) {
      const [top, bottom] = [await band(target, 0.05, 0.2), await band(target, 0.8, 0.95)];
      assert.ok(top[2] > top[0] + 40, `top is blue: ${top}`);
      assert.ok(bottom[0] > bottom[2] + 40, `bottom is orange: ${bottom}`);
    }
    await screenshot(page.getByTestId('panel-boundary'), 'ui-right-way-up');
  });
});

test('the 1-D function is fitted and drawn as a curve', async () => {
  await withApp('#dataset=func1d&networkShape=16&activation=tanh&learningRate=0.1&batchSize=10&optimizer=adam&learningRate=0.01', async (page) => {
    assert.equal(await page.getByTestId('accuracy-train').count(), 0, 'no accuracy for regression');
    const start = await num(page, 'loss-train');
    await page.getByTestId('speed').selectOption('max');
    await page.getByTestId('play').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]').textContent) >= 300, null, { timeout: 60_000 });
    await page.getByTestId('play').click();
    const end = await num(page, 'loss-train');
    console.log(`func1d: training MSE ${start} -> ${end} at epoch ${await num(page, 'epoch')}`);
    assert.ok(end < start / 4, `loss fell from ${start} to ${end}`);
    await screenshot(page.getByTestId('panel-boundary'), 'ui-func1d');
  });
});

test('the loss chart reads values under the pointer and switches to a log scale', async () => {
  await withApp('#dataset=xor&networkShape=4&seed=3', async (page) => {
    for (let i = 0; i < 12; i += 1) await page.getByTestId('step').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=epoch]').textContent === '12');
    await quiet(page);
    assert.equal(await num(page, 'epoch'), 12, 'twelve presses, twelve epochs');
    const chart = page.getByTestId('chart-loss');
    await chart.scrollIntoViewIfNeeded();
    const box = await chart.boundingBox();
    await chart.hover({ position: { x: box.width * 0.95, y: box.height / 2 } });
    const readout = await page.getByTestId('chart-loss-hover').textContent();
    assert.match(readout, /epoch 12/, readout);
    assert.match(readout, /train \d\.\d{4}/, readout);
    assert.ok(readout.includes((await page.getByTestId('loss-train').textContent()).trim()), 'read-out matches the current loss');
    const linear = await chart.evaluate((c) => c.toDataURL());
    await page.getByTestId('log-scale').check();
    assert.notEqual(await chart.evaluate((c) => c.toDataURL()), linear, 'the chart redrew on a log scale');
    await page.waitForFunction(() => location.hash.includes('logScale=true'));
    await waitForLive(page);
    await screenshot(page.getByTestId('panel-loss'), 'ui-loss-log');
  });
});

test('weights can be edited from the keyboard', async () => {
  await withApp('#dataset=circle&networkShape=2', async (page) => {
    await page.getByTestId('link-0-1-0').focus();
    assert.match(await page.getByTestId('hover-card').textContent(), /Weight X1 → layer 1 neuron 2/);
    await page.keyboard.press('Enter');
    await page.getByTestId('weight-input').fill('-3');
    await page.keyboard.press('Enter');
    await page.getByTestId('link-0-1-0').focus();
    assert.equal(await page.getByTestId('hover-value').textContent(), '-3.0000');
  });
});
