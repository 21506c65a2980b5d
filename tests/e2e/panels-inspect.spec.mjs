// Issue 6's promises: the inspection panels draw for narrow, 3-unit and wide layers in
// classification and regression; the 2-3-2 (and 2-3-1) sigmoid network on concentric rings lifts them apart so a
// plane separates what no line in the input plane can; ReLU units die under a huge learning
// rate. Checked on the numbers the page exports, with screenshots kept for looking at.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, screenshot, canvasInk, waitForLive } from './harness.mjs';

const PANELS = ['panel-hidden', 'panel-activation', 'panel-health', 'panel-confusion', 'panel-roc', 'panel-summary'];

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

/** A fresh page on `hash`, with the problems it records. */
async function open(hash) {
  const { page, problems } = await openApp(browser.context, `${server.url}#${hash}`);
  await page.getByTestId('inspector').waitFor();
  return { page, problems };
}

async function epoch(page) {
  return Number(await page.getByTestId('epoch').textContent());
}

async function steps(page, n) {
  const start = await epoch(page);
  for (let i = 0; i < n; i++) await page.getByTestId('step').click();
  await page.waitForFunction((want) => Number(document.querySelector('[data-testid=epoch]').textContent) >= want, start + n);
}

async function exported(page) {
  return JSON.parse(await page.getByTestId('hidden-activations').textContent());
}

