//! The plain, serializable description of a model: what the app's Config maps onto.

use super::Activation;
use crate::error::{EngineError, Result};
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

/// The output layer's unit. With cross-entropy losses the model's last pre-activation is used as
/// logits (the stable form) and this unit is applied only for predictions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputUnit {
    /// Regression.
    Linear,
    /// One probability per output (binary classification with one output).
    Sigmoid,
    /// Class probabilities over the outputs.
    Softmax,
    /// tanh output in [-1, 1] (TensorFlow Playground's convention for its +-1 labels).
    Tanh,
}

impl OutputUnit {
    /// The name Keras gives the activation: linear, sigmoid, softmax, tanh.
    pub fn name(self) -> &'static str {
        match self {
            OutputUnit::Linear => "linear",
            OutputUnit::Sigmoid => "sigmoid",
            OutputUnit::Softmax => "softmax",
            OutputUnit::Tanh => "tanh",
        }
    }
}

/// Weight initializers (biases start at `ModelSpec::bias_init`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Init {
    /// Uniform on `[-a, a]`.
    Uniform {
        a: f32,
    },
    /// Uniform on `+-sqrt(6 / (fan_in + fan_out))` (Keras's default).
    GlorotUniform,
    /// Normal with std `sqrt(2 / (fan_in + fan_out))` (Keras truncates at 2 std; we do not).
    GlorotNormal,
    /// Normal with std `sqrt(2 / fan_in)` (He et al.; Keras truncates, we do not).
    HeNormal,
    /// Uniform on `+-sqrt(6 / fan_in)`.
    HeUniform,
    /// `N(0, 1) * 0.01`, the course's small random start.
    SmallNormal,
    /// Normal with a fixed std whatever the layer's size: `N(0, 1)` is the naive start that
    /// saturates sigmoid layers and makes deep nets explode or vanish.
    Normal {
        std: f32,
    },
    /// Normal with std `1 / sqrt(fan_in)` (LeCun; the course's table for sigmoid layers).
    LeCunNormal,
    Zeros,
    Constant {
        value: f32,
    },
}

impl Init {
    /// Draw `fan_in * fan_out` weights.
    pub fn sample(self, fan_in: usize, fan_out: usize, rng: &mut Rng) -> Vec<f32> {
        let n = fan_in * fan_out;
        let (fi, fo) = (fan_in.max(1) as f64, fan_out.max(1) as f64);
        let uni = |rng: &mut Rng, a: f64| (0..n).map(|_| rng.uniform(-a, a) as f32).collect();
        let nor = |rng: &mut Rng, s: f64| (0..n).map(|_| (rng.normal() * s) as f32).collect();
        match self {
            Init::Uniform { a } => uni(rng, f64::from(a)),
            Init::GlorotUniform => uni(rng, (6.0 / (fi + fo)).sqrt()),
            Init::GlorotNormal => nor(rng, (2.0 / (fi + fo)).sqrt()),
            Init::HeNormal => nor(rng, (2.0 / fi).sqrt()),
            Init::HeUniform => uni(rng, (6.0 / fi).sqrt()),
            Init::SmallNormal => nor(rng, 0.01),
            Init::Normal { std } => nor(rng, f64::from(std)),
            Init::LeCunNormal => nor(rng, (1.0 / fi).sqrt()),
            Init::Zeros => vec![0.0; n],
            Init::Constant { value } => vec![value; n],
        }
    }
}

/// One hidden layer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerSpec {
    pub units: usize,
    pub activation: Activation,
    /// Dropout rate after this layer's activation during training (0 = none; 0.5 in the course).
    #[serde(default)]
    pub dropout: f32,
}

/// One weight layer's own start, overriding the model's `init` and `bias_init` (the course
/// compares initializers layer by layer).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerInit {
    pub weights: Init,
    pub bias: f32,
}

/// Which of one weight layer's tensors training leaves as they are. A frozen tensor gets no
/// gradient, no optimizer state and no update; it still counts in the model and its penalty.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frozen {
    #[serde(default)]
    pub kernel: bool,
    #[serde(default)]
    pub bias: bool,
}

impl Frozen {
    /// Both tensors frozen: "freeze layer".
    pub const LAYER: Frozen = Frozen {
        kernel: true,
        bias: true,
    };
}

/// A sequential dense network: `inputs -> hidden... -> outputs`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelSpec {
    pub inputs: usize,
    pub hidden: Vec<LayerSpec>,
    pub outputs: usize,
    pub output: OutputUnit,
    pub init: Init,
    /// Every bias starts here (0 in Keras and the course).
    #[serde(default)]
    pub bias_init: f32,
    /// Per weight layer (hidden layers in order, then the output layer): `Some` overrides
    /// `init` and `bias_init` for that layer; missing entries use them.
    #[serde(default)]
    pub layer_inits: Vec<Option<LayerInit>>,
    /// Per weight layer, in the same order: which tensors are frozen; missing entries train.
    #[serde(default)]
    pub frozen: Vec<Frozen>,
    /// The course's construction of section 5, with this steepness `w`: the first hidden layer
    /// starts as shifted steps `sigmoid(w (x - c_j))`, every input's weight `w` and biases
    /// `-w c_j` with centres `c_j` evenly spaced on [0, 1]; the next weight layer starts at
    /// alternating +1, -1 from each unit with zero biases. Freezing is left to `frozen`, so the
    /// same start can also be trained whole.
    #[serde(default)]
    pub steps: Option<f32>,
}

