//! The curves the activation panel plots: the engine's activations, with values and
//! derivatives from the engine's registry (`np_engine::nn::Activation`, in the f32 arithmetic
//! the network computes in), and softmax worked on a vector. A curve carries its alpha as the
//! panel's slider sets it.

use np_engine::nn::{Activation, DEFAULT_ELU_ALPHA, DEFAULT_LEAKY_ALPHA};

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

impl Curve {
    /// Every curve, in the panel's order, with the engine's default alphas.
    pub const ALL: [Curve; 7] = [
        Curve::Sigmoid,
        Curve::Tanh,
        Curve::Relu,
        Curve::LeakyRelu {
            alpha: DEFAULT_LEAKY_ALPHA as f64,
        },
        Curve::Elu {
            alpha: DEFAULT_ELU_ALPHA as f64,
        },
        Curve::Linear,
        Curve::Step,
    ];

    /// The name used in data-testids and the picker: the URL's name of the activation.
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
        Curve::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .map(|c| c.with_alpha(alpha))
    }

    fn with_alpha(self, alpha: f64) -> Curve {
        match self {
            Curve::LeakyRelu { .. } => Curve::LeakyRelu { alpha },
            Curve::Elu { .. } => Curve::Elu { alpha },
            other => other,
        }
    }

    /// Whether the curve has an adjustable alpha.
    pub fn has_alpha(self) -> bool {
        matches!(self, Curve::LeakyRelu { .. } | Curve::Elu { .. })
    }

    /// The engine's activation this curve plots.
    pub fn activation(self) -> Activation {
        match self {
            Curve::Sigmoid => Activation::Sigmoid,
            Curve::Tanh => Activation::Tanh,
            Curve::Relu => Activation::Relu,
            Curve::LeakyRelu { alpha } => Activation::LeakyRelu {
                alpha: alpha as f32,
            },
            Curve::Elu { alpha } => Activation::Elu {
                alpha: alpha as f32,
            },
            Curve::Linear => Activation::Linear,
            Curve::Step => Activation::Step,
        }
    }

    /// f(z), the engine's value.
    pub fn f(self, z: f64) -> f64 {
        f64::from(self.activation().value(z as f32))
    }

    /// f'(z), the engine's derivative (at the kinks of ReLU and step the left derivative).
    pub fn df(self, z: f64) -> f64 {
        f64::from(self.activation().derivative(z as f32))
    }
}

impl From<Activation> for Curve {
    fn from(a: Activation) -> Self {
        match a {
            Activation::Sigmoid => Curve::Sigmoid,
            Activation::Tanh => Curve::Tanh,
            Activation::Relu => Curve::Relu,
            Activation::LeakyRelu { alpha } => Curve::LeakyRelu {
                alpha: f64::from(alpha),
            },
            Activation::Elu { alpha } => Curve::Elu {
                alpha: f64::from(alpha),
            },
            Activation::Linear => Curve::Linear,
            Activation::Step => Curve::Step,
        }
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
        // The engine computes in f32.
        (a - b).abs() < 1e-6
    }

    fn close_f64(a: f64, b: f64) -> bool {
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
        assert!(close(Curve::Tanh.f(0.7), 2.0 * Curve::Sigmoid.f(1.4) - 1.0));
        assert!(close(Curve::Sigmoid.f(-800.0), 0.0) && close(Curve::Sigmoid.f(800.0), 1.0));
    }

    #[test]
    fn the_plotted_values_and_derivatives_are_the_engines() {
        // Every activation the engine offers has its curve, and the panel's f and f' are the
        // engine's value and derivative at every z it plots (finite differences of those live
        // with the engine's registry).
        assert_eq!(Curve::ALL.len(), Activation::ALL.len());
        for a in Activation::ALL {
            let curve = Curve::from(a);
            assert_eq!(curve.activation(), a);
            for i in -60..=60 {
                let z = f64::from(i) / 10.0;
                assert_eq!(
                    curve.f(z),
                    f64::from(a.value(z as f32)),
                    "{} at {z}",
                    a.name()
                );
                assert_eq!(
                    curve.df(z),
                    f64::from(a.derivative(z as f32)),
                    "{} at {z}",
                    a.name()
                );
            }
        }
        let elu = Curve::Elu { alpha: 1.5 };
        assert_eq!(
            elu.f(-1.0),
            f64::from(Activation::Elu { alpha: 1.5 }.value(-1.0))
        );
    }

    #[test]
    fn softmax_and_its_jacobian() {
        let p = softmax(&[1.0, 2.0, 3.0]);
        assert!(close_f64(p.iter().sum(), 1.0));
        assert!(close_f64(p[2], 0.665_240_955_774_821_9));
        let big = softmax(&[1000.0, 1000.0, 1000.0]);
        assert!(big.iter().all(|v| close_f64(*v, 1.0 / 3.0)));
        let j = softmax_jacobian(&[1.0, 2.0, 3.0]);
        for row in &j {
            assert!(close_f64(row.iter().sum(), 0.0), "rows sum to zero");
        }
        assert!(close_f64(j[0][0], p[0] * (1.0 - p[0])));
        assert!(close_f64(j[0][1], -p[0] * p[1]));
    }

    #[test]
    fn names_round_trip() {
        for c in Curve::ALL {
            let alpha = match c {
                Curve::LeakyRelu { alpha } | Curve::Elu { alpha } => alpha,
                _ => 0.0,
            };
            assert_eq!(Curve::from_name(c.name(), alpha), Some(c));
            // The picker's names are the URL's names of the activations.
            assert!(
                crate::config::Activation::parse(c.name()).is_some(),
                "{}",
                c.name()
            );
        }
        assert_eq!(Curve::from(Activation::Relu), Curve::Relu);
        assert_eq!(Curve::from_name("softmax", 1.0), None);
    }
}
