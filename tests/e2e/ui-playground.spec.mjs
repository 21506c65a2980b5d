// The playground as a student uses it: open a TensorFlow Playground link, train, step, reset,
// edit a weight, train a 3-class spiral, survive a bad link. Screenshots of each state land in
// the harness's artifacts folder.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, screenshot, andSettle, waitForLive } from './harness.mjs';

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

/** The spiral link from TensorFlow Playground (its keys and values), with the sine features on. */
const TFP_SPIRAL =
  '#activation=tanh&batchSize=10&dataset=spiral&regDataset=reg-plane&learningRate=0.03&regularizationRate=0&noise=0&networkShape=8,8&seed=0.12345&showTestData=false&discretize=false&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=true&cosY=false&sinY=true&collectStats=false&problem=classification&initZero=false&hideText=false';
/** Test loss (binary cross-entropy) the spiral must get below. */
const SPIRAL_TEST_LOSS = 0.3;

async function withApp(hash, body, options = {}) {
  const browser = await launch(options);
  try {
    const { page, problems } = await openApp(browser.context, server.url + hash);
    await body(page, problems);
    assert.deepEqual(problems.pageErrors, [], 'no uncaught exceptions');
    assert.deepEqual(problems.consoleErrors, [], 'no console errors');
  } finally {
    await browser.close();
  }
}

const num = async (page, id) => Number(await page.getByTestId(id).textContent());

/** A fingerprint of a canvas's pixels, to compare two states of a drawing. */
async function pixels(page, id) {
  return page.getByTestId(id).evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i += 1) h = (h * 31 + d[i]) | 0;
    return h;
  });
}

test('a TensorFlow Playground spiral link trains below the stated test loss', async () => {
  await withApp(TFP_SPIRAL, async (page) => {
    assert.equal(await num(page, 'epoch'), 0);
    assert.equal(await page.getByTestId('activation').inputValue(), 'tanh');
    assert.equal(await page.getByTestId('learning-rate').inputValue(), '0.03');
    assert.equal(await page.getByTestId('node-1-7').count(), 1, 'second hidden layer has 8 neurons');
    const start = await num(page, 'loss-test');
    await screenshot(page, 'ui-spiral-start');
    await page.getByTestId('speed').selectOption('max');
    await page.waitForFunction(() => location.hash.includes('speed=max'));
    await waitForLive(page);
    await page.getByTestId('play').click();
    await page.waitForFunction(
      (t) => Number(document.querySelector('[data-testid=loss-test]').textContent) < t,
      SPIRAL_TEST_LOSS,
      { timeout: 60_000 },
    );
    await page.getByTestId('play').click();
    const epoch = await num(page, 'epoch');
    const loss = await num(page, 'loss-test');
    console.log(`spiral: test loss ${start} -> ${loss} at epoch ${epoch}; test accuracy ${await num(page, 'accuracy-test')}`);
    assert.ok(loss < SPIRAL_TEST_LOSS && epoch > 0);
    assert.match(page.url(), /dataset=spiral/, 'the hash still describes the experiment');
    await screenshot(page, 'ui-spiral-trained');
    await screenshot(page.getByTestId('panel-boundary'), 'ui-panel-boundary');
    await screenshot(page.getByTestId('panel-loss'), 'ui-panel-loss');
  });
});

test('step advances exactly one epoch; reset returns to epoch 0 with the same weights', async () => {
  await withApp('#dataset=xor&networkShape=4,2&seed=7&initSeed=3', async (page) => {
    const boundary0 = await pixels(page, 'boundary');
    await page.getByTestId('link-0-0-0').hover();
    const w0 = await page.getByTestId('hover-value').textContent();
    await andSettle(page, () => page.getByTestId('step').click());
    assert.equal(await num(page, 'epoch'), 1);
    await andSettle(page, () => page.getByTestId('step').click());
    assert.equal(await num(page, 'epoch'), 2);
    await andSettle(page, () => page.getByTestId('step-batch').click());
    assert.equal(await num(page, 'epoch'), 2, 'one batch is less than an epoch');
    await andSettle(page, () => page.keyboard.press('s'));
    assert.equal(await num(page, 'epoch'), 3, 'S steps an epoch');
    await page.getByTestId('link-0-0-0').hover();
    assert.notEqual(await page.getByTestId('hover-value').textContent(), w0, 'training moved the weight');
    assert.notEqual(await pixels(page, 'boundary'), boundary0, 'training moved the boundary');
    await screenshot(page, 'ui-stepped');
    await andSettle(page, () => page.getByTestId('reset').click());
    assert.equal(await num(page, 'epoch'), 0);
    await page.getByTestId('link-0-0-0').hover();
    assert.equal(await page.getByTestId('hover-value').textContent(), w0, 'same initial weight');
    assert.equal(await pixels(page, 'boundary'), boundary0, 'same initial boundary');
    // Space plays and pauses; R resets.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press(' ');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]').textContent) > 0);
    await page.keyboard.press(' ');
    assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'false');
    await andSettle(page, () => page.keyboard.press('r'));
    assert.equal(await num(page, 'epoch'), 0);
    // New weights: another init seed, another start, recorded in the URL.
    await page.getByTestId('reinit').click();
    await page.waitForFunction(() => location.hash.includes('initSeed=4'));
    await waitForLive(page);
    assert.notEqual(await pixels(page, 'boundary'), boundary0, 'a different initial boundary');
  });
});

