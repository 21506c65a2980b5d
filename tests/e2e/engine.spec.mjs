// Inside the engine: the backprop stepper walks a 2-3-1 network's step with the engine's own
// numbers and "Take this step" leaves exactly its "after" weights in the network; the gradient
// check shows its worst relative error; the graph panel follows training and can be frozen.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, quiet, screenshot, andSettle } from './harness.mjs';

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

async function withApp(url, body) {
  const browser = await launch({ viewport: { width: 1280, height: 1000 } });
  try {
    const { page, problems } = await openApp(browser.context, server.url + url);
    await body(page);
    assert.deepEqual(problems.consoleErrors, []);
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.offLoopback, []);
  } finally {
    await browser.close();
  }
}

/** A readout's cells (`stepper-<id>`) as numbers, full precision. */
const cells = (page, id) => page.getByTestId(`stepper-${id}`).locator('td')
  .evaluateAll((tds) => tds.map((td) => Number(td.dataset.value)));

/** The network diagram's weights of weight layer `l` as the engine lays out W: [from][to]. */
async function diagramWeights(page, l, from, to) {
  const out = [];
  for (let f = 0; f < from; f += 1) {
    for (let t = 0; t < to; t += 1) {
      out.push(Number(await page.getByTestId(`link-${l}-${t}-${f}`).getAttribute('data-value')));
    }
  }
  return out;
}

const NET = '#dataset=xor&networkShape=3&activation=tanh&learningRate=0.1&batchSize=10&initSeed=3';

test('the stepper walks forward, backward and update with the engine\'s numbers, and takes that very step', async () => {
  await withApp(NET, async (page) => {
    await quiet(page);
    await page.getByTestId('open-stepper').locator('summary').click();
    await page.getByTestId('stepper-pick').selectOption('row');
    await page.getByTestId('stepper-row').fill('5');
    await page.getByTestId('stepper-row').dispatchEvent('change');
    await page.getByTestId('stepper-explain').click();
    const phase = page.getByTestId('stepper-phase');
    await phase.waitFor();
    assert.match(await phase.textContent(), /Forward, layer 1 of 2 \(1 of 6\)/);

    // Forward: the readouts are the weights the network holds, and Z1 = X W1 + b1.
    const [x, w1, b1, z1, a1] = await Promise.all(['X', 'W1', 'b1', 'Z1', 'A1'].map((id) => cells(page, id)));
    assert.deepEqual(w1, await diagramWeights(page, 0, 2, 3));
    for (let j = 0; j < 3; j += 1) {
      const z = x[0] * w1[j] + x[1] * w1[3 + j] + b1[j];
      assert.ok(Math.abs(z - z1[j]) < 1e-5, `Z1[${j}] ${z1[j]} vs ${z}`);
      assert.ok(Math.abs(Math.tanh(z1[j]) - a1[j]) < 1e-5, `A1[${j}]`);
    }
    const formula = page.getByTestId('stepper-formula').locator('math');
    assert.equal(await formula.count(), 1, 'the formula is MathML');

    // By keyboard: to the loss, then the output layer's backward phase.
    await page.getByTestId('backprop-stepper').focus();
    await page.keyboard.press('ArrowRight');
    assert.match(await phase.textContent(), /Forward, layer 2 of 2/);
    const [z2] = await cells(page, 'Z2');
    await page.keyboard.press('ArrowRight');
    assert.match(await phase.textContent(), /The loss/);
    const [y] = await cells(page, 'Y');
    await page.keyboard.press('ArrowRight');
    assert.match(await phase.textContent(), /Backward, layer 2/);
    // The diagram points at the layer of the phase: the output layer's links, not the first's.
    assert.match(await page.getByTestId('link-1-0-0').getAttribute('class'), /stepper-focus/);
    assert.doesNotMatch(await page.getByTestId('link-0-0-0').getAttribute('class'), /stepper-focus/);
    // The course's written-out output error for a sigmoid output and cross-entropy, one row:
    // dZ2 = A2 - Y with A2 = sigmoid(Z2).
    const [dz2Only] = await cells(page, 'dZ2');
    assert.ok(Math.abs(dz2Only - (1 / (1 + Math.exp(-z2)) - y)) < 1e-6, `dZ2 ${dz2Only}, A2 - Y ${1 / (1 + Math.exp(-z2)) - y}`);
    // dW2 = A1^T dZ2 for one row.
    const [dz2, dw2] = await Promise.all(['dZ2', 'dW2'].map((id) => cells(page, id)));
    for (let j = 0; j < 3; j += 1) assert.ok(Math.abs(dw2[j] - a1[j] * dz2[0]) < 1e-6, `dW2[${j}]`);
    await screenshot(page.getByTestId('backprop-stepper'), 'engine-stepper-backward');
    await page.keyboard.press('ArrowLeft');
    assert.match(await phase.textContent(), /The loss/);

    // To the end: the update; plain SGD moves each weight by -lr times its gradient.
    await page.getByTestId('stepper-end').click();
    assert.match(await phase.textContent(), /The update \(6 of 6\)/);
    const w1After = await cells(page, 'W1-after');
    assert.equal(w1After.length, 6);
    assert.notDeepEqual(w1After, w1, 'the step moved the weights');

    // Taking the step leaves exactly those weights in the engine.
    await andSettle(page, () => page.getByTestId('stepper-take').click());
    await quiet(page);
    await page.getByTestId('stepper-taken').waitFor();
    assert.deepEqual(await diagramWeights(page, 0, 2, 3), w1After);
  });
});

