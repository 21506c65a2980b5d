//! The loss landscape: the training loss on a grid of points `theta + a d1 + b d2` around the
//! current weights `theta`, and a weight trajectory projected onto that plane.
//!
//! A model with exactly two parameters (one input, no hidden layer, one output: `w` and `b`)
//! needs no directions: the axes are the parameters themselves, so the picture is the exact
//! surface in true `(w, b)` coordinates. Any other network is cut along two random directions,
//! filter-normalized as Li et al. (2018, "Visualizing the Loss Landscape of Neural Nets") do:
//! each layer's part of a direction is scaled to the norm of that layer's weights (a dense
//! layer's weight matrix is its filter here), and the biases' part is zero, so the picture does
//! not depend on how large the weights of a layer happen to be.
//!
//! The loss is the training split's data loss in evaluation mode (no dropout, no penalty), the
//! number the page shows as the training loss. The trainer's weights are restored exactly
//! afterwards (bit for bit: they are put back from their exported copy).

use serde::{Deserialize, Serialize};

use super::trainer::{Split, Status, Trainer};
use crate::error::{EngineError, Result};
use crate::rng::Rng;
use crate::tensor::TensorData;

/// The smallest and largest grid side a request may ask for.
pub const LANDSCAPE_SIZES: (usize, usize) = (41, 101);

/// What to compute.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LandscapeRequest {
    /// Points per side (kept in [`LANDSCAPE_SIZES`]).
    pub size: usize,
    /// The random directions' seed (unused for a two-parameter model).
    pub seed: u64,
    /// Weights recorded during training (each `w1, b1, w2, b2, ...`), oldest first, to project
    /// onto the plane; the window grows to hold them.
    pub trajectory: Vec<Vec<TensorData>>,
}

/// How the plane was chosen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Directions {
    /// The model's two parameters are the axes (`a` is the weight, `b` the bias).
    Parameters,
    /// Two seeded Gaussian directions, each layer's part scaled to that layer's weight norm;
    /// biases not moved.
    FilterNormalized { seed: u64 },
}

/// The loss over the plane.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Landscape {
    pub directions: Directions,
    /// Grid points per side.
    pub size: usize,
    /// The axes' ranges: true parameter values for [`Directions::Parameters`], the
    /// coefficients `a`, `b` of the directions otherwise.
    pub a_range: (f64, f64),
    pub b_range: (f64, f64),
    /// `loss[j * size + i]` at `a = a_range.0 + i * step_a`, `b = b_range.0 + j * step_b`
    /// (row 0 is the lowest `b`).
    pub loss: Vec<f64>,
    /// The current weights in the plane's coordinates, and the loss there.
    pub center: (f64, f64),
    pub center_loss: f64,
    /// The trajectory, projected (for two parameters: the parameters themselves).
    pub path: Vec<(f64, f64)>,
    /// The lowest grid point: `(a, b, loss)`.
    pub min: (f64, f64, f64),
}

impl Landscape {
    /// The plane coordinates of grid point `(i, j)`.
    pub fn point(&self, i: usize, j: usize) -> (f64, f64) {
        let t = |k: usize| k as f64 / (self.size - 1).max(1) as f64;
        (
            self.a_range.0 + (self.a_range.1 - self.a_range.0) * t(i),
            self.b_range.0 + (self.b_range.1 - self.b_range.0) * t(j),
        )
    }
}

/// Flat copy of parameters.
fn flat(params: &[TensorData]) -> Vec<f64> {
    params
        .iter()
        .flat_map(|t| t.data.iter().map(|&v| f64::from(v)))
        .collect()
}

/// `theta + a d1 + b d2` in the tensors' layout.
fn moved(theta: &[TensorData], d1: &[f64], d2: &[f64], a: f64, b: f64) -> Vec<TensorData> {
    let mut k = 0;
    theta
        .iter()
        .map(|t| TensorData {
            dims: t.dims.clone(),
            data: t
                .data
                .iter()
                .map(|&v| {
                    let out = (f64::from(v) + a * d1[k] + b * d2[k]) as f32;
                    k += 1;
                    out
                })
                .collect(),
        })
        .collect()
}