/** Sets a range input's value the way a user's drag does (an input event). */
async function slide(locator, value) {
  await locator.evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

/**
 * Logistic regression by full-batch gradient descent on standardized features: the best a
 * single hyperplane does on `rows`. Independent of the page's own output layer.
 */
function linearAccuracy(rows, labels) {
  const d = rows[0].length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
  const sd = Array.from({ length: d }, (_, j) =>
    Math.sqrt(rows.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / rows.length) || 1);
  const x = rows.map((r) => r.map((v, j) => (v - mean[j]) / sd[j]));
  const w = new Array(d).fill(0);
  let b = 0;
  for (let it = 0; it < 3000; it++) {
    const gw = new Array(d).fill(0);
    let gb = 0;
    x.forEach((r, i) => {
      const z = r.reduce((s, v, j) => s + v * w[j], b);
      const e = 1 / (1 + Math.exp(-z)) - labels[i];
      r.forEach((v, j) => { gw[j] += e * v; });
      gb += e;
    });
    w.forEach((_, j) => { w[j] -= (1.0 * gw[j]) / x.length; });
    b -= (1.0 * gb) / x.length;
  }
  const right = x.filter((r, i) => (r.reduce((s, v, j) => s + v * w[j], b) > 0 ? 1 : 0) === labels[i]).length;
  return right / x.length;
}

function params(widths) {
  let total = 0;
  for (let i = 1; i < widths.length; i++) total += widths[i - 1] * widths[i] + widths[i];
  return total;
}

for (const problem of ['classification', 'regression']) {
  for (const units of [2, 3, 8]) {
    test(`panels draw for a ${units}-unit hidden layer (${problem})`, async () => {
      const data = problem === 'classification' ? 'dataset=circle' : 'problem=regression&regDataset=reg-plane';
      const { page, problems } = await open(`${data}&networkShape=${units}&activation=tanh&learningRate=0.03`);
      try {
        await steps(page, 3);
        for (const id of PANELS) assert.ok(await page.getByTestId(id).isVisible(), `${id} is visible`);
        const views = units > 3 ? ['2', '3'] : [null];
        for (const dims of views) {
          if (dims) await page.getByTestId('hidden-dims').selectOption(dims);
          const canvases = await page.getByTestId('inspector').locator('canvas').all();
          assert.ok(canvases.length >= 5, `${canvases.length} canvases`);
          for (const canvas of canvases) {
            const ink = await canvasInk(canvas);
            const name = await canvas.getAttribute('data-testid');
            assert.ok(ink > 0.01, `${name} has drawn something (ink ${ink.toFixed(3)})`);
          }
        }
        const ex = await exported(page);
        assert.equal(ex.units, units);
        assert.equal(ex.activations.length, ex.labels.length);
        assert.ok(ex.activations.every((a) => a.length === units && a.every(Number.isFinite)));
        // Summary: 2 inputs (x, y), the hidden layer, one output unit.
        const total = Number(await page.getByTestId('summary-total').textContent());
        assert.equal(total, params([2, units, 1]));
        if (problem === 'classification') {
          const cells = await page.locator('[data-testid^=confusion-cell-]').allTextContents();
          assert.equal(cells.length, 4);
          assert.equal(cells.map(Number).reduce((a, b) => a + b, 0), ex.labels.length, 'every training point counted once');
          // The panels recompute the network from its weights: they must agree with the engine.
          const mine = Number(await page.getByTestId('confusion-accuracy').textContent());
          const engine = Number(await page.getByTestId('accuracy-train').textContent());
          assert.ok(Math.abs(mine - engine) < 1e-3, `confusion accuracy ${mine} vs the session's ${engine}`);
        }
        await screenshot(page.getByTestId('area-inspect'), `panels-${problem}-${units}-units`);
        assert.deepEqual(problems.pageErrors, []);
        assert.deepEqual(problems.consoleErrors, []);
      } finally {
        await page.close();
      }
    });
  }
}

// The course's network is 2-3-2 (two softmax outputs, 17 parameters); TensorFlow Playground's
// form has one sigmoid output (13). Either way the output's boundary is one plane in the hidden
// space: for softmax it is where the two logits tie.
for (const [output, params] of [['softmax', 17], ['sigmoid', 13]]) test(`the 2-3-${output === 'softmax' ? 2 : 1} sigmoid network (${output} output) lifts concentric rings apart so a plane separates them`, async (t) => {
  const { page, problems } = await open(`dataset=rings&networkShape=3&activation=sigmoid&twoClassOutput=${output}&optimizer=adam&learningRate=0.1&batchSize=10`);
  try {
    assert.equal(Number(await page.getByTestId('summary-total').textContent()), params);
    const start = await exported(page);
    await page.getByTestId('play').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]').textContent) >= 60, null, { timeout: 120000 });
    await page.getByTestId('play').click();
    await page.waitForTimeout(200);
    const ex = await exported(page);
    assert.equal(ex.units, 3);
    assert.equal(ex.activation, 'sigmoid');
    const labels = ex.labels.map((l) => (l > 0.5 ? 1 : 0));
    // In the input plane no line separates the rings...
    const flat = linearAccuracy(ex.inputs, labels);
    assert.ok(flat < 0.8, `a line in the input plane gets ${flat.toFixed(3)}`);
    // ...in the hidden layer's 3-D space a plane does: the network's own output plane and one fitted here.
    assert.ok(ex.plane && ex.plane.w.length === 3, 'the output plane is exported');
    const side = (h) => h.reduce((s, v, j) => s + v * ex.plane.w[j], ex.plane.b) > 0 ? 1 : 0;
    const own = ex.activations.filter((h, i) => side(h) === labels[i]).length / labels.length;
    assert.ok(own >= 0.97, `the output plane separates ${own.toFixed(3)} of the points`);
    assert.ok(Math.abs(own - ex.planeAccuracy) < 1e-9, 'the page reports the same share');
    const fitted = linearAccuracy(ex.activations, labels);
    assert.ok(fitted >= 0.97, `a fitted plane in the hidden space gets ${fitted.toFixed(3)}`);
    // Before training the same layer did not separate them.
    assert.ok(start.planeAccuracy < 0.9, `initial plane share ${start.planeAccuracy}`);
    t.diagnostic(`${output} output, epoch ${ex.epoch}: line in input plane ${flat.toFixed(3)}, output plane ${own.toFixed(3)}, fitted plane ${fitted.toFixed(3)}, initial output plane ${start.planeAccuracy.toFixed(3)}`);

    const canvas = page.getByTestId('hidden-canvas');
    await screenshot(page.getByTestId('panel-hidden'), `panels-rings-3d-trained-${output}`);
    // Rotating: a drag and the arrow keys both turn the view.
    const before = await canvas.screenshot();
    const box = await canvas.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 20, { steps: 5 });
    await page.mouse.up();
    const dragged = await canvas.screenshot();
    assert.ok(!before.equals(dragged), 'dragging rotates the 3-D view');
    await canvas.focus();
    await page.keyboard.press('ArrowLeft');
    assert.ok(!dragged.equals(await canvas.screenshot()), 'arrow keys rotate the 3-D view');
    await screenshot(page.getByTestId('panel-hidden'), `panels-rings-3d-rotated-${output}`);

    // Scrubbing back to the first recorded frame shows the untrained representation.
    await slide(page.getByTestId('hidden-epoch'), 0);
    const first = await exported(page);
    assert.equal(first.epoch, 0);
    assert.ok(first.planeAccuracy < own, `epoch 0 separates ${first.planeAccuracy}`);
    await screenshot(page.getByTestId('panel-hidden'), `panels-rings-3d-epoch0-${output}`);
    await screenshot(page.getByTestId('area-inspect'), `panels-rings-trained-${output}`);
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.consoleErrors, []);
  } finally {
    await page.close();
  }
});

