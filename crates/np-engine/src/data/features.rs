//! TensorFlow Playground's input features computed from the two raw coordinates, with the names
//! the app's URL and TensorFlow Playground's links give them.

use crate::error::{EngineError, Result};
use crate::tensor::Tensor;
use serde::{Deserialize, Serialize};

/// Declares [`Feature`] from one table: variant, value at `(x1, x2)`, name (the app's URL and
/// `data-testid`s), TensorFlow Playground's hash key, and the label of the input node.
macro_rules! features {
    ($( $(#[$doc:meta])* $variant:ident => |$x1:ident, $x2:ident| $value:expr,
        $name:literal, $key:literal, $label:literal; )+) => {
        /// One derived input feature of a 2-D point `(x1, x2)`, in TensorFlow Playground's order.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Feature {
            #[default]
            $( $(#[$doc])* $variant ),+
        }

        impl Feature {
            /// Every feature, in TensorFlow Playground's order.
            pub const ALL: &'static [Feature] = &[$( Feature::$variant ),+];

            /// The value at a point.
            // Each row of the table names both coordinates; most use only one of them.
            #[allow(unused_variables)]
            pub fn eval(self, x1: f32, x2: f32) -> f32 {
                match self {
                    $( Feature::$variant => { let ($x1, $x2) = (x1, x2); $value } ),+
                }
            }

            /// The name in the app's URL and `data-testid`s: x, y, xsquared, ..., cosy.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Feature::$variant => $name ),+
                }
            }

            /// The key TensorFlow Playground's URL hash uses: x, y, xSquared, ..., cosY.
            pub fn hash_key(self) -> &'static str {
                match self {
                    $( Feature::$variant => $key ),+
                }
            }

            /// The label drawn on the input node: X1, X2, X1², ..., cos(X2).
            pub fn label(self) -> &'static str {
                match self {
                    $( Feature::$variant => $label ),+
                }
            }
        }
    };
}

features! {
    /// `x1`.
    X => |x1, x2| x1, "x", "x", "X1";
    /// `x2`.
    Y => |x1, x2| x2, "y", "y", "X2";
    XSquared => |x1, x2| x1 * x1, "xsquared", "xSquared", "X1²";
    YSquared => |x1, x2| x2 * x2, "ysquared", "ySquared", "X2²";
    XTimesY => |x1, x2| x1 * x2, "xtimesy", "xTimesY", "X1X2";
    SinX => |x1, x2| x1.sin(), "sinx", "sinX", "sin(X1)";
    SinY => |x1, x2| x2.sin(), "siny", "sinY", "sin(X2)";
    CosX => |x1, x2| x1.cos(), "cosx", "cosX", "cos(X1)";
    CosY => |x1, x2| x2.cos(), "cosy", "cosY", "cos(X2)";
}

impl Feature {
    /// The feature named `text` ([`Feature::as_str`]), ignoring case and surrounding space.
    pub fn parse(text: &str) -> Option<Self> {
        let lower = text.trim().to_ascii_lowercase();
        Self::ALL.iter().copied().find(|f| f.as_str() == lower)
    }

    /// The feature named `name`, or an error naming it.
    pub fn from_name(name: &str) -> Result<Self> {
        Self::parse(name).ok_or_else(|| EngineError::UnknownName {
            kind: "feature",
            name: name.into(),
        })
    }

    /// The accepted names, for messages ("expected one of ...").
    pub fn names() -> String {
        Self::ALL
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl std::fmt::Display for Feature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_at_a_point() {
        let (x1, x2) = (1.0_f32, 2.0_f32);
        let values: Vec<f32> = Feature::ALL.iter().map(|f| f.eval(x1, x2)).collect();
        assert_eq!(values[..5], [1.0, 2.0, 1.0, 4.0, 2.0]);
        assert_eq!(values[5..], [x1.sin(), x2.sin(), x1.cos(), x2.cos()]);
        assert_eq!(Feature::CosX.eval(0.0, 5.0), 1.0);
        assert_eq!(Feature::CosY.eval(5.0, 0.0), 1.0);
    }

    #[test]
    fn names_keys_and_labels() {
        assert_eq!(Feature::ALL.len(), 9);
        for &f in Feature::ALL {
            assert_eq!(Feature::parse(f.as_str()), Some(f));
            assert_eq!(
                Feature::parse(f.hash_key()),
                Some(f),
                "keys differ in case only"
            );
            assert_eq!(Feature::from_name(&f.to_string()).ok(), Some(f));
        }
        assert_eq!(Feature::CosX.hash_key(), "cosX");
        assert_eq!(Feature::CosY.label(), "cos(X2)");
        assert_eq!(Feature::parse(" XSquared "), Some(Feature::XSquared));
        assert_eq!(Feature::parse("tanx"), None);
        assert!(Feature::from_name("tanx").is_err());
    }

    #[test]
    fn cos_features_fill_their_columns() {
        let pts = Tensor::new(vec![0.5, -1.0, 2.0, 3.0], &[2, 2]).unwrap_or_else(|e| panic!("{e}"));
        let m =
            feature_matrix(&pts, &[Feature::CosX, Feature::CosY]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.dims(), &[2, 2]);
        assert_eq!(
            m.data(),
            &[
                0.5_f32.cos(),
                (-1.0_f32).cos(),
                2.0_f32.cos(),
                3.0_f32.cos()
            ]
        );
    }
}