/// A Gaussian direction whose part for each weight tensor (even positions: `w1, b1, w2, ...`)
/// has that tensor's norm, and zero for the biases.
fn filter_normalized(theta: &[TensorData], rng: &mut Rng) -> Vec<f64> {
    let mut out = Vec::new();
    for (i, t) in theta.iter().enumerate() {
        if i % 2 == 1 {
            out.extend(std::iter::repeat_n(0.0, t.data.len()));
            continue;
        }
        let d: Vec<f64> = (0..t.data.len()).map(|_| rng.normal()).collect();
        let norm = |v: &mut dyn Iterator<Item = f64>| v.map(|x| x * x).sum::<f64>().sqrt();
        let (dn, wn) = (
            norm(&mut d.iter().copied()),
            norm(&mut t.data.iter().map(|&v| f64::from(v))),
        );
        // A layer whose weights are all zero (a fresh zero init) gets a unit direction.
        let scale = if dn > 0.0 {
            if wn > 0.0 {
                wn / dn
            } else {
                1.0 / dn
            }
        } else {
            0.0
        };
        out.extend(d.into_iter().map(|x| x * scale));
    }
    out
}

/// The least-squares coordinates of `delta` in the plane of `d1`, `d2` (not quite orthogonal).
fn project(delta: &[f64], d1: &[f64], d2: &[f64]) -> (f64, f64) {
    let dot = |x: &[f64], y: &[f64]| x.iter().zip(y).map(|(a, b)| a * b).sum::<f64>();
    let (g11, g12, g22) = (dot(d1, d1), dot(d1, d2), dot(d2, d2));
    let (r1, r2) = (dot(d1, delta), dot(d2, delta));
    let det = g11 * g22 - g12 * g12;
    if det.abs() < 1e-300 {
        return (f64::NAN, f64::NAN);
    }
    ((r1 * g22 - r2 * g12) / det, (r2 * g11 - r1 * g12) / det)
}

/// A window centred on `center` (so the grid's middle point is the current weights) holding
/// every value of `along` with a margin, and at least `half` on each side.
fn window(center: f64, along: impl Iterator<Item = f64>, half: f64) -> (f64, f64) {
    let reach = along
        .filter(|v| v.is_finite())
        .fold(half, |r, v| r.max(1.1 * (v - center).abs()));
    (center - reach, center + reach)
}

