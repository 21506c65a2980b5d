//! The gradient check a student runs in the page: every parameter (a seeded sample of them in
//! large networks) nudged both ways, the central difference of the loss set against the
//! gradient backpropagation found.
//!
//! The engine computes in f32, so a difference quotient carries rounding noise of about
//! `f32::EPSILON * |loss| / h`. Two choices keep that noise well under the errors a wrong
//! gradient makes: Richardson extrapolation of the differences at `h` and `h / 2` (error of
//! order `h^4`, so `h` can stay large), and a relative error whose denominator never falls
//! below `ABSOLUTE_BELOW`, so gradients too small to measure are compared absolutely. Even so
//! f32 bounds what a check can show: about 1e-4 for gradients near 0.05, 1e-3 for those near
//! 0.01 (measured in tests/explain.rs), while a wrong gradient shows errors near 1.

use serde::{Deserialize, Serialize};

use super::trainer::Trainer;
use crate::autodiff::{Graph, NodeId, VarId};
use crate::error::{EngineError, Result};
use crate::nn::Activation;
use crate::rng::Rng;
use crate::tensor::Tensor;

/// The step of the finite differences on a smooth loss (the extrapolation also uses half of
/// it): large, so f32's rounding noise stays small beside the difference.
pub const GRADCHECK_STEP: f32 = 5e-2;
/// The step where the loss has kinks (ReLU, leaky ReLU, ELU's second derivative, step, L1):
/// small, so few elements have a kink within reach.
pub const GRADCHECK_STEP_KINKED: f32 = 1e-2;
/// Central differences at `h` and `h / 2` that disagree by more than this share mean the loss
/// bends sharply (or breaks) within `h`: a kink of ReLU or of an L1 penalty lies there.
const KINK_SHARE: f64 = 0.05;
/// Gradients smaller than this are compared absolutely (see the module's note).
pub const ABSOLUTE_BELOW: f64 = 1e-3;

/// One checked parameter element.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradCheckEntry {
    /// The variable's name (`dense_1/kernel`, ...) and the element's position in it.
    pub param: String,
    pub index: Vec<usize>,
    pub numerical: f64,
    pub analytic: f64,
    pub relative_error: f64,
    /// The loss has a kink within the step (ReLU, L1): the difference is one-sided there, so
    /// a large error here says nothing about the backward pass.
    pub kink: bool,
}

/// A whole check, worst element first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradCheck {
    pub entries: Vec<GradCheckEntry>,
    /// Parameter elements in the model, and how many were checked.
    pub total: usize,
    pub checked: usize,
    /// Rows of the batch the loss was taken over.
    pub rows: usize,
    pub step: f32,
    /// The worst relative error (NaN where a loss was not finite).
    pub max_relative_error: f64,
}

/// `|n - a| / max(|n|, |a|, ABSOLUTE_BELOW)`; NaN when either is not finite.
pub fn relative_error(numerical: f64, analytic: f64) -> f64 {
    if !numerical.is_finite() || !analytic.is_finite() {
        return f64::NAN;
    }
    (numerical - analytic).abs() / numerical.abs().max(analytic.abs()).max(ABSOLUTE_BELOW)
}

/// Check the gradients of `objective` with respect to `params` on `g`, with finite-difference
/// step `step`; `may_kink`: the loss has kinks (ReLU, L1), so elements whose differences at
/// `step` and half of it part are flagged as straddling one. `objective(g,
/// recording)` records the scalar loss on a fresh tape (with `recording` false it needs only
/// values); it must be deterministic (dropout masks held fixed by a fixed seed). At most
/// `limit` elements are checked: all when there are no more, else a sample drawn with `seed`.
/// Every parameter is restored, also when the check fails part-way.
pub fn check_gradients(
    g: &mut Graph,
    params: &[VarId],
    limit: usize,
    seed: u64,
    (step, may_kink): (f32, bool),
    objective: &mut dyn FnMut(&mut Graph, bool) -> Result<NodeId>,
) -> Result<GradCheck> {
    let loss = objective(g, true)?;
    // Variables' gradients accumulate across backward passes: start from zero.
    g.zero_grad()?;
    g.backward(loss)?;
    let mut values = Vec::with_capacity(params.len());
    let mut grads = Vec::with_capacity(params.len());
    for &p in params {
        values.push(g.var_value(p)?);
        grads.push(g.var_grad(p)?);
    }
    let rows = g
        .nodes()
        .iter()
        .find(|n| n.name.as_deref() == Some("x"))
        .map_or(0, |n| n.shape.dims().first().copied().unwrap_or(0));
    // Every (parameter, element) pair, sampled when there are more than `limit`.
    let mut picks: Vec<(usize, usize)> = values
        .iter()
        .enumerate()
        .flat_map(|(p, v)| (0..v.data().len()).map(move |k| (p, k)))
        .collect();
    let total = picks.len();
    if total > limit {
        Rng::new(seed).shuffle(&mut picks);
        picks.truncate(limit);
        picks.sort_unstable();
    }
    let result = measure(
        g,
        params,
        (&values, &grads),
        &picks,
        (step, may_kink),
        objective,
    );
    // Restore every parameter whatever happened.
    for (&p, v) in params.iter().zip(&values) {
        g.set_var(p, v)?;
    }
    let mut entries = result?;
    entries.sort_by(|a, b| {
        let key = |e: &GradCheckEntry| {
            if e.relative_error.is_nan() {
                f64::INFINITY
            } else {
                e.relative_error
            }
        };
        key(b).total_cmp(&key(a))
    });
    let max_relative_error = entries.first().map_or(0.0, |e| e.relative_error);
    Ok(GradCheck {
        checked: entries.len(),
        entries,
        total,
        rows,
        step,
        max_relative_error,
    })
}

