//! Activation functions and their derivatives as the activation panel plots them. The panel
//! shows more than the network trains with (the step of McCulloch and Pitts, softmax), so these
//! are the panel's own definitions; the values must agree with the engine's registry, which the
//! tests below pin with literal numbers.

use crate::config::Activation;

/// A curve the panel can draw. `alpha` matters for leaky ReLU and ELU only.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Curve {
    Sigmoid,
    Tanh,
    Relu,
    LeakyRelu {
        alpha: f64,
    },
    Elu {
        alpha: f64,
    },
    Linear,
    /// McCulloch-Pitts: 0 for z <= 0, else 1. Its derivative is 0 wherever it exists.
    Step,
}

/// The leaky ReLU slope and ELU scale the engine uses unless told otherwise.
pub const DEFAULT_LEAKY_ALPHA: f64 = 0.01;
pub const DEFAULT_ELU_ALPHA: f64 = 1.0;

impl Curve {
    /// Every curve, in the panel's order, with default alphas.
    pub const ALL: [Curve; 7] = [
        Curve::Sigmoid,
        Curve::Tanh,
        Curve::Relu,
        Curve::LeakyRelu {
            alpha: DEFAULT_LEAKY_ALPHA,
        },
        Curve::Elu {
            alpha: DEFAULT_ELU_ALPHA,
        },
        Curve::Linear,
        Curve::Step,
    ];

    /// The name used in data-testids and the picker.
    pub fn name(self) -> &'static str {
        match self {
            Curve::Sigmoid => "sigmoid",
            Curve::Tanh => "tanh",
            Curve::Relu => "relu",
            Curve::LeakyRelu { .. } => "leakyrelu",
            Curve::Elu { .. } => "elu",
            Curve::Linear => "linear",
            Curve::Step => "step",
        }
    }

    /// The curve named `name`, with `alpha` where it has one.
    pub fn from_name(name: &str, alpha: f64) -> Option<Curve> {
        Some(match name {
            "sigmoid" => Curve::Sigmoid,
            "tanh" => Curve::Tanh,
            "relu" => Curve::Relu,
            "leakyrelu" => Curve::LeakyRelu { alpha },
            "elu" => Curve::Elu { alpha },
            "linear" => Curve::Linear,
            "step" => Curve::Step,
            _ => return None,
        })
    }

    /// Whether the curve has an adjustable alpha.
    pub fn has_alpha(self) -> bool {
        matches!(self, Curve::LeakyRelu { .. } | Curve::Elu { .. })
    }

    /// f(z).
    pub fn f(self, z: f64) -> f64 {
        match self {
            Curve::Sigmoid => sigmoid(z),
            Curve::Tanh => z.tanh(),
            Curve::Relu => z.max(0.0),
            Curve::LeakyRelu { alpha } => {
                if z > 0.0 {
                    z
                } else {
                    alpha * z
                }
            }
            Curve::Elu { alpha } => {
                if z > 0.0 {
                    z
                } else {
                    alpha * z.exp_m1()
                }
            }
            Curve::Linear => z,
            Curve::Step => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }

    /// f'(z); at the kinks of ReLU and step the left derivative, as frameworks do.
    pub fn df(self, z: f64) -> f64 {
        match self {
            Curve::Sigmoid => {
                let s = sigmoid(z);
                s * (1.0 - s)
            }
            Curve::Tanh => 1.0 - z.tanh().powi(2),
            Curve::Relu => f64::from(u8::from(z > 0.0)),
            Curve::LeakyRelu { alpha } => {
                if z > 0.0 {
                    1.0
                } else {
                    alpha
                }
            }
            Curve::Elu { alpha } => {
                if z > 0.0 {
                    1.0
                } else {
                    alpha * z.exp()
                }
            }
            Curve::Linear => 1.0,
            Curve::Step => 0.0,
        }
    }
}

