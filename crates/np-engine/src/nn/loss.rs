//! Losses and weight penalties, each built from graph primitives so their gradients come from
//! the same autodiff the student inspects.

use crate::autodiff::{Graph, NodeId};
use crate::backend::XentKind;
use crate::error::Result;
use serde::{Deserialize, Serialize};

/// Training losses. Cross-entropies take the model's logits (stable, fused with their
/// activation); the squared losses compare the output unit's values with the targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    /// Mean over all elements of `(y - t)^2`.
    Mse,
    /// Sum of `(y - t)^2` (the course's linear-regression and approximation cost).
    SumSquares,
    /// Binary cross-entropy from logits, mean over rows (targets 0/1).
    BinaryCrossEntropy,
    /// Categorical cross-entropy from logits, mean over rows (one-hot targets).
    CategoricalCrossEntropy,
}

impl Loss {
    /// Whether the loss consumes logits rather than the output unit's values.
    pub fn from_logits(self) -> bool {
        matches!(
            self,
            Loss::BinaryCrossEntropy | Loss::CategoricalCrossEntropy
        )
    }
    /// Record the loss of `y` (values or logits, see [`Loss::from_logits`]) against `t`.
    /// # Shapes
    /// `y, t: [batch, outputs]`; result: scalar.
    pub fn build(self, g: &mut Graph, y: NodeId, t: NodeId) -> Result<NodeId> {
        match self {
            Loss::Mse | Loss::SumSquares => {
                let d = g.sub(y, t)?;
                let sq = g.square(d)?;
                if self == Loss::Mse {
                    g.mean(sq)
                } else {
                    g.sum(sq)
                }
            }
            Loss::BinaryCrossEntropy => g.cross_entropy(XentKind::Sigmoid, y, t),
            Loss::CategoricalCrossEntropy => g.cross_entropy(XentKind::Softmax, y, t),
        }
    }
}

/// Penalties on weights (never biases): `l1 * sum|W| + l2 * sum W^2`, as Keras's regularizers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Regularization {
    #[serde(default)]
    pub l1: f32,
    #[serde(default)]
    pub l2: f32,
}

impl Regularization {
    /// Record the penalty for one weight node; `None` when both rates are 0.
    pub fn build(self, g: &mut Graph, w: NodeId) -> Result<Option<NodeId>> {
        let mut total = None;
        for (rate, l1) in [(self.l1, true), (self.l2, false)] {
            if rate == 0.0 {
                continue;
            }
            let e = if l1 { g.abs(w)? } else { g.square(w)? };
            let s = g.sum(e)?;
            let p = g.mul_scalar(s, rate)?;
            total = Some(match total {
                None => p,
                Some(t) => g.add(t, p)?,
            });
        }
        Ok(total)
    }
}
