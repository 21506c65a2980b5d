//! TensorFlow Playground's input features computed from the two raw coordinates.

use crate::error::{EngineError, Result};
use crate::tensor::Tensor;
use serde::{Deserialize, Serialize};

/// One derived input feature of a 2-D point `(x1, x2)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    X1,
    X2,
    X1Squared,
    X2Squared,
    X1X2,
    SinX1,
    SinX2,
}

impl Feature {
    /// Every feature, in TensorFlow Playground's order.
    pub const ALL: [Feature; 7] = [
        Feature::X1,
        Feature::X2,
        Feature::X1Squared,
        Feature::X2Squared,
        Feature::X1X2,
        Feature::SinX1,
        Feature::SinX2,
    ];
    /// The value at a point.
    pub fn eval(self, x1: f32, x2: f32) -> f32 {
        match self {
            Feature::X1 => x1,
            Feature::X2 => x2,
            Feature::X1Squared => x1 * x1,
            Feature::X2Squared => x2 * x2,
            Feature::X1X2 => x1 * x2,
            Feature::SinX1 => x1.sin(),
            Feature::SinX2 => x2.sin(),
        }
    }
    /// Short names for URLs and labels: x1, x2, x1^2, x2^2, x1x2, sin(x1), sin(x2).
    pub fn name(self) -> &'static str {
        match self {
            Feature::X1 => "x1",
            Feature::X2 => "x2",
            Feature::X1Squared => "x1^2",
            Feature::X2Squared => "x2^2",
            Feature::X1X2 => "x1x2",
            Feature::SinX1 => "sin(x1)",
            Feature::SinX2 => "sin(x2)",
        }
    }
    pub fn from_name(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|f| f.name() == name)
            .ok_or_else(|| EngineError::UnknownName {
                kind: "feature",
                name: name.into(),
            })
    }
}

/// The chosen features of 2-D points.
/// # Shapes
/// `points: [n, 2]`; result `[n, features.len()]`.
pub fn feature_matrix(points: &Tensor, features: &[Feature]) -> Result<Tensor> {
    let (n, d) = points.shape().rows_cols();
    if d != 2 || points.shape().rank() != 2 {
        return Err(EngineError::InvalidConfig(format!(
            "features need [n, 2] points, got {:?}",
            points.dims()
        )));
    }
    let p = points.data();
    let mut out = Vec::with_capacity(n * features.len());
    for r in 0..n {
        for f in features {
            out.push(f.eval(p[2 * r], p[2 * r + 1]));
        }
    }
    Tensor::new(out, &[n, features.len()])
}
