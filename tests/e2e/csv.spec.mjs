// Issue 14's own data: a student's CSV file, chosen in the file picker or dropped on the page,
// is kept in this browser (never sent anywhere), read by the training host, shown in a column
// picker (the first rows, each column's guessed type, the target, the inputs, the problem and
// the split) and trained on; the choice is in the URL and survives a reload. Broken files and
// choices that cannot be trained on say what is wrong and where.
//
// The tests share one browser profile, as a student's visits do, and run in order: the file
// stored by one is the file the next one finds.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, screenshot, waitForLive } from './harness.mjs';

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

/** A small deterministic generator, so the file is the same on every run. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A loan book of 600 rows: a date, two amounts, a sector, a free-text comment and whether the
 * loan defaulted, which (up to a little noise) is whether the debt is large for the income.
 */
function loans() {
  const r = random(7);
  const sectors = ['retail', 'energy', 'tech'];
  const lines = ['date,income,debt,sector,comment,default'];
  const start = Date.UTC(2021, 0, 1);
  for (let i = 0; i < 600; i++) {
    const income = Math.round(20 + r() * 80);
    const debt = Math.round(r() * 60);
    const sector = sectors[i % 3];
    const defaulted = debt - 0.5 * income + (r() - 0.5) * 6 > 0 ? 'yes' : 'no';
    const day = new Date(start + i * 86400000).toISOString().slice(0, 10);
    lines.push(`${day},${income},${debt},${sector},call ${i} with client ${Math.floor(r() * 1e6)},${defaulted}`);
  }
  return lines.join('\n') + '\n';
}

const number = async (page, id) => Number(await page.getByTestId(id).textContent());

async function train(page, epochs) {
  const from = await number(page, 'epoch');
  await page.getByTestId('play').click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=epoch]').textContent) >= n, from + epochs, { timeout: 120000 });
  await page.getByTestId('play').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=play]').getAttribute('aria-pressed') === 'false');
}

/** Drops a file named `name` holding `text` on `testid`, as a file dragged from the desktop. */
async function dropFile(page, testid, name, text) {
  const dataTransfer = await page.evaluateHandle(([n, t]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], n, { type: 'text/csv' }));
    return dt;
  }, [name, text]);
  const target = page.getByTestId(testid);
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

/** Every request the page makes, to show the file never leaves the browser. */
function recordRequests(page) {
  const seen = [];
  page.on('request', (r) => seen.push({ method: r.method(), url: r.url(), body: r.postData() }));
  return seen;
}

const kinds = (page, n) => Promise.all([...Array(n).keys()].map((i) => page.getByTestId(`csv-kind-${i}`).textContent()));