impl From<Activation> for Curve {
    fn from(a: Activation) -> Self {
        match a {
            Activation::Relu => Curve::Relu,
            Activation::Tanh => Curve::Tanh,
            Activation::Sigmoid => Curve::Sigmoid,
            Activation::Linear => Curve::Linear,
            Activation::LeakyRelu => Curve::LeakyRelu {
                alpha: DEFAULT_LEAKY_ALPHA,
            },
            Activation::Elu => Curve::Elu {
                alpha: DEFAULT_ELU_ALPHA,
            },
            Activation::Step => Curve::Step,
        }
    }
}

/// The logistic function, written so neither branch overflows.
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// Softmax of a vector, shifted by its maximum so large inputs do not overflow.
pub fn softmax(z: &[f64]) -> Vec<f64> {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = z.iter().map(|v| (v - m).exp()).collect();
    let s: f64 = e.iter().sum();
    e.iter().map(|v| v / s).collect()
}

/// The softmax Jacobian d p_i / d z_j = p_i (delta_ij - p_j): softmax's "f'" is a matrix.
pub fn softmax_jacobian(z: &[f64]) -> Vec<Vec<f64>> {
    let p = softmax(z);
    p.iter()
        .enumerate()
        .map(|(i, &pi)| {
            p.iter()
                .enumerate()
                .map(|(j, &pj)| pi * (f64::from(u8::from(i == j)) - pj))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn literal_values() {
        assert!(close(Curve::Sigmoid.f(0.0), 0.5));
        assert!(close(Curve::Sigmoid.df(0.0), 0.25));
        assert!(close(Curve::Sigmoid.f(2.0), 0.880_797_077_977_882_3));
        assert!(close(Curve::Tanh.df(0.0), 1.0));
        assert!(close(Curve::Tanh.f(1.0), 0.761_594_155_955_764_9));
        assert!(close(Curve::Relu.f(-3.0), 0.0) && close(Curve::Relu.df(3.0), 1.0));
        let leaky = Curve::LeakyRelu { alpha: 0.1 };
        assert!(close(leaky.f(-2.0), -0.2) && close(leaky.df(-2.0), 0.1));
        let elu = Curve::Elu { alpha: 2.0 };
        assert!(close(elu.f(-1.0), 2.0 * ((-1.0_f64).exp() - 1.0)));
        assert!(close(Curve::Step.f(0.0), 0.0) && close(Curve::Step.f(1e-9), 1.0));
        // The course's identity tanh(z) = 2 sigmoid(2z) - 1.
        assert!(close(Curve::Tanh.f(0.7), 2.0 * sigmoid(1.4) - 1.0));
        assert!(close(sigmoid(-800.0), 0.0) && close(sigmoid(800.0), 1.0));
    }

    #[test]
    fn derivatives_match_finite_differences() {
        let h = 1e-6;
        for curve in Curve::ALL {
            if curve == Curve::Step {
                continue;
            }
            for &z in &[-2.5, -0.3, 0.4, 1.7] {
                let numeric = (curve.f(z + h) - curve.f(z - h)) / (2.0 * h);
                assert!(
                    (numeric - curve.df(z)).abs() < 1e-6,
                    "{} at {z}: {numeric} vs {}",
                    curve.name(),
                    curve.df(z)
                );
            }
        }
    }

    #[test]
    fn softmax_and_its_jacobian() {
        let p = softmax(&[1.0, 2.0, 3.0]);
        assert!(close(p.iter().sum(), 1.0));
        assert!(close(p[2], 0.665_240_955_774_821_9));
        let big = softmax(&[1000.0, 1000.0, 1000.0]);
        assert!(big.iter().all(|v| close(*v, 1.0 / 3.0)));
        let j = softmax_jacobian(&[1.0, 2.0, 3.0]);
        for row in &j {
            assert!(close(row.iter().sum(), 0.0), "rows sum to zero");
        }
        assert!(close(j[0][0], p[0] * (1.0 - p[0])));
        assert!(close(j[0][1], -p[0] * p[1]));
    }

    #[test]
    fn names_round_trip() {
        for c in Curve::ALL {
            let alpha = match c {
                Curve::LeakyRelu { alpha } | Curve::Elu { alpha } => alpha,
                _ => 0.0,
            };
            assert_eq!(Curve::from_name(c.name(), alpha), Some(c));
        }
        assert_eq!(Curve::from(Activation::Relu), Curve::Relu);
    }
}
