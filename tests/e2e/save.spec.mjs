// Save and restore: a run downloaded mid-epoch, opened again (by the file picker or a drop) or
// found again in browser storage after a reload, trains on exactly as a run that never stopped;
// bad files are refused by name and leave the run as it was; start over forgets; a full
// storage says so; the front door offers the kept run.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serve, launch, openApp, quiet, screenshot, waitForLive } from './harness.mjs';

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

const EXPERIMENT = '#dataset=spiral&networkShape=6,4&optimizer=adam&learningRate=0.01&batchSize=16&initSeed=3';

const epoch = async (page) => Number(await page.getByTestId('epoch').textContent());
/** The metrics in full precision (`data-value`), as compared between runs. */
const losses = async (page) => ({
  train: await page.getByTestId('loss-train').getAttribute('data-value'),
  test: await page.getByTestId('loss-test').getAttribute('data-value'),
});

/** Steps `n` whole epochs by the Step button, waiting for each to be drawn. */
async function stepEpochs(page, n) {
  const start = await epoch(page);
  for (let i = 1; i <= n; i += 1) {
    await page.getByTestId('step').click();
    await page.waitForFunction((e) => Number(document.querySelector('[data-testid=epoch]').textContent) >= e, start + i);
  }
  await quiet(page);
}

/** 3 epochs and 2 batches: mid-epoch, so the shuffle position and Adam's state both count. */
async function trainAndStop(page) {
  await stepEpochs(page, 3);
  for (let i = 0; i < 2; i += 1) await page.getByTestId('step-batch').click();
  await quiet(page);
}

async function withBrowser(body) {
  const browser = await launch();
  try {
    await body(browser.context);
  } finally {
    await browser.close();
  }
}

/** Drops `bytes` as a file named `name` on the page, as a file dragged from the desktop. */
async function dropFile(page, name, text) {
  const dataTransfer = await page.evaluateHandle(([n, t]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], n, { type: 'application/json' }));
    return dt;
  }, [name, text]);
  const app = page.getByTestId('app');
  await app.dispatchEvent('dragover', { dataTransfer });
  await app.dispatchEvent('drop', { dataTransfer });
}

test('a saved run continues exactly: from a file, from a drop and from storage after a reload', async () => {
  // The run that never stops: 3 epochs, 2 batches, 5 more epochs.
  let uninterrupted;
  await withBrowser(async (context) => {
    const { page } = await openApp(context, server.url + EXPERIMENT);
    await trainAndStop(page);
    await stepEpochs(page, 5);
    assert.equal(await epoch(page), 8);
    uninterrupted = await losses(page);
  });
  assert.ok(Number(uninterrupted.train) > 0, `a loss: ${uninterrupted.train}`);

  let file;
  await withBrowser(async (context) => {
    const { page, problems } = await openApp(context, server.url + EXPERIMENT);
    await trainAndStop(page);
    // The run as it stands is written on the click (not the last second's checkpoint).
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-download').click()]);
    assert.equal(download.suggestedFilename(), 'neural-playground-spiral-epoch-3.json');
    file = await readFile(await download.path(), 'utf8');
    const saved = JSON.parse(file);
    assert.equal(saved.format, 'neural-playground-run');
    assert.equal(saved.version, 1);
    assert.ok(saved.experiment.includes('networkShape=6,4'), saved.experiment);
    assert.equal(saved.run.trainer.epoch, 3);
    assert.ok(saved.run.trainer.cursor > 0, 'saved mid-epoch');
    await page.waitForFunction(() => document.querySelector('[data-testid=save-status]').textContent.includes('Kept in this browser at epoch 3'));
    const area = page.getByTestId('area-save');
    await area.scrollIntoViewIfNeeded();
    await screenshot(area, 'save-area-kept');

    // Reload: the run this browser kept comes back where it stood, and goes on identically.
    await page.reload();
    await waitForLive(page);
    await page.waitForFunction(() => document.querySelector('[data-testid=save-status]').textContent.includes('Restored from this browser at epoch 3'));
    assert.equal(await epoch(page), 3);
    await stepEpochs(page, 5);
    assert.deepEqual(await losses(page), uninterrupted, 'restored from storage: the same losses 5 epochs on');
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.consoleErrors, []);
  });

  // Another browser, another experiment open: the file picker brings the run in.
  await withBrowser(async (context) => {
    const { page, problems } = await openApp(context, `${server.url}#dataset=xor&networkShape=2`);
    await page.getByTestId('save-file-input').setInputFiles({ name: 'run.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await page.waitForFunction(() => location.hash.includes('networkShape=6,4'));
    await waitForLive(page);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]').textContent) === 3);
    await stepEpochs(page, 5);
    assert.deepEqual(await losses(page), uninterrupted, 'opened from a file: the same losses 5 epochs on');
    assert.deepEqual(problems.pageErrors, []);
  });

  // And a drop anywhere on the page does the same.
  await withBrowser(async (context) => {
    const { page } = await openApp(context, server.url);
    await dropFile(page, 'run.json', file);
    await page.waitForFunction(() => location.hash.includes('networkShape=6,4'));
    await waitForLive(page);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]').textContent) === 3);
    await stepEpochs(page, 5);
    assert.deepEqual(await losses(page), uninterrupted, 'dropped: the same losses 5 epochs on');
  });
});

