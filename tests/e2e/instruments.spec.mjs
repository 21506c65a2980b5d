// The course's instruments as a student uses them. The optimizer race: on the ill-conditioned
// bowl momentum reaches the minimum in fewer steps than plain SGD at the same learning rate,
// a changed hyper-parameter changes its path, a value out of range is clamped with a notice
// naming the range, and the race animates (screenshot mid-run). The loss landscape: in the
// linear-regression lesson the live path of (w, b) ends within 0.05 of (0.2, 1) and the grid's
// lowest point lies there too; a network with two hidden layers gets a filter-normalized slice
// with its path. Screenshots go to the artifacts folder.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, screenshot, canvasInk } from './harness.mjs';

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

async function withPage(hash, body) {
  const browser = await launch({ viewport: { width: 1280, height: 1000 } });
  try {
    const { page, problems } = await openApp(browser.context, server.url + hash, { asIs: true });
    await body(page);
    assert.deepEqual(problems.pageErrors, [], 'no uncaught exceptions');
    assert.deepEqual(problems.consoleErrors, [], 'no console errors');
    assert.deepEqual(problems.offLoopback, [], 'nothing leaves loopback');
  } finally {
    await browser.close();
  }
}

/** Opens a collapsible instrument (`panel-race`, `panel-landscape`) if it is closed. */
async function openPanel(page, testid) {
  const panel = page.getByTestId(testid);
  if ((await panel.getAttribute('open')) === null) await page.getByTestId(`${testid}-toggle`).click();
  await page.waitForFunction((id) => document.querySelector(`[data-testid=${id}]`).open, testid);
  return panel;
}

/** Types `value` into a field and leaves it, as a student does (the change is committed). */
async function setField(page, testid, value) {
  const field = page.getByTestId(testid);
  await field.fill(String(value));
  await field.press('Tab');
}

const valueOf = (page, testid) => page.getByTestId(testid).getAttribute('data-value');
const stepsOrNever = (v) => (v === 'not reached' ? Infinity : Number(v));

test('the race: momentum beats SGD on the bowl, a setting moves a path, a bad value is clamped', async () => {
  await withPage('#playground', async (page) => {
    const panel = await openPanel(page, 'panel-race');
    assert.equal(await page.getByTestId('race-surface').inputValue(), 'quadratic', 'the ill-conditioned bowl first');

    // The same learning rate for both, then the whole race.
    await setField(page, 'race-lr-sgd', 0.03);
    await setField(page, 'race-lr-momentum', 0.03);
    await setField(page, 'race-momentum-momentum', 0.9);
    await page.getByTestId('race-finish').click();
    assert.equal(await valueOf(page, 'race-step'), '300');
    const sgd = stepsOrNever(await valueOf(page, 'race-steps-to-min-sgd'));
    const momentum = stepsOrNever(await valueOf(page, 'race-steps-to-min-momentum'));
    assert.ok(Number.isFinite(momentum), 'momentum reaches the minimum');
    assert.ok(momentum < sgd, `momentum took ${momentum} steps, SGD ${sgd}`);
    for (const name of ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam']) {
      const loss = Number(await valueOf(page, `race-loss-${name}`));
      assert.ok(Number.isFinite(loss) && loss >= 0, `${name}'s loss readout ${loss}`);
      assert.ok(await page.getByTestId(`race-steps-to-min-${name}`).count(), `${name}'s steps readout`);
    }

    // A hyper-parameter changes the path.
    const before = await page.getByTestId('race-path-adam').getAttribute('data-end');
    await setField(page, 'race-lr-adam', 0.01);
    const afterChange = await page.getByTestId('race-path-adam').getAttribute('data-end');
    assert.notEqual(afterChange, before, 'a smaller learning rate ends Adam elsewhere');
    await setField(page, 'race-beta1-adam', 0.5);
    assert.notEqual(await page.getByTestId('race-path-adam').getAttribute('data-end'), afterChange, 'so does β₁');

    // Out of range: clamped, and the notice names the range.
    await setField(page, 'race-momentum-momentum', 1.5);
    const notice = page.getByTestId('race-notice');
    await notice.waitFor();
    assert.match(await notice.textContent(), /kept between 0 to 0\.999: 1\.5 became 0\.999/);
    assert.equal(await page.getByTestId('race-momentum-momentum').inputValue(), '0.999');
    // A number field holds no letters; an emptied one is what a student can leave behind.
    await setField(page, 'race-lr-sgd', '');
    assert.match(await notice.textContent(), /must be a number from 0\.00001 to 5|must be a number from 1e-5 to 5/);
    assert.equal(await page.getByTestId('race-lr-sgd').inputValue(), '0.03', 'the old value stays');

    // Another surface, and the race animates: reset, play, look mid-run.
    await page.getByTestId('race-surface').selectOption('rosenbrock');
    assert.equal(await valueOf(page, 'race-step'), '0');
    await page.getByTestId('race-play').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=race-step]').dataset.value) >= 80);
    await screenshot(panel, 'race-mid-run');
    await page.getByTestId('race-play').click(); // pause
    const paused = await valueOf(page, 'race-step');
    assert.ok(Number(paused) < 300, `paused mid-run at ${paused}`);
    await page.getByTestId('race-reset').click();
    assert.equal(await valueOf(page, 'race-step'), '0');
  });
});

