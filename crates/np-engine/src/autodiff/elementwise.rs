//! Elementwise ops: forward and backward side by side.

use super::op::{alloc, sum_to, Val};
use crate::backend::{Backend, BinaryOp, BufferId, UnaryOp};
use crate::error::Result;
use crate::shape::Shape;

/// `y = f(x)`.
pub fn unary_forward(be: &mut dyn Backend, f: UnaryOp, x: Val) -> Result<Val> {
    let y = alloc(be, x.shape)?;
    be.unary(f, x.buffer, y.buffer)?;
    Ok(y)
}
/// `dx = g * f'(x)` (the derivative may read `y`).
pub fn unary_backward(
    be: &mut dyn Backend,
    f: UnaryOp,
    x: Val,
    y: Val,
    g: BufferId,
) -> Result<Vec<Option<BufferId>>> {
    let dx = be.alloc(x.shape.numel())?;
    be.unary_backward(f, x.buffer, y.buffer, g, dx)?;
    Ok(vec![Some(dx)])
}

/// `y = a op b`, broadcast.
pub fn binary_forward(be: &mut dyn Backend, f: BinaryOp, a: Val, b: Val) -> Result<Val> {
    let y = alloc(be, Shape::broadcast(a.shape, b.shape)?)?;
    be.binary(f, a.buffer, a.shape, b.buffer, b.shape, y.buffer)?;
    Ok(y)
}
/// Partial derivatives times `g`, then summed back over broadcast axes:
/// add `(g, g)`, sub `(g, -g)`, mul `(g b, g a)`, div `(g / b, -g y / b)`,
/// maximum/minimum route `g` to the input equal to the output.
pub fn binary_backward(
    be: &mut dyn Backend,
    f: BinaryOp,
    a: Val,
    b: Val,
    y: Val,
    g: BufferId,
    needs: &[bool],
) -> Result<Vec<Option<BufferId>>> {
    let ys = y.shape;
    // Full-size partial for one side, then reduced to that side's shape.
    let side = |be: &mut dyn Backend, which: usize| -> Result<Option<BufferId>> {
        if !needs[which] {
            return Ok(None);
        }
        let (me, other) = if which == 0 { (a, b) } else { (b, a) };
        let full = be.alloc(ys.numel())?;
        match (f, which) {
            (BinaryOp::Add, _) | (BinaryOp::Sub, 0) => be.copy(g, full)?,
            (BinaryOp::Sub, _) => be.unary(UnaryOp::Neg, g, full)?,
            (BinaryOp::Mul, _) => {
                be.binary(BinaryOp::Mul, g, ys, other.buffer, other.shape, full)?
            }
            (BinaryOp::Div, 0) => be.binary(BinaryOp::Div, g, ys, b.buffer, b.shape, full)?,
            (BinaryOp::Div, _) => {
                // -g * y / b
                be.binary(BinaryOp::Mul, g, ys, y.buffer, ys, full)?;
                let t = be.alloc(ys.numel())?;
                be.binary(BinaryOp::Div, full, ys, b.buffer, b.shape, t)?;
                be.unary(UnaryOp::Neg, t, full)?;
                be.release(t);
            }
            (BinaryOp::Maximum | BinaryOp::Minimum, _) => {
                be.binary(BinaryOp::Equal, y.buffer, ys, me.buffer, me.shape, full)?;
                let t = be.alloc(ys.numel())?;
                be.binary(BinaryOp::Mul, full, ys, g, ys, t)?;
                be.release(full);
                let r = sum_to(be, t, ys, me.shape);
                be.release(t);
                return r.map(Some);
            }
            (BinaryOp::Greater | BinaryOp::Equal, _) => {
                be.release(full);
                return Ok(None);
            }
        }
        let r = sum_to(be, full, ys, me.shape)?;
        be.release(full);
        Ok(Some(r))
    };
    let da = side(be, 0)?;
    let db = side(be, 1)?;
    Ok(vec![da, db])
}

/// `y = cond ? a : b`.
pub fn select_forward(be: &mut dyn Backend, c: Val, a: Val, b: Val) -> Result<Val> {
    let y = alloc(be, a.shape)?;
    be.select(c.buffer, a.buffer, b.buffer, y.buffer)?;
    Ok(y)
}
/// `da = cond ? g : 0`, `db = cond ? 0 : g`; the condition gets none.
pub fn select_backward(
    be: &mut dyn Backend,
    c: Val,
    y: Val,
    g: BufferId,
    needs: &[bool],
) -> Result<Vec<Option<BufferId>>> {
    let n = y.shape.numel();
    let zero = be.alloc(n)?;
    let mut out = vec![None];
    for (which, &need) in needs.iter().enumerate().skip(1) {
        if need {
            let d = be.alloc(n)?;
            if which == 1 {
                be.select(c.buffer, g, zero, d)?;
            } else {
                be.select(c.buffer, zero, g, d)?;
            }
            out.push(Some(d));
        } else {
            out.push(None);
        }
    }
    be.release(zero);
    Ok(out)
}
