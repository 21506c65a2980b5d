//! Per-layer health of hidden units from their pre-activations on a batch: the share of
//! saturated units (sigmoid, tanh: the gradient has all but vanished) and of dead units (ReLU:
//! never active, so never updated again).

use super::activation::Curve;

/// A unit is saturated on a sample when f'(z) is below this share of f's largest slope.
pub const SATURATION_SLOPE: f64 = 0.05;
/// A unit counts as saturated when it is saturated on at least this share of the samples.
pub const SATURATED_ON: f64 = 0.9;

/// What the activation panel reports for one layer.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct UnitShares {
    /// Units saturated on at least `SATURATED_ON` of the samples, as a share of the units.
    pub saturated: f64,
    /// Units whose output is zero (z <= 0) on every sample, as a share of the units.
    pub dead: f64,
    /// (sample, unit) pairs in saturation, as a share of all pairs: the histogram's tails.
    pub saturated_values: f64,
}

/// Which of the shares is meaningful for a curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concern {
    /// Sigmoid, tanh: report saturated units.
    Saturation,
    /// ReLU: report dead units.
    Dead,
    /// Linear, leaky ReLU, ELU: neither is a failure mode worth a number (ELU and leaky ReLU
    /// keep a gradient for z < 0).
    None,
}

/// The failure mode to report for a layer with this activation.
pub fn concern(curve: Curve) -> Concern {
    match curve {
        Curve::Sigmoid | Curve::Tanh => Concern::Saturation,
        Curve::Relu | Curve::Step => Concern::Dead,
        _ => Concern::None,
    }
}

/// The shares for `pre` (samples x units) under `curve`. Non-finite pre-activations count as
/// saturated (the unit is beyond help) and as not dead, so a diverged layer is not called dead.
pub fn unit_shares(pre: &[Vec<f64>], curve: Curve) -> UnitShares {
    let units = pre.first().map_or(0, Vec::len);
    if units == 0 {
        return UnitShares::default();
    }
    // The S-shaped curves are steepest at z = 0 (sigmoid 0.25, tanh 1); the others' slope is
    // at most 1.
    let max_slope = match concern(curve) {
        Concern::Saturation => curve.df(0.0),
        _ => 1.0,
    };
    let mut saturated_units = 0usize;
    let mut dead_units = 0usize;
    let mut saturated_pairs = 0usize;
    let mut pairs = 0usize;
    for u in 0..units {
        let column = pre.iter().filter_map(|row| row.get(u).copied());
        let (mut sat, mut active, mut n) = (0usize, false, 0usize);
        for z in column {
            n += 1;
            if !z.is_finite() || curve.df(z) < SATURATION_SLOPE * max_slope {
                sat += 1;
            }
            if !z.is_finite() || z > 0.0 {
                active = true;
            }
        }
        if n > 0 && sat as f64 >= SATURATED_ON * n as f64 {
            saturated_units += 1;
        }
        if n > 0 && !active {
            dead_units += 1;
        }
        saturated_pairs += sat;
        pairs += n;
    }
    UnitShares {
        saturated: saturated_units as f64 / units as f64,
        dead: dead_units as f64 / units as f64,
        saturated_values: if pairs == 0 {
            0.0
        } else {
            saturated_pairs as f64 / pairs as f64
        },
    }
}

/// The Euclidean norm of a flattened tensor, ignoring nothing: NaN stays NaN, so a diverged
/// gradient is visible.
pub fn l2_norm(values: &[f64]) -> f64 {
    values.iter().map(|v| v * v).sum::<f64>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relu_units_that_never_fire_are_dead() {
        // Unit 0 always negative (dead), unit 1 fires once, unit 2 always fires.
        let pre = vec![
            vec![-1.0, -2.0, 0.5],
            vec![-0.1, 3.0, 1.0],
            vec![-5.0, -1.0, 2.0],
        ];
        let s = unit_shares(&pre, Curve::Relu);
        assert!((s.dead - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(concern(Curve::Relu), Concern::Dead);
    }

    #[test]
    fn large_sigmoid_inputs_saturate() {
        // sigmoid' < 0.0125 beyond |z| ~ 4.36; tanh' < 0.05 beyond |z| ~ 2.18.
        let pre = vec![vec![10.0, 0.1], vec![-8.0, -0.2], vec![6.0, 5.0]];
        let s = unit_shares(&pre, Curve::Sigmoid);
        assert!((s.saturated - 0.5).abs() < 1e-12);
        assert!((s.saturated_values - 4.0 / 6.0).abs() < 1e-12);
        let t = unit_shares(&[vec![2.5], vec![-3.0]], Curve::Tanh);
        assert_eq!(t.saturated, 1.0);
        assert_eq!(
            t.dead, 0.0,
            "tanh units are never called dead here: z > 0 once"
        );
    }

    #[test]
    fn non_finite_and_empty_inputs() {
        let s = unit_shares(&[vec![f64::NAN], vec![f64::NAN]], Curve::Relu);
        assert_eq!(s.dead, 0.0);
        assert_eq!(s.saturated, 1.0);
        assert_eq!(unit_shares(&[], Curve::Tanh), UnitShares::default());
        assert_eq!(l2_norm(&[3.0, 4.0]), 5.0);
        assert!(l2_norm(&[f64::NAN, 1.0]).is_nan());
    }
}