test('the optimizers lesson names the race and opens it', async () => {
  await withPage('#lesson=optimizers', async (page) => {
    await page.locator('[data-testid=lesson][data-lesson="optimizers"]').waitFor();
    assert.match(await page.getByTestId('lesson').textContent(), /optimizer race/);
    assert.ok(await page.getByTestId('panel-race').evaluate((el) => el.open), 'open in this lesson');
    await page.getByTestId('race').waitFor();
  });
});

/** The number of points of the landscape's path polyline. */
const pathPoints = (page) => page.getByTestId('landscape-path').evaluate((el) => el.getAttribute('points').trim().split(/\s+/).filter(Boolean).length);

/** Presses Recompute and waits for the host's new answer. */
async function recompute(page) {
  const before = Number(await page.getByTestId('landscape').getAttribute('data-answers'));
  await page.getByTestId('landscape-recompute').click();
  await page.waitForFunction((b) => Number(document.querySelector('[data-testid=landscape]').dataset.answers) > b, before);
}

test('the landscape: the linear-regression path ends at (0.2, 1), on the surface\'s lowest point', async () => {
  await withPage('#lesson=linear-regression', async (page) => {
    await page.locator('[data-testid=lesson][data-lesson="linear-regression"]').waitFor();
    const panel = page.getByTestId('panel-landscape');
    assert.ok(await panel.evaluate((el) => el.open), 'open in this lesson');
    await page.getByTestId('landscape-min').waitFor();
    assert.match(await page.getByTestId('landscape-directions').textContent(), /weight w across, the bias b up/);
    assert.equal(await page.getByTestId('landscape-grid').getAttribute('data-value'), '41');

    await page.getByTestId('play').click();
    await page.waitForFunction(() => {
      const end = document.querySelector('[data-testid=landscape-path-end]');
      return end && Math.abs(end.dataset.w - 0.2) < 0.05 && Math.abs(end.dataset.b - 1) < 0.05;
    });
    await page.getByTestId('play').click(); // pause
    const end = page.getByTestId('landscape-path-end');
    const [w, b] = [Number(await end.getAttribute('data-w')), Number(await end.getAttribute('data-b'))];
    assert.ok(Math.abs(w - 0.2) < 0.05 && Math.abs(b - 1) < 0.05, `the path ends at (${w}, ${b})`);

    await recompute(page);
    const min = page.getByTestId('landscape-min');
    const [a0, b0] = [Number(await min.getAttribute('data-a')), Number(await min.getAttribute('data-b'))];
    assert.ok(Math.abs(a0 - 0.2) < 0.1 && Math.abs(b0 - 1) < 0.1, `the lowest grid point (${a0}, ${b0}) is near the line`);
    const centre = Number(await page.getByTestId('landscape-center-loss').getAttribute('data-value'));
    assert.ok(Number(await min.getAttribute('data-value')) <= centre, 'nothing on the grid below its minimum');
    assert.ok((await pathPoints(page)) > 5, 'the path from (0, 0) is drawn');
    assert.ok((await canvasInk(page.getByTestId('landscape-contours'))) > 0.2, 'the contours are drawn');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(panel, 'landscape-linear-regression');
  });
});

