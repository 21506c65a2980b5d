// Issue 17's audit: axe-core checks every view the page has against WCAG 2.2 AA (the gallery,
// the playground in each problem type, every lesson, the inspector's panels, the classroom panel
// and embed mode). A serious or critical violation fails the test; the full report, the minor
// and moderate findings included, goes to artifacts/a11y-report.json for reading.
//
// The live part for screen readers: the polite announcer's text changes while training runs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { serve, launch, openApp, quiet, andSettle, screenshot, ARTIFACTS } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const LESSONS_DIR = join(here, '..', '..', 'lessons');
/** WCAG 2.2 AA: level A and AA of 2.0, 2.1 and 2.2 (axe has no 2.2 level-A rules of its own). */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const BLOCKING = new Set(['serious', 'critical']);

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

/** The lesson ids in lessons/, read from the files the build embeds, so a new lesson is audited too. */
async function lessonIds() {
  const files = (await readdir(LESSONS_DIR)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(files.map(async (f) => JSON.parse(await readFile(join(LESSONS_DIR, f), 'utf8')).id));
}

/** Every view to audit: a name, the hash it opens and what to do there before the audit. */
async function views() {
  const list = [
    { name: 'gallery', hash: '', asIs: true },
    { name: 'playground-classification', hash: 'dataset=circle' },
    { name: 'playground-regression', hash: 'problem=regression&regDataset=func1d' },
    {
      name: 'playground-multiclass',
      hash: 'dataset=spiral3',
      // Three classes in three shapes (disc, square, diamond), to look at.
      prepare: (page) => screenshot(page.getByTestId('panel-boundary'), 'a11y-boundary-shapes'),
    },
    {
      name: 'playground-inspector',
      hash: 'dataset=xor&networkShape=4,3',
      // Every panel of "Inside the network" scrolled through, so each draws before the audit.
      prepare: async (page) => {
        for (const id of ['panel-hidden', 'panel-activation', 'panel-health', 'panel-confusion', 'panel-summary']) {
          await page.getByTestId(id).scrollIntoViewIfNeeded();
        }
      },
    },
    {
      name: 'classroom',
      hash: 'dataset=xor',
      prepare: async (page) => {
        await page.getByTestId('classroom-open').click();
        await page.getByTestId('classroom').waitFor();
      },
    },
    {
      name: 'inside-the-engine',
      hash: 'dataset=xor&networkShape=3&activation=tanh',
      // The three engine views open and filled: the step's graph, a step explained, a check.
      prepare: async (page) => {
        for (const id of ['open-graph', 'open-stepper', 'open-gradient-check']) {
          await page.getByTestId(id).locator('summary').click();
        }
        await page.getByTestId('graph-summary').waitFor();
        await page.getByTestId('stepper-explain').click();
        await page.getByTestId('stepper-phase').waitFor();
        await page.getByTestId('gradient-check-run').click();
        await page.getByTestId('gradient-check-max').waitFor();
      },
    },
    {
      name: 'instruments',
      // The function-approximation view opens with the steps; the race and the landscape too.
      hash: 'problem=regression&regDataset=func1d&networkShape=8&activation=sigmoid&x=true&y=false&steps=100',
      prepare: async (page) => {
        await page.getByTestId('approx-parts').waitFor();
        for (const id of ['panel-race', 'panel-landscape']) await page.getByTestId(`${id}-toggle`).click();
        await page.getByTestId('race').waitFor();
      },
    },
    { name: 'embed', hash: 'dataset=xor&embed=true' },
  ];
  for (const id of await lessonIds()) list.push({ name: `lesson-${id}`, hash: `lesson=${id}`, asIs: true });
  return list;
}

/** One line per failing node: what rule, how bad, where, and axe's own summary of the fix. */
function describe(view, violation) {
  return violation.nodes.map((n) => `${view}: ${violation.id} (${violation.impact}) at ${n.target.join(' ')}: ${n.failureSummary?.split('\n').join(' ')}`);
}

test('axe finds no serious or critical WCAG 2.2 AA violation in any view', async () => {
  const report = { tags: TAGS, views: [] };
  const blocking = [];
  for (const view of await views()) {
    const { page, problems } = await openApp(browser.context, `${server.url}#${view.hash}`, { asIs: view.asIs });
    try {
      if (!view.asIs || view.hash) await quiet(page);
      await view.prepare?.(page);
      const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      report.views.push({
        name: view.name,
        hash: view.hash,
        violations: result.violations,
        incomplete: result.incomplete.map(({ id, impact, help, nodes }) => ({ id, impact, help, targets: nodes.map((n) => n.target) })),
        passes: result.passes.map((p) => p.id),
      });
      for (const v of result.violations) if (BLOCKING.has(v.impact)) blocking.push(...describe(view.name, v));
      assert.deepEqual(problems.pageErrors, [], `${view.name}: page errors`);
      assert.deepEqual(problems.offLoopback, [], `${view.name}: requests off loopback`);
    } finally {
      await page.goto('about:blank');
    }
  }
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(join(ARTIFACTS, 'a11y-report.json'), JSON.stringify(report, null, 2));
  assert.ok(report.views.length >= 20, `audited ${report.views.length} views`);
  assert.deepEqual(blocking, [], `serious or critical violations (full report in ${join(ARTIFACTS, 'a11y-report.json')})`);
});

/** The live region's text once it differs from `before`. Announcements come at most every 5 s. */
async function nextAnnouncement(page, before) {
  await page.waitForFunction((b) => {
    const t = document.querySelector('[data-testid=live-announcer]').textContent;
    return t !== '' && t !== b;
  }, before, { timeout: 60_000 });
  return page.getByTestId('live-announcer').textContent();
}

test('the polite live region announces the run while training, and a task reached', async () => {
  const { page, problems } = await openApp(browser.context, `${server.url}#dataset=xor`);
  try {
    const region = page.getByTestId('live-announcer');
    assert.equal(await region.getAttribute('aria-live'), 'polite');
    await page.getByTestId('play').click();
    const first = await nextAnnouncement(page, '');
    assert.match(first, /^Epoch \d+: training loss [\d.e-]+, test loss [\d.e-]+, test accuracy \d+ %$/, first);
    const second = await nextAnnouncement(page, first);
    assert.match(second, /^Epoch \d+: /, second);
    const epochOf = (t) => Number(t.match(/^Epoch (\d+)/)[1]);
    assert.ok(epochOf(second) > epochOf(first), `${first} then ${second}`);
    await page.getByTestId('play').click();
    assert.deepEqual(problems.pageErrors, []);
  } finally {
    await page.goto('about:blank');
  }
  // The backprop lesson's first task asks for one epoch: one step reaches it.
  const lesson = await openApp(browser.context, `${server.url}#lesson=backprop`, { asIs: true });
  try {
    const before = await lesson.page.getByTestId('live-announcer').textContent();
    await andSettle(lesson.page, () => lesson.page.getByTestId('step').click());
    const said = await nextAnnouncement(lesson.page, before);
    assert.match(said, /^Task reached: \S/, said);
  } finally {
    await lesson.page.goto('about:blank');
  }
});

test('the header says in plain words what trains, with the technical detail one click away', async () => {
  // An experiment no other test trains, so no kept run continues here.
  const { page } = await openApp(browser.context, `${server.url}#dataset=circle&samples=300`);
  try {
    await page.waitForFunction(() => !document.querySelector('[data-testid=backend]').textContent.includes('probing'));
    // This browser runs without WebGPU (no --enable-unsafe-webgpu).
    assert.equal(await page.getByTestId('backend-summary').textContent(), 'Training on your CPU: this browser offers no WebGPU');
    assert.equal(await page.getByTestId('backend').isVisible(), false, 'the detail starts closed');
    await page.getByTestId('backend-summary').click();
    assert.equal(await page.getByTestId('backend').isVisible(), true);
    assert.match(await page.getByTestId('backend').textContent(), /^cpu: /);
    assert.equal(await page.getByTestId('run-mode').textContent(), 'worker');
    // The header with the detail open beneath it (an element shot would cut the detail off).
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'a11y-header-backend-open.png'), clip: { x: 0, y: 0, width: 1280, height: 180 } });
    await page.getByTestId('backend-summary').click();
    // The loss chart after a few epochs, to look at its axis names beside the ticks.
    for (let i = 0; i < 5; i++) await andSettle(page, () => page.getByTestId('step').click());
    await screenshot(page.getByTestId('panel-loss'), 'a11y-loss-chart');
    const epoch = await page.getByTestId('epoch').textContent();
    assert.equal(epoch, '5');
    assert.match(await page.getByTestId('chart-loss').getAttribute('aria-label'), /^Loss per epoch; at epoch 5: train [\d.]+, (falling|rising|flat); test /);
    assert.match(await page.getByTestId('boundary').getAttribute('aria-label'), /; test accuracy [\d.]+ %$/);
  } finally {
    await page.goto('about:blank');
  }
});