test('a CSV file chosen in the picker is read, its columns typed, and trained on; nothing is uploaded', async () => {
  const { page, problems } = await openApp(browser.context, `${server.url}#dataset=circle`);
  const requests = recordRequests(page);
  try {
    const file = loans();
    await page.getByTestId('csv-file').setInputFiles({ name: 'loans.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await page.getByTestId('csv-columns').waitFor({ timeout: 30000 });
    assert.match(page.url(), /dataset=csv/);
    assert.match(await page.getByTestId('csv-summary').textContent(), /loans\.csv: 600 rows and 6 columns, separated by “,”/);
    // 600 different comments are fewer than the 1,000 values a category may have.
    assert.deepEqual(await kinds(page, 6), ['date', 'number', 'number', 'category', 'category', 'category']);
    assert.equal(await page.getByTestId('csv-preview').locator('tbody tr').count(), 5, 'the first five rows');
    // The defaults: the last column that can be a class is the target; the others but the date
    // and the comment, a different value in every row, are the inputs.
    assert.equal(await page.getByTestId('csv-target').inputValue(), 'default');
    const checked = await Promise.all([0, 1, 2, 3, 4].map((i) => page.getByTestId(`csv-input-${i}`).isChecked()));
    assert.deepEqual(checked, [false, true, true, true, false]);
    assert.match(await page.getByTestId('csv-inputs').textContent(), /comment \(a value for almost every row, like an id/);
    assert.ok(await page.getByTestId('csv-input-5').isDisabled(), 'the target is no input');
    assert.equal(await page.getByTestId('csv-problem-classification').getAttribute('aria-pressed'), 'true');
    assert.match(await page.getByTestId('data-counts').textContent(), /Inputs: income, debt, sector.*Classes: no, yes/);
    await screenshot(page.getByTestId('own-data'), 'csv-column-picker');

    await train(page, 40);
    const accuracy = await number(page, 'accuracy-test');
    assert.ok(accuracy > 0.85, `debt against income tells defaults apart: test accuracy ${accuracy}`);
    await screenshot(page, 'csv-trained');

    // The file went into the browser's storage, not over the wire.
    const sent = requests.filter((r) => r.method !== 'GET' || r.body || r.url.includes('own-data'));
    assert.deepEqual(sent, [], 'no request carries the file');
    const kept = await page.evaluate(async () => (await caches.keys()).length);
    assert.ok(kept >= 1, 'the file is in Cache Storage');
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.consoleErrors, []);
    assert.deepEqual(problems.offLoopback, []);
  } finally {
    await page.close();
  }
});

test('the column choice is in the URL and survives a reload: a time split and fewer inputs', async () => {
  const { page, problems } = await openApp(browser.context, `${server.url}#dataset=csv`);
  try {
    await page.getByTestId('csv-columns').waitFor({ timeout: 30000 });
    assert.match(await page.getByTestId('csv-summary').textContent(), /loans\.csv/, 'the stored file, after a new visit');
    await page.getByTestId('csv-split').selectOption('date');
    await page.waitForFunction(() => /the test rows are the latest/.test(document.querySelector('[data-testid=data-counts]')?.textContent));
    assert.match(page.url(), /csvTime=date/);
    await page.getByTestId('csv-input-3').uncheck();
    await page.waitForFunction(() => /Inputs: income, debt\./.test(document.querySelector('[data-testid=data-counts]')?.textContent));
    assert.match(page.url(), /csvInputs=income,debt/);

    await page.reload();
    await page.getByTestId('app').waitFor();
    await waitForLive(page);
    await page.getByTestId('csv-columns').waitFor({ timeout: 30000 });
    assert.equal(await page.getByTestId('csv-split').inputValue(), 'date');
    assert.equal(await page.getByTestId('csv-input-3').isChecked(), false, 'sector stays out');
    assert.match(await page.getByTestId('data-counts').textContent(), /the test rows are the latest.*Inputs: income, debt\./);
    await train(page, 20);
    assert.ok(await number(page, 'accuracy-test') > 0.8, 'the newest rows are predicted too');
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.consoleErrors, []);
  } finally {
    await page.close();
  }
});

test('predicting a number: a numeric target trains, a category under regression says why not', async () => {
  const { page, problems } = await openApp(browser.context, `${server.url}#dataset=csv`);
  try {
    await page.getByTestId('csv-columns').waitFor({ timeout: 30000 });
    await page.getByTestId('csv-problem-regression').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=csv-problem-regression]')?.getAttribute('aria-pressed') === 'true');
    // The last numeric column is the default target of a regression.
    assert.equal(await page.getByTestId('csv-target').inputValue(), 'debt');
    await page.getByTestId('csv-target').selectOption('sector');
    const why = page.getByTestId('csv-choice-problem');
    await why.waitFor({ timeout: 30000 });
    assert.match(await why.textContent(), /`sector` holds categories, not numbers.*Predict a class/);
    await screenshot(page.getByTestId('own-data'), 'csv-choice-problem');

    await page.getByTestId('csv-target').selectOption('income');
    await why.waitFor({ state: 'detached', timeout: 30000 });
    assert.match(page.url(), /csvTarget=income/);
    await train(page, 20);
    const loss = await number(page, 'loss-test');
    assert.ok(Number.isFinite(loss) && loss > 0, `a test loss: ${loss}`);
    // The target trains standardized: always predicting the mean scores a loss of 1.
    assert.ok(loss < 1.5, `a loss in standardized units: ${loss}`);
    // The view of a number to predict: predicted against true, with the fit in the income's units.
    await page.getByTestId('fit-plot').waitFor();
    const fit = page.getByTestId('fit-summary');
    const rmse = Number(await fit.getAttribute('data-rmse'));
    const r2 = Number(await fit.getAttribute('data-r2'));
    console.log('csv regression', { loss, rmse, r2 });
    assert.ok(rmse > 1 && rmse < 40, `off by some of the income's 20 to 100: ${rmse}`);
    assert.ok(Number.isFinite(r2) && r2 <= 1, `R² ${r2}`);
    assert.equal(await page.getByTestId('rows-pca').count(), 0, 'no class view for a number');
    assert.doesNotMatch(await page.getByTestId('wide-view').textContent(), /true class|are wrong/);
    await screenshot(page, 'csv-regression');
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.consoleErrors, []);
  } finally {
    await page.close();
  }
});

