//! Matrix product and the fused Dense tail, forward and backward side by side.

use super::op::{alloc, sum_to, Val};
use crate::backend::{Backend, BufferId, MatmulDesc, UnaryOp};
use crate::error::{EngineError, Result};
use crate::shape::Shape;

fn mismatch(op: &'static str, a: Shape, b: Shape) -> EngineError {
    EngineError::ShapeMismatch {
        op,
        left: a.dims().to_vec(),
        right: b.dims().to_vec(),
    }
}

/// `y = op(a) @ op(b)`.
/// # Shapes
/// `a: [m, k]` (`[k, m]` stored if `ta`), `b: [k, n]` (`[n, k]` if `tb`), `y: [m, n]`.
pub fn matmul_forward(be: &mut dyn Backend, ta: bool, tb: bool, a: Val, b: Val) -> Result<Val> {
    if a.shape.rank() != 2 || b.shape.rank() != 2 {
        return Err(mismatch("matmul (rank 2 only)", a.shape, b.shape));
    }
    let (ar, ac) = (a.shape.dims()[0], a.shape.dims()[1]);
    let (br, bc) = (b.shape.dims()[0], b.shape.dims()[1]);
    let (m, k) = if ta { (ac, ar) } else { (ar, ac) };
    let (k2, n) = if tb { (bc, br) } else { (br, bc) };
    if k != k2 {
        return Err(mismatch("matmul", a.shape, b.shape));
    }
    let y = alloc(be, Shape::matrix(m, n))?;
    let d = MatmulDesc {
        m,
        k,
        n,
        trans_a: ta,
        trans_b: tb,
        accumulate: false,
    };
    be.matmul(a.buffer, b.buffer, y.buffer, d)?;
    Ok(y)
}
/// With `C = op(A) op(B)` and upstream `G`:
/// `dA = G op(B)^T` (transposed back if A was), `dB = op(A)^T G` (likewise).
pub fn matmul_backward(
    be: &mut dyn Backend,
    ta: bool,
    tb: bool,
    a: Val,
    b: Val,
    g: BufferId,
    needs: &[bool],
) -> Result<Vec<Option<BufferId>>> {
    let (m, k) = if ta {
        (a.shape.dims()[1], a.shape.dims()[0])
    } else {
        (a.shape.dims()[0], a.shape.dims()[1])
    };
    let n = if tb {
        b.shape.dims()[0]
    } else {
        b.shape.dims()[1]
    };
    let mm = |be: &mut dyn Backend, x, y, m, k, n, trans_a, trans_b| -> Result<BufferId> {
        let out = be.alloc(m * n)?;
        be.matmul(
            x,
            y,
            out,
            MatmulDesc {
                m,
                k,
                n,
                trans_a,
                trans_b,
                accumulate: false,
            },
        )?;
        Ok(out)
    };
    let da = if !needs[0] {
        None
    } else if !ta {
        // dA[m,k] = G[m,n] op(B)^T: B^T if B plain, B if B stored transposed.
        Some(mm(be, g, b.buffer, m, n, k, false, !tb)?)
    } else {
        // dA[k,m] = op(B) G^T.
        Some(mm(be, b.buffer, g, k, n, m, tb, true)?)
    };
    let db = if !needs[1] {
        None
    } else if !tb {
        // dB[k,n] = op(A)^T G.
        Some(mm(be, a.buffer, g, k, m, n, !ta, false)?)
    } else {
        // dB[n,k] = G^T op(A).
        Some(mm(be, g, a.buffer, n, m, k, true, ta)?)
    };
    Ok(vec![da, db])
}

/// Activations whose derivative can be read from the output alone, so the fused kernel need
/// not keep the pre-activation.
fn output_determines_derivative(act: UnaryOp) -> bool {
    match act {
        UnaryOp::Identity | UnaryOp::Relu | UnaryOp::Sigmoid | UnaryOp::Tanh | UnaryOp::Step => {
            true
        }
        UnaryOp::LeakyRelu(a) => a > 0.0,
        UnaryOp::Elu(a) => a > 0.0,
        _ => false,
    }
}

/// `y = act(x + bias)`; keeps `x + bias` in `aux` only when the derivative needs it.
/// # Shapes
/// `x: [rows, cols]`, `bias: [cols]`, `y: [rows, cols]`.
pub fn bias_act_forward(
    be: &mut dyn Backend,
    act: UnaryOp,
    x: Val,
    bias: Val,
    aux: &mut Vec<BufferId>,
) -> Result<Val> {
    let (rows, cols) = x.shape.rows_cols();
    if bias.shape.numel() != cols {
        return Err(mismatch("bias_act", x.shape, bias.shape));
    }
    let y = alloc(be, x.shape)?;
    if output_determines_derivative(act) {
        be.bias_act(x.buffer, bias.buffer, y.buffer, rows, cols, act)?;
    } else {
        let pre = be.alloc(rows * cols)?;
        be.bias_act(x.buffer, bias.buffer, pre, rows, cols, UnaryOp::Identity)?;
        be.unary(act, pre, y.buffer)?;
        aux.push(pre);
    }
    Ok(y)
}
/// `dz = g * act'(z)`; `dx = dz`, `dbias = sum over rows of dz`.
pub fn bias_act_backward(
    be: &mut dyn Backend,
    act: UnaryOp,
    x: Val,
    y: Val,
    aux: &[BufferId],
    g: BufferId,
    needs: &[bool],
) -> Result<Vec<Option<BufferId>>> {
    let (rows, cols) = x.shape.rows_cols();
    let pre = aux.first().copied().unwrap_or(y.buffer);
    let dz = be.alloc(rows * cols)?;
    be.unary_backward(act, pre, y.buffer, g, dz)?;
    let db = if needs[1] {
        Some(sum_to(
            be,
            dz,
            Shape::matrix(rows, cols),
            Shape::vector(cols),
        )?)
    } else {
        None
    };
    let dx = if needs[0] {
        Some(dz)
    } else {
        be.release(dz);
        None
    };
    Ok(vec![dx, db])
}
