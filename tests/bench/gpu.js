// Loads the benchmark workloads and exposes the WebGPU measurements to the runner (gpu.mjs):
// the round trip through our backend and training steps on WebGPU and on the CPU backend.
import init, * as ours from '/pkg/np_bench.js';

const now = () => performance.now();

/** Milliseconds per call of `once` (awaited), over at least `seconds` and 5 calls, after a warm-up. */
async function perCall(once, seconds, warmup = 3) {
  for (let i = 0; i < warmup; i++) await once();
  let n = 0;
  const start = now();
  while (n < 5 || now() - start < seconds * 1000) {
    await once();
    n++;
  }
  return (now() - start) / n;
}

/** Every call's milliseconds, for the round trip's spread. */
async function samples(once, count, warmup = 10) {
  for (let i = 0; i < warmup; i++) await once();
  const out = [];
  for (let i = 0; i < count; i++) {
    const t = now();
    await once();
    out.push(now() - t);
  }
  return out.sort((a, b) => a - b);
}

let gpu;

window.bench = {
  ready: (async () => {
    await init();
    gpu = await ours.open_gpu();
    return { adapter: gpu.adapter() };
  })(),
  /** Round-trip times in ms: min, median, 90th percentile, mean. */
  roundTrip: async (count) => {
    const s = await samples(() => gpu.round_trip(), count);
    const mean = s.reduce((a, b) => a + b, 0) / s.length;
    return { min: s[0], median: s[s.length >> 1], p90: s[Math.floor(s.length * 0.9)], mean };
  },
  /**
   * One network's ms per training step: on the CPU (synchronous steps), on WebGPU reading the
   * loss after every step (latency-bound), and on WebGPU reading it once after `burst` steps
   * (steps queue up, one readback).
   */
  steps: async (widths, batch, seconds, burst) => {
    const cpu = ours.StepBench.cpu(widths, batch);
    const onCpu = await perCall(() => cpu.step(), seconds);
    cpu.free();
    const g = gpu.trainer(widths, batch);
    const flops = g.flops();
    const eachRead = await perCall(async () => { g.step(); await g.read_loss(); }, seconds);
    const burstRead = (await perCall(async () => {
      for (let i = 0; i < burst; i++) g.step();
      await g.read_loss();
    }, seconds, 1)) / burst;
    g.free();
    return { flops, cpu: onCpu, gpuEachRead: eachRead, gpuBurst: burstRead };
  },
};
document.getElementById('status').textContent = 'ready';
