//! Reductions, softmax and cross-entropy: forward and backward side by side.

use super::op::{alloc, Val};
use crate::backend::{Backend, BinaryOp, BufferId, ReduceOp, UnaryOp, XentKind};
use crate::error::{EngineError, Result};
use crate::shape::Shape;

/// Sum/mean/max over `axis` (kept, size 1) or over everything (a scalar).
pub fn reduce_forward(
    be: &mut dyn Backend,
    f: ReduceOp,
    axis: Option<usize>,
    x: Val,
) -> Result<Val> {
    let shape = match axis {
        Some(a) => x.shape.reduced(a)?,
        None => Shape::scalar(),
    };
    let y = alloc(be, shape)?;
    be.reduce(f, x.buffer, x.shape, axis, y.buffer)?;
    Ok(y)
}
/// Sum: `dx = expand(g)`; mean: `expand(g) / n`; max: `expand(g) * (x == expand(y))`.
pub fn reduce_backward(
    be: &mut dyn Backend,
    f: ReduceOp,
    axis: Option<usize>,
    x: Val,
    y: Val,
    g: BufferId,
) -> Result<Vec<Option<BufferId>>> {
    let n = x.shape.numel();
    // A scalar output broadcasts like a rank-0 shape; an axis output keeps its rank.
    let dx = be.alloc(n)?;
    be.expand(g, y.shape, dx, x.shape)?;
    match f {
        ReduceOp::Sum => {}
        ReduceOp::Mean => {
            let len = match axis {
                Some(a) => x.shape.dim(a)?,
                None => n,
            };
            be.unary(UnaryOp::MulScalar(1.0 / len.max(1) as f32), dx, dx)?;
        }
        ReduceOp::Max => {
            let mask = be.alloc(n)?;
            be.binary(BinaryOp::Equal, x.buffer, x.shape, y.buffer, y.shape, mask)?;
            let t = be.alloc(n)?;
            be.binary(BinaryOp::Mul, dx, x.shape, mask, x.shape, t)?;
            be.release(mask);
            be.release(dx);
            return Ok(vec![Some(t)]);
        }
    }
    Ok(vec![Some(dx)])
}

/// Softmax (or log-softmax) over the last axis.
pub fn softmax_forward(be: &mut dyn Backend, log: bool, x: Val) -> Result<Val> {
    let (rows, cols) = x.shape.rows_cols();
    let y = alloc(be, x.shape)?;
    be.softmax(x.buffer, y.buffer, rows, cols, log)?;
    Ok(y)
}
/// `dx = y (g - sum(g y))`, or for log-softmax `dx = g - exp(y) sum(g)`.
pub fn softmax_backward(
    be: &mut dyn Backend,
    log: bool,
    y: Val,
    g: BufferId,
) -> Result<Vec<Option<BufferId>>> {
    let (rows, cols) = y.shape.rows_cols();
    let dx = be.alloc(rows * cols)?;
    be.softmax_backward(y.buffer, g, dx, rows, cols, log)?;
    Ok(vec![Some(dx)])
}

/// Mean over rows of the cross-entropy from logits. Keeps the per-row losses and the gradient
/// `(p - t) / rows` in `aux` (computing it now costs one pass and saves a softmax later).
/// # Shapes
/// `logits, targets: [rows, cols]`, output: scalar.
pub fn xent_forward(
    be: &mut dyn Backend,
    kind: XentKind,
    z: Val,
    t: Val,
    aux: &mut Vec<BufferId>,
) -> Result<Val> {
    if z.shape != t.shape {
        return Err(EngineError::ShapeMismatch {
            op: "cross_entropy",
            left: z.shape.dims().to_vec(),
            right: t.shape.dims().to_vec(),
        });
    }
    let (rows, cols) = z.shape.rows_cols();
    let per_row = be.alloc(rows)?;
    let grad = be.alloc(rows * cols)?;
    be.cross_entropy(
        kind,
        z.buffer,
        t.buffer,
        rows,
        cols,
        per_row,
        Some((grad, 1.0 / rows.max(1) as f32)),
    )?;
    let y = alloc(be, Shape::scalar())?;
    be.reduce(ReduceOp::Mean, per_row, Shape::vector(rows), None, y.buffer)?;
    aux.push(per_row);
    aux.push(grad);
    Ok(y)
}
/// `dlogits = g (p - t) / rows`; targets get no gradient.
pub fn xent_backward(
    be: &mut dyn Backend,
    z: Val,
    aux: &[BufferId],
    g: BufferId,
) -> Result<Vec<Option<BufferId>>> {
    let d = be.alloc(z.shape.numel())?;
    be.binary(BinaryOp::Mul, aux[1], z.shape, g, Shape::scalar(), d)?;
    Ok(vec![Some(d), None])
}
