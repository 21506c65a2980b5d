//! Learning-rate schedules: the rate of each epoch as a function of the base rate and the
//! epochs completed.
//!
//! The rate changes per epoch, not per step, as Keras's `LearningRateScheduler` callback does:
//! a student who reads "halve every 50 epochs" sees the rate change at epoch 50 whatever the
//! batch size. The formulas are Keras's (`ExponentialDecay` with `decay_steps` counted in
//! epochs, `CosineDecay` with `alpha`), so an exported script can name the same schedule.

use serde::{Deserialize, Serialize};

/// How the learning rate moves from its base value as epochs complete.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Schedule {
    /// The base rate throughout.
    #[default]
    Constant,
    /// `base * factor^floor(epoch / every)`: a drop by `factor` every `every` epochs.
    Step { every: usize, factor: f32 },
    /// `base * factor^(epoch / every)`: the same average decay, smoothly.
    Exponential { every: usize, factor: f32 },
    /// `base * (floor + (1 - floor) (1 + cos(pi e / epochs)) / 2)` with `e = min(epoch,
    /// epochs)`: half a cosine from the base rate down to `floor * base` over `epochs` epochs,
    /// then flat.
    Cosine { epochs: usize, floor: f32 },
}

impl Schedule {
    /// The rate for the epoch after `epoch` completed ones. `every`/`epochs` of 0 count as 1,
    /// so no schedule divides by zero.
    pub fn rate(&self, base: f32, epoch: usize) -> f32 {
        let e = epoch as f64;
        let base64 = f64::from(base);
        let r = match *self {
            Schedule::Constant => return base,
            Schedule::Step { every, factor } => {
                base64 * f64::from(factor).powf((epoch / every.max(1)) as f64)
            }
            Schedule::Exponential { every, factor } => {
                base64 * f64::from(factor).powf(e / every.max(1) as f64)
            }
            Schedule::Cosine { epochs, floor } => {
                let span = epochs.max(1) as f64;
                let t = e.min(span) / span;
                let floor = f64::from(floor);
                base64 * (floor + (1.0 - floor) * 0.5 * (1.0 + (std::f64::consts::PI * t).cos()))
            }
        };
        r as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_is_the_base_rate_forever() {
        for epoch in [0, 1, 10, 1_000_000] {
            assert_eq!(Schedule::Constant.rate(0.03, epoch), 0.03);
        }
    }

    #[test]
    fn step_drops_by_its_factor_at_each_boundary() {
        let s = Schedule::Step {
            every: 50,
            factor: 0.5,
        };
        assert_eq!(s.rate(0.1, 0), 0.1);
        assert_eq!(s.rate(0.1, 49), 0.1);
        assert_eq!(s.rate(0.1, 50), 0.05);
        assert_eq!(s.rate(0.1, 149), 0.025);
        assert_eq!(s.rate(0.1, 150), 0.0125);
    }

    #[test]
    fn exponential_matches_its_formula_and_meets_step_at_boundaries() {
        let s = Schedule::Exponential {
            every: 10,
            factor: 0.9,
        };
        for epoch in [0usize, 3, 10, 25, 100] {
            let want = 0.2 * 0.9f64.powf(epoch as f64 / 10.0);
            assert!(
                (f64::from(s.rate(0.2, epoch)) - want).abs() < 1e-7,
                "epoch {epoch}"
            );
        }
        let step = Schedule::Step {
            every: 10,
            factor: 0.9,
        };
        assert!((s.rate(0.2, 30) - step.rate(0.2, 30)).abs() < 1e-7);
    }

    #[test]
    fn cosine_runs_from_base_to_its_floor_then_stays() {
        let s = Schedule::Cosine {
            epochs: 100,
            floor: 0.1,
        };
        assert_eq!(s.rate(0.5, 0), 0.5);
        // Halfway the cosine term is 1/2: floor + (1 - floor) / 2 of the base.
        assert!((s.rate(0.5, 50) - 0.5 * 0.55).abs() < 1e-7);
        assert!((s.rate(0.5, 100) - 0.05).abs() < 1e-7);
        assert!((s.rate(0.5, 5000) - 0.05).abs() < 1e-7);
        // Monotone on the way down.
        let rates: Vec<f32> = (0..=100).map(|e| s.rate(0.5, e)).collect();
        assert!(rates.windows(2).all(|w| w[1] <= w[0]));
    }

    #[test]
    fn a_zero_period_does_not_divide_by_zero() {
        for s in [
            Schedule::Step {
                every: 0,
                factor: 0.5,
            },
            Schedule::Exponential {
                every: 0,
                factor: 0.5,
            },
            Schedule::Cosine {
                epochs: 0,
                floor: 0.0,
            },
        ] {
            assert!(s.rate(0.1, 3).is_finite(), "{s:?}");
        }
    }
}
