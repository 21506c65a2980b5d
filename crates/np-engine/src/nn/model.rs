//! Dense layers and the sequential model built from a [`ModelSpec`].

use super::spec::{ModelSpec, OutputUnit};
use crate::autodiff::{Graph, NodeId, VarId};
use crate::backend::{Backend, BufferId, MatmulDesc, UnaryOp};
use crate::error::Result;
use crate::rng::Rng;
use crate::tensor::Tensor;

/// One dense layer's variables: `y = act(x W + b)`.
/// # Shapes
/// `w: [fan_in, units]`, `b: [units]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Dense {
    pub w: VarId,
    pub b: VarId,
    pub fan_in: usize,
    pub units: usize,
    /// The hidden activation; the output layer records `Identity` here (its unit is applied
    /// by [`Sequential::output`]).
    pub activation: UnaryOp,
    /// Dropout rate applied after the activation in training.
    pub dropout: f32,
}

/// A stack of dense layers whose parameters are variables of a [`Graph`].
#[derive(Clone, Debug, PartialEq)]
pub struct Sequential {
    pub spec: ModelSpec,
    pub layers: Vec<Dense>,
}

impl Sequential {
    /// Create the model's variables in `g`, initialized from `init_seed`.
    pub fn new(g: &mut Graph, spec: &ModelSpec, init_seed: u64) -> Result<Self> {
        spec.validate()?;
        let widths = spec.widths();
        let mut layers = Vec::new();
        for (i, pair) in widths.windows(2).enumerate() {
            let (fan_in, units) = (pair[0], pair[1]);
            let w = g.variable(
                &format!("dense_{}/kernel", i + 1),
                &Tensor::zeros(&[fan_in, units])?,
                true,
            )?;
            let b = g.variable(
                &format!("dense_{}/bias", i + 1),
                &Tensor::zeros(&[units])?,
                true,
            )?;
            let hidden = spec.hidden.get(i);
            layers.push(Dense {
                w,
                b,
                fan_in,
                units,
                activation: hidden.map_or(UnaryOp::Identity, |h| h.activation.op()),
                dropout: hidden.map_or(0.0, |h| h.dropout),
            });
        }
        let model = Self {
            spec: spec.clone(),
            layers,
        };
        model.reinit(g, init_seed)?;
        model.apply_frozen(g)?;
        Ok(model)
    }
    /// Mark each parameter trainable or frozen as `spec.frozen` says.
    pub fn apply_frozen(&self, g: &mut Graph) -> Result<()> {
        for (i, l) in self.layers.iter().enumerate() {
            let f = self.spec.frozen_of(i);
            g.set_trainable(l.w, !f.kernel)?;
            g.set_trainable(l.b, !f.bias)?;
        }
        Ok(())
    }
    /// Change which tensors are frozen (a live change: values are kept). `frozen` as
    /// [`ModelSpec::frozen`].
    pub fn set_frozen(&mut self, g: &mut Graph, frozen: Vec<super::Frozen>) -> Result<()> {
        let spec = ModelSpec {
            frozen,
            ..self.spec.clone()
        };
        spec.validate()?;
        self.spec = spec;
        self.apply_frozen(g)
    }
    /// The parameters training updates, in the order of [`Sequential::params`].
    pub fn trainable_params(&self) -> Vec<VarId> {
        self.params()
            .into_iter()
            .zip(self.trainable_mask())
            .filter_map(|(v, t)| t.then_some(v))
            .collect()
    }
    /// Per parameter of [`Sequential::params`], whether training updates it.
    pub fn trainable_mask(&self) -> Vec<bool> {
        (0..self.layers.len())
            .flat_map(|i| {
                let f = self.spec.frozen_of(i);
                [!f.kernel, !f.bias]
            })
            .collect()
    }
    /// Draw fresh initial weights; the same seed always gives the same weights.
    pub fn reinit(&self, g: &mut Graph, init_seed: u64) -> Result<()> {
        let mut rng = Rng::new(init_seed);
        for (i, l) in self.layers.iter().enumerate() {
            let init = self.spec.init_of(i);
            // Drawn even where the step construction replaces them, so the other layers get
            // the same weights with or without it.
            let mut w = init.weights.sample(l.fan_in, l.units, &mut rng);
            let mut b = vec![init.bias; l.units];
            match (self.spec.steps, i) {
                (Some(steep), 0) => (w, b) = step_layer(steep, l.fan_in, l.units),
                (Some(_), 1) => (w, b) = alternating_layer(l.fan_in, l.units),
                _ => {}
            }
            g.set_var(l.w, &Tensor::new(w, &[l.fan_in, l.units])?)?;
            g.set_var(l.b, &Tensor::new(b, &[l.units])?)?;
        }
        Ok(())
    }
    /// All parameters in order `w1, b1, w2, b2, ...`.
    pub fn params(&self) -> Vec<VarId> {
        self.layers.iter().flat_map(|l| [l.w, l.b]).collect()
    }
    /// Record the forward pass up to the output layer's pre-activation (the logits).
    /// `dropout_seed`: `Some(seed)` in training applies each layer's dropout with a mask from
    /// `(seed, layer offset)`; `None` (evaluation) applies none.
    /// # Shapes
    /// `x: [batch, inputs]`; result `[batch, outputs]`.
    pub fn forward(&self, g: &mut Graph, x: NodeId, dropout_seed: Option<u32>) -> Result<NodeId> {
        let mut h = x;
        for (i, l) in self.layers.iter().enumerate() {
            g.push_scope(&format!("dense_{}", i + 1));
            let w = g.var(l.w)?;
            let b = g.var(l.b)?;
            let z = g.matmul(h, w)?; // [batch, units]
            h = g.bias_act(z, b, l.activation)?;
            if let (Some(seed), true) = (dropout_seed, l.dropout > 0.0) {
                // Layers use disjoint counter ranges so their masks are independent.
                h = g.dropout(h, 1.0 - l.dropout, seed, (i as u32) << 26)?;
            }
            g.pop_scope();
        }
        Ok(h)
    }
    /// Apply the output unit to logits (for predictions and for the squared losses).
    pub fn output(&self, g: &mut Graph, logits: NodeId) -> Result<NodeId> {
        match self.spec.output {
            OutputUnit::Linear => Ok(logits),
            OutputUnit::Sigmoid => g.sigmoid(logits),
            OutputUnit::Tanh => g.tanh(logits),
            OutputUnit::Softmax => g.softmax(logits),
        }
    }

