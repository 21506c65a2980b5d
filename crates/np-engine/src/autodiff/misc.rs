//! Dropout, reshape and the non-differentiable index ops.

use super::op::{alloc, Val};
use crate::backend::{Backend, BinaryOp, BufferId};
use crate::error::{EngineError, Result};
use crate::shape::Shape;

/// `y = x * mask`, mask `1/keep` with probability `keep`, else 0 (kept in `aux`).
pub fn dropout_forward(
    be: &mut dyn Backend,
    keep: f32,
    seed: u32,
    offset: u32,
    x: Val,
    aux: &mut Vec<BufferId>,
) -> Result<Val> {
    let mask = be.alloc(x.1.numel())?;
    be.dropout_mask(mask, seed, offset, keep)?;
    let y = alloc(be, x.1)?;
    be.binary(BinaryOp::Mul, x.0, x.1, mask, x.1, y.0)?;
    aux.push(mask);
    Ok(y)
}
/// `dx = g * mask`.
pub fn dropout_backward(
    be: &mut dyn Backend,
    y: Val,
    aux: &[BufferId],
    g: BufferId,
) -> Result<Vec<Option<BufferId>>> {
    let dx = be.alloc(y.1.numel())?;
    be.binary(BinaryOp::Mul, g, y.1, aux[0], y.1, dx)?;
    Ok(vec![Some(dx)])
}

/// The same values under another shape of equal size (a copy: buffers have one owner).
pub fn reshape_forward(be: &mut dyn Backend, shape: Shape, x: Val) -> Result<Val> {
    if shape.numel() != x.1.numel() {
        return Err(EngineError::ShapeMismatch {
            op: "reshape",
            left: x.1.dims().to_vec(),
            right: shape.dims().to_vec(),
        });
    }
    let y = alloc(be, shape)?;
    be.copy(x.0, y.0)?;
    Ok(y)
}
/// `dx = g` under the input's shape.
pub fn reshape_backward(
    be: &mut dyn Backend,
    x: Val,
    g: BufferId,
) -> Result<Vec<Option<BufferId>>> {
    let dx = be.alloc(x.1.numel())?;
    be.copy(g, dx)?;
    Ok(vec![Some(dx)])
}

/// `[rows]` labels to `[rows, classes]` one-hot rows.
pub fn one_hot_forward(be: &mut dyn Backend, classes: usize, labels: Val) -> Result<Val> {
    let rows = labels.1.numel();
    let y = alloc(be, Shape::matrix(rows, classes))?;
    be.one_hot(labels.0, classes, y.0)?;
    Ok(y)
}

/// `[rows, cols]` to `[rows]` indices of each row's maximum.
pub fn argmax_forward(be: &mut dyn Backend, x: Val) -> Result<Val> {
    let (rows, cols) = x.1.rows_cols();
    let y = alloc(be, Shape::vector(rows))?;
    be.argmax(x.0, rows, cols, y.0)?;
    Ok(y)
}
