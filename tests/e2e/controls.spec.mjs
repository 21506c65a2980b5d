// Controls that do what they show: every hide name removes its control and only it; the noise
// slider says why it is off for the 3-class clouds; cross-entropy on a regression problem is
// refused with a notice; the activation panel's alpha reaches the URL (and so the training);
// the batch-size slider reaches a full batch.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, screenshot, waitForLive } from './harness.mjs';

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

/**
 * A page where every control is on screen: momentum shown, a leaky-ReLU layer for the alpha, a
 * schedule and early stopping with their settings.
 */
const BASE = 'optimizer=momentum&activation=leakyrelu&networkShape=2&lrSchedule=step&earlyStop=loss';
/** Adam's settings show only for Adam, momentum's only for momentum: each checked on its own page. */
const ADAM = 'optimizer=adam';

/**
 * Each hide name (src/config/controls.rs; a native test checks that this list has them all) and
 * the data-testids of its controls. `hash` opens the page where the control shows; `disabled`
 * lists controls that stay in the diagram but stop reacting; `unseen` ones stay in the page but
 * are not shown; `contains` names controls inside this one (hidden with it); `alone` controls
 * exist only on their own page (`hash`), so other pages do not look for them; `lacks` names the
 * controls that page has no place for (a regression has no two-class output).
 */
const HIDDEN = {
  playButton: { ids: ['play'] },
  stepButton: { ids: ['step', 'step-batch'] },
  resetButton: { ids: ['reset'] },
  activation: { ids: ['activation', 'layer-activation-0'] },
  batchSize: { ids: ['batch-size'] },
  dataset: { ids: ['dataset-circle', 'dataset-func1d'] },
  learningRate: { ids: ['learning-rate'] },
  regularization: { ids: ['regularization'] },
  regularizationRate: { ids: ['regularization-rate'] },
  noise: { ids: ['noise'] },
  numHiddenLayers: { ids: ['add-layer', 'remove-layer', 'add-neuron-0', 'remove-neuron-0'] },
  regenerateButton: { ids: ['regenerate'] },
  showTestData: { ids: ['show-test-data'] },
  discretize: { ids: ['discretize'] },
  percTrainData: { ids: ['perc-train'] },
  features: { disabled: ['feature-x', 'feature-sinx'] },
  problem: { ids: ['problem'] },
  init: { ids: ['init', 'layer-init-0', 'layer-init-1'] },
  optimizer: { ids: ['optimizer'] },
  momentum: { ids: ['momentum'], hash: 'optimizer=momentum', alone: true },
  optimizerParams: { ids: ['beta1', 'beta2', 'epsilon'], hash: ADAM, alone: true },
  lrSchedule: { ids: ['lr-schedule', 'lr-every', 'lr-factor', 'lr-current'] },
  earlyStop: { ids: ['early-stop', 'patience', 'restore-best', 'early-stop-status'] },
  loss: { ids: ['loss'] },
  twoClassOutput: { ids: ['two-class-output'] },
  dropout: { ids: ['dropout'] },
  freeze: { ids: ['layer-freeze-0', 'layer-freeze-1'] },
  steps: { ids: ['approx-steps'], hash: 'problem=regression&regDataset=func1d&x=true&y=false&steps=100', alone: true, lacks: ['twoClassOutput'] },
  percValData: { ids: ['perc-val'] },
  samples: { ids: ['samples'] },
  newWeightsButton: { ids: ['reinit'] },
  backend: { ids: ['backend-choice'] },
  speed: { ids: ['speed'] },
  logScale: { ids: ['log-scale'] },
  leakyReluAlpha: { ids: ['activation-alpha'], alpha: true },
  eluAlpha: { ids: ['activation-alpha'], alpha: true, hash: 'activation=elu' },
  weightEditing: { ids: ['bias-0-0', 'bias-1-0'] },
  lossChart: { ids: ['panel-loss', 'chart-loss'], contains: ['logScale'] },
  saveArea: { ids: ['area-save'] },
  exportArea: { ids: ['area-export'] },
  layerChoices: { ids: ['layer-choices'], contains: ['activation', 'init', 'twoClassOutput', 'freeze'] },
  hiddenPanel: { ids: ['panel-hidden'] },
  activationPanel: { ids: ['panel-activation'] },
  healthPanel: { ids: ['panel-health'] },
  confusionPanel: { ids: ['panel-confusion'] },
  rocPanel: { ids: ['panel-roc'] },
  summaryPanel: { ids: ['panel-summary'] },
  lessonNav: { ids: ['lesson-gallery-link', 'free-playground', 'lesson-next'], hash: 'lesson=overfitting', alone: true },
  help: { unseen: ['help-data', 'help-run', 'help-hidden-panel'] },
  classroom: { ids: ['classroom-open'] },
};

