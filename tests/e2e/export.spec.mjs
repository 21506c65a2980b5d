// The export buttons: after a few epochs the Keras button downloads a runnable script of this
// network with the trained weights in it, and a panel's PNG button downloads its picture.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serve, launch, openApp, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

/** Clicks `testid` and returns the download it starts: its suggested name and its bytes. */
async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return { name: file.suggestedFilename(), body: await readFile(await file.path()) };
}

test('the Keras button downloads a script of the trained network, a PNG button a picture', async () => {
  const browser = await launch();
  try {
    const { page, problems } = await openApp(browser.context, `${server.url}#dataset=xor&networkShape=5,3&activation=relu&optimizer=adam&learningRate=0.01`);
    for (let i = 0; i < 3; i += 1) await page.getByTestId('step').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]').textContent) >= 3);
    const area = page.getByTestId('area-export');
    await area.scrollIntoViewIfNeeded();
    await screenshot(area, 'export-buttons');

    const keras = await download(page, 'export-keras');
    assert.equal(keras.name, 'neural-playground-keras.py');
    const script = keras.body.toString('utf8');
    for (const piece of [
      'import keras',
      'keras.Sequential([',
      'layers.Dense(5, activation="relu"',
      'layers.Dense(3, activation="relu"',
      'layers.Dense(1, activation="sigmoid"',
      'optimizers.Adam(learning_rate=0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-7)',
      'losses.BinaryCrossentropy()',
      'EPOCHS = 3',
      'PAGE_PARAMETERS = 37',
      'TRAINED_WEIGHTS = [',
      'neural-playground-data.csv',
    ]) {
      assert.ok(script.includes(piece), `the script has ${piece}`);
    }

    const data = await download(page, 'export-data-csv');
    const lines = data.body.toString('utf8').trim().split('\n');
    assert.equal(lines[0], 'split,X1,X2,label');
    assert.equal(lines.length - 1, 500, 'a row per example');
    // The script predicts every row of the data file: as many predictions as rows.
    const predictions = script.slice(script.indexOf('PAGE_PREDICTIONS = ['));
    assert.equal(predictions.split('\n').filter((l) => /^ {4}\[/.test(l)).length, 500);

    const png = await download(page, 'png-boundary');
    assert.equal(png.name, 'neural-playground-boundary.png');
    assert.deepEqual([...png.body.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
    assert.ok(png.body.length > 2000, `a picture, not a blank: ${png.body.length} bytes`);

    assert.deepEqual(problems.pageErrors, [], 'no uncaught exceptions');
    assert.deepEqual(problems.consoleErrors, [], 'no console errors');
  } finally {
    await browser.close();
  }
});
