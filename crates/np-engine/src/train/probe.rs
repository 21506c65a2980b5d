//! Looking inside a network without training it: a small CPU model built from a
//! [`TrainConfig`] and loaded with any set of parameters (the current ones, or an earlier
//! epoch's), which reports every layer's activations and the full-batch gradient of the
//! training objective. The app's inspector uses it, so what its panels show is computed by the
//! same model, loss and penalty code the trainer steps with (the objective of `objective.rs`).

use super::config::TrainConfig;
use super::inspect::{LayerActivations, PendingActivations};
use super::objective::record_objective;
use crate::autodiff::{Graph, VarId};
use crate::backend::poll_once;
use crate::data::Dataset;
use crate::error::{EngineError, Result};
use crate::nn::{release_all, Loss, Regularization, Sequential};
use crate::tensor::{Tensor, TensorData};

/// Issues the reads of every layer's pre- and post-activations for `x` (no dropout; the last
/// layer's `post` is the output unit's value) on `g`'s backend; await them with
/// [`PendingActivations::finish`].
/// # Shapes
/// `x: [rows, inputs]`; layer `i`: `pre, post: [rows, units_i]`.
pub(super) fn begin_activations(
    g: &mut Graph,
    model: &Sequential,
    x: &Tensor,
) -> Result<PendingActivations> {
    let (rows, d) = x.shape().rows_cols();
    if x.shape().rank() != 2 || d != model.spec.inputs {
        return Err(EngineError::ShapeMismatch {
            op: "activations",
            left: x.dims().to_vec(),
            right: vec![rows, model.spec.inputs],
        });
    }
    let xb = g.backend_mut().upload(x.data())?;
    let pairs = model.infer(g, xb, rows, true)?;
    let be = g.backend_mut();
    let reads = pairs
        .iter()
        .zip(&model.layers)
        .map(|(&(pre, post), l)| (l.units, be.read(pre), be.read(post)))
        .collect();
    release_all(be, &pairs);
    be.release(xb);
    Ok(PendingActivations { rows, reads })
}

/// [`begin_activations`], awaited.
pub(super) async fn read_activations(
    g: &mut Graph,
    model: &Sequential,
    x: &Tensor,
) -> Result<Vec<LayerActivations>> {
    begin_activations(g, model, x)?.finish().await
}

/// Write exported parameters (`w1, b1, w2, b2, ...`, as [`super::Trainer::export_params`]
/// gives them) into the model's variables, checking count and shapes.
pub(super) fn load_params(g: &mut Graph, vars: &[VarId], params: &[TensorData]) -> Result<()> {
    if vars.len() != params.len() {
        return Err(EngineError::StateMismatch(format!(
            "{} tensors for {} parameters",
            params.len(),
            vars.len()
        )));
    }
    for (&v, p) in vars.iter().zip(params) {
        let t = Tensor::try_from(p.clone())?;
        if t.shape() != g.var_info(v)?.shape {
            return Err(EngineError::StateMismatch(format!(
                "shape {:?} for parameter {}",
                p.dims,
                g.var_info(v)?.name
            )));
        }
        g.set_var(v, &t)?;
    }
    Ok(())
}

/// The objective's value and its gradient with respect to every parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct ProbeGradient {
    /// Data loss plus penalty, as [`super::StepReport::loss`] reports it.
    pub loss: f32,
    /// `dW1, db1, dW2, db2, ...`, shaped like the parameters (`[fan_in, units]`, `[units]`).
    pub params: Vec<TensorData>,
}

/// A CPU copy of a run's model for inspection: same spec, loss and penalty as the trainer,
/// parameters set by the caller. Never trains.
#[derive(Debug)]
pub struct Probe {
    graph: Graph,
    model: Sequential,
    loss: Loss,
    regularization: Regularization,
}

impl Probe {
    /// The model of `cfg` on a fresh CPU backend, with `cfg`'s initial weights until
    /// [`Probe::set_params`] is called.
    pub fn new(cfg: &TrainConfig) -> Result<Self> {
        let mut graph = Graph::cpu();
        let model = Sequential::new(&mut graph, &cfg.model, cfg.init_seed)?;
        Ok(Self {
            graph,
            model,
            loss: cfg.loss,
            regularization: cfg.regularization,
        })
    }
    pub fn model(&self) -> &Sequential {
        &self.model
    }
    /// Whether this probe computes what a trainer of `cfg` trains (same model, loss and
    /// penalty; the optimizer, seeds and batch size do not matter here).
    pub fn matches(&self, cfg: &TrainConfig) -> bool {
        self.model.spec == cfg.model
            && self.loss == cfg.loss
            && self.regularization == cfg.regularization
    }
    /// Load parameters in [`super::Trainer::export_params`]'s format.
    pub fn set_params(&mut self, params: &[TensorData]) -> Result<()> {
        load_params(&mut self.graph, &self.model.params(), params)
    }
    /// The parameters now loaded, `w1, b1, w2, b2, ...`.
    pub fn params(&self) -> Result<Vec<TensorData>> {
        self.model
            .params()
            .into_iter()
            .map(|v| Ok(self.graph.var_value(v)?.to_data()))
            .collect()
    }
    /// Every layer's pre- and post-activations for a batch, as
    /// [`super::Trainer::activations`] computes them.
    /// # Shapes
    /// `x: [rows, inputs]`; layer `i`: `pre, post: [rows, units_i]`.
    pub fn activations(&mut self, x: &Tensor) -> Result<Vec<LayerActivations>> {
        poll_once(Box::pin(read_activations(&mut self.graph, &self.model, x)))
            .unwrap_or(Err(EngineError::NotReady))
    }
    /// The training objective (data loss + L1/L2 penalty, evaluation mode: no dropout) over all
    /// of `data` as one batch, and its gradient: what one trainer step with `batch_size = n`
    /// and no dropout would follow. Targets follow [`Dataset::target_matrix`] (class index,
    /// 0/1 target with one output, one-hot with several).
    pub fn gradient(&mut self, data: &Dataset) -> Result<ProbeGradient> {
        let (rows, d) = data.x.shape().rows_cols();
        let o = self.model.spec.outputs;
        if d != self.model.spec.inputs {
            return Err(EngineError::ShapeMismatch {
                op: "gradient",
                left: data.x.dims().to_vec(),
                right: vec![rows, self.model.spec.inputs],
            });
        }
        if rows == 0 {
            return Err(EngineError::InvalidConfig(
                "the gradient needs at least one row".into(),
            ));
        }
        let t = data.target_matrix(o)?;
        let g = &mut self.graph;
        g.clear();
        g.zero_grad()?;
        g.set_recording(true);
        let x = g.input("x", &data.x)?;
        let t = g.input("y", &t)?;
        let loss = record_objective(g, &self.model, self.loss, self.regularization, (x, t), None)?;
        // Frozen tensors get no gradient (it reads as zeros); with all frozen there is no pass.
        if self.model.trainable_mask().contains(&true) {
            g.backward(loss)?;
        }
        let value = g.value(loss)?.data().first().copied().unwrap_or(f32::NAN);
        let params = self
            .model
            .params()
            .into_iter()
            .map(|v| Ok(g.var_grad(v)?.to_data()))
            .collect::<Result<Vec<TensorData>>>()?;
        // The tape's buffers go back to the backend's pool now, not at the next call.
        g.clear();
        Ok(ProbeGradient {
            loss: value,
            params,
        })
    }
}
