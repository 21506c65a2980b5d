//! What the panels need from the network that the session's snapshot does not hold directly:
//! every layer's pre- and post-activations on a batch of points, and the full-batch gradient of
//! the training loss. Computed here from the snapshot's weights, with the same definitions as
//! the session's network (see `activation::Curve`), so the panels need no access to the trainer.
//!
//! When np-engine's trainer replaces the session's interim network, these should come from its
//! per-layer activation and gradient accessors instead; the shapes below are the contract.

use crate::analysis::activation::{softmax, Curve};
use crate::config::{Config, Feature, Loss};
use crate::session::{LayerView, Point, Snapshot};

/// The output layer's nonlinearity, inferred from the problem and the output width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Regression.
    Identity,
    /// Two classes through one unit.
    Sigmoid,
    /// K classes (two included, when the network has two output units).
    Softmax,
}

impl Output {
    pub fn infer(classes: usize, output_width: usize) -> Self {
        match (classes, output_width) {
            (1, _) => Output::Identity,
            (_, 1) => Output::Sigmoid,
            _ => Output::Softmax,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Output::Identity => "linear",
            Output::Sigmoid => "sigmoid",
            Output::Softmax => "softmax",
        }
    }
}

/// The network as the panels see it: weights plus the nonlinearities.
#[derive(Debug, Clone, PartialEq)]
pub struct Net {
    pub layers: Vec<LayerView>,
    /// One curve per hidden layer.
    pub curves: Vec<Curve>,
    pub output: Output,
    pub loss: Loss,
}

/// Activations of every weight layer on a batch. `pre[l][s][u]`: layer l (hidden layers first,
/// the output layer last), sample s, unit u.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Forward {
    pub pre: Vec<Vec<Vec<f64>>>,
    pub post: Vec<Vec<Vec<f64>>>,
}

impl Net {
    /// The network of a snapshot under a config.
    pub fn of(snapshot: &Snapshot, config: &Config) -> Self {
        let hidden = snapshot.layers.len().saturating_sub(1);
        let out_width = snapshot.layers.last().map_or(1, |l| l.b.len());
        Self {
            layers: snapshot.layers.clone(),
            curves: (0..hidden)
                .map(|l| Curve::from(config.layer_activation(l)))
                .collect(),
            output: Output::infer(snapshot.data.classes, out_width),
            loss: config.effective_loss(),
        }
    }

    /// The same nonlinearities with other weights (an earlier epoch's).
    pub fn with_layers(&self, layers: &[LayerView]) -> Self {
        Self {
            layers: layers.to_vec(),
            ..self.clone()
        }
    }

    /// Units per layer, inputs first: `[inputs, hidden.., outputs]`.
    pub fn widths(&self) -> Vec<usize> {
        let inputs = self
            .layers
            .first()
            .and_then(|l| l.w.first())
            .map_or(0, Vec::len);
        std::iter::once(inputs)
            .chain(self.layers.iter().map(|l| l.b.len()))
            .collect()
    }

    /// Every layer's pre- and post-activations for each input row.
    pub fn forward(&self, inputs: &[Vec<f64>]) -> Forward {
        self.forward_through(inputs, self.layers.len())
    }

    /// Pre- and post-activations of the first `layers` layers only: the hidden-layer view needs
    /// nothing past the layer it shows.
    pub fn forward_through(&self, inputs: &[Vec<f64>], layers: usize) -> Forward {
        let mut fw = Forward::default();
        let last = self.layers.len().saturating_sub(1);
        for (l, layer) in self.layers.iter().enumerate().take(layers) {
            let prev: Vec<&[f64]> = if l == 0 {
                inputs.iter().map(Vec::as_slice).collect()
            } else {
                fw.post[l - 1].iter().map(Vec::as_slice).collect()
            };
            let pre: Vec<Vec<f64>> = prev
                .iter()
                .map(|a| {
                    layer
                        .w
                        .iter()
                        .zip(&layer.b)
                        .map(|(row, b)| {
                            row.iter().zip(a.iter()).map(|(w, x)| w * x).sum::<f64>() + b
                        })
                        .collect()
                })
                .collect();
            let post = pre
                .iter()
                .map(|z| {
                    if l == last {
                        match self.output {
                            Output::Identity => z.clone(),
                            Output::Sigmoid => z.iter().map(|&v| Curve::Sigmoid.f(v)).collect(),
                            Output::Softmax => softmax(z),
                        }
                    } else {
                        let c = self.curves.get(l).copied().unwrap_or(Curve::Linear);
                        z.iter().map(|&v| c.f(v)).collect()
                    }
                })
                .collect();
            fw.pre.push(pre);
            fw.post.push(post);
        }
        fw
    }

