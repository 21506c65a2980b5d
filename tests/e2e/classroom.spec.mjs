// Instructor mode and on-screen help: the classroom panel hides one control and locks another,
// the URL carries both, a reload shows them so (the locked button disabled, saying who locked
// it, its keyboard key ignored), and the snippet embeds the link; locked panels keep their help;
// the "?" notes open by click and by keyboard and close with Escape. Screenshots of the panel
// and of an open note land in the artifacts folder.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, screenshot, waitForLive } from './harness.mjs';

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

async function withPage(body, hash = '') {
  const browser = await launch();
  try {
    const { page, problems } = await openApp(browser.context, server.url + hash);
    await body(page);
    assert.deepEqual(problems.pageErrors, [], 'no uncaught exceptions');
    assert.deepEqual(problems.consoleErrors, [], 'no console errors');
    assert.deepEqual(problems.offLoopback, [], 'nothing leaves loopback');
  } finally {
    await browser.close();
  }
}

const count = (page, id) => page.getByTestId(id).count();
const epochIs = (page, n) => page.waitForFunction(
  (n) => document.querySelector('[data-testid=epoch]')?.textContent === String(n), n);

test('the classroom panel hides and locks controls through the URL, and the snippet embeds it', async () => {
  await withPage(async (page) => {
    await page.getByTestId('classroom-open').click();
    const panel = page.getByTestId('classroom');
    await panel.waitFor();
    // Every control and panel has its row, the per-layer pickers and lesson navigation included.
    for (const name of ['playButton', 'numHiddenLayers', 'layerChoices', 'hiddenPanel', 'lessonNav', 'weightEditing']) {
      assert.equal(await count(page, `classroom-hide-${name}`), 1, name);
      assert.equal(await count(page, `classroom-lock-${name}`), 1, name);
    }

    await page.getByTestId('classroom-hide-noise').check();
    await page.getByTestId('classroom-lock-resetButton').check();
    await page.waitForFunction(() => location.hash.includes('noise_hide=true') && location.hash.includes('resetButton_lock=true'));
    assert.equal(await count(page, 'noise'), 0, 'hidden at once');
    assert.equal(await page.getByTestId('reset').isDisabled(), true, 'locked at once');

    const href = await page.evaluate(() => location.href);
    assert.equal(await page.getByTestId('classroom-link').inputValue(), href);
    const snippet = await page.getByTestId('classroom-iframe').inputValue();
    assert.match(snippet, /^<iframe src="/);
    assert.ok(snippet.replaceAll('&amp;', '&').includes(`src="${href}&embed=true"`), snippet);
    await page.getByTestId('classroom-copy-link').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=classroom-copied]')?.textContent !== '');
    assert.match(await page.getByTestId('classroom-copied').textContent(), /Copied the link|selected/);
    await screenshot(panel, 'classroom-panel');

    // A student opening the link: the same choices, from the URL alone.
    await page.reload();
    await page.getByTestId('app').waitFor();
    await waitForLive(page);
    assert.equal(await count(page, 'noise'), 0, 'still hidden after a reload');
    const reset = page.getByTestId('reset');
    assert.equal(await reset.isDisabled(), true, 'still locked after a reload');
    assert.match(await reset.getAttribute('title'), /instructor/);
    assert.match(await page.getByTestId('locked-resetButton').getAttribute('title'), /instructor/);
    assert.equal(await page.getByTestId('locked-resetButton').locator('svg[aria-label=locked]').count(), 1, 'a padlock shows');
    await screenshot(page.getByTestId('controls'), 'classroom-locked-reset');

    // The keys are handled in order: S, R (locked, ignored), S. Had R reset the run, the
    // epoch would go 1, 0, 1 and never reach 2.
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    await page.keyboard.press('s');
    await epochIs(page, 1);
    await page.keyboard.press('r');
    await page.keyboard.press('s');
    await epochIs(page, 2);
    assert.equal(await page.getByTestId('epoch').textContent(), '2');

    // The panel shows the link's choices, and clears them.
    await page.getByTestId('classroom-open').click();
    assert.equal(await page.getByTestId('classroom-hide-noise').isChecked(), true);
    assert.equal(await page.getByTestId('classroom-lock-resetButton').isChecked(), true);
    await page.getByTestId('classroom-clear').click();
    await page.waitForFunction(() => !location.hash.includes('_hide') && !location.hash.includes('_lock'));
    assert.equal(await count(page, 'noise'), 1);
    assert.equal(await page.getByTestId('reset').isDisabled(), false);
    await page.getByTestId('classroom-close').click();
    assert.equal(await count(page, 'classroom'), 0);
  });
});