test('the landscape of a two-hidden-layer network: a filter-normalized slice with its path', async () => {
  await withPage('#dataset=circle&networkShape=4,3&activation=tanh&learningRate=0.03', async (page) => {
    await page.getByTestId('play').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]').textContent) >= 30);
    await page.getByTestId('play').click(); // pause
    const panel = await openPanel(page, 'panel-landscape');
    await page.getByTestId('landscape-min').waitFor();
    await recompute(page);
    assert.match(await page.getByTestId('landscape-directions').textContent(), /filter-normalized/);
    assert.equal(await page.getByTestId('landscape-grid').getAttribute('data-value'), '41');
    const centre = Number(await page.getByTestId('landscape-center-loss').getAttribute('data-value'));
    assert.ok(Number.isFinite(centre) && centre > 0, `the current loss ${centre}`);
    assert.ok((await pathPoints(page)) > 3, 'the recorded weights are projected onto the slice');
    assert.ok((await canvasInk(page.getByTestId('landscape-contours'))) > 0.2, 'the contours are drawn');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(panel, 'landscape-two-hidden-layers');
  });
});

/** The function-approximation view's cost readout: now, and at the start of the run. */
async function approxCost(page) {
  const el = page.getByTestId('approx-cost');
  return { now: Number(await el.getAttribute('data-value')), start: Number(await el.getAttribute('data-start')) };
}

test('universal approximation: the course\'s steps, their cost below a tenth of its start, a unit alone', async () => {
  await withPage('#lesson=universal-approximation', async (page) => {
    await page.locator('[data-testid=lesson][data-lesson="universal-approximation"]').waitFor();
    assert.equal(await page.getByTestId('lesson-coming').count(), 0, 'the lesson has its view');
    const panel = page.getByTestId('panel-approximation');
    assert.ok(await panel.evaluate((el) => el.open), 'open in this lesson');
    assert.equal(await page.getByTestId('approx-steps').isChecked(), true, 'the course\'s construction');
    assert.equal(await page.getByTestId('approx-units').getAttribute('data-units'), '100');
    // The steps are fixed: the first layer's box is ticked and cannot be unticked there, and the
    // diagram says so.
    assert.equal(await page.getByTestId('layer-freeze-0').isChecked(), true);
    assert.equal(await page.getByTestId('layer-freeze-0').isDisabled(), true);
    assert.equal(await page.getByTestId('frozen-0').count(), 1, 'the diagram marks the frozen layer');
    await page.waitForFunction(() => document.querySelector('[data-testid=approx-cost]')?.dataset.start !== '');
    const { start } = await approxCost(page);
    console.log('approximation start cost', start);
    assert.ok(start > 3, `the bumps of height 1 start far off: ${start}`);

    await page.getByTestId('play').click();
    // Mid-training: the output has sunk part of the way onto the points.
    await page.waitForFunction((s) => Number(document.querySelector('[data-testid=approx-cost]').dataset.value) < s / 3, start, { timeout: 60_000 });
    await screenshot(panel, 'approximation-mid-training');
    await page.waitForFunction((s) => Number(document.querySelector('[data-testid=approx-cost]').dataset.value) < s / 10, start, { timeout: 60_000 });
    // The first task's goal: about the course's 0.078.
    await page.waitForFunction(() => document.querySelector('[data-testid=task][data-task="1"]')?.dataset.reached === 'true', null, { timeout: 120_000 });
    await page.getByTestId('play').click();
    const end = await approxCost(page);
    const epoch = Number(await page.getByTestId('epoch').textContent());
    console.log('approximation', { start, end: end.now, epoch });
    assert.ok(end.now < start / 10 && end.now < 0.085, `cost ${start} -> ${end.now}`);
    assert.ok(epoch > 600 && epoch < 1500, `about a thousand epochs: ${epoch}`);
    const loss = Number(await page.getByTestId('loss-train').textContent());
    assert.ok(Math.abs(loss - end.now) < 0.01, `the view's cost is the training loss: ${end.now} vs ${loss}`);
    // The summary counts like Keras: 100 steps and their biases and the output bias are fixed.
    await page.getByTestId('panel-summary').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('[data-testid=summary-non-trainable]')?.textContent === '201');
    assert.equal(await page.getByTestId('summary-trainable').textContent(), '100');
    await panel.scrollIntoViewIfNeeded();

    // One unit alone: by the slider (keyboard and screen readers), then by hovering its curve.
    await page.getByTestId('approx-unit').fill('11');
    assert.match(await page.getByTestId('approx-selected').textContent(), /^Unit 11: a step up at x = 0\.101, steepness 100\.0, output weight [+-]/);
    assert.equal(await page.getByTestId('approx-alone').count(), 1);
    await page.getByTestId('approx-unit').fill('0');
    assert.equal(await page.getByTestId('approx-alone').count(), 0);
    await page.getByTestId('approx-pairs').check();
    await page.getByTestId('approx-unit').fill('6');
    assert.match(await page.getByTestId('approx-selected').textContent(), /^Pair 6: units 11 and 12/);
    await page.getByTestId('approx-unit').fill('0');
    // Hovering: the curve nearest the pointer is drawn alone.
    const box = await page.getByTestId('approx-parts').boundingBox();
    let hovered = false;
    for (let dy = 0.2; dy < 0.85 && !hovered; dy += 0.02) {
      await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * dy);
      hovered = (await page.getByTestId('approx-alone').count()) === 1;
    }
    assert.ok(hovered, 'a pair drawn alone under the pointer');
    assert.match(await page.getByTestId('approx-selected').textContent(), /^Pair \d+/);
    await screenshot(panel, 'approximation-trained');
  });
});

