//! Seeded dataset generators. Names are stable: the app's URL uses them.
//!
//! TensorFlow Playground's shapes (`circle`, `xor`, `gauss`, `spiral`, `reg-plane`,
//! `reg-gauss`) live on about [-6, 6]^2 and take `noise` in [0, 0.5] as it does; class 1 is its
//! "positive" (blue) class. The course's sets follow COURSE.md: `spiral3` (section 6, noise is
//! the angle's std, 0.2 in the course), `clouds3` (section 6; noise unused), `moons` and `rings`
//! (scikit-learn's make_moons / make_circles(factor=0.1); noise is the std of added Gaussian
//! noise), `func1d` (section 5), `line` (section 2; noise is the std, 0.01 in the course) and
//! `logistic` (section 3's fixed four rows; count, noise and seed unused).

use super::dataset::Dataset;
use crate::error::{EngineError, Result};
use crate::rng::Rng;
use crate::tensor::Tensor;
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// Every dataset generator. [`Generator::name`] is the name the app's URL uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Generator {
    /// Two classes: a disc inside a ring.
    Circle,
    /// Two classes by quadrant sign.
    Xor,
    /// Two Gaussian blobs.
    Gauss,
    /// Two interleaved spirals.
    Spiral,
    /// Regression: a tilted plane.
    RegPlane,
    /// Regression: a sum of Gaussian bumps.
    RegGauss,
    /// Three interleaved spiral arms.
    Spiral3,
    /// Three overlapping Gaussian clouds.
    Clouds3,
    /// Two moons (make_moons).
    Moons,
    /// Two concentric circles (make_circles).
    Rings,
    /// Regression in one input: the universal-approximation target.
    Func1d,
    /// Regression in one input: `y = 0.2 x + 1` plus noise.
    Line,
    /// The course's fixed four rows of three binary inputs.
    Logistic,
}

impl Generator {
    /// Every generator.
    pub const ALL: [Generator; 13] = [
        Generator::Circle,
        Generator::Xor,
        Generator::Gauss,
        Generator::Spiral,
        Generator::RegPlane,
        Generator::RegGauss,
        Generator::Spiral3,
        Generator::Clouds3,
        Generator::Moons,
        Generator::Rings,
        Generator::Func1d,
        Generator::Line,
        Generator::Logistic,
    ];

    /// The stable name: circle, xor, gauss, spiral, reg-plane, reg-gauss, spiral3, clouds3,
    /// moons, rings, func1d, line, logistic.
    pub fn name(self) -> &'static str {
        match self {
            Generator::Circle => "circle",
            Generator::Xor => "xor",
            Generator::Gauss => "gauss",
            Generator::Spiral => "spiral",
            Generator::RegPlane => "reg-plane",
            Generator::RegGauss => "reg-gauss",
            Generator::Spiral3 => "spiral3",
            Generator::Clouds3 => "clouds3",
            Generator::Moons => "moons",
            Generator::Rings => "rings",
            Generator::Func1d => "func1d",
            Generator::Line => "line",
            Generator::Logistic => "logistic",
        }
    }

    /// The generator named `name`.
    pub fn from_name(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|g| g.name() == name)
            .ok_or_else(|| EngineError::UnknownName {
                kind: "dataset",
                name: name.into(),
            })
    }

    /// Classes of the generated labels; 0 for real-valued targets (as [`Dataset::classes`]).
    pub fn classes(self) -> usize {
        match self {
            Generator::RegPlane | Generator::RegGauss | Generator::Func1d | Generator::Line => 0,
            Generator::Spiral3 | Generator::Clouds3 => 3,
            _ => 2,
        }
    }

    /// Whether the targets are real-valued.
    pub fn is_regression(self) -> bool {
        self.classes() == 0
    }

    /// Raw inputs per sample: one for the 1-D functions, three for `logistic`, else two.
    pub fn inputs(self) -> usize {
        match self {
            Generator::Func1d | Generator::Line => 1,
            Generator::Logistic => 3,
            _ => 2,
        }
    }
}

/// The course's universal-approximation target (section 5).
pub fn func1d_target(x: f64) -> f64 {
    0.2 + 0.4 * x * x + 0.3 * x * (15.0 * x).sin() + 0.05 * (50.0 * x).cos()
}