test('? lists the keyboard shortcuts; Space on a focused button presses that button, not play', async () => {
  const { page, problems } = await openApp(browser.context, `${server.url}#dataset=xor&samples=250`);
  try {
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    await page.keyboard.press('?');
    const list = page.getByTestId('shortcuts');
    await list.waitFor();
    assert.equal(await list.getAttribute('role'), 'dialog');
    const keys = await list.locator('kbd').allTextContents();
    assert.deepEqual(keys, ['Space', 'S', 'B', 'R', '?']);
    // The focus is in the list, so Escape closes it at once.
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });
    // The header button opens the same list for those who do not know the key.
    await page.getByTestId('shortcuts-open').click();
    await list.waitFor();
    await page.getByTestId('shortcuts-close').click();
    await list.waitFor({ state: 'detached' });
    // Space on the focused "Step epoch" button steps one epoch and does not start playing. (The
    // epoch is read first: another test may have trained this experiment, and its kept run
    // continues here.)
    const before = Number(await page.getByTestId('epoch').textContent());
    await page.getByTestId('step').focus();
    await page.keyboard.press(' ');
    await page.waitForFunction((e) => Number(document.querySelector('[data-testid=epoch]').textContent) === e + 1, before);
    assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'false');
    assert.deepEqual(problems.pageErrors, []);
  } finally {
    await page.goto('about:blank');
  }
});