test('ReLU units die under a huge learning rate and not under a small one', async (t) => {
  const deadShares = async (page) => Promise.all([0, 1].map(async (l) => Number(await page.getByTestId(`activation-dead-${l}`).textContent())));
  const run = async (lr) => {
    const { page, problems } = await open(`dataset=circle&networkShape=8,8&activation=relu&learningRate=${lr}&batchSize=10`);
    try {
      const start = await deadShares(page);
      await steps(page, 3);
      const end = await deadShares(page);
      await screenshot(page.getByTestId('panel-activation'), `panels-relu-lr-${lr}`);
      assert.deepEqual(problems.pageErrors, []);
      return { start, end };
    } finally {
      await page.close();
    }
  };
  const small = await run(0.03);
  const huge = await run(3);
  const sum = (v) => v.reduce((a, b) => a + b, 0);
  t.diagnostic(`dead shares per layer: lr 0.03 ${small.start} -> ${small.end}; lr 3 ${huge.start} -> ${huge.end}`);
  assert.equal(sum(huge.start), 0, `no dead units at initialization (${huge.start})`);
  assert.ok(sum(huge.end) >= 0.5, `dead shares after lr 3: ${huge.end}`);
  assert.ok(sum(small.end) < sum(huge.end), `lr 0.03 leaves ${small.end}, lr 3 ${huge.end}`);
});

test('the activation panel reads out f and f\' at the marker and explains softmax', async () => {
  const { page, problems } = await open('dataset=circle&networkShape=4&activation=tanh');
  try {
    await page.getByTestId('activation-curve').selectOption('sigmoid');
    await slide(page.getByTestId('activation-z'), 0);
    assert.equal(await page.getByTestId('activation-fz').textContent(), '0.5000');
    assert.equal(await page.getByTestId('activation-dfz').textContent(), '0.2500');
    await page.getByTestId('activation-curve').selectOption('elu');
    await slide(page.getByTestId('activation-alpha'), 2);
    await slide(page.getByTestId('activation-z'), -1);
    assert.equal(await page.getByTestId('activation-fz').textContent(), (2 * (Math.exp(-1) - 1)).toFixed(4));
    await screenshot(page.getByTestId('panel-activation'), 'panels-activation-elu');
    await page.getByTestId('activation-curve').selectOption('softmax');
    assert.match(await page.getByTestId('softmax-p').textContent(), /sum 1/);
    assert.ok(await canvasInk(page.getByTestId('activation-canvas')) > 0.01);
    await screenshot(page.getByTestId('panel-activation'), 'panels-activation-softmax');
    // Per-layer activation picker: switching hidden layer 1 to ReLU reaches the config and the panels.
    await page.getByTestId('layer-activation-0').selectOption('relu');
    await page.waitForFunction(() => location.hash.includes('activations=relu'));
    await waitForLive(page);
    assert.equal((await exported(page)).activation, 'relu');
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.consoleErrors, []);
  } finally {
    await page.close();
  }
});

