//! [`ReferenceBackend`]: every op written the obvious way, the reference that the backend test
//! suite (crates/np-backend-tests) compares every backend with, [`super::CpuBackend`] included.
//! Written from the trait's documentation and the scalar definitions in [`crate::backend::ops`]
//! (`UnaryOp::apply`, `UpdateRule::update_scalar`) and [`crate::rng::counter_uniform`], in f64
//! wherever values are summed. Slow on purpose: no blocking, no SIMD, a fresh `Vec` per op, and
//! none of the CPU backend's kernel code, so the two cannot share a mistake.

use crate::backend::{
    Backend, BufferId, Call, MatmulDesc, ReadFuture, ReduceOp, UpdateRule, XentKind,
};
use crate::error::{EngineError, Result};
use crate::rng::counter_uniform;
use crate::shape::Shape;

/// The plain reference backend. Buffers are `Vec`s; released ids are not reused.
#[derive(Debug, Default)]
pub struct ReferenceBackend {
    bufs: Vec<Option<Vec<f32>>>,
}

impl ReferenceBackend {
    /// An empty backend.
    pub fn new() -> Self {
        Self::default()
    }

    fn get(&self, id: BufferId) -> Result<&Vec<f32>> {
        self.bufs
            .get(id.0 as usize)
            .and_then(Option::as_ref)
            .ok_or(EngineError::UnknownBuffer(id.0))
    }

    /// A copy of an input, which must hold `want` floats.
    fn input(&self, id: BufferId, want: usize, what: &'static str) -> Result<Vec<f32>> {
        let v = self.get(id)?;
        if v.len() != want {
            return Err(EngineError::BufferLength {
                what,
                got: v.len(),
                want,
            });
        }
        Ok(v.clone())
    }

    fn len(&self, id: BufferId) -> Result<usize> {
        Ok(self.get(id)?.len())
    }

    /// Overwrite a buffer with an op's result (of the length the buffer has).
    fn output(&mut self, id: BufferId, data: Vec<f32>) -> Result<()> {
        let b = self
            .bufs
            .get_mut(id.0 as usize)
            .and_then(Option::as_mut)
            .ok_or(EngineError::UnknownBuffer(id.0))?;
        if b.len() != data.len() {
            return Err(EngineError::BufferLength {
                what: "output",
                got: b.len(),
                want: data.len(),
            });
        }
        *b = data;
        Ok(())
    }
}

