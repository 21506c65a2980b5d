// A benchmark, not a test (no assertions on time): frame times of the page while it trains an
// 8-layer, 16-unit network, with the inspection panels scrolled into view and out of view.
// Frame time = the gap between two requestAnimationFrame callbacks, which grows when training,
// drawing or the panels' recomputation holds the main thread.
//
//   cd tests/e2e && NP_DIST=/tmp/np-dist node panels-frames.bench.mjs [seconds] [runs]
//
// Prints one line per scenario and run: p50 / p95 / max / mean frame time in ms, the share of
// frames over 50 ms, frames, epochs trained per second (so a faster frame is not bought with
// less training), and how often the hidden-layer panel recomputed (its exported data changed).

import { serve, launch, openApp } from './harness.mjs';

const seconds = Number(process.argv[2] ?? 12);
const runs = Number(process.argv[3] ?? 2);
const HASH = 'dataset=circle&networkShape=16,16,16,16,16,16,16,16&activation=tanh&learningRate=0.01&batchSize=10';

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function measure(browser, server, scenario) {
  const { page, problems } = await openApp(browser.context, `${server.url}#${HASH}`);
  try {
    await page.getByTestId('inspector').waitFor();
    // Clicking play scrolls the page up to the button, so scroll after it.
    await page.getByTestId('play').click();
    if (scenario === 'panels in view') {
      await page.getByTestId('panel-hidden').scrollIntoViewIfNeeded();
    } else {
      await page.evaluate(() => window.scrollTo(0, 0));
    }
    // Warm-up: the first frames compile shaders of the canvas paths and fill the timeline.
    await page.waitForTimeout(2000);
    const epoch0 = Number(await page.getByTestId('epoch').textContent());
    const { gaps, updates } = await page.evaluate(
      (ms) =>
        new Promise((done) => {
          // How often the hidden-layer panel re-rendered its data (its export changes each time).
          let updates = 0;
          const observer = new MutationObserver(() => { updates += 1; });
          observer.observe(document.querySelector('[data-testid=hidden-activations]'), {
            childList: true, characterData: true, subtree: true,
          });
          const gaps = [];
          const start = performance.now();
          let last = start;
          const tick = (t) => {
            gaps.push(t - last);
            last = t;
            if (t - start < ms) requestAnimationFrame(tick);
            else {
              observer.disconnect();
              done({ gaps: gaps.slice(1), updates });
            }
          };
          requestAnimationFrame(tick);
        }),
      seconds * 1000,
    );
    const epoch1 = Number(await page.getByTestId('epoch').textContent());
    await page.getByTestId('play').click({ noWaitAfter: true });
    const sorted = [...gaps].sort((a, b) => a - b);
    if (problems.pageErrors.length) console.log('page errors:', problems.pageErrors);
    return {
      mean: gaps.reduce((a, b) => a + b, 0) / gaps.length,
      long: gaps.filter((g) => g > 50).length / gaps.length,
      p50: quantile(sorted, 0.5),
      p95: quantile(sorted, 0.95),
      max: sorted[sorted.length - 1],
      frames: gaps.length,
      epochsPerS: (epoch1 - epoch0) / seconds,
      updatesPerS: updates / seconds,
    };
  } finally {
    await page.close();
  }
}

const server = await serve();
const browser = await launch();
try {
  console.log(`network: ${HASH}; ${seconds} s per measurement`);
  for (let run = 1; run <= runs; run++) {
    for (const scenario of ['panels in view', 'panels out of view']) {
      const r = await measure(browser, server, scenario);
      console.log(
        `run ${run} | ${scenario.padEnd(18)} | p50 ${r.p50.toFixed(1)} ms | p95 ${r.p95.toFixed(1)} ms | max ${r.max.toFixed(1)} ms | mean ${r.mean.toFixed(1)} ms | ${(100 * r.long).toFixed(1)} % over 50 ms | ${r.frames} frames | ${r.epochsPerS.toFixed(1)} epochs/s | hidden panel ${r.updatesPerS.toFixed(1)} updates/s`,
      );
    }
  }
} finally {
  await browser.close();
  await server.close();
}
