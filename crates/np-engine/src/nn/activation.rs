//! The hidden-layer activations: the one registry of their names, values and derivatives. The
//! value and derivative are those of the elementwise op each maps to ([`UnaryOp::apply`],
//! [`UnaryOp::derivative`]), so what a panel plots is what the network computes.

use crate::backend::UnaryOp;
use crate::error::{EngineError, Result};
use serde::{Deserialize, Serialize};

/// Leaky ReLU's slope for `z <= 0` unless told otherwise.
pub const DEFAULT_LEAKY_ALPHA: f32 = 0.01;
/// ELU's scale for `z <= 0` unless told otherwise.
pub const DEFAULT_ELU_ALPHA: f32 = 1.0;

/// Hidden-layer activations.
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
    /// Every activation, with default alphas.
    pub const ALL: [Activation; 7] = [
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu {
            alpha: DEFAULT_LEAKY_ALPHA,
        },
        Activation::Elu {
            alpha: DEFAULT_ELU_ALPHA,
        },
        Activation::Linear,
        Activation::Step,
    ];

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

    /// `f(z)`, as the network's forward pass computes it.
    pub fn value(self, z: f32) -> f32 {
        self.op().apply(z)
    }

    /// `f'(z)`, as the network's backward pass computes it (at the kinks of ReLU and step the
    /// left derivative, as frameworks do).
    pub fn derivative(self, z: f32) -> f32 {
        let op = self.op();
        op.derivative(z, op.apply(z))
    }

    /// The name the app and specs use: linear, sigmoid, tanh, relu, leaky_relu, elu, step.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Linear => "linear",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::LeakyRelu { .. } => "leaky_relu",
            Activation::Elu { .. } => "elu",
            Activation::Step => "step",
        }
    }

    /// The activation named [`Activation::name`], with default alphas.
    pub fn from_name(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or_else(|| EngineError::UnknownName {
                kind: "activation",
                name: name.into(),
            })
    }

    /// Leaky ReLU's slope or ELU's scale; `None` for the others.
    pub fn alpha(self) -> Option<f32> {
        match self {
            Activation::LeakyRelu { alpha } | Activation::Elu { alpha } => Some(alpha),
            _ => None,
        }
    }

    /// The same activation with another alpha (unchanged when it has none).
    pub fn with_alpha(self, alpha: f32) -> Self {
        match self {
            Activation::LeakyRelu { .. } => Activation::LeakyRelu { alpha },
            Activation::Elu { .. } => Activation::Elu { alpha },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f64) -> bool {
        (f64::from(a) - b).abs() < 1e-6
    }

    #[test]
    fn literal_values() {
        use Activation::*;
        assert!(close(Sigmoid.value(0.0), 0.5) && close(Sigmoid.derivative(0.0), 0.25));
        assert!(close(Sigmoid.value(2.0), 0.880_797_077_977_882_3));
        assert!(close(Tanh.value(1.0), 0.761_594_155_955_764_9));
        assert!(close(Tanh.derivative(0.0), 1.0));
        assert!(close(Relu.value(-3.0), 0.0) && close(Relu.derivative(3.0), 1.0));
        assert!(
            close(Relu.derivative(0.0), 0.0),
            "the left derivative at the kink"
        );
        let leaky = LeakyRelu { alpha: 0.1 };
        assert!(close(leaky.value(-2.0), -0.2) && close(leaky.derivative(-2.0), 0.1));
        let elu = Elu { alpha: 2.0 };
        assert!(close(elu.value(-1.0), 2.0 * ((-1.0_f64).exp() - 1.0)));
        assert!(close(elu.derivative(-1.0), 2.0 * (-1.0_f64).exp()));
        assert!(close(Step.value(0.0), 0.0) && close(Step.value(1e-6), 1.0));
        assert!(close(Step.derivative(0.5), 0.0));
        assert!(close(Linear.value(-1.5), -1.5) && close(Linear.derivative(7.0), 1.0));
        // The course's identity tanh(z) = 2 sigmoid(2z) - 1.
        assert!(close(
            Tanh.value(0.7),
            2.0 * f64::from(Sigmoid.value(1.4)) - 1.0
        ));
        assert!(close(Sigmoid.value(-800.0), 0.0) && close(Sigmoid.value(800.0), 1.0));
    }

    #[test]
    fn derivatives_match_finite_differences() {
        let h = 1e-2_f32;
        for a in Activation::ALL {
            if a == Activation::Step {
                continue;
            }
            for z in [-2.5_f32, -0.3, 0.4, 1.7] {
                let numeric = (a.value(z + h) - a.value(z - h)) / (2.0 * h);
                assert!(
                    (numeric - a.derivative(z)).abs() < 2e-3,
                    "{} at {z}: {numeric} vs {}",
                    a.name(),
                    a.derivative(z)
                );
            }
        }
    }

    #[test]
    fn names_and_alphas_round_trip() {
        for a in Activation::ALL {
            assert_eq!(Activation::from_name(a.name()).ok(), Some(a));
            assert_eq!(a.with_alpha(0.3).alpha().is_some(), a.alpha().is_some());
        }
        assert_eq!(
            Activation::Elu { alpha: 1.0 }.with_alpha(0.5),
            Activation::Elu { alpha: 0.5 }
        );
        assert!(Activation::from_name("swish").is_err());
    }
}