/// The index into a `shape` tensor of element `i` of the broadcast `out` tensor.
fn index_in(shape: Shape, out: Shape, i: usize) -> usize {
    let (s, o) = (shape.padded4(), out.padded4());
    let mut rem = i;
    let mut coords = [0; 4];
    for d in (0..4).rev() {
        coords[d] = rem % o[d];
        rem /= o[d];
    }
    let mut idx = 0;
    for d in 0..4 {
        idx = idx * s[d] + if s[d] == 1 { 0 } else { coords[d] };
    }
    idx
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn matmul(a: &[f32], b: &[f32], out: &mut [f32], d: MatmulDesc) {
    for i in 0..d.m {
        for j in 0..d.n {
            let mut s = 0.0f64;
            for p in 0..d.k {
                let av = if d.trans_a {
                    a[p * d.m + i]
                } else {
                    a[i * d.k + p]
                };
                let bv = if d.trans_b {
                    b[j * d.k + p]
                } else {
                    b[p * d.n + j]
                };
                s += f64::from(av) * f64::from(bv);
            }
            out[i * d.n + j] += s as f32;
        }
    }
}

fn reduce(op: ReduceOp, x: &[f32], shape: Shape, axis: Option<usize>) -> Vec<f32> {
    let dims = shape.dims();
    let (outer, len, inner) = match axis {
        None => (1, x.len(), 1),
        Some(a) => (
            dims[..a].iter().product(),
            dims[a],
            dims[a + 1..].iter().product(),
        ),
    };
    let mut v = Vec::new();
    for o in 0..outer {
        for i in 0..inner {
            let it = (0..len).map(|j| f64::from(x[(o * len + j) * inner + i]));
            v.push(match op {
                ReduceOp::Sum => it.sum::<f64>() as f32,
                ReduceOp::Mean => (it.sum::<f64>() / len as f64) as f32,
                ReduceOp::Max => it.fold(f64::NEG_INFINITY, f64::max) as f32,
            });
        }
    }
    v
}

fn softmax(x: &[f32], rows: usize, cols: usize, log: bool) -> Vec<f32> {
    let mut v = Vec::new();
    for r in 0..rows {
        let row: Vec<f64> = x[r * cols..(r + 1) * cols]
            .iter()
            .map(|&z| f64::from(z))
            .collect();
        let m = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let lse = m + row.iter().map(|z| (z - m).exp()).sum::<f64>().ln();
        v.extend(row.iter().map(|z| {
            if log {
                (z - lse) as f32
            } else {
                (z - lse).exp() as f32
            }
        }));
    }
    v
}

fn softmax_backward(y: &[f32], dy: &[f32], rows: usize, cols: usize, log: bool) -> Vec<f32> {
    let mut v = Vec::new();
    for r in 0..rows {
        let s = r * cols..(r + 1) * cols;
        if log {
            let sum: f32 = dy[s.clone()].iter().sum();
            v.extend(s.map(|i| dy[i] - y[i].exp() * sum));
        } else {
            let sum: f32 = s.clone().map(|i| dy[i] * y[i]).sum();
            v.extend(s.map(|i| y[i] * (dy[i] - sum)));
        }
    }
    v
}

/// Per-row losses and the unscaled gradient.
fn cross_entropy(
    kind: XentKind,
    z: &[f32],
    t: &[f32],
    rows: usize,
    cols: usize,
) -> (Vec<f32>, Vec<f32>) {
    let mut l = Vec::new();
    let mut g = Vec::new();
    for r in 0..rows {
        let zr: Vec<f64> = z[r * cols..(r + 1) * cols]
            .iter()
            .map(|&v| f64::from(v))
            .collect();
        let tr: Vec<f64> = t[r * cols..(r + 1) * cols]
            .iter()
            .map(|&v| f64::from(v))
            .collect();
        match kind {
            XentKind::Softmax => {
                let m = zr.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let lse = m + zr.iter().map(|v| (v - m).exp()).sum::<f64>().ln();
                l.push((lse - zr.iter().zip(&tr).map(|(a, b)| a * b).sum::<f64>()) as f32);
                g.extend(
                    zr.iter()
                        .zip(&tr)
                        .map(|(a, b)| ((a - lse).exp() - b) as f32),
                );
            }
            XentKind::Sigmoid => {
                let s: f64 = zr
                    .iter()
                    .zip(&tr)
                    .map(|(z, t)| z.max(0.0) - z * t + (-z.abs()).exp().ln_1p())
                    .sum();
                l.push(s as f32);
                g.extend(zr.iter().zip(&tr).map(|(z, t)| (sigmoid(*z) - t) as f32));
            }
        }
    }
    (l, g)
}

impl ReferenceBackend {
    fn optimizer_step(
        &mut self,
        rule: UpdateRule,
        step: u64,
        param: BufferId,
        grad: BufferId,
        state: &[BufferId],
    ) -> Result<()> {
        let n = self.len(param)?;
        if state.len() != rule.state_buffers() {
            return Err(EngineError::BufferLength {
                what: "optimizer state buffers",
                got: state.len(),
                want: rule.state_buffers(),
            });
        }
        let (mut p, g) = (self.input(param, n, "param")?, self.input(grad, n, "grad")?);
        let mut s: Vec<Vec<f32>> = state
            .iter()
            .map(|&s| self.input(s, n, "optimizer state"))
            .collect::<Result<_>>()?;
        for i in 0..n {
            let mut st = [0.0f32; 2];
            for (k, sv) in s.iter().enumerate() {
                st[k] = sv[i];
            }
            rule.update_scalar(step, &mut p[i], g[i], &mut st);
            for (k, sv) in s.iter_mut().enumerate() {
                sv[i] = st[k];
            }
        }
        self.output(param, p)?;
        for (&id, sv) in state.iter().zip(s) {
            self.output(id, sv)?;
        }
        Ok(())
    }
}

impl Backend for ReferenceBackend {
    fn name(&self) -> String {
        "reference".into()
    }
    fn alloc(&mut self, len: usize) -> Result<BufferId> {
        self.upload(&vec![0.0; len])
    }
    fn upload(&mut self, data: &[f32]) -> Result<BufferId> {
        let id = u32::try_from(self.bufs.len())
            .map_err(|_| EngineError::InvalidConfig("more than 2^32 buffers".into()))?;
        self.bufs.push(Some(data.to_vec()));
        Ok(BufferId(id))
    }
    fn write(&mut self, buf: BufferId, data: &[f32]) -> Result<()> {
        self.output(buf, data.to_vec())
    }
    fn release(&mut self, buf: BufferId) {
        if let Some(b) = self.bufs.get_mut(buf.0 as usize) {
            *b = None;
        }
    }
    fn buffer_len(&self, buf: BufferId) -> Result<usize> {
        self.len(buf)
    }
    fn read(&self, buf: BufferId) -> ReadFuture {
        let v = self.get(buf).cloned();
        Box::pin(std::future::ready(v))
    }
    fn exec(&mut self, call: Call<'_>) -> Result<()> {
        match call {
            Call::Copy { src, dst } => {
                let v = self.input(src, self.len(dst)?, "copy source")?;
                self.output(dst, v)
            }
            Call::Fill { dst, value } => {
                let v = vec![value; self.len(dst)?];
                self.output(dst, v)
            }
            Call::Unary { op, x, out } => {
                let x = self.input(x, self.len(x)?, "x")?;
                self.output(out, x.into_iter().map(|x| op.apply(x)).collect())
            }
            Call::UnaryBackward { op, x, y, dy, dx } => {
                let n = self.len(x)?;
                let (x, y, dy) = (
                    self.input(x, n, "x")?,
                    self.input(y, n, "y")?,
                    self.input(dy, n, "dy")?,
                );
                let v = (0..n).map(|i| dy[i] * op.derivative(x[i], y[i])).collect();
                self.output(dx, v)
            }
            Call::Binary {
                op,
                a,
                a_shape,
                b,
                b_shape,
                out,
            } => {
                let o = Shape::broadcast(a_shape, b_shape)?;
                let a = self.input(a, a_shape.numel(), "a")?;
                let b = self.input(b, b_shape.numel(), "b")?;
                let v = (0..o.numel())
                    .map(|i| op.apply(a[index_in(a_shape, o, i)], b[index_in(b_shape, o, i)]))
                    .collect();
                self.output(out, v)
            }
            Call::Expand {
                x,
                x_shape,
                out,
                out_shape,
            } => {
                if Shape::broadcast(x_shape, out_shape)? != out_shape {
                    return Err(EngineError::ShapeMismatch {
                        op: "expand",
                        left: x_shape.dims().to_vec(),
                        right: out_shape.dims().to_vec(),
                    });
                }
                let x = self.input(x, x_shape.numel(), "x")?;
                let v = (0..out_shape.numel())
                    .map(|i| x[index_in(x_shape, out_shape, i)])
                    .collect();
                self.output(out, v)
            }
            Call::Select { cond, a, b, out } => {
                let n = self.len(cond)?;
                let (c, a, b) = (
                    self.input(cond, n, "cond")?,
                    self.input(a, n, "a")?,
                    self.input(b, n, "b")?,
                );
                let v = (0..n)
                    .map(|i| if c[i] != 0.0 { a[i] } else { b[i] })
                    .collect();
                self.output(out, v)
            }
            Call::Axpy { alpha, x, y } => {
                let n = self.len(x)?;
                let (x, mut v) = (self.input(x, n, "x")?, self.input(y, n, "y")?);
                for i in 0..n {
                    v[i] += alpha * x[i];
                }
                self.output(y, v)
            }
            Call::Matmul { a, b, out, desc: d } => {
                let a = self.input(a, d.m * d.k, "matmul a")?;
                let b = self.input(b, d.k * d.n, "matmul b")?;
                let mut o = if d.accumulate {
                    self.input(out, d.m * d.n, "matmul out")?
                } else {
                    vec![0.0; d.m * d.n]
                };
                matmul(&a, &b, &mut o, d);
                self.output(out, o)
            }
            Call::Reduce {
                op,
                x,
                shape,
                axis,
                out,
            } => {
                if let Some(a) = axis {
                    shape.reduced(a)?;
                }
                let x = self.input(x, shape.numel(), "x")?;
                self.output(out, reduce(op, &x, shape, axis))
            }
            Call::Softmax {
                x,
                out,
                rows,
                cols,
                log,
            } => {
                let x = self.input(x, rows * cols, "x")?;
                self.output(out, softmax(&x, rows, cols, log))
            }
            Call::SoftmaxBackward {
                y,
                dy,
                dx,
                rows,
                cols,
                log,
            } => {
                let y = self.input(y, rows * cols, "y")?;
                let dy = self.input(dy, rows * cols, "dy")?;
                self.output(dx, softmax_backward(&y, &dy, rows, cols, log))
            }
            Call::BiasAct {
                x,
                bias,
                out,
                rows,
                cols,
                act,
            } => {
                let x = self.input(x, rows * cols, "x")?;
                let b = self.input(bias, cols, "bias")?;
                let v = (0..rows * cols)
                    .map(|i| act.apply(x[i] + b[i % cols]))
                    .collect();
                self.output(out, v)
            }
            Call::CrossEntropy {
                kind,
                logits,
                targets,
                rows,
                cols,
                loss,
                grad,
            } => {
                let z = self.input(logits, rows * cols, "logits")?;
                let t = self.input(targets, rows * cols, "targets")?;
                let (l, g) = cross_entropy(kind, &z, &t, rows, cols);
                self.output(loss, l)?;
                match grad {
                    Some((id, scale)) => self.output(id, g.iter().map(|v| v * scale).collect()),
                    None => Ok(()),
                }
            }
            Call::OptimizerStep {
                rule,
                step,
                param,
                grad,
                state,
            } => self.optimizer_step(rule, step, param, grad, state),
            Call::DropoutMask {
                out,
                seed,
                offset,
                keep,
            } => {
                let n = self.len(out)? as u32;
                let v = (0..n)
                    .map(|i| {
                        if counter_uniform(seed, offset.wrapping_add(i)) < keep {
                            1.0 / keep
                        } else {
                            0.0
                        }
                    })
                    .collect();
                self.output(out, v)
            }
            Call::GatherRows {
                src,
                cols,
                indices,
                out,
            } => {
                let s = self.get(src)?.clone();
                let rows = s.len().checked_div(cols).unwrap_or(0);
                let mut v = Vec::new();
                for &r in indices {
                    let r = r as usize;
                    if r >= rows {
                        return Err(EngineError::OutOfRange {
                            what: "gather row",
                            index: r,
                            limit: rows,
                        });
                    }
                    v.extend_from_slice(&s[r * cols..(r + 1) * cols]);
                }
                self.output(out, v)
            }
            Call::OneHot {
                labels,
                classes,
                out,
            } => {
                let l = self.get(labels)?.clone();
                let v = l
                    .iter()
                    .flat_map(|&x| (0..classes).map(move |c| f32::from(x == c as f32)))
                    .collect();
                self.output(out, v)
            }
            Call::Argmax { x, rows, cols, out } => {
                let x = self.input(x, rows * cols, "x")?;
                let v = (0..rows)
                    .map(|r| {
                        let row = &x[r * cols..(r + 1) * cols];
                        let mut best = 0;
                        for c in 1..cols {
                            if row[c] > row[best] {
                                best = c;
                            }
                        }
                        best as f32
                    })
                    .collect();
                self.output(out, v)
            }
        }
    }
}
