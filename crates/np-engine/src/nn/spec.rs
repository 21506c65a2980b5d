//! The plain, serializable description of a model: what the app's Config maps onto.

use crate::backend::UnaryOp;
use crate::error::{EngineError, Result};
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

/// Hidden-layer activations (value and derivative live in [`UnaryOp`]).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Activation {
    Linear,
    Sigmoid,
    Tanh,
    Relu,
    LeakyRelu {
        alpha: f32,
    },
    Elu {
        alpha: f32,
    },
    /// McCulloch-Pitts step; its gradient is 0, so layers before it do not learn.
    Step,
}

impl Activation {
    /// The elementwise op that computes it.
    pub fn op(self) -> UnaryOp {
        match self {
            Activation::Linear => UnaryOp::Identity,
            Activation::Sigmoid => UnaryOp::Sigmoid,
            Activation::Tanh => UnaryOp::Tanh,
            Activation::Relu => UnaryOp::Relu,
            Activation::LeakyRelu { alpha } => UnaryOp::LeakyRelu(alpha),
            Activation::Elu { alpha } => UnaryOp::Elu(alpha),
            Activation::Step => UnaryOp::Step,
        }
    }
    /// Parse the names the app uses: linear, sigmoid, tanh, relu, leaky_relu, elu, step.
    pub fn from_name(name: &str) -> Result<Self> {
        Ok(match name {
            "linear" => Activation::Linear,
            "sigmoid" => Activation::Sigmoid,
            "tanh" => Activation::Tanh,
            "relu" => Activation::Relu,
            "leaky_relu" => Activation::LeakyRelu { alpha: 0.01 },
            "elu" => Activation::Elu { alpha: 1.0 },
            "step" => Activation::Step,
            _ => {
                return Err(EngineError::UnknownName {
                    kind: "activation",
                    name: name.into(),
                })
            }
        })
    }
}

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
        }
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
        if self.hidden.iter().any(|l| !(0.0..1.0).contains(&l.dropout)) {
            return Err(EngineError::InvalidConfig(
                "dropout rate must be in [0, 1)".into(),
            ));
        }
        Ok(())
    }
}