test('the gradient check shows its worst relative error and what it means', async () => {
  await withApp('#dataset=circle&networkShape=4,2&activation=tanh&regularization=L2&regularizationRate=0.001', async (page) => {
    await quiet(page);
    await page.getByTestId('open-gradient-check').locator('summary').click();
    await page.getByTestId('gradient-check-run').click();
    const max = page.getByTestId('gradient-check-max');
    await max.waitFor();
    const worst = Number(await max.getAttribute('data-value'));
    assert.ok(worst >= 0 && worst < 1e-2, `worst relative error ${worst}`);
    assert.match(await page.locator('.gradient-check-summary').textContent(), /over 25 elements/);
    assert.match(await page.getByTestId('gradient-check-verdict').textContent(), /^Backpropagation agrees/);
    const errors = await page.getByTestId('gradient-check-table').locator('tbody td[data-value]')
      .evaluateAll((tds) => tds.map((td) => Number(td.dataset.value)));
    assert.equal(errors.length, 25);
    assert.equal(errors[0], worst, 'the worst is on top');
    assert.ok(errors.every((e, i) => i === 0 || errors[i - 1] >= e), 'sorted worst first');
    await screenshot(page.getByTestId('gradient-check'), 'engine-gradient-check');
  });
});

test('the graph panel draws an 8 x 32 network\'s step, follows training and can be frozen', async () => {
  await withApp('#dataset=spiral&networkShape=32,32,32,32,32,32,32,32&activation=tanh&batchSize=10', async (page) => {
    await quiet(page);
    await page.getByTestId('open-graph').locator('summary').click();
    const summary = page.getByTestId('graph-summary');
    await summary.waitFor();
    // Nine weight layers of four nodes each (W, b, X W, f(X W + b)), the inputs x and y, and
    // the loss: the step the trainer runs, without a penalty's reads.
    const nodes = Number((await summary.textContent()).match(/^(\d+) nodes/)[1]);
    assert.equal(nodes, 9 * 4 + 2 + 1);
    const lossNode = async () => page.locator('[data-testid^=graph-node-]').last().getAttribute('data-value');
    const first = await lossNode();
    await page.getByTestId('play').click();
    await page.waitForFunction((v) => {
      const all = document.querySelectorAll('[data-testid^=graph-node-]');
      return all.length && all[all.length - 1].dataset.value !== v;
    }, first);
    await page.getByTestId('graph-freeze').click();
    assert.equal(await page.getByTestId('graph-freeze').getAttribute('aria-pressed'), 'true');
    const frozen = await lossNode();
    await page.waitForTimeout(1500);
    assert.equal(await lossNode(), frozen, 'a frozen graph stays on its step');
    await page.getByTestId('play').click();
    await screenshot(page.getByTestId('panel-graph'), 'engine-graph');
  });
});
