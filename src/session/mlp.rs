//! A small dense network with backpropagation and the six optimizers, in plain f64.
//!
//! INTERIM: np-engine's `train` API (ModelSpec, optimizers, losses, regularization) is meant to do
//! this; until it lands the app trains with this stand-in so the UI can be built and tested. It
//! has the surface the session needs: train one batch, forward one input keeping every layer's
//! activations, read and set one weight or bias.

use np_engine::rng::Rng;

use crate::config::{Activation, Config, Init, Loss, Optimizer, Regularization};

/// One dense layer: `w[to][from]`, `b[to]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    pub w: Vec<Vec<f64>>,
    pub b: Vec<f64>,
    pub act: Act,
}

/// A layer's nonlinearity, output units included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Hidden(Activation),
    Sigmoid,
    Softmax,
    Identity,
}

/// Hyper-parameters that change live.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hyper {
    pub learning_rate: f64,
    pub regularization_rate: f64,
    pub momentum: f64,
}

/// The network and its optimizer state.
#[derive(Debug, Clone)]
pub struct Mlp {
    pub layers: Vec<Layer>,
    pub hyper: Hyper,
    optimizer: Optimizer,
    loss: Loss,
    regularization: Regularization,
    dropout: f64,
    /// Optimizer moments, shaped like the parameters: first and second.
    m: Vec<Layer>,
    v: Vec<Layer>,
    steps: u64,
    rng: Rng,
}

fn activate(a: Activation, z: f64) -> f64 {
    match a {
        Activation::Relu => z.max(0.0),
        Activation::Tanh => z.tanh(),
        Activation::Sigmoid => 1.0 / (1.0 + (-z).exp()),
        Activation::Linear => z,
        Activation::LeakyRelu => {
            if z > 0.0 {
                z
            } else {
                0.01 * z
            }
        }
        Activation::Elu => {
            if z > 0.0 {
                z
            } else {
                z.exp() - 1.0
            }
        }
    }
}

/// The derivative, from the pre-activation `z` and the output `a`.
fn derivative(act: Activation, z: f64, a: f64) -> f64 {
    match act {
        Activation::Relu => {
            if z > 0.0 {
                1.0
            } else {
                0.0
            }
        }
        Activation::Tanh => 1.0 - a * a,
        Activation::Sigmoid => a * (1.0 - a),
        Activation::Linear => 1.0,
        Activation::LeakyRelu => {
            if z > 0.0 {
                1.0
            } else {
                0.01
            }
        }
        Activation::Elu => {
            if z > 0.0 {
                1.0
            } else {
                a + 1.0
            }
        }
    }
}

impl Mlp {
    /// A network for `inputs` features and `outputs` units, initialized from the init seed.
    pub fn new(config: &Config, inputs: usize, classes: usize) -> Self {
        let mut rng = Rng::new(config.init_seed);
        let mut sizes = vec![inputs];
        sizes.extend(&config.network_shape);
        let (outputs, out_act) = match classes {
            1 => (1, Act::Identity),
            2 => (1, Act::Sigmoid),
            k => (k, Act::Softmax),
        };
        sizes.push(outputs);
        let last = sizes.len() - 2;
        let layers: Vec<Layer> = (0..sizes.len() - 1)
            .map(|l| {
                let (n_in, n_out) = (sizes[l], sizes[l + 1]);
                let act = if l == last {
                    out_act
                } else {
                    Act::Hidden(config.layer_activation(l))
                };
                let mut draw = || match config.init {
                    Init::Tfp => rng.uniform(-0.5, 0.5),
                    Init::Glorot => {
                        let r = (6.0 / (n_in + n_out).max(1) as f64).sqrt();
                        rng.uniform(-r, r)
                    }
                    Init::He => rng.normal() * (2.0 / n_in.max(1) as f64).sqrt(),
                    Init::Small => rng.normal() * 0.01,
                    Init::Zeros => 0.0,
                };
                let w = (0..n_out)
                    .map(|_| (0..n_in).map(|_| draw()).collect())
                    .collect();
                let bias = if config.init == Init::Tfp { 0.1 } else { 0.0 };
                Layer {
                    w,
                    b: vec![bias; n_out],
                    act,
                }
            })
            .collect();
        let zeros: Vec<Layer> = layers.iter().map(zeroed).collect();
        Self {
            layers,
            hyper: Hyper {
                learning_rate: config.learning_rate,
                regularization_rate: config.regularization_rate,
                momentum: config.momentum,
            },
            optimizer: config.optimizer,
            loss: config.effective_loss(),
            regularization: config.regularization,
            dropout: config.dropout,
            m: zeros.clone(),
            v: zeros,
            steps: 0,
            rng: Rng::new(config.init_seed ^ 0x5eed),
        }
    }

