//! CPU kernels over plain slices (no buffer management here). Lengths are checked by the
//! caller, `CpuBackend`, before these run.

use crate::backend::ops::{adam_corrections, exp, ln, ln_1p, sigmoid, tanh};
use crate::backend::{BinaryOp, ReduceOp, UnaryOp, UpdateRule, XentKind};
use crate::rng::counter_uniform;
use crate::shape::{Shape, MAX_RANK};

/// Row-major strides of a rank-4 padded shape, with 0 on broadcast (size-1) axes of `of`
/// where `to` is larger.
fn broadcast_strides(of: [usize; MAX_RANK], to: [usize; MAX_RANK]) -> [usize; MAX_RANK] {
    let mut s = [0; MAX_RANK];
    let mut acc = 1;
    for i in (0..MAX_RANK).rev() {
        s[i] = if of[i] == 1 && to[i] != 1 { 0 } else { acc };
        acc *= of[i];
    }
    s
}

/// Call `f(out_index, a_index, b_index)` for every element of the broadcast output.
fn for_each_broadcast(a: Shape, b: Shape, out: Shape, mut f: impl FnMut(usize, usize, usize)) {
    let o = out.padded4();
    let sa = broadcast_strides(a.padded4(), o);
    let sb = broadcast_strides(b.padded4(), o);
    let mut idx = 0;
    for i0 in 0..o[0] {
        for i1 in 0..o[1] {
            for i2 in 0..o[2] {
                let ba = i0 * sa[0] + i1 * sa[1] + i2 * sa[2];
                let bb = i0 * sb[0] + i1 * sb[1] + i2 * sb[2];
                for i3 in 0..o[3] {
                    f(idx, ba + i3 * sa[3], bb + i3 * sb[3]);
                    idx += 1;
                }
            }
        }
    }
}

pub fn unary(op: UnaryOp, x: &[f32], out: &mut [f32]) {
    // The match sits outside the loop for the hot activations so each loop vectorizes.
    match op {
        UnaryOp::Relu => out.iter_mut().zip(x).for_each(|(o, &v)| *o = v.max(0.0)),
        UnaryOp::Tanh => out.iter_mut().zip(x).for_each(|(o, &v)| *o = tanh(v)),
        UnaryOp::Sigmoid => out.iter_mut().zip(x).for_each(|(o, &v)| *o = sigmoid(v)),
        UnaryOp::Identity => out.copy_from_slice(x),
        _ => out.iter_mut().zip(x).for_each(|(o, &v)| *o = op.apply(v)),
    }
}

pub fn unary_backward(op: UnaryOp, x: &[f32], y: &[f32], dy: &[f32], dx: &mut [f32]) {
    let it = dx.iter_mut().zip(x).zip(y).zip(dy);
    // Hot activations get their own loops (the derivative inlined, so they vectorize).
    match op {
        UnaryOp::Tanh => it.for_each(|(((d, _), &yv), &g)| *d = g * (1.0 - yv * yv)),
        UnaryOp::Sigmoid => it.for_each(|(((d, _), &yv), &g)| *d = g * yv * (1.0 - yv)),
        UnaryOp::Relu => it.for_each(|(((d, &xv), _), &g)| *d = if xv > 0.0 { g } else { 0.0 }),
        UnaryOp::Identity => it.for_each(|(((d, _), _), &g)| *d = g),
        _ => it.for_each(|(((d, &xv), &yv), &g)| *d = g * op.derivative(xv, yv)),
    }
}

pub fn binary(
    op: BinaryOp,
    a: &[f32],
    sa: Shape,
    b: &[f32],
    sb: Shape,
    out: &mut [f32],
    so: Shape,
) {
    if sa == sb {
        for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
            *o = op.apply(x, y);
        }
    } else if b.len() == 1 {
        let y = b[0];
        out.iter_mut()
            .zip(a)
            .for_each(|(o, &x)| *o = op.apply(x, y));
    } else if sa == so && !b.is_empty() && is_row_of(sb, so) {
        // [rows, cols] op [cols]: the bias-row case.
        for (orow, arow) in out.chunks_exact_mut(b.len()).zip(a.chunks_exact(b.len())) {
            for ((o, &x), &y) in orow.iter_mut().zip(arow).zip(b) {
                *o = op.apply(x, y);
            }
        }
    } else {
        for_each_broadcast(sa, sb, so, |o, i, j| out[o] = op.apply(a[i], b[j]));
    }
}

/// Whether `b` is a single row broadcast over `out` (`[..., 1, cols]` against `[..., cols]`).
fn is_row_of(b: Shape, out: Shape) -> bool {
    let (pb, po) = (b.padded4(), out.padded4());
    pb[..3].iter().all(|&d| d == 1) && pb[3] == po[3]
}