/**
 * Presses Tab until the element with `data-testid=testid` (or one inside it) has the focus, as a
 * keyboard user moves through the page; fails after `limit` presses. Returns the presses taken.
 */
async function tabTo(page, testid, limit = 400) {
  for (let presses = 1; presses <= limit; presses++) {
    await page.keyboard.press('Tab');
    const there = await page.evaluate((id) => {
      const target = document.querySelector(`[data-testid="${id}"]`);
      return !!target && (target === document.activeElement || target.contains(document.activeElement));
    }, testid);
    if (there) return presses;
  }
  throw new Error(`${testid} was not reached in ${limit} presses of Tab`);
}

test('a whole lesson task with the keyboard alone: from the gallery to a changed rate and a tick', async () => {
  const { page, problems } = await openApp(browser.context, `${server.url}`, { asIs: true });
  try {
    await page.getByTestId('lesson-gallery').waitFor();
    // Into the linear-regression lesson by its card.
    const toCard = await tabTo(page, 'lesson-card-linear-regression');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=lesson][data-lesson="linear-regression"]').waitFor();
    // Task 1: play from the focused play button, train until the goal's tick, pause.
    const toPlay = await tabTo(page, 'play');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid=task][data-task="1"]')?.dataset.reached === 'true', null, { timeout: 60_000 });
    await page.keyboard.press('Enter');
    assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'false', 'paused again');
    // On to task 2 by its link, then its steps: the learning rate down to 0.01 with the arrow
    // keys, reset, play.
    await tabTo(page, 'task-next');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash.includes('task=2'));
    await tabTo(page, 'learning-rate');
    for (let i = 0; i < 12 && Number(await page.getByTestId('learning-rate').inputValue()) > 0.01; i++) {
      await page.keyboard.press('ArrowUp');
    }
    assert.equal(Number(await page.getByTestId('learning-rate').inputValue()), 0.01, 'the rate chosen by keys');
    await page.waitForFunction(() => location.hash.includes('learningRate=0.01'));
    await tabTo(page, 'reset');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid=epoch]').textContent === '0');
    await tabTo(page, 'play');
    await page.keyboard.press('Enter');
    // A hundred epochs of the new run at the small rate (the goal may tick sooner: the rate
    // changed while the first run stood past epoch 100).
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]').textContent) >= 100, null, { timeout: 60_000 });
    await page.keyboard.press('Enter');
    assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'false', 'paused by keys');
    assert.equal(await page.locator('[data-testid=task][data-task="2"]').getAttribute('data-reached'), 'true');
    // The tick a sighted keyboard user sees, and a visible focus ring on the focused control.
    await page.getByTestId('task-2-done').waitFor();
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    });
    assert.ok(ring, 'the focused control shows its focus');
    console.log('keyboard lesson', { toCard, toPlay });
    await screenshot(page, 'a11y-keyboard-task');
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.consoleErrors, []);
  } finally {
    await page.goto('about:blank');
  }
});
