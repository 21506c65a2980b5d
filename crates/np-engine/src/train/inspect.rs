//! Looking inside a trainer: single weights, per-layer values and gradients, activations.

use std::fmt;

use super::trainer::Trainer;
use crate::backend::ReadFuture;
use crate::error::{EngineError, Result};
use crate::nn::Dense;
use crate::tensor::Tensor;
use serde::{Deserialize, Serialize};

/// One layer's activations for a batch of inputs.
/// # Shapes
/// `pre, post: [rows, units]`.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerActivations {
    pub pre: Tensor,
    pub post: Tensor,
}

/// Activation reads already issued ([`Trainer::begin_activations`]); owns its futures.
pub struct PendingActivations {
    pub(super) rows: usize,
    /// Per layer: units, then the reads of `pre` and `post`.
    pub(super) reads: Vec<(usize, ReadFuture, ReadFuture)>,
}

impl fmt::Debug for PendingActivations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingActivations")
            .field("rows", &self.rows)
            .field("layers", &self.reads.len())
            .finish_non_exhaustive()
    }
}

impl PendingActivations {
    /// Awaits every layer's values.
    pub async fn finish(self) -> Result<Vec<LayerActivations>> {
        let mut out = Vec::with_capacity(self.reads.len());
        for (units, pre, post) in self.reads {
            out.push(LayerActivations {
                pre: Tensor::new(pre.await?, &[self.rows, units])?,
                post: Tensor::new(post.await?, &[self.rows, units])?,
            });
        }
        Ok(out)
    }
}

/// Per-layer gradient norms (L2) after the last step.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradNorms {
    pub weights: f32,
    pub bias: f32,
}

fn l2(v: &[f32]) -> f32 {
    v.iter().map(|x| x * x).sum::<f32>().sqrt()
}

impl Trainer {
    fn layer(&self, layer: usize) -> Result<&Dense> {
        let n = self.model.layers.len();
        self.model.layers.get(layer).ok_or(EngineError::OutOfRange {
            what: "layer",
            index: layer,
            limit: n,
        })
    }
    fn weight_index(
        &self,
        layer: usize,
        from: usize,
        to: usize,
    ) -> Result<(crate::autodiff::VarId, usize)> {
        let l = self.layer(layer)?;
        if from >= l.fan_in || to >= l.units {
            return Err(EngineError::OutOfRange {
                what: "weight (from, to)",
                index: from.max(to),
                limit: l.fan_in.max(l.units),
            });
        }
        Ok((l.w, from * l.units + to))
    }
    /// The weight from unit `from` of the previous layer to unit `to` of `layer` (0 = first
    /// dense layer, whose `from` is an input feature).
    pub fn weight(&self, layer: usize, from: usize, to: usize) -> Result<f32> {
        let (v, i) = self.weight_index(layer, from, to)?;
        Ok(self.graph.var_value(v)?.data()[i])
    }
    /// Set one weight (the app's "click an edge and type a value").
    pub fn set_weight(&mut self, layer: usize, from: usize, to: usize, value: f32) -> Result<()> {
        let (v, i) = self.weight_index(layer, from, to)?;
        let mut data = self.graph.var_value(v)?.to_vec();
        data[i] = value;
        let dims = self.graph.var_info(v)?.shape;
        self.graph.set_var(v, &Tensor::from_shape(data, dims)?)
    }
    /// The bias of unit `unit` of `layer`.
    pub fn bias(&self, layer: usize, unit: usize) -> Result<f32> {
        let l = self.layer(layer)?;
        let b = self.graph.var_value(l.b)?;
        b.data().get(unit).copied().ok_or(EngineError::OutOfRange {
            what: "unit",
            index: unit,
            limit: l.units,
        })
    }
    pub fn set_bias(&mut self, layer: usize, unit: usize, value: f32) -> Result<()> {
        let l = self.layer(layer)?.clone();
        let mut data = self.graph.var_value(l.b)?.to_vec();
        *data.get_mut(unit).ok_or(EngineError::OutOfRange {
            what: "unit",
            index: unit,
            limit: l.units,
        })? = value;
        self.graph.set_var(l.b, &Tensor::vector(data))
    }
    /// A layer's weights `[fan_in, units]` and bias `[units]` (histograms, weight images).
    pub fn layer_params(&self, layer: usize) -> Result<(Tensor, Tensor)> {
        let l = self.layer(layer)?;
        Ok((self.graph.var_value(l.w)?, self.graph.var_value(l.b)?))
    }
    /// A layer's gradients from the last step (zero before the first).
    pub fn layer_grads(&self, layer: usize) -> Result<(Tensor, Tensor)> {
        let l = self.layer(layer)?;
        Ok((self.graph.var_grad(l.w)?, self.graph.var_grad(l.b)?))
    }
    /// Gradient norms of every layer from the last step.
    pub fn grad_norms(&self) -> Result<Vec<GradNorms>> {
        (0..self.model.layers.len())
            .map(|i| {
                let (w, b) = self.layer_grads(i)?;
                Ok(GradNorms {
                    weights: l2(w.data()),
                    bias: l2(b.data()),
                })
            })
            .collect()
    }
    /// Pre- and post-activations of every layer for a batch of inputs (hidden-layer views,
    /// neuron thumbnails). No dropout; the last layer's `post` is the output unit's value.
    /// # Shapes
    /// `x: [rows, inputs]`; layer `i`: `pre, post: [rows, units_i]`.
    pub async fn activations_async(&mut self, x: &Tensor) -> Result<Vec<LayerActivations>> {
        self.begin_activations(x)?.finish().await
    }
    /// Issues the reads of [`Trainer::activations_async`] now and returns them without
    /// borrowing the trainer, so a caller can await them while training goes on: the values
    /// are those of the weights at this call.
    pub fn begin_activations(&mut self, x: &Tensor) -> Result<PendingActivations> {
        super::probe::begin_activations(&mut self.graph, &self.model, x)
    }
    /// [`Trainer::activations_async`] where reads are synchronous (else `NotReady`).
    pub fn activations(&mut self, x: &Tensor) -> Result<Vec<LayerActivations>> {
        crate::backend::poll_once(Box::pin(self.activations_async(x)))
            .unwrap_or(Err(EngineError::NotReady))
    }
    /// Every layer's weights `[fan_in, units]` and bias `[units]` (histograms over epochs).
    pub async fn all_params_async(&self) -> Result<Vec<(Tensor, Tensor)>> {
        let params = self.export_params_async().await?;
        params
            .chunks_exact(2)
            .map(|wb| {
                Ok((
                    Tensor::try_from(wb[0].clone())?,
                    Tensor::try_from(wb[1].clone())?,
                ))
            })
            .collect()
    }
}
