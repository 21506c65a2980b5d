//! Points for the playground: the twelve generators, in TensorFlow Playground's coordinate frame
//! (both inputs in [-6, 6]), and the train / validation / test split.
//!
//! INTERIM: np-engine's `data` module is meant to provide these generators; until its API lands
//! the app generates the points itself. Swapping means replacing `generate` only.

use np_engine::rng::Rng;

use crate::config::{Config, Dataset};

/// Half the side of the input square the playground draws.
pub const DOMAIN: f64 = 6.0;

/// One example. `label` is a class index (0, 1, 2) for classification, a value in about
/// [-1, 1] for regression.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    pub label: f64,
}

/// The split data.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Data {
    pub train: Vec<Point>,
    pub val: Vec<Point>,
    pub test: Vec<Point>,
    /// Number of classes, 1 for regression.
    pub classes: usize,
}

/// Generates and splits the data a config describes, from the config's data seed.
pub fn build(config: &Config) -> Data {
    let dataset = config.active_dataset();
    let mut rng = Rng::new(config.data_seed());
    let noise = f64::from(config.noise) / 100.0;
    let mut points = generate(dataset, config.sample_count() as usize, noise, &mut rng);
    rng.shuffle(&mut points);
    let n_train = points.len() * config.perc_train_data as usize / 100;
    let test = points.split_off(n_train);
    let n_val = points.len() * config.perc_val_data as usize / 100;
    let val = points.split_off(points.len() - n_val);
    Data {
        train: points,
        val,
        test,
        classes: dataset.classes(),
    }
}

/// `n` points of `dataset` with `noise` in [0, 0.5].
pub fn generate(dataset: Dataset, n: usize, noise: f64, rng: &mut Rng) -> Vec<Point> {
    let p = |x: f64, y: f64, label: f64| Point { x, y, label };
    match dataset {
        Dataset::Circle => (0..n)
            .map(|i| {
                let inside = i < n / 2;
                let r = if inside {
                    rng.uniform(0.0, 2.5)
                } else {
                    rng.uniform(3.5, 5.0)
                };
                let t = rng.uniform(0.0, std::f64::consts::TAU);
                let (x, y) = (r * t.sin(), r * t.cos());
                let (nx, ny) = (
                    rng.uniform(-5.0, 5.0) * noise,
                    rng.uniform(-5.0, 5.0) * noise,
                );
                // The label comes from the noisy position, as in TensorFlow Playground.
                let label = if ((x + nx).powi(2) + (y + ny).powi(2)).sqrt() < 3.0 {
                    1.0
                } else {
                    0.0
                };
                p(x + nx, y + ny, label)
            })
            .collect(),
        Dataset::Xor => (0..n)
            .map(|_| {
                let pad = |v: f64| if v > 0.0 { v + 0.3 } else { v - 0.3 };
                let (x, y) = (pad(rng.uniform(-5.0, 5.0)), pad(rng.uniform(-5.0, 5.0)));
                let (nx, ny) = (
                    rng.uniform(-5.0, 5.0) * noise,
                    rng.uniform(-5.0, 5.0) * noise,
                );
                let label = if (x + nx) * (y + ny) >= 0.0 { 1.0 } else { 0.0 };
                p(x + nx, y + ny, label)
            })
            .collect(),
        Dataset::Gauss => {
            let sd = (0.5 + 3.5 * noise).sqrt();
            (0..n)
                .map(|i| {
                    let (c, label) = if i < n / 2 { (2.0, 1.0) } else { (-2.0, 0.0) };
                    p(c + sd * rng.normal(), c + sd * rng.normal(), label)
                })
                .collect()
        }
        Dataset::Spiral => (0..n)
            .map(|i| {
                let half = n / 2;
                let (j, delta, label) = if i < half {
                    (i, 0.0, 1.0)
                } else {
                    (i - half, std::f64::consts::PI, 0.0)
                };
                let frac = j as f64 / half.max(1) as f64;
                let r = frac * 5.0;
                let t = 1.75 * frac * std::f64::consts::TAU + delta;
                let (nx, ny) = (
                    rng.uniform(-1.0, 1.0) * noise,
                    rng.uniform(-1.0, 1.0) * noise,
                );
                p(r * t.sin() + nx, r * t.cos() + ny, label)
            })
            .collect(),
        Dataset::Spiral3 => (0..n)
            .map(|i| {
                // Course section 6: radius evenly on [0, 1], angle on [4k, 4k + 4] plus noise;
                // scaled by 5 into the playground's frame.
                let per = n.div_ceil(3).max(1);
                let (k, j) = (i / per, i % per);
                let frac = j as f64 / per as f64;
                let t = 4.0 * k as f64 + 4.0 * frac + rng.normal() * (0.2 + noise);
                p(5.0 * frac * t.sin(), 5.0 * frac * t.cos(), k.min(2) as f64)
            })
            .collect(),
        Dataset::Clouds3 => (0..n)
            .map(|_| {
                // Course section 6: means (-1,-1), (1,1), (-1,1), per-axis deviation in [1, 2);
                // scaled by 2, and noise widens the clouds further.
                let k = rng.below(3);
                let (mx, my) = [(-1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)][k];
                let (sx, sy) = (rng.uniform(1.0, 2.0) * 0.5, rng.uniform(1.0, 2.0) * 0.5);
                let spread = 1.0 + 2.0 * noise;
                p(
                    2.0 * (mx + sx * spread * rng.normal()),
                    2.0 * (my + sy * spread * rng.normal()),
                    k as f64,
                )
            })
            .collect(),
        Dataset::Moons => (0..n)
            .map(|i| {
                let upper = i % 2 == 0;
                let t = rng.uniform(0.0, std::f64::consts::PI);
                let (x, y, label) = if upper {
                    (t.cos(), t.sin(), 0.0)
                } else {
                    (1.0 - t.cos(), 0.5 - t.sin(), 1.0)
                };
                let sd = 0.05 + noise * 0.6;
                p(
                    2.5 * (x - 0.5 + sd * rng.normal()),
                    2.5 * (y - 0.25 + sd * rng.normal()),
                    label,
                )
            })
            .collect(),
        Dataset::Rings => (0..n)
            .map(|i| {
                // make_circles with factor 0.1 puts the inner ring at a tenth of the outer's
                // radius; 0.4 keeps it visible at the playground's scale.
                let outer = i % 2 == 0;
                let r = if outer { 5.0 } else { 2.0 };
                let t = rng.uniform(0.0, std::f64::consts::TAU);
                let sd = 0.2 + 2.0 * noise;
                p(
                    r * t.cos() + sd * rng.normal(),
                    r * t.sin() + sd * rng.normal(),
                    if outer { 0.0 } else { 1.0 },
                )
            })
            .collect(),
        Dataset::RegPlane => (0..n)
            .map(|_| {
                let (x, y) = (rng.uniform(-DOMAIN, DOMAIN), rng.uniform(-DOMAIN, DOMAIN));
                let (nx, ny) = (
                    rng.uniform(-DOMAIN, DOMAIN) * noise,
                    rng.uniform(-DOMAIN, DOMAIN) * noise,
                );
                p(x, y, (x + nx + y + ny) / (2.0 * DOMAIN))
            })
            .collect(),
        Dataset::RegGauss => (0..n)
            .map(|_| {
                let (x, y) = (rng.uniform(-DOMAIN, DOMAIN), rng.uniform(-DOMAIN, DOMAIN));
                let (nx, ny) = (
                    rng.uniform(-DOMAIN, DOMAIN) * noise,
                    rng.uniform(-DOMAIN, DOMAIN) * noise,
                );
                p(x, y, reg_gauss(x + nx, y + ny))
            })
            .collect(),
        Dataset::Func1d => (0..n)
            .map(|i| {
                let u = i as f64 / (n.max(2) - 1) as f64;
                let f = 0.2 + 0.4 * u * u + 0.3 * u * (15.0 * u).sin() + 0.05 * (50.0 * u).cos();
                p(
                    to_domain(u),
                    0.0,
                    2.0 * f - 1.0 + noise * 0.5 * rng.normal(),
                )
            })
            .collect(),
        Dataset::Line => (0..n)
            .map(|i| {
                let u = i as f64 / (n.max(2) - 1) as f64;
                p(
                    to_domain(u),
                    0.0,
                    0.2 * u + 1.0 + 0.01 * rng.normal() * (1.0 + 20.0 * noise) - 1.1,
                )
            })
            .collect(),
    }
}

