//! The op enums that [`super::Backend`] methods take, with the scalar definition of each op
//! (value and derivative side by side). Backends implement these definitions; a GPU backend
//! mirrors them in WGSL.

pub use super::math::{exp, ln, ln_1p, sigmoid, tanh};
use serde::{Deserialize, Serialize};

/// Elementwise single-input ops, including the activation functions.
///
/// Each has a value ([`UnaryOp::apply`]) and a derivative ([`UnaryOp::derivative`]) written as
/// a function of the input `x` and the output `y = f(x)`, whichever is cheaper.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnaryOp {
    /// `x` (the "linear" activation).
    Identity,
    /// `-x`.
    Neg,
    /// `e^x`.
    Exp,
    /// `ln x`.
    Log,
    /// `sqrt x`.
    Sqrt,
    /// `x^2`.
    Square,
    /// `x^p` for a constant `p`.
    Powf(f32),
    /// `|x|`; derivative `sign(x)`, 0 at 0.
    Abs,
    /// `sin x`.
    Sin,
    /// `cos x`.
    Cos,
    /// `1 / (1 + e^-x)`.
    Sigmoid,
    /// `tanh x`.
    Tanh,
    /// `max(0, x)`; derivative 1 for `x > 0`, else 0.
    Relu,
    /// `x` for `x > 0`, else `alpha x`.
    LeakyRelu(f32),
    /// `x` for `x > 0`, else `alpha (e^x - 1)`.
    Elu(f32),
    /// McCulloch-Pitts step: 1 for `x > 0`, else 0. Its derivative is 0 everywhere it exists,
    /// and the engine (and so the UI) reports exactly that: a gradient of 0, which is why a
    /// network of step units cannot learn by gradient descent.
    Step,
    /// `min(max(x, min), max)`; derivative 1 inside `[min, max]`, 0 outside.
    Clip { min: f32, max: f32 },
    /// `x + c`.
    AddScalar(f32),
    /// `c x`.
    MulScalar(f32),
}

impl UnaryOp {
    /// The value `f(x)`.
    #[inline]
    pub fn apply(self, x: f32) -> f32 {
        match self {
            UnaryOp::Identity => x,
            UnaryOp::Neg => -x,
            UnaryOp::Exp => exp(x),
            UnaryOp::Log => ln(x),
            UnaryOp::Sqrt => x.sqrt(),
            UnaryOp::Square => x * x,
            UnaryOp::Powf(p) => x.powf(p),
            UnaryOp::Abs => x.abs(),
            UnaryOp::Sin => x.sin(),
            UnaryOp::Cos => x.cos(),
            UnaryOp::Sigmoid => sigmoid(x),
            UnaryOp::Tanh => tanh(x),
            UnaryOp::Relu => x.max(0.0),
            UnaryOp::LeakyRelu(a) => {
                if x > 0.0 {
                    x
                } else {
                    a * x
                }
            }
            UnaryOp::Elu(a) => {
                if x > 0.0 {
                    x
                } else {
                    a * (exp(x) - 1.0)
                }
            }
            UnaryOp::Step => {
                if x > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            UnaryOp::Clip { min, max } => x.max(min).min(max),
            UnaryOp::AddScalar(c) => x + c,
            UnaryOp::MulScalar(c) => c * x,
        }
    }

    /// The derivative `f'(x)`, given `x` and `y = f(x)`.
    #[inline]
    pub fn derivative(self, x: f32, y: f32) -> f32 {
        match self {
            UnaryOp::Identity | UnaryOp::AddScalar(_) => 1.0,
            UnaryOp::Neg => -1.0,
            UnaryOp::Exp => y,
            UnaryOp::Log => 1.0 / x,
            UnaryOp::Sqrt => 0.5 / y,
            UnaryOp::Square => 2.0 * x,
            UnaryOp::Powf(p) => p * x.powf(p - 1.0),
            UnaryOp::Abs => {
                if x > 0.0 {
                    1.0
                } else if x < 0.0 {
                    -1.0
                } else {
                    0.0
                }
            }
            UnaryOp::Sin => x.cos(),
            UnaryOp::Cos => -x.sin(),
            UnaryOp::Sigmoid => y * (1.0 - y),
            UnaryOp::Tanh => 1.0 - y * y,
            UnaryOp::Relu => f32::from(x > 0.0),
            UnaryOp::LeakyRelu(a) => {
                if x > 0.0 {
                    1.0
                } else {
                    a
                }
            }
            UnaryOp::Elu(a) => {
                if x > 0.0 {
                    1.0
                } else {
                    y + a
                }
            }
            UnaryOp::Step => 0.0,
            UnaryOp::Clip { min, max } => f32::from(x >= min && x <= max),
            UnaryOp::MulScalar(c) => c,
        }
    }
}

/// Elementwise two-input ops (with broadcasting in [`super::Backend::binary`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    /// Elementwise maximum.
    Maximum,
    /// Elementwise minimum.
    Minimum,
    /// 1.0 where `a > b`, else 0.0 (builds masks; not differentiable).
    Greater,
    /// 1.0 where `a == b`, else 0.0 (not differentiable).
    Equal,
}