test('freeze layer: a frozen layer keeps its weights while the others train, and the URL keeps it', async () => {
  await withPage('#dataset=xor&networkShape=3&learningRate=0.1', async (page) => {
    await page.getByTestId('layer-freeze-0').check();
    await page.waitForFunction(() => location.hash.includes('freeze=1'));
    assert.equal(await page.getByTestId('frozen-0').count(), 1);
    const first = await page.getByTestId('link-0-0-0').getAttribute('data-value');
    const second = await page.getByTestId('link-1-0-0').getAttribute('data-value');
    for (let i = 0; i < 5; i++) await page.getByTestId('step').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]').textContent) >= 5);
    await page.waitForFunction((w) => document.querySelector('[data-testid=link-1-0-0]').dataset.value !== w, second);
    assert.equal(await page.getByTestId('link-0-0-0').getAttribute('data-value'), first, 'the frozen layer did not move');
    // Thawed, it trains again.
    await page.getByTestId('layer-freeze-0').uncheck();
    await page.waitForFunction(() => !location.hash.includes('freeze='));
    for (let i = 0; i < 3; i++) await page.getByTestId('step').click();
    await page.waitForFunction((w) => document.querySelector('[data-testid=link-0-0-0]').dataset.value !== w, first);
  });
});

test('a 500-unit step layer trains with the view open, redrawn four times a second', async () => {
  await withPage('#problem=regression&regDataset=func1d&samples=125&percTrainData=80&noise=0&networkShape=500&activation=sigmoid&x=true&y=false&loss=sse&optimizer=sgd&learningRate=0.00005&batchSize=100&steps=100&speed=max', async (page) => {
    assert.ok(await page.getByTestId('panel-approximation').evaluate((el) => el.open), 'a link with steps opens the view');
    assert.equal(await page.getByTestId('approx-units').getAttribute('data-units'), '500');
    await page.getByTestId('approx-throttled').waitFor();
    assert.equal(await page.getByTestId('layer-block-0').textContent(), '500', 'the diagram collapses the wide layer');
    await page.waitForFunction(() => document.querySelector('[data-testid=approx-cost]')?.dataset.start !== '');
    const { start } = await approxCost(page);
    await page.getByTestId('play').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]').textContent) >= 200, null, { timeout: 60_000 });
    await page.getByTestId('play').click();
    const end = await approxCost(page);
    console.log('500 steps', { start, end: end.now });
    assert.ok(end.now < start, `${start} -> ${end.now}`);
    await screenshot(page.getByTestId('panel-approximation'), 'approximation-500-units');
  });
});
