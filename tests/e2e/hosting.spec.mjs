// Host anywhere: the release build works from a sub-path of a plain static server (asset URLs
// are relative to the page), and its Content-Security-Policy lets in only the page's own
// scripts and wasm plus trunk's inline loader, by hash.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, screenshot } from './harness.mjs';

// Not the harness's default: the test must hold whatever NP_BASE the other specs run under.
const BASE = '/some/sub/path/';
let server;
before(async () => { server = await serve(undefined, { base: BASE }); });
after(async () => { await server?.close(); });

async function withApp(body, hash = '') {
  const browser = await launch();
  const responses = [];
  browser.context.on('response', (r) => responses.push({ url: r.url(), status: r.status() }));
  try {
    const { page, problems } = await openApp(browser.context, server.url + hash);
    await body(page, problems, responses);
  } finally {
    await browser.close();
  }
}

const epoch = (page) => page.getByTestId('epoch').textContent().then(Number);

test('the site mounts and trains under a sub-path, asking nothing of the host root', async () => {
  await withApp(async (page, problems, responses) => {
    await page.getByTestId('play').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]').textContent) >= 3);
    await page.getByTestId('play').click();
    assert.ok((await epoch(page)) >= 3);
    await screenshot(page, 'hosting-sub-path');
    assert.ok(responses.length >= 4, `the page loaded its assets (${responses.length} responses)`);
    for (const { url, status } of responses) {
      assert.ok(new URL(url).pathname.startsWith(BASE), `${url} is under ${BASE}`);
      assert.equal(status, 200, `${url} answered ${status}`);
    }
    assert.deepEqual(problems.consoleErrors, [], 'no console errors (a CSP violation would be one)');
    assert.deepEqual(problems.pageErrors, [], 'no uncaught exceptions');
    assert.deepEqual(problems.offLoopback, [], 'no request leaves loopback');
  }, '#dataset=xor');
});

test('the Content-Security-Policy blocks scripts the build did not ship', async () => {
  await withApp(async (page, problems) => {
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]{44}'(;|$)/);
    assert.match(policy, /default-src 'self'/);
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.injectedScriptRan = true;';
      document.head.append(s);
      return window.injectedScriptRan === true;
    });
    assert.equal(ran, false, 'an injected inline script does not run');
    assert.ok(
      problems.consoleErrors.some((e) => /Content Security Policy/.test(e)),
      `the browser reports the blocked script (${problems.consoleErrors.join(' | ')})`,
    );
  });
});