    /// Mean gradient of the data loss (no penalty) over the batch, shaped like the layers.
    pub fn gradients(&self, inputs: &[Vec<f64>], labels: &[f64]) -> Vec<LayerView> {
        let mut grads: Vec<LayerView> = self
            .layers
            .iter()
            .map(|l| LayerView {
                w: l.w.iter().map(|r| vec![0.0; r.len()]).collect(),
                b: vec![0.0; l.b.len()],
            })
            .collect();
        let n = inputs.len().min(labels.len());
        if n == 0 || self.layers.is_empty() {
            return grads;
        }
        let fw = self.forward(&inputs[..n]);
        let last = self.layers.len() - 1;
        for s in 0..n {
            let out = &fw.post[last][s];
            let mut delta = self.output_delta(out, labels[s]);
            for l in (0..=last).rev() {
                let a_prev: &[f64] = if l == 0 {
                    &inputs[s]
                } else {
                    &fw.post[l - 1][s]
                };
                for (u, d) in delta.iter().enumerate() {
                    grads[l].b[u] += d / n as f64;
                    for (i, a) in a_prev.iter().enumerate() {
                        grads[l].w[u][i] += d * a / n as f64;
                    }
                }
                if l == 0 {
                    break;
                }
                let curve = self.curves.get(l - 1).copied().unwrap_or(Curve::Linear);
                let z_prev = &fw.pre[l - 1][s];
                delta = (0..a_prev.len())
                    .map(|i| {
                        let back: f64 = self.layers[l]
                            .w
                            .iter()
                            .zip(&delta)
                            .map(|(row, d)| row[i] * d)
                            .sum();
                        back * curve.df(z_prev[i])
                    })
                    .collect();
            }
        }
        grads
    }

    /// dLoss/dz of the output layer for one sample.
    fn output_delta(&self, out: &[f64], label: f64) -> Vec<f64> {
        let target = |k: usize| match self.output {
            Output::Softmax => f64::from(u8::from(label as usize == k)),
            _ => label,
        };
        let err: Vec<f64> = out.iter().enumerate().map(|(k, p)| p - target(k)).collect();
        match (self.output, self.loss) {
            // Cross-entropy through its matching output: the famous p - y.
            (Output::Sigmoid | Output::Softmax, Loss::CrossEntropy) | (Output::Identity, _) => err,
            (Output::Sigmoid, Loss::Mse) => err
                .iter()
                .zip(out)
                .map(|(e, p)| e * p * (1.0 - p))
                .collect(),
            (Output::Softmax, Loss::Mse) => (0..out.len())
                .map(|j| {
                    (0..out.len())
                        .map(|i| err[i] * out[i] * (f64::from(u8::from(i == j)) - out[j]))
                        .sum()
                })
                .collect(),
        }
    }
}

/// The network's input row for a point.
pub fn input_row(features: &[Feature], x: f64, y: f64) -> Vec<f64> {
    features.iter().map(|f| f.eval(x, y)).collect()
}

