// The one-minute soak (the 30-minute run is scripts/soak.sh): playing while switching
// experiments and panels leaks no memory, keeps one worker and logs no error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { soak } from './soak.mjs';

test('a minute of play and switching keeps the JS heap and the DOM flat and one worker', async (t) => {
  const { samples, failures } = await soak({
    minutes: 1.2,
    warmupSamples: 1,
    // Wasm memory is judged by the 30-minute run (scripts/soak.sh), see soak.mjs.
    judgeWasm: false,
    log: (line) => t.diagnostic(line),
  });
  assert.ok(samples.length >= 3, `${samples.length} samples`);
  assert.deepEqual(failures, []);
});