test('bad files are refused by name and the run goes on untouched; start over forgets', async () => {
  await withBrowser(async (context) => {
    const { page, problems } = await openApp(context, server.url + EXPERIMENT);
    await stepEpochs(page, 2);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-download').click()]);
    const good = await readFile(await download.path(), 'utf8');
    const hash = await page.evaluate(() => location.hash);
    const before = await losses(page);
    const newer = JSON.stringify({ ...JSON.parse(good), version: 7 });
    const wrongShape = JSON.parse(good);
    wrongShape.run.trainer.params[0].dims = [3, 3];
    const bad = [
      [good.slice(0, good.length / 2), 'breaks off'],
      ['x,y\n1,2\n', 'not JSON'],
      ['{"format": "keras", "version": 1}', 'not a Neural Playground run'],
      [newer, 'save format 7'],
      [JSON.stringify(wrongShape), 'does not fit its own experiment'],
    ];
    for (const [text, expected] of bad) {
      await page.getByTestId('save-file-input').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(text) });
      await page.getByTestId('save-error').filter({ hasText: expected }).waitFor({ timeout: 10_000 }).catch(async (e) => {
        throw new Error(`expected "${expected}", the save area says: ${await page.getByTestId('area-save').textContent()}`, { cause: e });
      });
      assert.equal(await page.evaluate(() => location.hash), hash, `${expected}: the experiment is unchanged`);
      assert.equal(await epoch(page), 2, `${expected}: the run is unchanged`);
      assert.deepEqual(await losses(page), before);
    }
    await screenshot(page.getByTestId('area-save'), 'save-area-refused');
    // The run still trains.
    await stepEpochs(page, 1);
    assert.equal(await epoch(page), 3);

    // Start over: fresh weights, nothing kept, and a reload does not bring the run back.
    await page.getByTestId('save-start-over').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]').textContent) === 0);
    await page.getByTestId('save-status').filter({ hasText: 'Nothing kept yet' }).waitFor();
    await page.reload();
    await waitForLive(page);
    await quiet(page);
    assert.equal(await epoch(page), 0, 'forgotten');
    await page.getByTestId('save-status').filter({ hasText: 'Nothing kept yet' }).waitFor();
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.consoleErrors, []);
  });
});

test('a full storage is said, and training goes on; the front door offers the kept run', async () => {
  await withBrowser(async (context) => {
    // Storage refuses every run (as a browser whose quota is used up).
    await context.addInitScript(() => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (key, value) {
        if (key.startsWith('neural-playground.run')) throw new DOMException('full', 'QuotaExceededError');
        return setItem.call(this, key, value);
      };
    });
    const { page, problems } = await openApp(context, server.url + EXPERIMENT);
    await stepEpochs(page, 2);
    await page.getByTestId('save-status').filter({ hasText: 'storage for this page is full' }).waitFor();
    await stepEpochs(page, 1);
    assert.equal(await epoch(page), 3, 'training goes on');
    assert.deepEqual(problems.pageErrors, []);
  });

  await withBrowser(async (context) => {
    const { page } = await openApp(context, server.url + EXPERIMENT);
    await stepEpochs(page, 4);
    await page.getByTestId('save-status').filter({ hasText: 'Kept in this browser at epoch 4' }).waitFor();
    // Tomorrow, at the bare address: the gallery offers to continue.
    await page.goto(server.url);
    await page.getByTestId('lesson-gallery').waitFor();
    const resume = page.getByTestId('resume-run');
    assert.equal(await resume.count(), 1);
    assert.match(await resume.textContent(), /Spiral, network 6-4, epoch 4/);
    await screenshot(page.getByTestId('resume'), 'gallery-resume');
    await resume.click();
    await waitForLive(page);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]').textContent) === 4);
    await page.getByTestId('save-status').filter({ hasText: 'Restored from this browser at epoch 4' }).waitFor();
  });
});