async function withPage(body) {
  const browser = await launch();
  try {
    const { page, problems } = await openApp(browser.context, server.url);
    await body(page);
    assert.deepEqual(problems.pageErrors, [], 'no uncaught exceptions');
    assert.deepEqual(problems.consoleErrors, [], 'no console errors');
  } finally {
    await browser.close();
  }
}

/** A fresh load of the page at `hash` (a new query string forces a full navigation). */
let loads = 0;
async function load(page, hash) {
  loads += 1;
  await page.goto(`${server.url}?load=${loads}#${hash}`);
  await page.getByTestId('app').waitFor();
  // The inspector's panels render with it (the activation panel itself may be hidden).
  await page.getByTestId('inspector').waitFor();
}

const count = (page, id) => page.getByTestId(id).count();

test('every hide name removes its own controls and leaves the others', async () => {
  await withPage(async (page) => {
    for (const [name, spec] of Object.entries(HIDDEN)) {
      const hash = [BASE, spec.hash, `${name}_hide=true`].filter(Boolean).join('&');
      await load(page, hash);
      assert.equal(await count(page, 'notice'), 0, `${name}_hide is a known name`);
      for (const id of spec.ids ?? []) {
        assert.equal(await count(page, id), 0, `${name}_hide removes ${id}`);
      }
      for (const id of spec.disabled ?? []) {
        assert.equal(await page.getByTestId(id).isDisabled(), true, `${name}_hide disables ${id}`);
      }
      for (const id of spec.unseen ?? []) {
        assert.equal(await page.getByTestId(id).isVisible(), false, `${name}_hide hides ${id}`);
      }
      for (const [other, o] of Object.entries(HIDDEN)) {
        // The alpha slider belongs to the activation the panel shows; it is checked on its own page.
        if (other === name || o.alpha || (spec.alpha && o.ids?.includes('activation-alpha'))) continue;
        if (spec.contains?.includes(other) || spec.lacks?.includes(other) || (o.alone && o.hash !== spec.hash)) continue;
        for (const id of o.ids ?? []) {
          assert.ok(await count(page, id) >= 1, `${name}_hide leaves ${id} (${other})`);
        }
        for (const id of o.disabled ?? []) {
          assert.equal(await page.getByTestId(id).isDisabled(), false, `${name}_hide leaves ${id} usable`);
        }
        for (const id of o.unseen ?? []) {
          assert.equal(await page.getByTestId(id).isVisible(), true, `${name}_hide leaves ${id} shown`);
        }
      }
    }
    // Without hide names, the alpha sliders show.
    for (const hash of [BASE, `${BASE}&activation=elu`]) {
      await load(page, hash);
      assert.equal(await count(page, 'activation-alpha'), 1, hash);
    }
  });
});

test('the noise slider is off for the 3-class clouds and says why', async () => {
  await withPage(async (page) => {
    await load(page, 'dataset=clouds3');
    assert.equal(await page.getByTestId('noise').isDisabled(), true);
    assert.match(await page.getByTestId('noise-unused').textContent(), /noise/i);
    await screenshot(page.getByTestId('area-data'), 'controls-clouds3-noise');
    await load(page, 'dataset=spiral3');
    assert.equal(await page.getByTestId('noise').isDisabled(), false);
    assert.equal(await count(page, 'noise-unused'), 0);
  });
});

test('cross-entropy for a regression problem is refused with a notice', async () => {
  await withPage(async (page) => {
    await load(page, 'problem=regression&loss=crossentropy');
    const notice = page.locator('[data-testid=notice][data-key=loss]');
    assert.equal(await notice.count(), 1, 'the link is refused');
    assert.equal(await page.getByTestId('loss').inputValue(), 'mse');
    await load(page, 'problem=regression');
    assert.equal(await notice.count(), 0);
    // The picker shows cross-entropy but does not let it be picked, and says why.
    const option = page.locator('[data-testid=loss] option[value=crossentropy]');
    assert.equal(await option.evaluate((o) => o.disabled), true);
    assert.match(await option.textContent(), /classification only/);
    assert.equal(await page.getByTestId('loss').inputValue(), 'mse');
    await load(page, 'problem=classification');
    assert.equal(await option.evaluate((o) => o.disabled), false);
  });
});

