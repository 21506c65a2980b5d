//! The recorded ops of the graph. Each family file keeps an op's forward and backward side by
//! side; this file only names the ops and dispatches.

use super::{elementwise, linalg, misc, reduce};
use crate::backend::{Backend, BinaryOp, BufferId, ReduceOp, UnaryOp, XentKind};
use crate::error::Result;
use crate::shape::Shape;
use serde::{Deserialize, Serialize};

/// An operation recorded in the graph, with its static parameters.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Elementwise function of one input (activations included).
    Unary { f: UnaryOp },
    /// Elementwise function of two inputs with broadcasting.
    Binary { f: BinaryOp },
    /// `[m,k] @ [k,n]` with optional transposes of the stored operands.
    MatMul { trans_a: bool, trans_b: bool },
    /// Dense-layer tail `act(x + bias)`: inputs `x [rows, cols]`, `bias [cols]`.
    BiasAct { act: UnaryOp },
    /// Sum, mean or max over one axis (kept as size 1) or over all (a scalar).
    Reduce { f: ReduceOp, axis: Option<usize> },
    /// Softmax or log-softmax over the last axis.
    Softmax { log: bool },
    /// Mean over rows of the cross-entropy from logits: inputs `logits, targets`, a scalar.
    CrossEntropy { kind: XentKind },
    /// `where(cond, a, b)`: inputs `cond, a, b`, same shape.
    Select,
    /// Inverted dropout with a counter-based mask (training only; see `Graph::dropout`).
    Dropout { keep: f32, seed: u32, offset: u32 },
    /// Same data, another shape.
    Reshape { shape: Shape },
    /// One-hot rows from class labels (not differentiable).
    OneHot { classes: usize },
    /// Index of the row maximum (not differentiable).
    Argmax,
}

impl Op {
    /// A short label for graph drawings.
    pub fn label(&self) -> String {
        match self {
            Op::Unary { f } => format!("{f:?}").to_lowercase(),
            Op::Binary { f } => format!("{f:?}").to_lowercase(),
            Op::MatMul { .. } => "matmul".into(),
            Op::BiasAct { act } => format!("bias+{act:?}").to_lowercase(),
            Op::Reduce { f, .. } => format!("reduce_{f:?}").to_lowercase(),
            Op::Softmax { log: false } => "softmax".into(),
            Op::Softmax { log: true } => "log_softmax".into(),
            Op::CrossEntropy { kind } => format!("{kind:?}_cross_entropy").to_lowercase(),
            Op::Select => "where".into(),
            Op::Dropout { .. } => "dropout".into(),
            Op::Reshape { .. } => "reshape".into(),
            Op::OneHot { .. } => "one_hot".into(),
            Op::Argmax => "argmax".into(),
        }
    }
    /// How many inputs the op takes.
    pub fn arity(&self) -> usize {
        match self {
            Op::Binary { .. }
            | Op::MatMul { .. }
            | Op::BiasAct { .. }
            | Op::CrossEntropy { .. } => 2,
            Op::Select => 3,
            _ => 1,
        }
    }
    /// Whether gradients flow through this op at all.
    pub fn differentiable(&self) -> bool {
        !matches!(
            self,
            Op::OneHot { .. }
                | Op::Argmax
                | Op::Binary {
                    f: BinaryOp::Greater | BinaryOp::Equal
                }
        )
    }
}

/// A value on the backend with its shape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Val {
    pub buffer: BufferId,
    pub shape: Shape,
}

/// Compute an op's output (a new buffer) and any auxiliary buffers backward needs.
pub fn forward(op: &Op, be: &mut dyn Backend, ins: &[Val], aux: &mut Vec<BufferId>) -> Result<Val> {
    match *op {
        Op::Unary { f } => elementwise::unary_forward(be, f, ins[0]),
        Op::Binary { f } => elementwise::binary_forward(be, f, ins[0], ins[1]),
        Op::Select => elementwise::select_forward(be, ins[0], ins[1], ins[2]),
        Op::MatMul { trans_a, trans_b } => {
            linalg::matmul_forward(be, trans_a, trans_b, ins[0], ins[1])
        }
        Op::BiasAct { act } => linalg::bias_act_forward(be, act, ins[0], ins[1], aux),
        Op::Reduce { f, axis } => reduce::reduce_forward(be, f, axis, ins[0]),
        Op::Softmax { log } => reduce::softmax_forward(be, log, ins[0]),
        Op::CrossEntropy { kind } => reduce::xent_forward(be, kind, ins[0], ins[1], aux),
        Op::Dropout { keep, seed, offset } => {
            misc::dropout_forward(be, keep, seed, offset, ins[0], aux)
        }
        Op::Reshape { shape } => misc::reshape_forward(be, shape, ins[0]),
        Op::OneHot { classes } => misc::one_hot_forward(be, classes, ins[0]),
        Op::Argmax => misc::argmax_forward(be, ins[0]),
    }
}

/// Gradients with respect to each input (new buffers owned by the caller), given the upstream
/// gradient `g` of the output. `None` where an input needs none or the op has none.
pub fn backward(
    op: &Op,
    be: &mut dyn Backend,
    ins: &[Val],
    out: Val,
    aux: &[BufferId],
    g: BufferId,
    needs: &[bool],
) -> Result<Vec<Option<BufferId>>> {
    match *op {
        Op::Unary { f } => elementwise::unary_backward(be, f, ins[0], out, g),
        Op::Binary { f } => elementwise::binary_backward(be, f, ins[0], ins[1], out, g, needs),
        Op::Select => elementwise::select_backward(be, ins[0], out, g, needs),
        Op::MatMul { trans_a, trans_b } => {
            linalg::matmul_backward(be, trans_a, trans_b, ins[0], ins[1], g, needs)
        }
        Op::BiasAct { act } => linalg::bias_act_backward(be, act, ins[0], out, aux, g, needs),
        Op::Reduce { f, axis } => reduce::reduce_backward(be, f, axis, ins[0], out, g),
        Op::Softmax { log } => reduce::softmax_backward(be, log, out, g),
        Op::CrossEntropy { .. } => reduce::xent_backward(be, ins[0], aux, g),
        Op::Dropout { .. } => misc::dropout_backward(be, out, aux, g),
        Op::Reshape { .. } => misc::reshape_backward(be, ins[0], g),
        Op::OneHot { .. } | Op::Argmax => Ok(vec![None; ins.len()]),
    }
}

/// A new buffer for `shape`.
pub(crate) fn alloc(be: &mut dyn Backend, shape: Shape) -> Result<Val> {
    Ok(Val {
        buffer: be.alloc(shape.numel())?,
        shape,
    })
}

/// Sum `g` (of shape `from`) down to `to`, undoing broadcasting. Returns a new buffer.
pub(crate) fn sum_to(
    be: &mut dyn Backend,
    g: BufferId,
    from: Shape,
    to: Shape,
) -> Result<BufferId> {
    let (pf, pt) = (from.padded4(), to.padded4());
    let mut cur = g;
    let mut owned = false;
    let mut shape = Shape::new(&pf)?;
    for axis in 0..pf.len() {
        if pt[axis] == 1 && pf[axis] != 1 {
            let next_shape = shape.reduced(axis)?;
            let next = be.alloc(next_shape.numel())?;
            be.reduce(ReduceOp::Sum, cur, shape, Some(axis), next)?;
            if owned {
                be.release(cur);
            }
            cur = next;
            owned = true;
            shape = next_shape;
        }
    }
    if !owned {
        let copy = be.alloc(to.numel())?;
        be.copy(cur, copy)?;
        cur = copy;
    }
    Ok(cur)
}