test('editing a weight or the output bias changes the boundary', async () => {
  await withApp('#dataset=circle&networkShape=1', async (page) => {
    const before = await pixels(page, 'boundary');
    await page.getByTestId('link-1-0-0').click();
    await page.getByTestId('weight-input').fill('4');
    // The host (in the worker) applies the edit and sends the redrawn boundary a moment later.
    await andSettle(page, () => page.getByTestId('weight-apply').click());
    const afterWeight = await pixels(page, 'boundary');
    assert.notEqual(afterWeight, before, 'the boundary moved with the weight');
    await page.getByTestId('link-1-0-0').hover();
    assert.equal(await page.getByTestId('hover-value').textContent(), '4.0000');
    await page.getByTestId('bias-1-0').click();
    await page.getByTestId('weight-input').fill('-2.5');
    await andSettle(page, () => page.getByTestId('weight-input').press('Enter'));
    assert.notEqual(await pixels(page, 'boundary'), afterWeight, 'the output bias moves it too');
    await screenshot(page, 'ui-weight-edited');
  });
});

test('a 3-class spiral trains to high accuracy with a softmax output', async () => {
  const hash = '#dataset=spiral3&networkShape=30&activation=relu&optimizer=adam&learningRate=0.01&batchSize=30&init=he&showTestData=true';
  await withApp(hash, async (page) => {
    assert.equal(await page.getByTestId('node-1-2').count(), 1, 'three output units');
    await page.getByTestId('speed').selectOption('max');
    await page.getByTestId('play').click();
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=accuracy-train]').textContent) > 0.9,
      null,
      { timeout: 60_000 },
    );
    await page.getByTestId('play').click();
    console.log(`spiral3: train accuracy ${await num(page, 'accuracy-train')}, test accuracy ${await num(page, 'accuracy-test')} at epoch ${await num(page, 'epoch')}`);
    assert.ok((await num(page, 'accuracy-test')) > 0.8);
    await screenshot(page, 'ui-spiral3-trained');
    await page.getByTestId('discretize').check();
    await screenshot(page.getByTestId('panel-boundary'), 'ui-spiral3-discretized');
  });
});

test('a bad link shows specific notices and falls back to the defaults', async () => {
  await withApp('#activation=swish&learningRate=fast&dataset=imagenet&networkShape=4,two&bogus=1', async (page) => {
    const notices = page.getByTestId('notice');
    assert.equal(await notices.count(), 5);
    const text = await page.getByTestId('notices').textContent();
    for (const key of ['activation', 'learningRate', 'dataset', 'networkShape', 'bogus']) {
      assert.ok(text.includes(key), `notice names ${key}`);
    }
    assert.match(text, /swish.*using tanh/);
    assert.equal(await page.getByTestId('activation').inputValue(), 'tanh');
    assert.equal(await page.getByTestId('learning-rate').inputValue(), '0.03');
    assert.equal(await page.getByTestId('dataset-circle').getAttribute('aria-pressed'), 'true');
    assert.equal(await page.getByTestId('node-1-1').count(), 1, 'default 4,2 network');
    await screenshot(page, 'ui-bad-hash');
  });
});

test('controls update the hash and back/forward restores the state', async () => {
  await withApp('#dataset=circle', async (page) => {
    await page.getByTestId('dataset-xor').click();
    await page.waitForFunction(() => location.hash.includes('dataset=xor'));
    await waitForLive(page);
    await page.getByTestId('add-layer').click();
    await page.waitForFunction(() => location.hash.includes('networkShape=4,2,2'));
    await waitForLive(page);
    await page.getByTestId('learning-rate').selectOption('0.1');
    await page.waitForFunction(() => location.hash.includes('learningRate=0.1'));
    await waitForLive(page);
    await page.goBack();
    await page.waitForFunction(() => location.hash.includes('learningRate=0.03'));
    await waitForLive(page);
    assert.equal(await page.getByTestId('learning-rate').inputValue(), '0.03');
    await page.goBack();
    await page.waitForFunction(() => location.hash.includes('networkShape=4,2&'));
    await waitForLive(page);
    assert.equal(await page.getByTestId('node-3-0').count(), 0, 'the added layer is gone');
    await page.goBack();
    await page.waitForFunction(() => location.hash.includes('dataset=circle'));
    await waitForLive(page);
    assert.equal(await page.getByTestId('dataset-circle').getAttribute('aria-pressed'), 'true');
    await page.goForward();
    await page.waitForFunction(() => location.hash.includes('dataset=xor'));
    await waitForLive(page);
    assert.equal(await page.getByTestId('dataset-xor').getAttribute('aria-pressed'), 'true');
  });
});

test('a diverging run pauses and says what to try', async () => {
  await withApp('#problem=regression&regDataset=reg-plane&learningRate=10&networkShape=8,8&activation=relu', async (page) => {
    await page.getByTestId('play').click();
    await page.getByTestId('diverged').waitFor({ timeout: 30_000 });
    const text = await page.getByTestId('diverged').textContent();
    assert.match(text, /Lower the learning rate/);
    assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'false');
    await screenshot(page, 'ui-diverged');
  });
});

for (const width of [1024, 768]) {
  test(`the layout fits a ${width}-pixel-wide screen`, async () => {
    await withApp('#dataset=spiral&networkShape=8,8,8,8,8,8', async (page) => {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal page scroll (overflow ${overflow}px)`);
      for (const id of ['play', 'panel-boundary', 'panel-loss', 'area-network']) {
        assert.ok(await page.getByTestId(id).isVisible(), `${id} visible`);
      }
      await screenshot(page, `ui-layout-${width}`);
    }, { viewport: { width, height: 900 } });
  });
}