test('the activation panel\'s alpha is the one the network trains with', async () => {
  await withPage(async (page) => {
    await load(page, 'activation=leakyrelu&networkShape=4');
    const alpha = page.getByTestId('activation-alpha');
    assert.equal(await alpha.inputValue(), '0.01', 'the panel shows the URL\'s alpha');
    await alpha.evaluate((el) => {
      el.value = '0.3';
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.waitForFunction(() => location.hash.includes('leakyReluAlpha=0.3'));
    await waitForLive(page);
    await load(page, 'activation=elu&eluAlpha=0.5&networkShape=4');
    assert.equal(await page.getByTestId('activation-alpha').inputValue(), '0.5');
  });
});

test('the batch-size slider reaches a full batch', async () => {
  await withPage(async (page) => {
    await load(page, 'dataset=circle&batchSize=10');
    const slider = page.getByTestId('batch-size');
    const max = await slider.getAttribute('max');
    await slider.evaluate((el, v) => {
      el.value = v;
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }, max);
    await page.waitForFunction(() => /batchSize=5000(&|$)/.test(location.hash));
    assert.match(await page.locator('label[for=field-batch-size]').textContent(), /full batch/);
    await page.getByTestId('step-batch').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=epoch]').textContent === '1');
  });
});

test('a step schedule halves the rate shown every ten epochs; early stopping ends an overfitting run and says why', async () => {
  await withPage(async (page) => {
    await load(page, 'dataset=xor&learningRate=0.1&lrEvery=10');
    assert.equal(await count(page, 'lr-current'), 0, 'a constant rate has no schedule readout');
    await page.getByTestId('lr-schedule').selectOption('step');
    await page.waitForFunction(() => location.hash.includes('lrSchedule=step'));
    await page.getByTestId('lr-factor').selectOption('0.5');
    await page.waitForFunction(() => location.hash.includes('lrFactor=0.5'));
    for (let i = 0; i < 25; i += 1) await page.getByTestId('step').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=epoch]').textContent === '25');
    // 25 epochs done: two halvings of 0.1 (the engine's rates are f32).
    await page.waitForFunction(() => {
      const v = Number(document.querySelector('[data-testid=lr-current]')?.dataset.value);
      return Math.abs(v - 0.025) < 1e-8;
    });
    await screenshot(page.getByTestId('controls'), 'controls-schedule-early-stop');

    // A large network on 40 noisy points: the validation loss soon turns up.
    await load(page, 'dataset=xor&noise=50&samples=40&percValData=40&networkShape=8,8&activation=relu'
      + '&learningRate=0.3&optimizer=adam&batchSize=4&earlyStop=loss&patience=3');
    await page.getByTestId('play').click();
    const notice = page.getByTestId('early-stopped');
    await notice.waitFor({ timeout: 60_000 });
    const why = await notice.textContent();
    assert.match(why, /^Early stopping ended the run at epoch (\d+): the validation loss had not improved for 3 epochs since epoch (\d+)\. The weights of epoch \2, the best, are back in place\./, why);
    const [, stoppedAt] = why.match(/epoch (\d+)/);
    assert.match(await page.getByTestId('play').textContent(), /Play/, 'play stopped');
    assert.equal(await page.getByTestId('epoch').textContent(), stoppedAt);
    const status = page.getByTestId('early-stop-status');
    assert.equal(await status.getAttribute('data-waited'), '3');
    // Play again does nothing while the stop stands; turning early stopping off trains on.
    await page.getByTestId('play').click();
    assert.match(await page.getByTestId('play').textContent(), /Play/);
    await page.getByTestId('early-stop').selectOption('off');
    await notice.waitFor({ state: 'detached' });
    await page.getByTestId('play').click();
    await page.waitForFunction((e) => Number(document.querySelector('[data-testid=epoch]').textContent) > e, Number(stoppedAt));
    await page.getByTestId('play').click();
  });
});