test('vanishing gradients: a deep sigmoid network\'s first layer gets decades less gradient than ReLU\'s', async (t) => {
  const firstOverLast = async (activation) => {
    const { page, problems } = await open(`dataset=circle&networkShape=8,8,8,8,8&activation=${activation}&learningRate=0.03`);
    try {
      await steps(page, 1);
      await page.getByTestId('health-norm-5').waitFor();
      const norms = [];
      for (let l = 0; l < 6; l++) norms.push(Number(await page.getByTestId(`health-norm-${l}`).textContent()));
      assert.ok(norms.every((v) => Number.isFinite(v) && v > 0), `norms ${norms}`);
      t.diagnostic(`${activation} gradient norms, first hidden to output: ${norms.join(' ')}`);
      for (const id of ['health-weights', 'health-gradients', 'health-norms']) {
        assert.ok(await canvasInk(page.getByTestId(id)) > 0.01, `${id} has drawn`);
      }
      await screenshot(page.getByTestId('panel-health'), `panels-health-deep-${activation}`);
      assert.deepEqual(problems.pageErrors, []);
      return norms[0] / norms[4];
    } finally {
      await page.close();
    }
  };
  const sigmoid = await firstOverLast('sigmoid');
  const relu = await firstOverLast('relu');
  assert.ok(sigmoid < 1e-2, `sigmoid: first / last hidden layer gradient norm ${sigmoid}`);
  assert.ok(relu > 0.1, `relu: first / last hidden layer gradient norm ${relu}`);
});

// Two classes: the ROC panel's area, from the page's own forward pass over the test points,
// is the AUC the session reports from its evaluation in the worker, and a trained network ranks
// the circle's classes almost perfectly. More classes, or regression, have no curve and say why.
test('the ROC panel and the AUC readout agree, and a trained network ranks the circle almost perfectly', async () => {
  const { page, problems } = await open('dataset=circle&networkShape=4,2&activation=tanh&learningRate=0.03');
  try {
    await steps(page, 1);
    const readAuc = async () => ({
      session: Number(await page.getByTestId('auc-test').getAttribute('data-value')),
      panel: Number(await page.getByTestId('roc-auc').getAttribute('data-value')),
    });
    // The inspector adopts a snapshot a moment after the readouts do: wait for it (as after
    // training below), and if they never agree say in what state the page was.
    const agree = () => page.waitForFunction(() => {
      const value = (id) => Number(document.querySelector(`[data-testid=${id}]`)?.dataset.value);
      return Math.abs(value('roc-auc') - value('auc-test')) < 2e-3;
    }, null, { timeout: 10000 }).then(() => true, () => false);
    const agreed = await agree();
    const early = await readAuc();
    const state = `epoch ${await epoch(page)}, play pressed ${await page.getByTestId('play').getAttribute('aria-pressed')}`;
    assert.ok(early.session >= 0 && early.session <= 1, `AUC ${early.session}`);
    assert.ok(agreed, `panel ${early.panel} vs session ${early.session} (${state})`);
    await page.getByTestId('play').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]').textContent) >= 150, null, { timeout: 120000 });
    await page.getByTestId('play').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=play]').getAttribute('aria-pressed') === 'false');
    // Paused, the panels catch up with the last snapshot.
    assert.ok(await agree(), `after training: ${JSON.stringify(await readAuc())}`);
    const trained = await readAuc();
    assert.ok(trained.session > 0.95, `trained AUC ${trained.session}`);
    assert.ok(Math.abs(trained.panel - trained.session) < 2e-3, `panel ${trained.panel} vs session ${trained.session}`);
    assert.ok(await canvasInk(page.getByTestId('roc-canvas')) > 0.01, 'the curve is drawn');
    assert.match(await page.getByTestId('roc-canvas').getAttribute('aria-label'), /^ROC curve on the test points: area under the curve (0\.9\d\d|1\.000) /);
    await page.getByTestId('roc-split').selectOption('train');
    assert.match(await page.getByTestId('roc-canvas').getAttribute('aria-label'), /^ROC curve on the training points/);
    await screenshot(page.getByTestId('panel-roc'), 'panel-roc-circle');
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.consoleErrors, []);
  } finally {
    await page.close();
  }
  for (const [hash, why] of [['dataset=spiral3', /exactly two classes/], ['problem=regression&regDataset=reg-plane', /regression has none/]]) {
    const other = await open(hash);
    try {
      assert.match(await other.page.getByTestId('roc-none').textContent(), why);
      assert.equal(await other.page.getByTestId('auc-test').count(), 0, `${hash}: no AUC readout`);
    } finally {
      await other.page.close();
    }
  }
});