impl Trainer {
    /// The training loss over a plane through the current weights (see the module's note).
    /// Refuses a diverged model. Needs synchronous reads (the CPU backend).
    pub fn landscape(&mut self, req: &LandscapeRequest) -> Result<Landscape> {
        if let Status::Diverged { .. } = self.status() {
            return Err(diverged("the run has diverged"));
        }
        let theta = self.export_params()?;
        if theta.iter().any(|t| t.data.iter().any(|v| !v.is_finite())) {
            return Err(diverged("its weights are not finite"));
        }
        if self.split(Split::Train).is_empty() {
            return Err(EngineError::InvalidConfig(
                "the training set is empty".into(),
            ));
        }
        let size = req.size.clamp(LANDSCAPE_SIZES.0, LANDSCAPE_SIZES.1);
        let shapes_fit = |p: &Vec<TensorData>| {
            p.len() == theta.len()
                && p.iter()
                    .zip(&theta)
                    .all(|(a, b)| a.dims == b.dims && a.data.len() == b.data.len())
        };
        // Recorded weights of another network (the page changed it meanwhile) are left out.
        let trajectory: Vec<Vec<f64>> = req
            .trajectory
            .iter()
            .filter(|p| shapes_fit(p))
            .map(|p| flat(p))
            .collect();
        let centre = flat(&theta);
        let n = centre.len();
        let result = if n == 2 {
            // The axes are w and b: unit directions, coordinates are the parameters.
            let (d1, d2) = (vec![1.0, 0.0], vec![0.0, 1.0]);
            let path: Vec<(f64, f64)> = trajectory.iter().map(|p| (p[0], p[1])).collect();
            let half = 0.5 * centre[0].abs().max(centre[1].abs()).max(1.0);
            let a_range = window(centre[0], path.iter().map(|p| p.0), half);
            let b_range = window(centre[1], path.iter().map(|p| p.1), half);
            let offsets = (
                (a_range.0 - centre[0], a_range.1 - centre[0]),
                (b_range.0 - centre[1], b_range.1 - centre[1]),
            );
            self.loss_grid(&theta, (&d1, &d2), size, offsets)
                .map(|loss| {
                    (
                        Directions::Parameters,
                        a_range,
                        b_range,
                        (centre[0], centre[1]),
                        path,
                        loss,
                    )
                })
        } else {
            let mut rng = Rng::new(req.seed);
            let d1 = filter_normalized(&theta, &mut rng);
            let d2 = filter_normalized(&theta, &mut rng);
            let path: Vec<(f64, f64)> = trajectory
                .iter()
                .map(|p| {
                    let delta: Vec<f64> = p.iter().zip(&centre).map(|(a, c)| a - c).collect();
                    project(&delta, &d1, &d2)
                })
                .collect();
            // One direction's length on each side, more if the path went further (at most 10).
            let reach = path
                .iter()
                .flat_map(|p| [p.0.abs(), p.1.abs()])
                .filter(|v| v.is_finite())
                .fold(1.0f64, f64::max)
                .min(10.0)
                * 1.1;
            let range = (-reach, reach);
            self.loss_grid(&theta, (&d1, &d2), size, (range, range))
                .map(|loss| {
                    (
                        Directions::FilterNormalized { seed: req.seed },
                        range,
                        range,
                        (0.0, 0.0),
                        path,
                        loss,
                    )
                })
        };
        // Whatever happened, the weights go back exactly as they were.
        self.import_params(&theta)?;
        let (directions, a_range, b_range, center, path, loss) = result?;
        let center_loss = f64::from(self.evaluate(Split::Train)?.loss);
        if !center_loss.is_finite() {
            return Err(diverged(&format!("its training loss is {center_loss}")));
        }
        let mut out = Landscape {
            directions,
            size,
            a_range,
            b_range,
            loss,
            center,
            center_loss,
            path,
            min: (f64::NAN, f64::NAN, f64::INFINITY),
        };
        for j in 0..size {
            for i in 0..size {
                let l = out.loss[j * size + i];
                if l < out.min.2 {
                    let (a, b) = out.point(i, j);
                    out.min = (a, b, l);
                }
            }
        }
        Ok(out)
    }

    /// The training loss at `theta + a d1 + b d2` for `a`, `b` over `size` evenly spaced
    /// offsets of each range (row-major, `b` slowest). Leaves other weights loaded.
    fn loss_grid(
        &mut self,
        theta: &[TensorData],
        (d1, d2): (&[f64], &[f64]),
        size: usize,
        (a_off, b_off): ((f64, f64), (f64, f64)),
    ) -> Result<Vec<f64>> {
        let t = |k: usize, (lo, hi): (f64, f64)| lo + (hi - lo) * k as f64 / (size - 1) as f64;
        let mut loss = Vec::with_capacity(size * size);
        for j in 0..size {
            for i in 0..size {
                self.import_params(&moved(theta, d1, d2, t(i, a_off), t(j, b_off)))?;
                loss.push(f64::from(self.evaluate(Split::Train)?.loss));
            }
        }
        Ok(loss)
    }
}

fn diverged(why: &str) -> EngineError {
    EngineError::InvalidConfig(format!(
        "no loss landscape for a diverged model ({why}): reset the run, perhaps with a smaller learning rate"
    ))
}