    /// Graph-free forward on the backend (fast predictions, e.g. a 100x100 decision grid).
    /// Returns one `(pre_activation, post_activation)` buffer pair per layer, the last one's
    /// post being the output unit's values; the caller releases them (see [`release_all`]).
    /// With `keep_all` false, only the last pair is kept (the others are released early).
    /// # Shapes
    /// `x: [rows, inputs]`; pair `i`: `[rows, units_i]` each.
    pub fn infer(
        &self,
        g: &mut Graph,
        x: BufferId,
        rows: usize,
        keep_all: bool,
    ) -> Result<Vec<(BufferId, BufferId)>> {
        let vars: Vec<(BufferId, BufferId)> = self
            .layers
            .iter()
            .map(|l| {
                Ok((
                    g.var_info(l.w)?.value_buffer(),
                    g.var_info(l.b)?.value_buffer(),
                ))
            })
            .collect::<Result<_>>()?;
        let be = g.backend_mut();
        let mut out: Vec<(BufferId, BufferId)> = Vec::new();
        let mut h = x;
        for (i, (l, (w, b))) in self.layers.iter().zip(vars).enumerate() {
            let last = i + 1 == self.layers.len();
            let xw = be.alloc(rows * l.units)?;
            be.matmul(h, w, xw, MatmulDesc::new(rows, l.fan_in, l.units))?;
            let pre = be.alloc(rows * l.units)?;
            be.bias_act(xw, b, pre, rows, l.units, UnaryOp::Identity)?;
            be.release(xw);
            let post = be.alloc(rows * l.units)?;
            if last {
                output_unit(be, self.spec.output, pre, post, rows, l.units)?;
            } else {
                be.unary(l.activation, pre, post)?;
            }
            if !keep_all {
                if let Some((p, q)) = out.pop() {
                    be.release(p);
                    be.release(q);
                }
            }
            out.push((pre, post));
            h = post;
        }
        Ok(out)
    }
}

/// The course's steps: unit `j` of `units` is `sigmoid(steep * (x - c_j))` for every input,
/// centres `c_j` evenly spaced on [0, 1]. `W: [fan_in, units]`, all `steep`; `b_j = -steep c_j`.
fn step_layer(steep: f32, fan_in: usize, units: usize) -> (Vec<f32>, Vec<f32>) {
    let centre = |j: usize| {
        if units > 1 {
            j as f32 / (units - 1) as f32
        } else {
            0.5
        }
    };
    (
        vec![steep; fan_in * units],
        (0..units).map(|j| -steep * centre(j)).collect(),
    )
}

/// +1 from even units and -1 from odd ones (`W[from][to]`), zero biases: neighbouring steps
/// cancel, so the sum starts as a row of bumps of height 1.
fn alternating_layer(fan_in: usize, units: usize) -> (Vec<f32>, Vec<f32>) {
    let w = (0..fan_in * units)
        .map(|k| {
            if (k / units).is_multiple_of(2) {
                1.0
            } else {
                -1.0
            }
        })
        .collect();
    (w, vec![0.0; units])
}

fn output_unit(
    be: &mut dyn Backend,
    unit: OutputUnit,
    z: BufferId,
    y: BufferId,
    rows: usize,
    cols: usize,
) -> Result<()> {
    match unit {
        OutputUnit::Linear => be.copy(z, y),
        OutputUnit::Sigmoid => be.unary(UnaryOp::Sigmoid, z, y),
        OutputUnit::Tanh => be.unary(UnaryOp::Tanh, z, y),
        OutputUnit::Softmax => be.softmax(z, y, rows, cols, false),
    }
}

/// Release every buffer of an [`Sequential::infer`] result.
pub fn release_all(be: &mut dyn Backend, pairs: &[(BufferId, BufferId)]) {
    for &(p, q) in pairs {
        be.release(p);
        be.release(q);
    }
}
