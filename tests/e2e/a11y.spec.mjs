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
import { serve, launch, openApp, quiet, ARTIFACTS } from './harness.mjs';

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
    { name: 'playground-multiclass', hash: 'dataset=spiral3' },
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
    if (process.env.NP_A11Y_TRACE) console.log(`auditing ${view.name}`);
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