/// Input rows and labels of `points`, at most `limit` of them spread evenly over the set.
pub fn batch(features: &[Feature], points: &[Point], limit: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
    let stride = points.len().div_ceil(limit.max(1)).max(1);
    points
        .iter()
        .step_by(stride)
        .map(|p| (input_row(features, p.x, p.y), p.label))
        .unzip()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(output: Output, loss: Loss) -> Net {
        Net {
            layers: vec![
                LayerView {
                    w: vec![vec![0.3, -0.2], vec![0.5, 0.4], vec![-0.6, 0.1]],
                    b: vec![0.1, -0.1, 0.05],
                },
                LayerView {
                    w: match output {
                        Output::Softmax => vec![vec![0.7, -0.3, 0.2], vec![-0.4, 0.6, 0.1]],
                        _ => vec![vec![0.7, -0.3, 0.2]],
                    },
                    b: match output {
                        Output::Softmax => vec![0.0, 0.1],
                        _ => vec![0.2],
                    },
                },
            ],
            curves: vec![Curve::Tanh],
            output,
            loss,
        }
    }

    fn loss(n: &Net, inputs: &[Vec<f64>], labels: &[f64]) -> f64 {
        let fw = n.forward(inputs);
        let out = fw.post.last().expect("layers");
        out.iter()
            .zip(labels)
            .map(|(o, &y)| match (n.output, n.loss) {
                (Output::Sigmoid, Loss::CrossEntropy) => {
                    -(y * o[0].ln() + (1.0 - y) * (1.0 - o[0]).ln())
                }
                (Output::Softmax, Loss::CrossEntropy) => -o[y as usize].ln(),
                (Output::Softmax, Loss::Mse) => o
                    .iter()
                    .enumerate()
                    .map(|(k, p)| 0.5 * (p - f64::from(u8::from(k == y as usize))).powi(2))
                    .sum(),
                _ => 0.5 * (o[0] - y).powi(2),
            })
            .sum::<f64>()
            / labels.len() as f64
    }

    #[test]
    fn gradients_match_finite_differences() {
        let inputs = vec![vec![1.0, -2.0], vec![0.5, 0.3], vec![-1.5, 0.8]];
        for (output, l, labels) in [
            (Output::Sigmoid, Loss::CrossEntropy, vec![1.0, 0.0, 1.0]),
            (Output::Softmax, Loss::CrossEntropy, vec![1.0, 0.0, 1.0]),
            (Output::Softmax, Loss::Mse, vec![1.0, 0.0, 1.0]),
            (Output::Sigmoid, Loss::Mse, vec![1.0, 0.0, 1.0]),
            (Output::Identity, Loss::Mse, vec![0.3, -0.5, 0.9]),
        ] {
            let n = net(output, l);
            let g = n.gradients(&inputs, &labels);
            let h = 1e-6;
            for layer in 0..2 {
                for u in 0..n.layers[layer].w.len() {
                    for i in 0..n.layers[layer].w[u].len() {
                        let mut up = n.clone();
                        up.layers[layer].w[u][i] += h;
                        let mut down = n.clone();
                        down.layers[layer].w[u][i] -= h;
                        let numeric = (loss(&up, &inputs, &labels) - loss(&down, &inputs, &labels))
                            / (2.0 * h);
                        assert!(
                            (numeric - g[layer].w[u][i]).abs() < 1e-6,
                            "{output:?} {l:?} layer {layer} w[{u}][{i}]: {numeric} vs {}",
                            g[layer].w[u][i]
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn forward_keeps_pre_and_post() {
        let n = net(Output::Sigmoid, Loss::CrossEntropy);
        let fw = n.forward(&[vec![1.0, 2.0]]);
        assert_eq!(fw.pre.len(), 2);
        assert!((fw.pre[0][0][0] - (0.3 - 0.4 + 0.1)).abs() < 1e-12);
        assert!((fw.post[0][0][0] - (0.0_f64).tanh()).abs() < 1e-12);
        assert_eq!(n.widths(), vec![2, 3, 1]);
        let part = n.forward_through(&[vec![1.0, 2.0]], 1);
        assert_eq!(part.post.len(), 1);
        assert_eq!(part.post[0], fw.post[0]);
        assert_eq!(Output::infer(2, 2), Output::Softmax);
        assert_eq!(Output::infer(1, 1), Output::Identity);
    }

    #[test]
    fn batch_is_spread_and_bounded() {
        let pts: Vec<Point> = (0..10)
            .map(|i| Point {
                x: f64::from(i),
                y: 0.0,
                label: f64::from(i % 2),
            })
            .collect();
        let (rows, labels) = batch(&[Feature::X, Feature::Y], &pts, 4);
        assert!(rows.len() <= 4 && rows.len() >= 3);
        assert_eq!(rows[1], vec![3.0, 0.0]);
        assert_eq!(labels.len(), rows.len());
    }
}