/// Maps [0, 1] (the course's x range) onto the playground's [-5, 5].
fn to_domain(u: f64) -> f64 {
    10.0 * u - 5.0
}

/// TensorFlow Playground's regression bumps: signed Gaussians at fixed centres.
fn reg_gauss(x: f64, y: f64) -> f64 {
    const BUMPS: [(f64, f64, f64); 6] = [
        (-4.0, 2.5, 1.0),
        (0.0, 2.5, -1.0),
        (4.0, 2.5, 1.0),
        (-4.0, -2.5, -1.0),
        (0.0, -2.5, 1.0),
        (4.0, -2.5, -1.0),
    ];
    BUMPS
        .iter()
        .map(|&(cx, cy, sign)| sign * (-((x - cx).powi(2) + (y - cy).powi(2)) / 2.0).exp())
        .fold(
            0.0,
            |best: f64, v| if v.abs() > best.abs() { v } else { best },
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dataset_has_the_requested_size_and_valid_labels() {
        for &d in Dataset::ALL {
            let mut rng = Rng::new(3);
            let pts = generate(d, 300, 0.2, &mut rng);
            assert_eq!(pts.len(), 300, "{d}");
            for pt in &pts {
                assert!(
                    pt.x.is_finite() && pt.y.is_finite() && pt.label.is_finite(),
                    "{d}"
                );
                if !d.is_regression() {
                    assert!((pt.label as usize) < d.classes(), "{d}");
                }
            }
        }
    }

    #[test]
    fn split_follows_the_percentages_and_repeats() {
        let c = Config {
            perc_train_data: 60,
            perc_val_data: 25,
            ..Config::default()
        };
        let a = build(&c);
        assert_eq!(a.test.len(), 200);
        assert_eq!(a.val.len(), 75);
        assert_eq!(a.train.len(), 225);
        assert_eq!(a, build(&c), "same seed, same data");
    }
}
