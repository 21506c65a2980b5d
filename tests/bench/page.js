// Loads both engines in one page and exposes one function per workload to the runner.
/* global tf */
import init, * as ours from '/pkg/np_bench.js';
import * as theirs from '/tfjs.js';

const now = () => performance.now();

/** Same timing loop as tfjs.js: steps per second over at least `seconds`, after a warm-up. */
function rate(step, seconds, warmup = 3) {
  for (let i = 0; i < warmup; i++) step();
  let n = 0;
  const start = now();
  while (now() - start < seconds * 1000) {
    step();
    n++;
  }
  return n / ((now() - start) / 1000);
}

async function setup() {
  await init();
  tf.wasm.setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  await tf.setBackend('wasm');
  await tf.ready();
  return {
    tfjsBackend: tf.getBackend(),
    tfjsSimd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    tfjsThreads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
  };
}

window.bench = {
  ready: setup(),
  ours: {
    mlp: (s) => {
      const b = new ours.MlpBench();
      return rate(() => b.step(), s) * b.batch();
    },
    tiny: (s) => {
      const b = new ours.TinyBench();
      return rate(() => b.step(), s);
    },
    matmul: (n, s) => {
      const b = new ours.MatmulBench(n);
      return (rate(() => b.step(), s, 2) * 2 * n ** 3) / 1e9;
    },
  },
  theirs: {
    mlp: (s) => theirs.mlpCore(s),
    mlpFit: (s) => theirs.mlpFit(s),
    tiny: (s) => theirs.tiny(s),
    matmul: (n, s) => theirs.matmul(n, s),
  },
};
document.getElementById('status').textContent = 'ready';