fn measure(
    g: &mut Graph,
    params: &[VarId],
    (values, grads): (&[Tensor], &[Tensor]),
    picks: &[(usize, usize)],
    (h, may_kink): (f32, bool),
    objective: &mut dyn FnMut(&mut Graph, bool) -> Result<NodeId>,
) -> Result<Vec<GradCheckEntry>> {
    let mut loss_at = |g: &mut Graph, p: usize, k: usize, delta: f32| -> Result<f64> {
        let mut data = values[p].data().to_vec();
        data[k] += delta;
        g.set_var(params[p], &Tensor::from_shape(data, values[p].shape())?)?;
        let l = objective(g, false)?;
        Ok(f64::from(g.value(l)?.item()?))
    };
    let mut out = Vec::with_capacity(picks.len());
    for &(p, k) in picks {
        // Central differences at h and h/2, extrapolated: (4 D(h/2) - D(h)) / 3.
        let wide = (loss_at(g, p, k, h)? - loss_at(g, p, k, -h)?) / (2.0 * f64::from(h));
        let narrow = (loss_at(g, p, k, h / 2.0)? - loss_at(g, p, k, -h / 2.0)?) / f64::from(h);
        g.set_var(params[p], &values[p])?;
        let numerical = (4.0 * narrow - wide) / 3.0;
        let analytic = f64::from(grads[p].data()[k]);
        let name = g.var_info(params[p])?.name.clone();
        out.push(GradCheckEntry {
            param: name,
            index: unravel(k, values[p].dims()),
            numerical,
            analytic,
            relative_error: relative_error(numerical, analytic),
            // On a smooth loss the two differences part by curvature alone, which is no kink.
            kink: may_kink && relative_error(narrow, wide) > KINK_SHARE,
        });
    }
    Ok(out)
}

/// A flat index as a position in a tensor of `dims`.
fn unravel(mut k: usize, dims: &[usize]) -> Vec<usize> {
    let mut index = vec![0; dims.len()];
    for (i, &d) in dims.iter().enumerate().rev() {
        let d = d.max(1);
        index[i] = k % d;
        k /= d;
    }
    index
}

impl Trainer {
    /// Check the gradients of the next mini-batch's training objective (the rows and dropout
    /// masks the next step would use), at most `limit` parameter elements (a sample drawn with
    /// `seed` beyond that). The run is unchanged afterwards. Needs synchronous reads (CPU).
    pub fn gradient_check(&mut self, limit: usize, seed: u64) -> Result<GradCheck> {
        let idx = self.next_batch_rows();
        if idx.is_empty() {
            return Err(EngineError::InvalidConfig(
                "the training set is empty".into(),
            ));
        }
        // Frozen tensors get no gradient by design; the check is of the ones that train.
        let params = self.model.trainable_params();
        if params.is_empty() {
            return Err(EngineError::InvalidConfig(
                "every layer is frozen: there is no gradient to check".into(),
            ));
        }
        let model = &self.cfg.model;
        let kinked = self.cfg.regularization.l1 > 0.0
            || model.hidden.iter().map(|h| h.activation).any(|a| {
                !matches!(
                    a,
                    Activation::Linear | Activation::Sigmoid | Activation::Tanh
                )
            });
        let step = if kinked {
            GRADCHECK_STEP_KINKED
        } else {
            GRADCHECK_STEP
        };
        // The objective records on the trainer's own graph, so lend the graph out.
        let mut graph = std::mem::replace(&mut self.graph, Graph::cpu());
        let result = {
            let this = &mut *self;
            let mut objective = |g: &mut Graph, recording: bool| {
                std::mem::swap(&mut this.graph, g);
                let loss = this.record_on(&idx, recording);
                std::mem::swap(&mut this.graph, g);
                loss
            };
            check_gradients(
                &mut graph,
                &params,
                limit,
                seed,
                (step, kinked),
                &mut objective,
            )
        };
        self.graph = graph;
        self.last_loss = None;
        result
    }

    /// The training rows the next [`Trainer::step_batch`] takes, without taking them (the
    /// reshuffle at an epoch's start is drawn on a copy of the generator).
    pub fn next_batch_rows(&self) -> Vec<u32> {
        let n = self.data.train.len();
        let (order, cursor) = if self.cursor == 0 || self.order.len() != n {
            let mut order: Vec<u32> = (0..n as u32).collect();
            self.rng.clone().shuffle(&mut order);
            (order, 0)
        } else {
            (self.order.clone(), self.cursor)
        };
        let end = (cursor + self.batch_size()).min(n);
        order[cursor..end].to_vec()
    }
}
