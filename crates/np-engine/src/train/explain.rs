//! One training step explained: the step's recorded graph with every value and gradient, the
//! parameters and optimizer state before and after, and which nodes are each layer's parts, so
//! a page can walk forward, backward and the update phase by phase. The step is taken for real
//! and then undone, so what is explained is the trainer's own step, not a re-implementation.

use serde::{Deserialize, Serialize};

use super::trainer::Trainer;
use crate::autodiff::{GraphTrace, TraceKind};
use crate::error::{EngineError, Result};
use crate::optim::OptimizerState;
use crate::tensor::TensorData;

/// Most elements of one value kept in an explanation's trace (a 32-unit layer over a batch of
/// 100 rows fits; larger values are drawn as heatmaps of their start).
pub const EXPLAIN_MAX_ELEMENTS: usize = 4096;

/// Which rows an explained step trains on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepPick {
    /// The mini-batch the next [`Trainer::step_batch`] takes.
    NextBatch,
    /// One training row (an index into the training split), as [`Trainer::step_rows`] takes it.
    Row { row: u32 },
}

/// Where one weight layer's parts sit in [`StepExplanation::trace`] (indices into its nodes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerNodes {
    /// The weight matrix `W` `[inputs, units]` and the bias `b` `[units]`.
    pub w: usize,
    pub b: usize,
    /// `X W`, `[rows, units]`: its gradient is `dZ` (adding `b` passes the gradient through).
    pub xw: usize,
    /// `A = f(X W + b)`, `[rows, units]`.
    pub a: usize,
    /// The dropout applied to `A` in training, if the layer has one.
    pub dropout: Option<usize>,
    /// The activation's name as the op label carries it (`tanh`, `sigmoid`, `linear`, ...).
    pub activation: String,
}

/// A training step, explained.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepExplanation {
    pub pick: StepPick,
    /// The training rows of the step, in batch order.
    pub rows: Vec<u32>,
    /// The step's graph after backward and before the update: variable nodes hold the weights
    /// the step used, every node its gradient.
    pub trace: GraphTrace,
    pub layers: Vec<LayerNodes>,
    /// The fed inputs `x` `[rows, inputs]` and targets `y` `[rows, outputs]`, and the loss.
    pub x: usize,
    pub y: usize,
    pub loss: usize,
    /// `w1, b1, w2, b2, ...` before and after the update.
    pub before: Vec<TensorData>,
    pub after: Vec<TensorData>,
    pub optimizer_before: OptimizerState,
    pub optimizer_after: OptimizerState,
}

impl Trainer {
    /// Take one step on `pick`'s rows, record everything about it, and undo it: afterwards the
    /// run is exactly as before (weights, optimizer state, counters, shuffle position). Taking
    /// the same pick for real ([`Trainer::step_batch`] or [`Trainer::step_rows`]) then yields
    /// exactly `after`. Needs synchronous reads (the CPU backend).
    pub fn explain_step(&mut self, pick: StepPick) -> Result<StepExplanation> {
        if self.status != super::Status::Running {
            return Err(EngineError::InvalidConfig(
                "the run has stopped, so there is no next step to explain: reset it first".into(),
            ));
        }
        let saved = self.export()?;
        let n = self.data.train.len();
        let batch_start = if self.cursor == 0 || self.order.len() != n {
            0
        } else {
            self.cursor
        };
        let mut trace = None;
        let mut observe = |g: &crate::autodiff::Graph| {
            trace = Some(g.trace(EXPLAIN_MAX_ELEMENTS)?);
            Ok(())
        };
        let outcome = match pick {
            StepPick::NextBatch => self.step_batch_observed(&mut observe),
            StepPick::Row { row } => self.step_rows_observed(&[row], &mut observe),
        };
        let report = match outcome {
            Ok(r) => r,
            Err(e) => {
                self.undo(&saved)?;
                return Err(e);
            }
        };
        let rows = match pick {
            StepPick::NextBatch => self.order[batch_start..batch_start + report.rows].to_vec(),
            StepPick::Row { row } => vec![row],
        };
        let after = self.export()?;
        self.undo(&saved)?;
        let trace = trace.ok_or(EngineError::NotReady)?;
        let (layers, x, y, loss) = locate(&trace, self.model.layers.len())?;
        Ok(StepExplanation {
            pick,
            rows,
            trace,
            layers,
            x,
            y,
            loss,
            before: saved.params,
            after: after.params,
            optimizer_before: saved.optimizer,
            optimizer_after: after.optimizer,
        })
    }

    /// Put the run back as `saved` had it (a step's divergence included).
    fn undo(&mut self, saved: &super::TrainerState) -> Result<()> {
        self.import(saved)?;
        self.status = super::Status::Running;
        self.last_loss = None;
        Ok(())
    }
}

/// The layer parts, `x`, `y` and the loss in a step's trace, found by the scopes and names the
/// model and the objective record (`dense_<i>/`, inputs `x` and `y`, the node named `loss`).
fn locate(trace: &GraphTrace, layers: usize) -> Result<(Vec<LayerNodes>, usize, usize, usize)> {
    let missing =
        |what: &str| EngineError::InvalidConfig(format!("the step's graph has no {what}"));
    let named = |name: &str| {
        trace
            .nodes
            .iter()
            .position(|n| n.name.as_deref() == Some(name))
            .ok_or_else(|| missing(name))
    };
    let (x, y, loss) = (named("x")?, named("y")?, named("loss")?);
    let mut out = Vec::with_capacity(layers);
    for l in 0..layers {
        let scope = format!("dense_{}/", l + 1);
        let in_scope: Vec<usize> = (0..trace.nodes.len())
            .filter(|&i| trace.nodes[i].scope == scope)
            .collect();
        let vars: Vec<usize> = in_scope
            .iter()
            .copied()
            .filter(|&i| matches!(trace.nodes[i].kind, TraceKind::Variable { .. }))
            .collect();
        let op = |label: &dyn Fn(&str) -> bool| {
            in_scope
                .iter()
                .copied()
                .find(|&i| match &trace.nodes[i].kind {
                    TraceKind::Op { op } => label(op),
                    _ => false,
                })
        };
        let xw = op(&|o| o == "matmul").ok_or_else(|| missing(&format!("{scope}matmul")))?;
        let a = op(&|o| o.starts_with("bias+")).ok_or_else(|| missing(&format!("{scope}bias")))?;
        let activation = match &trace.nodes[a].kind {
            TraceKind::Op { op } => op.trim_start_matches("bias+").to_string(),
            _ => String::new(),
        };
        let [w, b] = vars[..] else {
            return Err(missing(&format!("{scope} weight and bias")));
        };
        out.push(LayerNodes {
            w,
            b,
            xw,
            a,
            dropout: op(&|o| o == "dropout"),
            activation,
        });
    }
    Ok((out, x, y, loss))
}