pub fn expand(x: &[f32], sx: Shape, out: &mut [f32], so: Shape) {
    for_each_broadcast(so, sx, so, |o, _, j| out[o] = x[j]);
}

/// `[outer, len, inner]` view of a reduction over `axis`.
fn split_axis(shape: Shape, axis: usize) -> (usize, usize, usize) {
    let d = shape.dims();
    let outer = d[..axis].iter().product();
    let inner = d[axis + 1..].iter().product();
    (outer, d[axis], inner)
}

pub fn reduce(op: ReduceOp, x: &[f32], shape: Shape, axis: Option<usize>, out: &mut [f32]) {
    let (outer, len, inner) = match axis {
        Some(a) => split_axis(shape, a),
        None => (1, x.len(), 1),
    };
    let init = if op == ReduceOp::Max {
        f32::NEG_INFINITY
    } else {
        0.0
    };
    out.fill(init);
    // Walk the input contiguously: each reduced slice adds into the whole output row, which
    // vectorizes over `inner` (reducing over rows of a [rows, cols] matrix is the common case).
    for (o, orow) in out.chunks_exact_mut(inner.max(1)).enumerate().take(outer) {
        let block = &x[o * len * inner..(o + 1) * len * inner];
        for slice in block.chunks_exact(inner.max(1)) {
            if op == ReduceOp::Max {
                orow.iter_mut().zip(slice).for_each(|(a, &v)| *a = a.max(v));
            } else {
                orow.iter_mut().zip(slice).for_each(|(a, &v)| *a += v);
            }
        }
    }
    if op == ReduceOp::Mean && len > 0 {
        let s = 1.0 / len as f32;
        out.iter_mut().for_each(|v| *v *= s);
    }
}

pub fn softmax(x: &[f32], out: &mut [f32], cols: usize, log: bool) {
    for (xr, or) in x.chunks_exact(cols).zip(out.chunks_exact_mut(cols)) {
        let m = xr.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
        let mut s = 0.0;
        for (o, &v) in or.iter_mut().zip(xr) {
            *o = exp(v - m);
            s += *o;
        }
        if log {
            let ls = ln(s);
            or.iter_mut().zip(xr).for_each(|(o, &v)| *o = v - m - ls);
        } else {
            or.iter_mut().for_each(|o| *o /= s);
        }
    }
}

pub fn softmax_backward(y: &[f32], dy: &[f32], dx: &mut [f32], cols: usize, log: bool) {
    let rows = y.chunks_exact(cols).zip(dy.chunks_exact(cols));
    for ((yr, gr), dr) in rows.zip(dx.chunks_exact_mut(cols)) {
        if log {
            let s: f32 = gr.iter().sum();
            for ((d, &yv), &g) in dr.iter_mut().zip(yr).zip(gr) {
                *d = g - exp(yv) * s;
            }
        } else {
            let s: f32 = yr.iter().zip(gr).map(|(a, b)| a * b).sum();
            for ((d, &yv), &g) in dr.iter_mut().zip(yr).zip(gr) {
                *d = yv * (g - s);
            }
        }
    }
}

pub fn bias_act(x: &[f32], bias: &[f32], out: &mut [f32], cols: usize, act: UnaryOp) {
    // Two passes over contiguous memory (add the bias row, then the activation over the whole
    // buffer) vectorize better than one pass over short rows.
    for (xr, or) in x.chunks_exact(cols).zip(out.chunks_exact_mut(cols)) {
        for ((o, &v), &b) in or.iter_mut().zip(xr).zip(bias) {
            *o = v + b;
        }
    }
    match act {
        UnaryOp::Identity => {}
        UnaryOp::Relu => out.iter_mut().for_each(|o| *o = o.max(0.0)),
        UnaryOp::Tanh => out.iter_mut().for_each(|o| *o = tanh(*o)),
        UnaryOp::Sigmoid => out.iter_mut().for_each(|o| *o = sigmoid(*o)),
        _ => out.iter_mut().for_each(|o| *o = act.apply(*o)),
    }
}