test('locked pickers and panels are disabled, their help still opens', async () => {
  const hash = '#networkShape=3&layerChoices_lock=true&hiddenPanel_lock=true&weightEditing_lock=true&numHiddenLayers_lock=true&features_lock=true&dataset_lock=true&learningRate_lock=true&exportArea_lock=true';
  await withPage(async (page) => {
    assert.equal(await count(page, 'notice'), 0, 'every lock name is known');
    assert.equal(await page.getByTestId('layer-activation-0').isDisabled(), true);
    assert.equal(await page.getByTestId('hidden-layer').isDisabled(), true);
    assert.equal(await page.getByTestId('bias-0-0').isDisabled(), true);
    assert.equal(await page.getByTestId('add-neuron-0').isDisabled(), true);
    assert.equal(await page.getByTestId('add-layer').isDisabled(), true);
    assert.equal(await page.getByTestId('feature-x').isDisabled(), true);
    assert.match(await page.getByTestId('feature-x').getAttribute('title'), /instructor/);
    assert.match(await page.getByTestId('locked-weightEditing').textContent(), /locked/);
    // A click on a weight opens no editor (checked after the help below has rendered, which
    // comes after the click's own render).
    await page.getByTestId('link-0-0-0').click({ force: true });
    // Not locked: the shared activation picker and the other panels.
    assert.equal(await page.getByTestId('activation').isDisabled(), false);
    assert.equal(await page.getByTestId('health-layer').isDisabled(), false);
    await page.getByTestId('help-hidden-panel').click();
    await page.getByTestId('help-hidden-panel-text').waitFor();
    assert.match(await page.getByTestId('help-hidden-panel-text').textContent(), /PCA/);
    assert.equal(await page.locator('[data-testid=weight-editor]').count(), 0);
    assert.equal(await page.getByTestId('dataset-spiral').isDisabled(), true);
    assert.equal(await page.getByTestId('learning-rate').isDisabled(), true);
    assert.equal(await page.getByTestId('export-keras').isDisabled(), true);
    assert.equal(await page.getByTestId('help-export').isDisabled(), false, 'a locked area keeps its help');
    await screenshot(page.getByTestId('area-network'), 'classroom-locked-network');
    await screenshot(page.getByTestId('area-data'), 'classroom-locked-data');
    await screenshot(page.getByTestId('area-inspect'), 'classroom-locked-inspector');
  }, hash);
});

test('each "?" opens a note of its own, by click or keyboard, and Escape closes it', async () => {
  await withPage(async (page) => {
    const notes = { data: /training share/, run: /epoch/, 'confusion-panel': /diagonal/, network: /weights/, loss: /overfitting/ };
    for (const [name, words] of Object.entries(notes)) {
      const button = page.getByTestId(`help-${name}`);
      assert.equal(await button.getAttribute('aria-expanded'), 'false', name);
      await button.click();
      const text = page.getByTestId(`help-${name}-text`);
      await text.waitFor();
      assert.match(await text.textContent(), words, name);
      assert.equal(await button.getAttribute('aria-expanded'), 'true', name);
      await page.keyboard.press('Escape');
      await text.waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), `help-${name}`, 'focus back on the "?"');
    }
    // Keyboard only: Tab-reachable, Enter opens, the close button closes.
    const run = page.getByTestId('help-run');
    await run.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('help-run-text').waitFor();
    // The note hangs below the control bar: the picture takes both.
    const bar = await page.getByTestId('controls').boundingBox();
    const note = await page.getByTestId('help-run-text').boundingBox();
    const clip = { x: 0, y: bar.y, width: 1280, height: note.y + note.height + 8 - bar.y };
    await screenshot({ screenshot: (options) => page.screenshot({ ...options, clip }) }, 'help-run-open');
    await page.getByTestId('help-run-close').click();
    await page.getByTestId('help-run-text').waitFor({ state: 'detached' });
    await page.getByTestId('help-health-panel').click();
    await page.getByTestId('help-health-panel-text').waitFor();
    await screenshot(page.getByTestId('area-inspect'), 'help-health-open');
  });
});

test('locked lesson navigation reads the same but leads nowhere', async () => {
  await withPage(async (page) => {
    await page.getByTestId('lesson').waitFor();
    assert.equal(await count(page, 'notice'), 0);
    for (const id of ['task-2', 'lesson-gallery-link', 'lesson-next']) {
      const el = page.getByTestId(id);
      assert.equal(await el.evaluate((e) => e.tagName), 'SPAN', `${id} is no link`);
      assert.match(await el.getAttribute('title'), /instructor/, id);
    }
    await page.getByTestId('task-2').click();
    assert.match(await page.evaluate(() => location.hash), /task=1/, 'still at task 1');
    await screenshot(page.getByTestId('lesson'), 'classroom-locked-lesson');
  }, '#lesson=overfitting&task=1&lessonNav_lock=true');
});
