// The embedding API across two loopback origins: the release build on 127.0.0.1 (the harness's
// server), docs/embed-example.html, a course page with two embedded demos, on localhost at
// another port. The page's buttons drive both iframes; their events reach the page's log;
// malformed messages, a message from the wrong window and one from the wrong origin are
// ignored, counted and warned about, and the run they were aimed at goes on untouched.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, screenshot, quiet } from './harness.mjs';

const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'embed-example.html');

let playground;
let course;
before(async () => {
  playground = await serve();
  // The course site: another origin (host and port) than the playground's.
  const server = createServer(async (req, res) => {
    if (new URL(req.url, 'http://x').pathname !== '/course/week-3.html') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(await readFile(EXAMPLE));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  course = { url: `http://localhost:${server.address().port}/course/week-3.html`, close: () => new Promise((ok) => server.close(ok)) };
});
after(async () => {
  await playground?.close();
  await course?.close();
});

/** Polls `read` until `ok(value)`; the test's own timeout bounds the wait. */
async function until(read, ok, what) {
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, 50));
    if (process.env.NP_DEBUG) console.log(what, value);
  }
}

test('the example course page drives two embedded playgrounds and hears their events', { timeout: 240_000 }, async () => {
  const browser = await launch({ viewport: { width: 1280, height: 900 } });
  const problems = { consoleErrors: [], pageErrors: [], offLoopback: [] };
  const warnings = [];
  try {
    const { context } = browser;
    await context.route('**/*', (route) => {
      const host = new URL(route.request().url()).hostname;
      if (host === '127.0.0.1' || host === 'localhost') return route.continue();
      problems.offLoopback.push(route.request().url());
      return route.abort();
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.consoleErrors.push(msg.text());
      if (msg.type() === 'warning') warnings.push(msg.text());
    });
    page.on('pageerror', (err) => problems.pageErrors.push(String(err)));
    await page.goto(`${course.url}?playground=${encodeURIComponent(playground.url)}`);

    const frame = { a: page.frameLocator('#demo-a'), b: page.frameLocator('#demo-b') };
    const iframe = { a: page.locator('#demo-a'), b: page.locator('#demo-b') };
    const seen = (name, event) => iframe[name].evaluate((el, ev) => Number(el.dataset[ev] ?? 0), event);
    const frameEpoch = async (name) => Number(await frame[name].getByTestId('epoch').textContent());
    const readout = async (name) => (await page.getByTestId(`${name}-epoch`).textContent()).trim();
    const playing = async (name) => frame[name].getByTestId('play').getAttribute('aria-pressed');
    const inner = async (name) => (await iframe[name].elementHandle()).contentFrame();
    const ignored = async (name) => Number(await frame[name].getByTestId('app').getAttribute('data-embed-ignored'));

    // Both load embedded: no header, no gallery, the lesson's panel without its way out. (A demo
    // is drawn, and so measured, only in view: see docs/embed.md.)
    for (const name of ['a', 'b']) {
      await iframe[name].scrollIntoViewIfNeeded();
      await until(() => seen(name, 'seenReady'), (n) => n === 1, `${name} ready`);
      await until(() => seen(name, 'seenResize'), (n) => n >= 1, `${name} resize`);
      assert.equal(await frame[name].locator('.app.embedded').count(), 1, `${name} is embedded`);
      // Demo A's run buttons are locked for its readers; the page's buttons still drive it.
      assert.equal(await frame[name].getByTestId('play').isDisabled(), name === 'a', `${name}'s play button locked`);
      assert.equal(await frame[name].locator('.app-header').count(), 0, `${name} has no header`);
      assert.equal(await ignored(name), 0);
    }
    assert.equal(await frame.b.locator('[data-testid=lesson][data-lesson=activations]').count(), 1);
    assert.equal(await frame.b.getByTestId('lesson-gallery-link').isVisible(), false, 'no way to the gallery');
    // The page fitted each iframe to the height the playground reported: no inner scroll bar.
    for (const name of ['a', 'b']) {
      const fit = await iframe[name].evaluate((el) => {
        const doc = el.contentDocument; // cross-origin: null
        return { height: el.getBoundingClientRect().height, style: el.style.height, doc: doc === null };
      });
      assert.ok(fit.doc, 'the course page cannot reach into the playground (another origin)');
      assert.match(fit.style, /^\d+px$/);
      const scroll = await (await inner(name)).evaluate(() => document.documentElement.scrollHeight - innerHeight);
      assert.ok(scroll <= 1, `${name}: the content fits the iframe (${scroll}px to scroll)`);
    }
    assert.ok(await seen('b', 'seenResize') >= 1);

    // Demo A trains from its button; demo B is left alone.
    await page.getByTestId('a-play').click();
    await until(() => playing('a'), (p) => p === 'true', 'a playing');
    await until(() => readout('a'), (e) => Number(e) >= 20, 'a epochs reported');
    assert.ok(await seen('a', 'seenEpoch') >= 2, 'epoch events');
    assert.equal(await playing('b'), 'false');
    assert.equal(await frameEpoch('b'), 0, 'demo B untouched');

    // Demo B trains too, and its lesson's first task (100 epochs) is reported reached.
    await page.getByTestId('b-play').click();
    await until(() => seen('b', 'seenTaskReached'), (n) => n >= 1, 'b task reached');
    await page.getByTestId('log').getByText('task 1 of lesson activations reached').waitFor();
    await page.getByTestId('b-pause').click();
    await until(() => playing('b'), (p) => p === 'false', 'b paused');

    // Pause: the readout ends on the epoch the iframe shows (the throttle keeps the last one).
    await page.getByTestId('a-pause').click();
    await until(() => playing('a'), (p) => p === 'false', 'a paused');
    // (A trained on in its worker while out of view; its last snapshots come now.)
    await quiet(await inner('a'));
    const stopped = await frameEpoch('a');
    await until(() => readout('a'), (heard) => heard === String(stopped), 'a readout catches up');
    await page.getByTestId('a-step').click();
    await until(() => readout('a'), (e) => Number(e) === stopped + 1, 'a stepped');
    assert.equal(await frameEpoch('a'), stopped + 1);
    assert.equal(await playing('a'), 'false');

    // Malformed messages from the course page, and a command from a window that is not the
    // parent: each ignored, counted, warned about; demo A stays paused at its epoch.
    const before = warnings.length;
    await page.evaluate(() => {
      const target = document.getElementById('demo-a').contentWindow;
      const cyclic = { type: 'neural-playground', command: 'play' };
      cyclic.self = cyclic;
      for (const m of [
        'play',
        { type: 'neural-playground', command: 'explode' },
        { type: 'neural-playground', command: 'play', hash: 'dataset=xor' },
        { type: 'neural-playground', command: 'load', hash: 'no-such-lesson' },
        { type: 'neural-playground', command: 'play', extra: true },
        { type: 'neural-playground', command: 10n },
        cyclic,
      ]) target.postMessage(m, '*');
    });
    await (await inner('b')).evaluate(() => parent.frames[0].postMessage({ type: 'neural-playground', command: 'play' }, '*'));
    await until(() => ignored('a'), (n) => n === 8, 'a counted the ignored messages');
    const said = warnings.slice(before).filter((w) => w.includes('ignored a message'));
    assert.equal(said.length, 8, said.join('\n'));
    for (const reason of ['not an object', 'unknown command', 'takes no hash', 'no lesson `no-such-lesson`',
      'unexpected key `extra`', 'not JSON', 'did not come from the parent window']) {
      assert.ok(said.some((w) => w.includes(reason)), `a warning says "${reason}": ${said.join('\n')}`);
    }
    assert.equal(await playing('a'), 'false', 'the run untouched: still paused');
    assert.equal(await frameEpoch('a'), stopped + 1, 'and at its epoch');
    assert.equal(await ignored('b'), 0, 'demo B heard none of it');
    // Still obeys its page afterwards.
    await page.getByTestId('a-step').click();
    await until(() => frameEpoch('a'), (e) => e === stopped + 2, 'a steps after the noise');

    // Reset, then load: a hash into A (embedding kept), a lesson id into B.
    await page.getByTestId('a-reset').click();
    await until(() => readout('a'), (e) => e === '0', 'a reset reported');
    assert.equal(await frameEpoch('a'), 0);
    await page.getByTestId('a-load-hidden').click();
    const innerA = await inner('a');
    await until(() => innerA.evaluate(() => decodeURIComponent(location.hash)), (h) => h.includes('networkShape=4&'), 'a loaded');
    const hashA = await innerA.evaluate(() => decodeURIComponent(location.hash));
    assert.ok(hashA.includes('embed=true') && hashA.includes(`parentOrigin=${new URL(course.url).origin}`), hashA);
    await page.getByTestId('b-load-lesson').click();
    await frame.b.locator('[data-testid=lesson][data-lesson=graphs]').waitFor();
    assert.equal(await frame.b.locator('.app-header').count(), 0, 'still embedded after a load');
    await page.getByTestId('a-play').click();
    await until(() => readout('a'), (e) => Number(e) >= 5, 'the loaded experiment trains');
    await page.getByTestId('a-pause').click();

    // A run that diverges says so to the course page.
    const send = (message) => page.evaluate(([m, origin]) => document.getElementById('demo-a')
      .contentWindow.postMessage(m, origin), [message, new URL(playground.url).origin]);
    await send({ type: 'neural-playground', command: 'load',
      hash: 'problem=regression&regDataset=reg-plane&learningRate=10&networkShape=8,8&activation=relu' });
    await until(() => innerA.evaluate(() => location.hash), (h) => h.includes('learningRate=10&'), 'a loaded the diverging run');
    await send({ type: 'neural-playground', command: 'play' });
    await until(() => seen('a', 'seenDiverged'), (n) => n === 1, 'a diverged');
    await page.getByTestId('log').getByText(/^A diverged: .*Lower the learning rate/).waitFor();
    assert.equal(await playing('a'), 'false', 'a diverged run stops');
    assert.equal(await ignored('a'), 8, 'the two commands were taken');

    await page.getByTestId('log').getByText(/^A ready/).waitFor();
    await page.getByTestId('log').getByText(/^B resize: \d+px$/).first().waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'embed-example-top');
    await page.locator('section[data-demo=b]').scrollIntoViewIfNeeded();
    await page.locator('section[data-demo=b] h2').evaluate((el) => el.scrollIntoView());
    await screenshot(page, 'embed-example-demo-b');
    await page.getByTestId('log').scrollIntoViewIfNeeded();
    await screenshot(page, 'embed-example-log');

    assert.deepEqual(problems.pageErrors, [], 'no uncaught exceptions');
    assert.deepEqual(problems.consoleErrors, [], 'no console errors');
    assert.deepEqual(problems.offLoopback, [], 'nothing leaves loopback');
  } finally {
    await browser.close();
  }
});

