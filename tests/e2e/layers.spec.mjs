// Per-layer choices: the course's 2-3-2 circles network with two softmax outputs, and each weight
// layer's own initialization (naive N(0, 1) against Glorot in a deep sigmoid network). Clicked
// through the pickers a student uses; checked on the numbers the page shows.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, screenshot, waitForLive, quiet } from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(hash) {
  const { page, problems } = await openApp(browser.context, `${server.url}#${hash}`);
  await page.getByTestId('layer-choices').waitFor();
  return { page, problems };
}

const num = async (page, id) => Number(await page.getByTestId(id).textContent());

/** RGBA bytes of the canvas inside `testid`. */
async function canvasPixels(page, testid) {
  return page.getByTestId(testid).locator('canvas').first().evaluate((c) =>
    Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data));
}

/** The weight on link `id` as its hover card shows it. */
async function weight(page, id) {
  await page.getByTestId(id).hover();
  return Number(await page.getByTestId('hover-value').textContent());
}

test("the course's 2-3-2 circles network: two softmax outputs, 17 parameters", async (t) => {
  const { page, problems } = await open('dataset=rings&networkShape=3&activation=sigmoid&optimizer=adam&learningRate=0.1&batchSize=10');
  try {
    assert.equal(await num(page, 'summary-total'), 13, 'one sigmoid output by default, as TensorFlow Playground');
    assert.equal(await page.getByTestId('node-1-1').count(), 0);
    await page.getByTestId('two-class-output').selectOption('softmax');
    await page.waitForFunction(() => location.hash.includes('twoClassOutput=softmax'));
    await waitForLive(page);
    assert.equal(await num(page, 'summary-total'), 17);
    assert.equal(await page.getByTestId('output-units').textContent(), '2 softmax units');
    assert.equal(await page.getByTestId('epoch').textContent(), '0', 'a new network');

    await page.getByTestId('play').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]').textContent) >= 60, null, { timeout: 120000 });
    await page.getByTestId('play').click();
    await quiet(page);
    const acc = await num(page, 'accuracy-train');
    t.diagnostic(`2-3-2 softmax on rings, epoch ${await num(page, 'epoch')}: train accuracy ${acc}`);
    assert.ok(acc >= 0.95, `train accuracy ${acc}`);
    // p(class 0) = 1 - p(class 1): the two output thumbnails, each drawn in its own class's
    // colour, are the same picture.
    const [p0, p1] = [await canvasPixels(page, 'node-1-0'), await canvasPixels(page, 'node-1-1')];
    const differing = p0.filter((v, i) => Math.abs(v - p1[i]) > 2).length;
    assert.ok(differing / p0.length < 0.01, `${differing} of ${p0.length} bytes differ`);
    await screenshot(page.getByTestId('layer-choices'), 'layers-choices-2-3-2');
    await screenshot(page, 'layers-2-3-2-trained');
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.consoleErrors, []);
  } finally {
    await page.close();
  }
});

test('each weight layer takes its own initialization', async (t) => {
  const { page, problems } = await open('dataset=circle&networkShape=4,2&init=glorot&seed=3');
  try {
    assert.notEqual(await weight(page, 'link-0-0-0'), 0);
    await page.getByTestId('layer-init-0').selectOption('zeros');
    await page.waitForFunction(() => location.hash.includes('inits=zeros,glorot,glorot'));
    await waitForLive(page);
    for (const id of ['link-0-0-0', 'link-0-3-1']) assert.equal(await weight(page, id), 0, `${id} starts at zero`);
    const w1 = await weight(page, 'link-1-0-0');
    assert.ok(w1 !== 0 && Math.abs(w1) <= Math.sqrt(6 / 6), `layer 2 keeps Glorot: ${w1}`);
    // The output layer is the last picker.
    await page.getByTestId('layer-init-2').selectOption('normal');
    await page.waitForFunction(() => location.hash.includes('inits=zeros,glorot,normal'));
    await waitForLive(page);
    // Choosing the shared initialization clears the per-layer ones.
    await page.getByTestId('init').selectOption('he');
    await page.waitForFunction(() => location.hash.includes('init=he') && !location.hash.includes('inits='));
    await waitForLive(page);
    assert.equal(await page.getByTestId('layer-init-0').inputValue(), 'he');
    assert.notEqual(await weight(page, 'link-0-0-0'), 0);
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.consoleErrors, []);
  } finally {
    await page.close();
  }
});

test('a naive N(0, 1) start saturates a deep sigmoid network where Glorot does not', async (t) => {
  // Share of (sample, unit) pairs where sigmoid'(z) is under 5 % of its peak, per hidden layer.
  const shares = {};
  for (const init of ['normal', 'glorot']) {
    const { page, problems } = await open(`dataset=circle&networkShape=16,16,16,16,16&activation=sigmoid&init=${init}`);
    try {
      shares[init] = await Promise.all([0, 1, 2, 3, 4].map((l) => num(page, `activation-saturated-values-${l}`)));
      await screenshot(page.getByTestId('panel-activation'), `layers-deep-sigmoid-${init}`);
      assert.deepEqual(problems.pageErrors, []);
    } finally {
      await page.close();
    }
  }
  t.diagnostic(`saturated (sample, unit) share per hidden layer: N(0,1) ${shares.normal.join(', ')}; Glorot ${shares.glorot.join(', ')}`);
  const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
  assert.ok(mean(shares.normal) > 0.04, `N(0,1): ${shares.normal}`);
  assert.ok(mean(shares.glorot) < 0.01, `Glorot: ${shares.glorot}`);
});