test('edge shapes: no hidden layer, and a 1-unit layer, render without errors', async () => {
  for (const shape of ['', '1']) {
    const { page, problems } = await open(`dataset=gauss&networkShape=${shape}&activation=tanh`);
    try {
      await steps(page, 1);
      for (const id of PANELS) assert.ok(await page.getByTestId(id).isVisible(), `${id} is visible for shape "${shape}"`);
      const total = Number(await page.getByTestId('summary-total').textContent());
      assert.equal(total, shape === '' ? params([2, 1]) : params([2, 1, 1]));
      if (shape === '1') {
        assert.ok(await canvasInk(page.getByTestId('hidden-canvas')) > 0.01, 'one unit is drawn on a line');
        assert.equal((await exported(page)).units, 1);
      } else {
        assert.match(await page.getByTestId('panel-hidden').textContent(), /no hidden layer/);
      }
      await screenshot(page.getByTestId('area-inspect'), `panels-shape-${shape || 'none'}`);
      assert.deepEqual(problems.pageErrors, []);
      assert.deepEqual(problems.consoleErrors, []);
    } finally {
      await page.close();
    }
  }
});

test('three classes: the hidden-layer view draws each pair\'s boundary only where those two classes lead', async (t) => {
  const dot = (w, h) => w.reduce((s, v, j) => s + v * h[j], 0);
  for (const units of [2, 3, 6]) {
    const { page, problems } = await open(`dataset=clouds3&networkShape=${units}&activation=tanh&learningRate=0.03&batchSize=10`);
    try {
      await steps(page, 8);
      const ex = await exported(page);
      assert.equal(ex.units, units);
      assert.equal(ex.view, units <= 3 ? 'units' : 'pca');
      // Three softmax units, and one boundary per pair: (w_j - w_i) . h + (b_j - b_i) = 0.
      assert.equal(ex.output.w.length, 3);
      assert.deepEqual(ex.boundaries.map((b) => b.pair), [[0, 1], [0, 2], [1, 2]]);
      for (const { pair: [i, j], w, b } of ex.boundaries) {
        w.forEach((v, d) => assert.ok(Math.abs(v - (ex.output.w[j][d] - ex.output.w[i][d])) < 1e-12));
        assert.ok(Math.abs(b - (ex.output.b[j] - ex.output.b[i])) < 1e-12);
      }
      assert.equal(ex.plane, null, 'no single plane for three classes');
      const logits = (h) => ex.output.w.map((w, k) => dot(w, h) + ex.output.b[k]);
      const argmax = (z) => z.indexOf(Math.max(...z));
      // Per class, recomputed here from the exported activations and output layer...
      const perClass = [0, 1, 2].map((k) => ({
        points: ex.labels.filter((l) => l === k).length,
        correct: ex.activations.filter((h, s) => ex.labels[s] === k && argmax(logits(h)) === k).length,
      }));
      assert.deepEqual(ex.perClass, perClass);
      // ...and as the confusion panel counts them from the engine's forward pass.
      for (let k = 0; k < 3; k++) {
        const cell = Number(await page.getByTestId(`confusion-cell-${k}-${k}`).textContent());
        assert.equal(cell, perClass[k].correct, `class ${k}: confusion diagonal vs hidden-space argmax`);
      }
      // The per-class scores are the matrix's own ratios (recomputed here from its cells).
      const m = [];
      for (let a = 0; a < 3; a++) {
        m.push([]);
        for (let p = 0; p < 3; p++) m[a].push(Number(await page.getByTestId(`confusion-cell-${a}-${p}`).textContent()));
      }
      // Shown to three decimals (the page rounds in f32): within half a unit of the third, or
      // a dash where the ratio has no points to stand on.
      const near = async (id, v, what) => {
        const text = (await page.getByTestId(id).textContent()).trim();
        if (!Number.isFinite(v)) return assert.equal(text, '–', what);
        assert.ok(Math.abs(Number(text) - v) <= 5.01e-4, `${what}: ${text} vs ${v}`);
      };
      const recalls = [];
      for (let k = 0; k < 3; k++) {
        const support = m[k].reduce((x, y) => x + y, 0);
        const called = m.reduce((x, row) => x + row[k], 0);
        const recall = support ? m[k][k] / support : NaN;
        const precision = called ? m[k][k] / called : NaN;
        if (support) recalls.push(recall);
        const f1 = Number.isFinite(recall) && Number.isFinite(precision)
          ? (recall + precision > 0 ? (2 * recall * precision) / (recall + precision) : 0) : NaN;
        await near(`recall-${k}`, recall, `class ${k} recall`);
        await near(`precision-${k}`, precision, `class ${k} precision`);
        await near(`f1-${k}`, f1, `class ${k} F1`);
      }
      await near('balanced-accuracy', recalls.reduce((x, y) => x + y, 0) / recalls.length, 'balanced accuracy');
      let drawn = 0;
      if (ex.view === 'units') {
        // Every drawn piece lies where its two classes tie and the third is below them.
        for (const { pair: [i, j], drawn: pieces } of ex.boundaries) {
          if (pieces.length) drawn++;
          for (const [p, q] of pieces) {
            for (const h of [p, q, p.map((v, d) => (v + q[d]) / 2)]) {
              const z = logits(h);
              const scale = 1 + Math.max(...z.map(Math.abs));
              assert.ok(Math.abs(z[i] - z[j]) < 1e-6 * scale, `pair ${i}|${j} ties at ${h}: ${z}`);
              assert.ok(z.every((v) => v <= z[i] + 1e-6 * scale), `pair ${i}|${j} leads at ${h}: ${z}`);
            }
          }
        }
        assert.ok(drawn >= 2, `${drawn} pairs drawn`);
      } else {
        drawn = ex.boundaries.filter((b) => b.drawn.length).length;
      }
      assert.ok(await canvasInk(page.getByTestId('hidden-canvas')) > 0.01);
      t.diagnostic(`${units} units (${ex.view}): per class ${JSON.stringify(perClass)}, ${drawn} pairs drawn`);
      await screenshot(page.getByTestId('panel-hidden'), `panels-3class-${units}-units`);
      assert.deepEqual(problems.pageErrors, []);
      assert.deepEqual(problems.consoleErrors, []);
    } finally {
      await page.close();
    }
  }
});