test('a parent at another origin than parentOrigin is not obeyed', { timeout: 120_000 }, async () => {
  const browser = await launch();
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const warnings = [];
    page.on('console', (msg) => { if (msg.type() === 'warning') warnings.push(msg.text()); });
    await page.goto(`${course.url}?playground=${encodeURIComponent(playground.url)}`);
    // A frame that expects its parent at an origin this page is not at.
    await page.evaluate((url) => {
      const f = document.createElement('iframe');
      f.id = 'stranger';
      f.src = `${url}#dataset=xor&embed=true&parentOrigin=${encodeURIComponent('https://course.example.org')}`;
      document.body.prepend(f); // in view: a frame out of view is not drawn
    }, playground.url);
    const stranger = page.frameLocator('#stranger');
    await stranger.locator('[data-testid=app][data-live=true]').waitFor();
    await page.evaluate(() => document.getElementById('stranger').contentWindow
      .postMessage({ type: 'neural-playground', command: 'play' }, '*'));
    await until(async () => Number(await stranger.getByTestId('app').getAttribute('data-embed-ignored')), (n) => n === 1, 'counted');
    assert.equal(await stranger.getByTestId('play').getAttribute('aria-pressed'), 'false');
    assert.ok(warnings.some((w) => w.includes('is not from parentOrigin https://course.example.org')), warnings.join('\n'));
  } finally {
    await browser.close();
  }
});