/// Generate the dataset named `name` ([`Generator::name`]) with `n` samples, `noise` and `seed`.
pub fn generate(name: &str, n: usize, noise: f32, seed: u64) -> Result<Dataset> {
    Generator::from_name(name)?.generate(n, noise, seed)
}

impl Generator {
    /// `n` samples (`logistic` has its fixed four) with `noise`, drawn from `seed`.
    pub fn generate(self, n: usize, noise: f32, seed: u64) -> Result<Dataset> {
        let mut rng = Rng::new(seed);
        let noise = f64::from(noise);
        let mut pts: Vec<[f64; 2]> = Vec::with_capacity(n);
        let mut y: Vec<f32> = Vec::with_capacity(n);
        let classes = self.classes();
        match self {
            Generator::Circle => {
                let radius = 5.0;
                for i in 0..n {
                    let inside = i < n / 2;
                    let r = if inside {
                        rng.uniform(0.0, radius * 0.5)
                    } else {
                        rng.uniform(radius * 0.7, radius)
                    };
                    let a = rng.uniform(0.0, 2.0 * PI);
                    let (x1, x2) = (r * a.sin(), r * a.cos());
                    let nx = rng.uniform(-radius, radius) * noise;
                    let ny = rng.uniform(-radius, radius) * noise;
                    let label = (x1 + nx).hypot(x2 + ny) < radius * 0.5;
                    pts.push([x1 + nx, x2 + ny]);
                    y.push(f32::from(u8::from(label)));
                }
            }
            Generator::Xor => {
                let pad = 0.3;
                for _ in 0..n {
                    let mut x1 = rng.uniform(-5.0, 5.0);
                    x1 += if x1 > 0.0 { pad } else { -pad };
                    let mut x2 = rng.uniform(-5.0, 5.0);
                    x2 += if x2 > 0.0 { pad } else { -pad };
                    let label = x1 * x2 >= 0.0;
                    pts.push([
                        x1 + rng.uniform(-5.0, 5.0) * noise,
                        x2 + rng.uniform(-5.0, 5.0) * noise,
                    ]);
                    y.push(f32::from(u8::from(label)));
                }
            }
            Generator::Gauss => {
                let std = (0.5 + 3.5 * noise / 0.5).sqrt();
                for i in 0..n {
                    let (c, label) = if i < n / 2 { (2.0, 1.0) } else { (-2.0, 0.0) };
                    pts.push([c + rng.normal() * std, c + rng.normal() * std]);
                    y.push(label);
                }
            }
            Generator::Spiral => {
                let half = n / 2;
                for i in 0..n {
                    let (j, delta, label) = if i < half {
                        (i, 0.0, 1.0)
                    } else {
                        (i - half, PI, 0.0)
                    };
                    let m = half.max(1) as f64;
                    let r = j as f64 / m * 5.0;
                    let t = 1.75 * j as f64 / m * 2.0 * PI + delta;
                    pts.push([
                        r * t.sin() + rng.uniform(-1.0, 1.0) * noise,
                        r * t.cos() + rng.uniform(-1.0, 1.0) * noise,
                    ]);
                    y.push(label);
                }
            }
            Generator::RegPlane | Generator::RegGauss => {
                let centers = [
                    (-4.0, 2.5, 1.0),
                    (0.0, 2.5, -1.0),
                    (4.0, 2.5, 1.0),
                    (-4.0, -2.5, -1.0),
                    (0.0, -2.5, 1.0),
                    (4.0, -2.5, -1.0),
                ];
                for _ in 0..n {
                    let (x1, x2) = (rng.uniform(-6.0, 6.0), rng.uniform(-6.0, 6.0));
                    let v = if self == Generator::RegPlane {
                        (x1 + x2) / 12.0
                    } else {
                        centers
                            .iter()
                            .map(|&(cx, cy, s)| {
                                s * (-((x1 - cx).powi(2) + (x2 - cy).powi(2)) / 2.0).exp()
                            })
                            .sum()
                    };
                    pts.push([
                        x1 + rng.uniform(-6.0, 6.0) * noise,
                        x2 + rng.uniform(-6.0, 6.0) * noise,
                    ]);
                    y.push(v as f32);
                }
            }
            Generator::Spiral3 => {
                let per = n / 3;
                for k in 0..3 {
                    for i in 0..per {
                        let f = if per > 1 {
                            i as f64 / (per - 1) as f64
                        } else {
                            0.0
                        };
                        let r = f;
                        let t = 4.0 * k as f64 + 4.0 * f + rng.normal() * noise;
                        pts.push([r * t.sin(), r * t.cos()]);
                        y.push(k as f32);
                    }
                }
            }
            Generator::Clouds3 => {
                let means = [(-1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)];
                let stds: Vec<(f64, f64)> = (0..3)
                    .map(|_| (rng.uniform(1.0, 2.0), rng.uniform(1.0, 2.0)))
                    .collect();
                for _ in 0..n {
                    let k = rng.below(3);
                    pts.push([
                        means[k].0 + rng.normal() * stds[k].0,
                        means[k].1 + rng.normal() * stds[k].1,
                    ]);
                    y.push(k as f32);
                }
            }
            Generator::Moons | Generator::Rings => {
                let n_out = n / 2;
                let n_in = n - n_out;
                let lin = |i: usize, m: usize, end: f64, endpoint: bool| {
                    let d = if endpoint {
                        m.saturating_sub(1).max(1)
                    } else {
                        m.max(1)
                    };
                    end * i as f64 / d as f64
                };
                for i in 0..n {
                    let (p, label) = if self == Generator::Moons {
                        if i < n_out {
                            let t = lin(i, n_out, PI, true);
                            ([t.cos(), t.sin()], 0.0)
                        } else {
                            let t = lin(i - n_out, n_in, PI, true);
                            ([1.0 - t.cos(), 1.0 - t.sin() - 0.5], 1.0)
                        }
                    } else if i < n_out {
                        let t = lin(i, n_out, 2.0 * PI, false);
                        ([t.cos(), t.sin()], 0.0)
                    } else {
                        let t = lin(i - n_out, n_in, 2.0 * PI, false);
                        ([0.1 * t.cos(), 0.1 * t.sin()], 1.0)
                    };
                    pts.push([p[0] + rng.normal() * noise, p[1] + rng.normal() * noise]);
                    y.push(label);
                }
            }
            Generator::Func1d | Generator::Line => {
                let xs = (0..n).map(|i| {
                    if n > 1 {
                        i as f64 / (n - 1) as f64
                    } else {
                        0.0
                    }
                });
                let mut x = Vec::with_capacity(n);
                for v in xs {
                    x.push(v as f32);
                    let t = if self == Generator::Func1d {
                        func1d_target(v)
                    } else {
                        0.2 * v + 1.0
                    };
                    y.push((t + noise * rng.normal()) as f32);
                }
                return Dataset::new(Tensor::new(x, &[n, 1])?, y, classes);
            }
            Generator::Logistic => {
                let x = vec![0., 1., 0., 1., 0., 0., 1., 1., 1., 0., 1., 1.];
                return Dataset::new(Tensor::new(x, &[4, 3])?, vec![0.0, 1.0, 1.0, 0.0], classes);
            }
        }
        let x: Vec<f32> = pts
            .iter()
            .flat_map(|p| [p[0] as f32, p[1] as f32])
            .collect();
        let rows = y.len();
        Dataset::new(Tensor::new(x, &[rows, 2])?, y, classes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn every_generator_is_seeded_and_well_formed() -> Result<()> {
        for g in Generator::ALL {
            let name = g.name();
            let a = generate(name, 300, 0.1, 5)?;
            assert_eq!(a, g.generate(300, 0.1, 5)?, "{name} not reproducible");
            assert!(a.x.data().iter().all(|v| v.is_finite()), "{name}");
            if g != Generator::Logistic {
                assert_eq!(a.len(), 300, "{name}");
            }
            assert_eq!(Generator::from_name(name)?, g);
            assert_eq!(a.classes, g.classes(), "{name}");
            assert_eq!(a.is_regression(), g.is_regression(), "{name}");
            assert_eq!(a.features(), g.inputs(), "{name}");
        }
        assert!(generate("nope", 10, 0.0, 1).is_err());
        let s = generate("spiral3", 900, 0.2, 1)?;
        assert_eq!(s.classes, 3);
        Ok(())
    }
}
