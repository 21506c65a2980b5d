// Issue 14's large-file check: a student's CSV of 1,250,000 rows (about 100 MB, the columns of
// the engine's native `table_scale` test) chosen in the playground's file picker. The file is
// stored in the browser, read by the training host (a Web Worker) part by part and parsed as it
// streams. Prints the time from choosing the file to the column picker, how often the progress
// bar moved, and the page's frames while it read (it must keep drawing). Build first:
// `trunk build --release` in dist/. The file is written to a temporary folder and deleted.

import { mkdtempSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, playgroundUrl } from '../e2e/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const rows = Number(process.env.NP_CSV_ROWS ?? 1_250_000);

/** A deterministic generator, so every run reads the same file. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function writeCsv(path) {
  const r = random(11);
  const out = createWriteStream(path);
  const write = (text) => new Promise((ok) => (out.write(text) ? ok() : out.once('drain', ok)));
  await write('when,a,b,c,d,e,f,g,sector,grade,default\n');
  const start = Date.UTC(2021, 2, 4, 12, 34, 56);
  const sectors = ['retail', 'energy', 'tech', 'banks', 'health', 'media'];
  let block = '';
  for (let i = 0; i < rows; i++) {
    const when = new Date(start + i * 60000).toISOString().replace('T', ' ').slice(0, 19);
    const n = [r() * 100, r() * 1e4, r() - 0.5, r() * 3, r() * 1e6, r() * 10, r()];
    const nums = [n[0].toFixed(2), n[1].toFixed(1), n[2].toFixed(5), n[3].toFixed(3), Math.round(n[4]), n[5].toFixed(4), n[6].toFixed(6)];
    const y = n[2] + 0.3 * (n[6] - 0.5) > 0 ? 'yes' : 'no';
    block += `${when},${nums.join(',')},${sectors[i % 6]},${'ABC'[i % 3]},${y}\n`;
    if (block.length > 1 << 20) {
      await write(block);
      block = '';
    }
  }
  await write(block);
  await new Promise((ok) => out.end(ok));
  return out.bytesWritten;
}

const folder = mkdtempSync(join(tmpdir(), 'np-csv-'));
const file = join(folder, 'large.csv');
const site = await serve(process.env.NP_DIST ?? join(here, '../../dist'));
const browser = await launch({ webgpu: false });
try {
  const bytes = await writeCsv(file);
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(playgroundUrl(`${site.url}#dataset=circle`));
  await page.getByTestId('csv-file').waitFor();
  const mode = await page.getByTestId('run-mode').textContent().catch(() => '?');
  await page.evaluate(() => {
    // Frame times and the progress bar's values while the file is read.
    window.frames_ = [];
    window.progress_ = [];
    const tick = (t) => {
      window.frames_.push(t);
      const bar = document.querySelector('[data-testid=data-progress]');
      if (bar) window.progress_.push(Number(bar.getAttribute('value')) / Number(bar.getAttribute('max')));
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const chosen = Date.now();
  await page.getByTestId('csv-file').setInputFiles(file);
  await page.getByTestId('csv-columns').waitFor({ timeout: 600000 });
  const shownS = (Date.now() - chosen) / 1000;
  const summary = await page.getByTestId('csv-summary').textContent();
  // Then the host builds the network on the default choice and measures it once: the first
  // training loss on the page.
  await page.waitForFunction(() => Number.isFinite(parseFloat(document.querySelector('[data-testid=loss-train]')?.getAttribute('data-value'))), null, { timeout: 600000 });
  const builtS = (Date.now() - chosen) / 1000;
  const { frames, progress } = await page.evaluate(() => ({ frames: window.frames_, progress: window.progress_ }));
  const gaps = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
  const fps = gaps.length / ((frames.at(-1) - frames[0]) / 1000);
  const p95 = gaps[Math.floor(gaps.length * 0.95)] ?? NaN;
  const distinct = new Set(progress.map((p) => p.toFixed(2))).size;
  const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? NaN);
  console.log(`chromium ${browser.context.browser()?.version() ?? ''}; run mode ${mode}`);
  console.log(`file: ${rows.toLocaleString('en-US')} rows, ${(bytes / 1e6).toFixed(1)} MB`);
  console.log(`picker: ${summary}`);
  console.log('| measure | value |');
  console.log('| --- | ---: |');
  console.log(`| file chosen to column picker shown | ${shownS.toFixed(1)} s |`);
  console.log(`| file chosen to the first training loss (split, standardized, network built, measured) | ${builtS.toFixed(1)} s |`);
  console.log(`| page frames while reading and building: frames/s, p95 gap, longest gap | ${fps.toFixed(0)}, ${p95.toFixed(0)} ms, ${gaps.at(-1)?.toFixed(0)} ms |`);
  console.log(`| progress bar: frames showing it, distinct values | ${progress.length}, ${distinct} |`);
  console.log(`| page JS heap after | ${(heap / 1e6).toFixed(0)} MB |`);
} finally {
  await browser.close();
  await site.close();
  rmSync(folder, { recursive: true, force: true });
}
