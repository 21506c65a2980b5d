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
    let mask = be.alloc(x.shape.numel())?;
    be.dropout_mask(mask, seed, offset, keep)?;
    let y = alloc(be, x.shape)?;
    be.binary(BinaryOp::Mul, x.buffer, x.shape, mask, x.shape, y.buffer)?;
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
    let dx = be.alloc(y.shape.numel())?;
    be.binary(BinaryOp::Mul, g, y.shape, aux[0], y.shape, dx)?;
    Ok(vec![Some(dx)])
}

/// The same values under another shape of equal size (a copy: buffers have one owner).
pub fn reshape_forward(be: &mut dyn Backend, shape: Shape, x: Val) -> Result<Val> {
    if shape.numel() != x.shape.numel() {
        return Err(EngineError::ShapeMismatch {
            op: "reshape",
            left: x.shape.dims().to_vec(),
            right: shape.dims().to_vec(),
        });
    }
    let y = alloc(be, shape)?;
    be.copy(x.buffer, y.buffer)?;
    Ok(y)
}
/// `dx = g` under the input's shape.
pub fn reshape_backward(
    be: &mut dyn Backend,
    x: Val,
    g: BufferId,
) -> Result<Vec<Option<BufferId>>> {
    let dx = be.alloc(x.shape.numel())?;
    be.copy(g, dx)?;
    Ok(vec![Some(dx)])
}

/// `[rows]` labels to `[rows, classes]` one-hot rows.
pub fn one_hot_forward(be: &mut dyn Backend, classes: usize, labels: Val) -> Result<Val> {
    let rows = labels.shape.numel();
    let y = alloc(be, Shape::matrix(rows, classes))?;
    be.one_hot(labels.buffer, classes, y.buffer)?;
    Ok(y)
}

/// `[rows, cols]` to `[rows]` indices of each row's maximum.
pub fn argmax_forward(be: &mut dyn Backend, x: Val) -> Result<Val> {
    let (rows, cols) = x.shape.rows_cols();
    let y = alloc(be, Shape::vector(rows))?;
    be.argmax(x.buffer, rows, cols, y.buffer)?;
    Ok(y)
}
