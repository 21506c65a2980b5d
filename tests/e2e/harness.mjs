// Shared by every spec: serves the release build on loopback, launches Debian's chromium the way
// this machine needs it, and watches pages for console errors and requests that leave loopback.

import { createServer } from 'node:http';
import { mkdtemp, readFile, rm, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = resolve(process.env.NP_DIST ?? join(here, '..', '..', 'dist'));
export const ARTIFACTS = resolve(process.env.NP_ARTIFACTS ?? join(here, 'artifacts'));

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/**
 * Where the tests mount the build: a sub-path, as a course site hosts it, so every spec also
 * proves that nothing is asked of the host's root. `NP_BASE=/` serves it at the root.
 */
export const SITE_BASE = process.env.NP_BASE ?? '/some/sub/path/';

/**
 * Serves `root` on 127.0.0.1 at a free port under the path `base` (a static host's sub-path,
 * e.g. `/ml/playground/`); unknown paths under it get index.html (one-page app), anything
 * outside it a 404, so a page that asks for `/asset.js` from the host's root fails as it would.
 */
export async function serve(root = DIST, { base = SITE_BASE } = {}) {
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`no release build in ${root}: run 'trunk build --release' first (scripts/test.sh does)`);
  }
  const server = createServer(async (req, res) => {
    const requested = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!requested.startsWith(base)) {
      res.writeHead(404).end();
      return;
    }
    const path = normalize(`/${requested.slice(base.length)}`).replace(/^(\.\.[/\\])+/, '');
    let file = join(root, path);
    if (!file.startsWith(root) || !existsSync(file) || path.endsWith('/')) file = join(root, 'index.html');
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${base}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Launches headless Debian chromium in a fresh profile. WebGPU (SwiftShader) only when asked. */
export async function launch({ webgpu = false, viewport = { width: 1280, height: 900 } } = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'np-chromium-'));
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  if (webgpu) args.push('--enable-unsafe-webgpu');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.NP_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args,
    viewport,
  });
  const close = async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  };
  return { context, close };
}

/**
 * The URL of the playground itself: a URL without an experiment in it opens the lesson gallery,
 * so one without a hash (or with an empty one) gets the free playground's `#playground`.
 */
export function playgroundUrl(url) {
  const [base, hash = ''] = url.split('#');
  return hash.replace(/&/g, '').trim() ? url : `${base}#playground`;
}

/**
 * Opens the app and records what a user should never get: console errors, uncaught exceptions,
 * and any request that leaves loopback (blocked, so an offline machine behaves the same).
 * A URL without an experiment means the free playground unless `asIs` (the lessons' specs).
 */
export async function openApp(context, url, { asIs = false, block = [] } = {}) {
  const problems = { consoleErrors: [], pageErrors: [], offLoopback: [] };
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') return route.continue();
    problems.offLoopback.push(route.request().url());
    return route.abort();
  });
  // Registered last, so they take precedence: files the test wants missing (404).
  for (const pattern of block) {
    await context.route(pattern, (route) => route.fulfill({ status: 404, body: 'blocked by the test' }));
  }
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => problems.pageErrors.push(String(err)));
  await page.goto(asIs ? url : playgroundUrl(url));
  await page.getByTestId('app').waitFor();
  await waitForLive(page);
  return { page, problems };
}

/**
 * Waits until the page draws a snapshot from the training host (the worker loads first); the
 * lesson gallery has no host and counts as ready.
 */
export async function waitForLive(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid=lesson-gallery]')
    || document.querySelector('[data-testid=app]')?.dataset.live === 'true');
}

/**
 * Does `act` (a click, a key) and waits until the page has drawn what the host sent back: the
 * host runs in a worker, so its answer arrives a moment later.
 */
export async function andSettle(page, act) {
  const before = await page.getByTestId('app').getAttribute('data-version');
  await act();
  await page.waitForFunction(
    (v) => document.querySelector('[data-testid=app]').dataset.version !== v, before);
  await waitForLive(page);
}

/**
 * Waits until the page has drawn the host's last word: no new snapshot for half a second (after
 * a pause the host may send one more).
 */
export async function quiet(page) {
  await page.waitForFunction(() => {
    const v = document.querySelector('[data-testid=app]').dataset.version;
    const now = performance.now();
    if (window.npQuiet?.v !== v) window.npQuiet = { v, since: now };
    return document.querySelector('[data-testid=app]').dataset.live === 'true' && now - window.npQuiet.since > 500;
  }, null, { polling: 50 });
}

/** Saves a screenshot of the page (or of one element) under the artifacts folder. */
export async function screenshot(target, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await target.screenshot({ path });
  return path;
}

/** Share of a canvas's pixels that differ from its most common colour (0 = blank). */
export async function canvasInk(locator) {
  return locator.evaluate((canvas) => {
    const ctx = canvas.getContext('2d');
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const counts = new Map();
    for (let i = 0; i < data.length; i += 4) {
      const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const commonest = Math.max(...counts.values());
    return 1 - commonest / (data.length / 4);
  });
}
