// The benchmark workloads written with TensorFlow.js, for the baseline. Runs in the page.
// Each function returns a rate; the same workloads exist in Rust (crates/np-bench).

/* global tf */

const now = () => performance.now();

/** Repeats `step` for at least `seconds` after `warmup` untimed calls; returns steps per second. */
function rate(step, { warmup = 3, seconds = 2, flush = () => {} } = {}) {
  for (let i = 0; i < warmup; i++) step();
  flush();
  let n = 0;
  const start = now();
  while (now() - start < seconds * 1000) {
    step();
    n++;
  }
  flush();
  return n / ((now() - start) / 1000);
}

function glorot(fanIn, fanOut) {
  return tf.variable(tf.randomUniform([fanIn, fanOut], -Math.sqrt(6 / (fanIn + fanOut)), Math.sqrt(6 / (fanIn + fanOut))));
}

/** MLP 784-64-10, ReLU, softmax cross-entropy, Adam, batch 128, through the core API. */
export function mlpCore(seconds) {
  const batch = 128;
  const x = tf.randomUniform([batch, 784]);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10).toFloat();
  const w1 = glorot(784, 64), b1 = tf.variable(tf.zeros([64]));
  const w2 = glorot(64, 10), b2 = tf.variable(tf.zeros([10]));
  const opt = tf.train.adam(1e-3);
  let last;
  const step = () => {
    last?.dispose();
    last = opt.minimize(() => {
      const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
      return tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(h, w2), b2));
    }, true);
  };
  const stepsPerSecond = rate(step, { seconds, flush: () => last?.dataSync() });
  return stepsPerSecond * batch;
}

/** The same MLP through model.fit, the path most tutorials use. */
export async function mlpFit(seconds) {
  const n = 128 * 16;
  const x = tf.randomUniform([n, 784]);
  const y = tf.oneHot(tf.randomUniform([n], 0, 10, 'int32'), 10).toFloat();
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [784], units: 64, activation: 'relu' }), tf.layers.dense({ units: 10 })],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: (t, z) => tf.losses.softmaxCrossEntropy(t, z) });
  await model.fit(x, y, { batchSize: 128, epochs: 1, verbose: 0 });
  let epochs = 0;
  const start = now();
  while (now() - start < seconds * 1000) {
    await model.fit(x, y, { batchSize: 128, epochs: 1, verbose: 0 });
    epochs++;
  }
  return (epochs * n) / ((now() - start) / 1000);
}

/** 2-8-8-1 tanh net on 500 points, full-batch SGD steps with sigmoid cross-entropy. */
export function tiny(seconds) {
  const x = tf.randomUniform([500, 2], -1, 1);
  const y = tf.cast(tf.greater(tf.mul(x.slice([0, 0], [500, 1]), x.slice([0, 1], [500, 1])), 0), 'float32');
  const layers = [[2, 8], [8, 8], [8, 1]].map(([i, o]) => [glorot(i, o), tf.variable(tf.zeros([o]))]);
  const opt = tf.train.sgd(0.03);
  let last;
  const step = () => {
    last?.dispose();
    last = opt.minimize(() => {
      let h = x;
      layers.forEach(([w, b], i) => {
        h = tf.add(tf.matMul(h, w), b);
        if (i < layers.length - 1) h = tf.tanh(h);
      });
      return tf.losses.sigmoidCrossEntropy(y, h);
    }, true);
  };
  return rate(step, { seconds, flush: () => last?.dataSync() });
}

/** n x n by n x n matrix product; GFLOP/s. */
export function matmul(n, seconds) {
  const a = tf.randomUniform([n, n]);
  const b = tf.randomUniform([n, n]);
  // The wasm backend computes when the op is called; reading back only at the end keeps a
  // per-product copy out of the timing, as on our side.
  let last;
  const step = () => {
    last?.dispose();
    last = tf.matMul(a, b);
  };
  return (rate(step, { seconds, warmup: 2, flush: () => last?.dataSync() }) * 2 * n ** 3) / 1e9;
}