    /// Every layer's output for one input; the last entry is the network's output (class
    /// probabilities or the regression value). No dropout: prediction uses every unit.
    pub fn forward(&self, input: &[f64]) -> Vec<Vec<f64>> {
        let mut outs: Vec<Vec<f64>> = Vec::with_capacity(self.layers.len());
        for layer in &self.layers {
            let prev = outs.last().map_or(input, |v| v.as_slice());
            let z: Vec<f64> = layer
                .w
                .iter()
                .zip(&layer.b)
                .map(|(row, b)| dot(row, prev) + b)
                .collect();
            outs.push(apply(layer.act, &z));
        }
        outs
    }

    /// Loss of one prediction against a label (class index or value).
    pub fn loss_of(&self, out: &[f64], label: f64) -> f64 {
        let eps = 1e-12;
        match (self.layers.last().map(|l| l.act), self.loss) {
            (Some(Act::Sigmoid), Loss::CrossEntropy) => {
                let p = out[0].clamp(eps, 1.0 - eps);
                -(label * p.ln() + (1.0 - label) * (1.0 - p).ln())
            }
            (Some(Act::Softmax), Loss::CrossEntropy) => -out
                .get(label as usize)
                .copied()
                .unwrap_or(eps)
                .max(eps)
                .ln(),
            (Some(Act::Softmax), Loss::Mse) => out
                .iter()
                .enumerate()
                .map(|(k, &p)| 0.5 * (p - one_hot(k, label)).powi(2))
                .sum(),
            _ => 0.5 * (out[0] - label).powi(2),
        }
    }

    /// One optimizer step on the mean gradient of `batch` (inputs, label).
    pub fn train_batch(&mut self, batch: &[(Vec<f64>, f64)]) {
        if batch.is_empty() {
            return;
        }
        let mut grads: Vec<Layer> = self.layers.iter().map(zeroed).collect();
        for (input, label) in batch {
            self.accumulate(input, *label, &mut grads);
        }
        let scale = 1.0 / batch.len() as f64;
        self.steps += 1;
        let h = self.hyper;
        for (l, layer) in self.layers.iter_mut().enumerate() {
            for to in 0..layer.b.len() {
                for from in 0..layer.w[to].len() {
                    let mut g = grads[l].w[to][from] * scale;
                    let w = layer.w[to][from];
                    g += match self.regularization {
                        Regularization::None => 0.0,
                        Regularization::L1 => {
                            h.regularization_rate * w.signum() * f64::from(u8::from(w != 0.0))
                        }
                        Regularization::L2 => h.regularization_rate * w,
                    };
                    let next = w - update(
                        self.optimizer,
                        h,
                        self.steps,
                        g,
                        &mut self.m[l].w[to][from],
                        &mut self.v[l].w[to][from],
                    );
                    // L1 clips at zero instead of crossing it; the weight stays free to move
                    // again on a later step (TensorFlow Playground froze it forever).
                    layer.w[to][from] = if self.regularization == Regularization::L1
                        && w != 0.0
                        && next.signum() != w.signum()
                    {
                        0.0
                    } else {
                        next
                    };
                }
                let g = grads[l].b[to] * scale;
                layer.b[to] -= update(
                    self.optimizer,
                    h,
                    self.steps,
                    g,
                    &mut self.m[l].b[to],
                    &mut self.v[l].b[to],
                );
            }
        }
    }

    /// Backpropagates one example into `grads`.
    fn accumulate(&mut self, input: &[f64], label: f64, grads: &mut [Layer]) {
        // Forward, keeping pre-activations; dropout masks hidden units (inverted dropout).
        let mut zs: Vec<Vec<f64>> = Vec::new();
        let mut outs: Vec<Vec<f64>> = Vec::new();
        let keep = 1.0 - self.dropout;
        for (l, layer) in self.layers.iter().enumerate() {
            let prev = if l == 0 {
                input
            } else {
                outs[l - 1].as_slice()
            };
            let z: Vec<f64> = layer
                .w
                .iter()
                .zip(&layer.b)
                .map(|(row, b)| dot(row, prev) + b)
                .collect();
            let mut a = apply(layer.act, &z);
            if self.dropout > 0.0 && l + 1 < self.layers.len() {
                for v in &mut a {
                    *v = if self.rng.next_f64() < keep {
                        *v / keep
                    } else {
                        0.0
                    };
                }
            }
            zs.push(z);
            outs.push(a);
        }
        let last = self.layers.len() - 1;
        let out = &outs[last];
        // Output delta: p - y for sigmoid / softmax with cross-entropy and for identity with MSE.
        let mut delta: Vec<f64> = match (self.layers[last].act, self.loss) {
            (Act::Softmax, Loss::CrossEntropy) => out
                .iter()
                .enumerate()
                .map(|(k, p)| p - one_hot(k, label))
                .collect(),
            (Act::Softmax, Loss::Mse) => {
                let g: Vec<f64> = out
                    .iter()
                    .enumerate()
                    .map(|(k, p)| p - one_hot(k, label))
                    .collect();
                let dot_gp: f64 = g.iter().zip(out).map(|(g, p)| g * p).sum();
                out.iter().zip(&g).map(|(p, g)| p * (g - dot_gp)).collect()
            }
            (Act::Sigmoid, Loss::CrossEntropy) => vec![out[0] - label],
            (Act::Sigmoid, Loss::Mse) => vec![(out[0] - label) * out[0] * (1.0 - out[0])],
            _ => vec![out[0] - label],
        };
        for l in (0..=last).rev() {
            let prev = if l == 0 {
                input
            } else {
                outs[l - 1].as_slice()
            };
            for (to, d) in delta.iter().enumerate() {
                grads[l].b[to] += d;
                for (from, p) in prev.iter().enumerate() {
                    grads[l].w[to][from] += d * p;
                }
            }
            if l == 0 {
                break;
            }
            let below = &self.layers[l - 1];
            delta = (0..prev.len())
                .map(|j| {
                    let back: f64 = delta
                        .iter()
                        .enumerate()
                        .map(|(to, d)| d * self.layers[l].w[to][j])
                        .sum();
                    let a = outs[l - 1][j];
                    match below.act {
                        Act::Hidden(act) if a != 0.0 || self.dropout == 0.0 => {
                            back * derivative(act, zs[l - 1][j], a)
                        }
                        // A dropped unit passes no gradient.
                        Act::Hidden(_) => 0.0,
                        _ => back,
                    }
                })
                .collect();
        }
    }
}