test('while training runs the panels stay live, catch up when scrolled back into view, and are exact after a pause', async () => {
  const { page, problems } = await open('dataset=circle&networkShape=8,8&activation=tanh&learningRate=0.03&batchSize=10');
  try {
    const shownEpoch = () => page.evaluate(() => JSON.parse(document.querySelector('[data-testid=hidden-activations]').textContent).epoch);
    // (Clicking play scrolls the page up to the button: bring the panel into view after.)
    await page.getByTestId('play').click();
    await page.getByTestId('panel-hidden').scrollIntoViewIfNeeded();
    // Live while playing: the hidden-layer panel moves past epoch 3 without a pause.
    await page.waitForFunction(() => JSON.parse(document.querySelector('[data-testid=hidden-activations]').textContent).epoch >= 3, null, { timeout: 60000 });
    // Out of view it may wait; scrolled back it catches up with what the page had trained by then.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]').textContent) >= 12, null, { timeout: 60000 });
    const trained = await epoch(page);
    await page.getByTestId('panel-hidden').scrollIntoViewIfNeeded();
    await page.waitForFunction((want) => JSON.parse(document.querySelector('[data-testid=hidden-activations]').textContent).epoch >= want, trained, { timeout: 60000 });
    await page.getByTestId('play').click();
    await page.waitForTimeout(300);
    // Paused: every panel shows the page's current epoch and weights.
    assert.equal(await shownEpoch(), await epoch(page));
    const mine = Number(await page.getByTestId('confusion-accuracy').textContent());
    const engine = Number(await page.getByTestId('accuracy-train').textContent());
    assert.ok(Math.abs(mine - engine) < 1e-3, `confusion accuracy ${mine} vs the session's ${engine}`);
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.consoleErrors, []);
  } finally {
    await page.close();
  }
});