test('dropped files: a broken one names its line, a good one dropped anywhere on the page is read, and "forget" removes it', async () => {
  const { page, problems } = await openApp(browser.context, `${server.url}#dataset=csv`);
  try {
    await page.getByTestId('csv-columns').waitFor({ timeout: 30000 });
    await dropFile(page, 'csv-drop', 'ragged.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n');
    const failed = page.getByTestId('data-failed');
    await failed.waitFor({ timeout: 30000 });
    const why = await failed.textContent();
    assert.match(why, /ragged\.csv/);
    assert.match(why, /line 3/);
    assert.equal(await page.getByTestId('app').evaluate((e) => e.classList.contains('dropping')), false, 'the drop overlay is gone');

    await dropFile(page, 'csv-drop', 'loans.xlsx', 'PK\u0003\u0004 not a table');
    await page.waitForFunction(() => /save the sheet as CSV/.test(document.querySelector('[data-testid=data-failed]')?.textContent));

    // A European file: semicolons, decimal commas. Dropped on the page, not on the zone.
    const european = 'Kurs;Volumen;Richtung\n' + [...Array(200).keys()]
      .map((i) => `${(100 + i / 7).toFixed(2).replace('.', ',')};${1000 + (i * 37) % 500};${i % 2 ? 'auf' : 'ab'}`).join('\n') + '\n';
    await dropFile(page, 'app', 'kurse.csv', european);
    await page.waitForFunction(() => /kurse\.csv: 200 rows and 3 columns, separated by “;”/.test(document.querySelector('[data-testid=csv-summary]')?.textContent), null, { timeout: 30000 });
    assert.equal(await failed.count(), 0, 'the error is gone with the good file');
    assert.deepEqual(await kinds(page, 3), ['number', 'number', 'category']);
    assert.equal(await page.getByTestId('csv-target').inputValue(), 'Richtung');

    await page.getByTestId('csv-forget').click();
    await page.getByTestId('csv-columns').waitFor({ state: 'detached', timeout: 30000 });
    assert.doesNotMatch(page.url(), /dataset=csv/, 'back to data of the playground');
    assert.equal(await page.evaluate(async () => {
      const cache = await caches.open('neural-playground-own-data');
      return (await cache.keys()).length;
    }), 0, 'nothing of the file is left in the browser');

    // An old link to the file, in a browser that no longer has it.
    await page.goto(`${server.url}#dataset=csv`);
    await page.getByTestId('app').waitFor();
    await page.getByTestId('data-failed').waitFor({ timeout: 30000 });
    assert.match(await page.getByTestId('data-failed').textContent(), /no longer kept in this browser.*choose it again/);
    assert.ok(await page.getByTestId('csv-drop').isVisible(), 'and the place to choose it is right there');
    assert.deepEqual(problems.pageErrors, []);
  } finally {
    await page.close();
  }
});