fn one_hot(k: usize, label: f64) -> f64 {
    if k == label as usize {
        1.0
    } else {
        0.0
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn apply(act: Act, z: &[f64]) -> Vec<f64> {
    match act {
        Act::Hidden(a) => z.iter().map(|&v| activate(a, v)).collect(),
        Act::Sigmoid => z
            .iter()
            .map(|&v| activate(Activation::Sigmoid, v))
            .collect(),
        Act::Identity => z.to_vec(),
        Act::Softmax => {
            let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let e: Vec<f64> = z.iter().map(|v| (v - max).exp()).collect();
            let s: f64 = e.iter().sum();
            e.iter().map(|v| v / s).collect()
        }
    }
}

fn zeroed(l: &Layer) -> Layer {
    Layer {
        w: l.w.iter().map(|r| vec![0.0; r.len()]).collect(),
        b: vec![0.0; l.b.len()],
        act: l.act,
    }
}

/// The step to subtract from a parameter with gradient `g`, updating its moments.
fn update(opt: Optimizer, h: Hyper, t: u64, g: f64, m: &mut f64, v: &mut f64) -> f64 {
    let lr = h.learning_rate;
    match opt {
        Optimizer::Sgd => lr * g,
        Optimizer::Momentum => {
            *m = h.momentum * *m + lr * g;
            *m
        }
        Optimizer::Nesterov => {
            let prev = *m;
            *m = h.momentum * *m + lr * g;
            (1.0 + h.momentum) * *m - h.momentum * prev
        }
        Optimizer::Adagrad => {
            *v += g * g;
            lr * g / (v.sqrt() + 1e-8)
        }
        Optimizer::Rmsprop => {
            *v = 0.9 * *v + 0.1 * g * g;
            lr * g / (v.sqrt() + 1e-8)
        }
        Optimizer::Adam => {
            *m = 0.9 * *m + 0.1 * g;
            *v = 0.999 * *v + 0.001 * g * g;
            let t = t.min(i32::MAX as u64) as i32;
            let mh = *m / (1.0 - 0.9f64.powi(t));
            let vh = *v / (1.0 - 0.999f64.powi(t));
            lr * mh / (vh.sqrt() + 1e-8)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The analytic gradient matches finite differences of the loss.
    #[test]
    fn gradient_check() {
        let config = Config {
            network_shape: vec![3, 2],
            init: Init::Glorot,
            problem: crate::config::Problem::Classification,
            ..Config::default()
        };
        for classes in [1, 2, 3] {
            let mut net = Mlp::new(&config, 2, classes);
            let input = vec![0.3, -0.7];
            let label = if classes == 1 { 0.4 } else { 1.0 };
            let mut grads: Vec<Layer> = net.layers.iter().map(zeroed).collect();
            net.accumulate(&input, label, &mut grads);
            let h = 1e-6;
            for l in 0..net.layers.len() {
                let mut plus = net.clone();
                plus.layers[l].w[0][1] += h;
                let mut minus = net.clone();
                minus.layers[l].w[0][1] -= h;
                let numeric = (plus
                    .loss_of(plus.forward(&input).last().map_or(&[][..], |v| v), label)
                    - minus.loss_of(minus.forward(&input).last().map_or(&[][..], |v| v), label))
                    / (2.0 * h);
                assert!(
                    (numeric - grads[l].w[0][1]).abs() < 1e-5,
                    "classes {classes} layer {l}: {numeric} vs {}",
                    grads[l].w[0][1]
                );
            }
        }
    }

    #[test]
    fn same_seed_same_network() {
        let c = Config::default();
        assert_eq!(Mlp::new(&c, 2, 2).layers, Mlp::new(&c, 2, 2).layers);
        let other = Config {
            init_seed: 2,
            ..Config::default()
        };
        assert_ne!(Mlp::new(&c, 2, 2).layers, Mlp::new(&other, 2, 2).layers);
    }
}
