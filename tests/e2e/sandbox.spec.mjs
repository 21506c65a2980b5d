// The graph sandbox as a student uses it: the course's worked examples one click each (12; 7
// and 21 in one run; 14; a counter reading 0, 1, 2, 3), gradients on the nodes, an expression
// error that names its character, bad values with specific messages, the graph view's cards and
// collapsible scopes; and the graphs lesson opening with the sandbox. Screenshots go to the
// artifacts folder.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, screenshot } from './harness.mjs';

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

const fetched = (page, name) => page.getByTestId(`sandbox-fetch-${name}`);
/** The node of the sandbox's graph whose caption starts with `label`. */
const nodeLabelled = (page, label) =>
  page.getByTestId('graph-sandbox').locator('[data-testid^=graph-node-]').filter({
    has: page.locator('text.gv-label', { hasText: new RegExp(`^${label}( |$)`) }),
  });

async function openSandbox(page) {
  const toggle = page.getByTestId('sandbox-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.getByTestId('graph-sandbox').waitFor();
}

test('the worked examples show 12, then 7 and 21, then 14, then 0 1 2 3', async () => {
  await withPage('#playground', async (page) => {
    await openSandbox(page);
    const sandbox = page.getByTestId('graph-sandbox');

    await page.getByTestId('sandbox-example-matmul').click();
    await fetched(page, 'result').waitFor();
    assert.equal(await fetched(page, 'result').getAttribute('data-value'), '12');
    assert.match(await fetched(page, 'result').textContent(), /result = \[\[12\]\]/);
    assert.equal(await nodeLabelled(page, 'matmul').getAttribute('data-value'), '12', 'the matmul node holds 12');
    assert.equal(await sandbox.locator('[data-testid^=graph-node-]').count(), 3, 'x, w and the matmul');

    await page.getByTestId('sandbox-example-fetch').click();
    await fetched(page, 'mul').waitFor();
    assert.equal(await fetched(page, 'intermed').getAttribute('data-value'), '7');
    assert.equal(await fetched(page, 'mul').getAttribute('data-value'), '21');
    assert.equal(await page.getByTestId('sandbox-runs').getAttribute('data-runs'), '1', 'both in one run');
    // Hovering a node opens its card with the value.
    await nodeLabelled(page, 'intermed').hover();
    const card = page.getByTestId('graph-card');
    await card.waitFor();
    assert.match(await card.getByTestId('graph-card-value').textContent(), /^7$/);
    assert.match(await card.textContent(), /no gradient/);
    await screenshot(sandbox, 'sandbox-values');

    await page.getByTestId('sandbox-example-feed').click();
    await fetched(page, 'product').waitFor();
    assert.equal(await fetched(page, 'product').getAttribute('data-value'), '14');
    assert.equal(await page.getByTestId('sandbox-role-a').inputValue(), 'input', 'a is a fed input');
    // Feeding a new value runs the same graph again.
    await page.getByTestId('sandbox-value-a').fill('4');
    await page.getByTestId('sandbox-run').click();
    await page.locator('[data-testid=sandbox-fetch-product][data-value="8"]').waitFor();
    assert.equal(await page.getByTestId('sandbox-runs').getAttribute('data-runs'), '2');

    await page.getByTestId('sandbox-example-counter').click();
    const history = page.getByTestId('sandbox-history-counter');
    await history.waitFor();
    assert.equal(await history.locator('.sandbox-history-values').textContent(), '0, 1, 2, 3');
    assert.equal(await page.getByTestId('sandbox-runs').getAttribute('data-runs'), '3');
    await page.getByTestId('sandbox-run').click();
    await page.locator('[data-testid=sandbox-runs][data-runs="4"]').waitFor();
    assert.equal(await history.locator('.sandbox-history-values').textContent(), '0, 1, 2, 3, 4');
  });
});

test('gradients reach every node upstream of a variable, and none reach a fed input', async () => {
  await withPage('#playground', async (page) => {
    await openSandbox(page);
    const sandbox = page.getByTestId('graph-sandbox');
    await page.getByTestId('sandbox-example-neuron').click();
    await page.locator('[data-testid=sandbox-runs]', { hasText: 'gradients shown' }).waitFor();
    // sigmoid(0.5 * 2 - 0.25) = sigmoid(0.75); d/db = s (1 - s), d/dw = that times x = 2.
    const s = 1 / (1 + Math.exp(-0.75));
    assert.ok(Math.abs(Number(await fetched(page, 'result').getAttribute('data-value')) - s) < 1e-6);
    await nodeLabelled(page, 'b').hover();
    const card = page.getByTestId('graph-card');
    await card.waitFor();
    assert.ok(Math.abs(Number(await card.getByTestId('graph-card-grad').textContent()) - s * (1 - s)) < 1e-4);
    await nodeLabelled(page, 'w').focus();
    await page.locator('[data-testid=graph-card]', { hasText: 'trainable variable' }).waitFor();
    assert.ok(Math.abs(Number(await card.getByTestId('graph-card-grad').textContent()) - 2 * s * (1 - s)) < 1e-4);
    await nodeLabelled(page, 'x').focus();
    await page.locator('[data-testid=graph-card]', { hasText: 'fed input' }).waitFor();
    assert.match(await card.getByTestId('graph-card-grad').textContent(), /no gradient/);
    assert.match(await nodeLabelled(page, 'x').getAttribute('aria-label'), /x, fed input, shape scalar, value 2, no gradient/);
    await nodeLabelled(page, 'b').focus();
    await card.waitFor();
    await screenshot(sandbox, 'sandbox-gradients');
  });
});

test('an expression error names its character; bad values and shapes get specific messages', async () => {
  await withPage('#playground', async (page) => {
    await openSandbox(page);
    const program = page.getByTestId('sandbox-program');
    const error = page.getByTestId('sandbox-error');
    await program.fill('a * (b + c');
    await error.waitFor();
    assert.equal(await error.getAttribute('data-at'), '10');
    assert.match(await error.textContent(), /character 11: expected `\)` to close the `\(` at character 5/);
    assert.match(await error.locator('pre').textContent(), /a \* \(b \+ c\n {10}\^/);
    await screenshot(page.getByTestId('graph-sandbox'), 'sandbox-error');

    await program.fill('a * * b');
    assert.match(await error.textContent(), /character 5: expected a number, a name or `\(`, found `\*`/);

    // A name fed with no value.
    await program.fill('x * w');
    await page.getByTestId('sandbox-run').click();
    assert.match(await error.textContent(), /`x` is a fed input with no value/);
    assert.equal(await error.getAttribute('data-name'), 'x');

    // A shape mismatch in a matrix product.
    await page.getByTestId('sandbox-value-x').fill('[[1, 2]]');
    await page.getByTestId('sandbox-role-w').selectOption('constant');
    await page.getByTestId('sandbox-value-w').fill('[[1, 2]]');
    await program.fill('x @ w');
    await page.getByTestId('sandbox-run').click();
    await page.locator('[data-testid=sandbox-error]', { hasText: 'matrix product' }).waitFor();
    assert.match(await error.textContent(), /\[1, 2\] × \[1, 2\]/);

    // A huge tensor is refused before it is made.
    const column = `[${Array(4000).fill('[1]').join(',')}]`;
    const row = `[[${Array(4000).fill('1').join(',')}]]`;
    await page.getByTestId('sandbox-value-x').fill(column);
    await page.getByTestId('sandbox-value-w').fill(row);
    await page.getByTestId('sandbox-run').click();
    await page.locator('[data-testid=sandbox-error]', { hasText: '16000000 elements' }).waitFor();

    // A ragged value points into the value.
    await page.getByTestId('sandbox-value-x').fill('[[1, 2], [3]]');
    await page.getByTestId('sandbox-run').click();
    await page.locator('[data-testid=sandbox-error]', { hasText: 'rows must be equally long' }).waitFor();
    assert.equal(await error.getAttribute('data-name'), 'x');
  });
});

test('the graphs lesson opens with the sandbox and its tasks tick from the worked examples', async () => {
  await withPage('#lesson=graphs', async (page) => {
    await page.locator('[data-testid=lesson][data-lesson="graphs"]').waitFor();
    const area = page.getByTestId('area-sandbox');
    await area.waitFor();
    assert.equal(await page.getByTestId('sandbox-toggle').getAttribute('aria-expanded'), 'true', 'open in the lesson');
    assert.ok(await page.getByTestId('graph-sandbox').isVisible());
    assert.equal(await page.getByTestId('lesson-coming').count(), 0, 'no longer a stand-in');
    const steps = ['matmul', 'fetch', 'feed', 'counter', 'neuron'];
    for (const [k, example] of steps.entries()) {
      const n = k + 1;
      await page.waitForFunction((t) => document.querySelector('[data-testid=task].current')?.dataset.task === String(t), n);
      await page.getByTestId(`sandbox-example-${example}`).click();
      await page.locator(`[data-testid=task][data-task="${n}"][data-reached="true"]`).waitFor({ timeout: 10_000 });
      if (n < steps.length) await page.getByTestId('task-next').click();
    }
    await screenshot(page, 'sandbox-lesson');
  });
});

test('the graph view collapses a scope into one node and opens it again', async () => {
  await withPage('#playground', async (page) => {
    await openSandbox(page);
    // The neuron's line `z = w * x + b` holds two ops, so it is a scope.
    await page.getByTestId('sandbox-example-neuron').click();
    const sandbox = page.getByTestId('graph-sandbox');
    const nodes = sandbox.locator('[data-testid^=graph-node-]');
    await nodeLabelled(page, 'sigmoid').waitFor();
    const all = await nodes.count();
    assert.equal(all, 6, 'w, x, b, mul, add and sigmoid');
    for (const el of await nodes.all()) assert.equal(await el.getAttribute('tabindex'), '0');
    assert.equal(await sandbox.locator('svg.gv-svg').getAttribute('data-crossings'), '0');
    const toggle = page.getByTestId('graph-scope-toggle-z');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await toggle.click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=graph-sandbox] [data-testid^=graph-node-]').length === 4);
    assert.equal(await page.locator('.gv-scope-node[data-scope="z/"]').count(), 1, 'one box for the scope');
    await screenshot(sandbox, 'sandbox-collapsed');
    // Opened again by the keyboard.
    await page.getByTestId('graph-scope-toggle-z').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=graph-sandbox] [data-testid^=graph-node-]').length === n, all);
  });
});