impl ModelSpec {
    /// A spec with the same activation on every hidden layer and no dropout.
    pub fn mlp(
        inputs: usize,
        hidden: &[usize],
        act: Activation,
        outputs: usize,
        output: OutputUnit,
        init: Init,
    ) -> Self {
        Self {
            inputs,
            hidden: hidden
                .iter()
                .map(|&units| LayerSpec {
                    units,
                    activation: act,
                    dropout: 0.0,
                })
                .collect(),
            outputs,
            output,
            init,
            bias_init: 0.0,
            layer_inits: Vec::new(),
            frozen: Vec::new(),
            steps: None,
        }
    }
    /// Which tensors of weight layer `layer` are frozen.
    pub fn frozen_of(&self, layer: usize) -> Frozen {
        self.frozen.get(layer).copied().unwrap_or_default()
    }
    /// The initialization of weight layer `layer` (0 = first hidden layer; `hidden.len()` = the
    /// output layer).
    pub fn init_of(&self, layer: usize) -> LayerInit {
        self.layer_inits
            .get(layer)
            .copied()
            .flatten()
            .unwrap_or(LayerInit {
                weights: self.init,
                bias: self.bias_init,
            })
    }
    /// Layer widths including input and output: `[inputs, hidden..., outputs]`.
    pub fn widths(&self) -> Vec<usize> {
        let mut w = vec![self.inputs];
        w.extend(self.hidden.iter().map(|l| l.units));
        w.push(self.outputs);
        w
    }
    /// Number of weights, biases not counted: `sum fan_in * fan_out` over the weight layers.
    pub fn weight_count(&self) -> usize {
        self.widths().windows(2).map(|w| w[0] * w[1]).sum()
    }
    /// Floating-point operations of one training step on `batch` rows, counting the matrix
    /// products only: each weight is used in a multiply-add (2 FLOPs) by the forward pass and
    /// twice by the backward pass (the input gradient and the weight gradient), so
    /// `6 * batch * weights`. Biases, activations, the loss and the optimizer are linear in the
    /// units, not in the weights, and left out.
    pub fn step_flops(&self, batch: usize) -> f64 {
        6.0 * batch as f64 * self.weight_count() as f64
    }
    /// Checks sizes and rates.
    pub fn validate(&self) -> Result<()> {
        if self.widths().contains(&0) {
            return Err(EngineError::InvalidConfig(
                "every layer needs at least one unit".into(),
            ));
        }
        if self.layer_inits.len() > self.hidden.len() + 1 {
            return Err(EngineError::InvalidConfig(format!(
                "{} layer initializers for {} weight layers",
                self.layer_inits.len(),
                self.hidden.len() + 1
            )));
        }
        if self.frozen.len() > self.hidden.len() + 1 {
            return Err(EngineError::InvalidConfig(format!(
                "freeze flags for {} weight layers, the model has {}",
                self.frozen.len(),
                self.hidden.len() + 1
            )));
        }
        if let Some(w) = self.steps {
            if self.hidden.is_empty() || !w.is_finite() {
                return Err(EngineError::InvalidConfig(
                    "the step construction needs a hidden layer and a finite steepness".into(),
                ));
            }
        }
        if self.hidden.iter().any(|l| !(0.0..1.0).contains(&l.dropout)) {
            return Err(EngineError::InvalidConfig(
                "dropout rate must be in [0, 1)".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_flops_count_the_matrix_products() {
        // The course's 2-8-8-1 net on 500 points: 88 weights, 0.26 MFLOP per full-batch step.
        let spec = ModelSpec::mlp(
            2,
            &[8, 8],
            Activation::Tanh,
            1,
            OutputUnit::Sigmoid,
            Init::GlorotUniform,
        );
        assert_eq!(spec.weight_count(), 2 * 8 + 8 * 8 + 8);
        assert_eq!(spec.step_flops(500), 264_000.0);
        // The 784-64-10 MLP at batch 128: 39 MFLOP.
        let mnist = ModelSpec::mlp(
            784,
            &[64],
            Activation::Relu,
            10,
            OutputUnit::Softmax,
            Init::HeNormal,
        );
        assert_eq!(mnist.step_flops(128), 6.0 * 128.0 * (784.0 * 64.0 + 640.0));
        assert!((mnist.step_flops(128) / 1e6 - 39.0).abs() < 0.5);
    }
}