impl BinaryOp {
    /// The value `a op b`.
    #[inline]
    pub fn apply(self, a: f32, b: f32) -> f32 {
        match self {
            BinaryOp::Add => a + b,
            BinaryOp::Sub => a - b,
            BinaryOp::Mul => a * b,
            BinaryOp::Div => a / b,
            BinaryOp::Maximum => a.max(b),
            BinaryOp::Minimum => a.min(b),
            BinaryOp::Greater => f32::from(a > b),
            BinaryOp::Equal => f32::from(a == b),
        }
    }
}

/// Reductions over one axis or all elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReduceOp {
    Sum,
    Mean,
    Max,
}

/// Which cross-entropy [`super::Backend::cross_entropy`] computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum XentKind {
    /// Categorical: softmax over each row's columns.
    Softmax,
    /// Binary: an independent sigmoid per element.
    Sigmoid,
}

/// Sizes and transpose flags of a matrix product (see [`super::Backend::matmul`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct MatmulDesc {
    pub m: usize,
    pub k: usize,
    pub n: usize,
    /// `a` is stored `[k, m]` and used transposed.
    pub trans_a: bool,
    /// `b` is stored `[n, k]` and used transposed.
    pub trans_b: bool,
    /// Add to `out` instead of overwriting it.
    pub accumulate: bool,
}

impl MatmulDesc {
    /// `[m, k] @ [k, n]`, no transposes, overwriting.
    pub fn new(m: usize, k: usize, n: usize) -> Self {
        Self {
            m,
            k,
            n,
            ..Self::default()
        }
    }
}

/// One optimizer's update rule with its hyperparameters, as PyTorch defines it (see
/// [`crate::optim`] for defaults and the Keras correspondence). `lr` is read at every step,
/// so changing it live needs no reset.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UpdateRule {
    /// `v = momentum v + g` (skipped when momentum is 0); `p -= lr (nesterov ? g + momentum v : v)`.
    Sgd {
        lr: f32,
        momentum: f32,
        nesterov: bool,
    },
    /// `s += g^2`; `p -= lr g / (sqrt(s) + eps)`.
    AdaGrad {
        lr: f32,
        eps: f32,
        initial_accumulator: f32,
    },
    /// `v = alpha v + (1 - alpha) g^2`; `p -= lr g / (sqrt(v) + eps)`.
    RmsProp { lr: f32, alpha: f32, eps: f32 },
    /// `m = b1 m + (1-b1) g`; `v = b2 v + (1-b2) g^2`;
    /// `p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)`.
    Adam {
        lr: f32,
        beta1: f32,
        beta2: f32,
        eps: f32,
    },
}