pub fn cross_entropy(
    kind: XentKind,
    z: &[f32],
    t: &[f32],
    cols: usize,
    loss: &mut [f32],
    mut grad: Option<(&mut [f32], f32)>,
) {
    for (r, l) in loss.iter_mut().enumerate() {
        let zr = &z[r * cols..(r + 1) * cols];
        let tr = &t[r * cols..(r + 1) * cols];
        let gr = grad
            .as_mut()
            .map(|(g, s)| (&mut g[r * cols..(r + 1) * cols], *s));
        match kind {
            XentKind::Softmax => {
                let m = zr.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
                let s: f32 = zr.iter().map(|&v| exp(v - m)).sum();
                let lse = m + ln(s);
                *l = zr.iter().zip(tr).map(|(&zv, &tv)| tv * (lse - zv)).sum();
                if let Some((g, scale)) = gr {
                    for ((gv, &zv), &tv) in g.iter_mut().zip(zr).zip(tr) {
                        *gv = (exp(zv - lse) - tv) * scale;
                    }
                }
            }
            XentKind::Sigmoid => {
                *l = zr
                    .iter()
                    .zip(tr)
                    .map(|(&zv, &tv)| zv.max(0.0) - zv * tv + ln_1p(exp(-zv.abs())))
                    .sum();
                if let Some((g, scale)) = gr {
                    for ((gv, &zv), &tv) in g.iter_mut().zip(zr).zip(tr) {
                        *gv = (sigmoid(zv) - tv) * scale;
                    }
                }
            }
        }
    }
}

pub fn optimizer_step(
    rule: UpdateRule,
    t: u64,
    p: &mut [f32],
    g: &[f32],
    s0: &mut [f32],
    s1: &mut [f32],
) {
    match rule {
        UpdateRule::Sgd {
            lr, momentum: 0.0, ..
        } => {
            p.iter_mut().zip(g).for_each(|(p, &g)| *p -= lr * g);
        }
        UpdateRule::Adam {
            lr,
            beta1,
            beta2,
            eps,
        } => {
            // Hoist the bias corrections out of the loop; same arithmetic as `update_scalar`.
            let (c1, c2) = adam_corrections(beta1, beta2, t);
            let (step, sc2) = (lr / c1, c2.sqrt());
            for (((p, &g), m), v) in p.iter_mut().zip(g).zip(s0.iter_mut()).zip(s1.iter_mut()) {
                *m = beta1 * *m + (1.0 - beta1) * g;
                *v = beta2 * *v + (1.0 - beta2) * g * g;
                *p -= step * *m / (v.sqrt() / sc2 + eps);
            }
        }
        _ => {
            for (i, (p, &g)) in p.iter_mut().zip(g).enumerate() {
                let mut s = [
                    s0.get(i).copied().unwrap_or(0.0),
                    s1.get(i).copied().unwrap_or(0.0),
                ];
                rule.update_scalar(t, p, g, &mut s);
                if let Some(v) = s0.get_mut(i) {
                    *v = s[0];
                }
                if let Some(v) = s1.get_mut(i) {
                    *v = s[1];
                }
            }
        }
    }
}

/// `out[i] = cond[i] != 0 ? a[i] : b[i]`.
pub fn select(cond: &[f32], a: &[f32], b: &[f32], out: &mut [f32]) {
    for (((o, &c), &a), &b) in out.iter_mut().zip(cond).zip(a).zip(b) {
        *o = if c != 0.0 { a } else { b };
    }
}

/// Inverted dropout: `1/keep` where the counter hash of `offset + i` falls below `keep`.
pub fn dropout_mask(out: &mut [f32], seed: u32, offset: u32, keep: f32) {
    let scale = if keep > 0.0 { 1.0 / keep } else { 0.0 };
    for (i, v) in out.iter_mut().enumerate() {
        let u = counter_uniform(seed, offset.wrapping_add(i as u32));
        *v = if u < keep { scale } else { 0.0 };
    }
}

/// Row `r` of `out` is row `indices[r]` of `src` (indices checked by the caller).
pub fn gather_rows(src: &[f32], cols: usize, indices: &[u32], out: &mut [f32]) {
    for (orow, &i) in out.chunks_exact_mut(cols.max(1)).zip(indices) {
        let i = i as usize * cols;
        orow.copy_from_slice(&src[i..i + cols]);
    }
}

/// One-hot rows; a label outside `0..classes` leaves its row zero.
pub fn one_hot(labels: &[f32], classes: usize, out: &mut [f32]) {
    out.fill(0.0);
    for (r, &c) in labels.iter().enumerate() {
        if c >= 0.0 && (c as usize) < classes {
            out[r * classes + c as usize] = 1.0;
        }
    }
}

/// The first index of each row's largest value, as a float.
pub fn argmax(x: &[f32], cols: usize, out: &mut [f32]) {
    for (r, v) in out.iter_mut().enumerate() {
        let row = &x[r * cols..(r + 1) * cols];
        let mut best = 0;
        for (j, &e) in row.iter().enumerate() {
            if e > row[best] {
                best = j;
            }
        }
        *v = best as f32;
    }
}