impl UpdateRule {
    /// How many state buffers (each as long as the parameter) the rule needs.
    pub fn state_buffers(&self) -> usize {
        match self {
            UpdateRule::Sgd { momentum, .. } => usize::from(*momentum != 0.0),
            UpdateRule::AdaGrad { .. } | UpdateRule::RmsProp { .. } => 1,
            UpdateRule::Adam { .. } => 2,
        }
    }
    /// The value a state buffer starts at (AdaGrad's initial accumulator; 0 otherwise).
    pub fn state_init(&self) -> f32 {
        match self {
            UpdateRule::AdaGrad {
                initial_accumulator,
                ..
            } => *initial_accumulator,
            _ => 0.0,
        }
    }
    /// The rule's name for messages (momentum and Nesterov are SGD with state).
    pub fn name(&self) -> &'static str {
        match self {
            UpdateRule::Sgd { nesterov: true, .. } => "Nesterov momentum",
            UpdateRule::Sgd { momentum, .. } if *momentum != 0.0 => "SGD with momentum",
            UpdateRule::Sgd { .. } => "plain SGD",
            UpdateRule::AdaGrad { .. } => "AdaGrad",
            UpdateRule::RmsProp { .. } => "RMSprop",
            UpdateRule::Adam { .. } => "Adam",
        }
    }
    /// The learning rate.
    pub fn lr(&self) -> f32 {
        match self {
            UpdateRule::Sgd { lr, .. }
            | UpdateRule::AdaGrad { lr, .. }
            | UpdateRule::RmsProp { lr, .. }
            | UpdateRule::Adam { lr, .. } => *lr,
        }
    }
    /// The same rule with another learning rate.
    pub fn with_lr(mut self, new: f32) -> Self {
        match &mut self {
            UpdateRule::Sgd { lr, .. }
            | UpdateRule::AdaGrad { lr, .. }
            | UpdateRule::RmsProp { lr, .. }
            | UpdateRule::Adam { lr, .. } => *lr = new,
        }
        self
    }

    /// The reference update of one element: parameter `p`, gradient `g`, state `s`
    /// (`state_buffers()` entries used), step `t >= 1`. Kernels must match this.
    #[inline]
    pub fn update_scalar(&self, t: u64, p: &mut f32, g: f32, s: &mut [f32; 2]) {
        match *self {
            UpdateRule::Sgd {
                lr,
                momentum,
                nesterov,
            } => {
                if momentum == 0.0 {
                    *p -= lr * g;
                } else {
                    s[0] = momentum * s[0] + g;
                    let d = if nesterov { g + momentum * s[0] } else { s[0] };
                    *p -= lr * d;
                }
            }
            UpdateRule::AdaGrad { lr, eps, .. } => {
                s[0] += g * g;
                *p -= lr * g / (s[0].sqrt() + eps);
            }
            UpdateRule::RmsProp { lr, alpha, eps } => {
                s[0] = alpha * s[0] + (1.0 - alpha) * g * g;
                *p -= lr * g / (s[0].sqrt() + eps);
            }
            UpdateRule::Adam {
                lr,
                beta1,
                beta2,
                eps,
            } => {
                let (c1, c2) = adam_corrections(beta1, beta2, t);
                s[0] = beta1 * s[0] + (1.0 - beta1) * g;
                s[1] = beta2 * s[1] + (1.0 - beta2) * g * g;
                *p -= (lr / c1) * s[0] / (s[1].sqrt() / c2.sqrt() + eps);
            }
        }
    }
}

/// Adam's bias corrections `(1 - b1^t, 1 - b2^t)`, computed in f64 for accuracy at large t.
pub fn adam_corrections(beta1: f32, beta2: f32, t: u64) -> (f32, f32) {
    let t = t.min(i32::MAX as u64) as i32;
    (
        (1.0 - f64::from(beta1).powi(t)) as f32,
        (1.0 - f64::from(beta2).powi(t)) as f32,
    )
}
