//! A plain, obviously-correct Rust backend: the reference every GPU kernel is compared with.
//! Written from the trait's documentation and np-engine's scalar definitions (UnaryOp::apply,
//! UpdateRule::update_scalar, rng::counter_uniform), in f64 where sums are involved. Slow on
//! purpose: no blocking, no tricks. Kept beside np-engine's CpuBackend (the tests compare every
//! kernel with both) because it shares none of the CPU backend's blocking or SIMD code.

use np_engine::backend::{
    BinaryOp, MatmulDesc, ReadFuture, ReduceOp, UnaryOp, UpdateRule, XentKind,
};
use np_engine::rng::counter_uniform;
use np_engine::{Backend, BufferId, EngineError, Result, Shape};

#[derive(Debug, Default)]
pub struct RefBackend {
    bufs: Vec<Option<Vec<f32>>>,
}

impl RefBackend {
    pub fn new() -> Self {
        Self::default()
    }
    fn get(&self, id: BufferId) -> Result<&Vec<f32>> {
        self.bufs
            .get(id.0 as usize)
            .and_then(Option::as_ref)
            .ok_or(EngineError::UnknownBuffer(id.0))
    }
    fn get_mut(&mut self, id: BufferId) -> Result<&mut Vec<f32>> {
        self.bufs
            .get_mut(id.0 as usize)
            .and_then(Option::as_mut)
            .ok_or(EngineError::UnknownBuffer(id.0))
    }
    fn v(&self, id: BufferId) -> Result<Vec<f32>> {
        self.get(id).cloned()
    }
    fn set(&mut self, id: BufferId, data: Vec<f32>) -> Result<()> {
        let b = self.get_mut(id)?;
        if b.len() != data.len() {
            return Err(EngineError::BufferLength {
                what: "ref",
                got: b.len(),
                want: data.len(),
            });
        }
        *b = data;
        Ok(())
    }
}

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

impl Backend for RefBackend {
    fn name(&self) -> String {
        "reference".into()
    }
    fn alloc(&mut self, len: usize) -> Result<BufferId> {
        self.upload(&vec![0.0; len])
    }
    fn upload(&mut self, data: &[f32]) -> Result<BufferId> {
        self.bufs.push(Some(data.to_vec()));
        Ok(BufferId((self.bufs.len() - 1) as u32))
    }
    fn write(&mut self, buf: BufferId, data: &[f32]) -> Result<()> {
        self.set(buf, data.to_vec())
    }
    fn release(&mut self, buf: BufferId) {
        if let Some(b) = self.bufs.get_mut(buf.0 as usize) {
            *b = None;
        }
    }
    fn buffer_len(&self, buf: BufferId) -> Result<usize> {
        Ok(self.get(buf)?.len())
    }
    fn read(&self, buf: BufferId) -> ReadFuture {
        let v = self.v(buf);
        Box::pin(async move { v })
    }
    fn copy(&mut self, src: BufferId, dst: BufferId) -> Result<()> {
        let v = self.v(src)?;
        self.set(dst, v)
    }
    fn fill(&mut self, dst: BufferId, value: f32) -> Result<()> {
        self.get_mut(dst)?.iter_mut().for_each(|x| *x = value);
        Ok(())
    }
    fn unary(&mut self, op: UnaryOp, x: BufferId, out: BufferId) -> Result<()> {
        let v = self.v(x)?.iter().map(|&x| op.apply(x)).collect();
        self.set(out, v)
    }
    fn unary_backward(
        &mut self,
        op: UnaryOp,
        x: BufferId,
        y: BufferId,
        dy: BufferId,
        dx: BufferId,
    ) -> Result<()> {
        let (x, y, dy) = (self.v(x)?, self.v(y)?, self.v(dy)?);
        let v = (0..x.len())
            .map(|i| dy[i] * op.derivative(x[i], y[i]))
            .collect();
        self.set(dx, v)
    }
    fn binary(
        &mut self,
        op: BinaryOp,
        a: BufferId,
        a_shape: Shape,
        b: BufferId,
        b_shape: Shape,
        out: BufferId,
    ) -> Result<()> {
        let o = Shape::broadcast(a_shape, b_shape)?;
        let (a, b) = (self.v(a)?, self.v(b)?);
        let v = (0..o.numel())
            .map(|i| op.apply(a[index_in(a_shape, o, i)], b[index_in(b_shape, o, i)]))
            .collect();
        self.set(out, v)
    }
    fn expand(
        &mut self,
        x: BufferId,
        x_shape: Shape,
        out: BufferId,
        out_shape: Shape,
    ) -> Result<()> {
        let x = self.v(x)?;
        let v = (0..out_shape.numel())
            .map(|i| x[index_in(x_shape, out_shape, i)])
            .collect();
        self.set(out, v)
    }
    fn select(&mut self, cond: BufferId, a: BufferId, b: BufferId, out: BufferId) -> Result<()> {
        let (c, a, b) = (self.v(cond)?, self.v(a)?, self.v(b)?);
        let v = (0..c.len())
            .map(|i| if c[i] != 0.0 { a[i] } else { b[i] })
            .collect();
        self.set(out, v)
    }
    fn axpy(&mut self, alpha: f32, x: BufferId, y: BufferId) -> Result<()> {
        let x = self.v(x)?;
        let y = self.get_mut(y)?;
        for i in 0..x.len() {
            y[i] += alpha * x[i];
        }
        Ok(())
    }
    fn matmul(&mut self, a: BufferId, b: BufferId, out: BufferId, d: MatmulDesc) -> Result<()> {
        let (a, b) = (self.v(a)?, self.v(b)?);
        let mut o = if d.accumulate {
            self.v(out)?
        } else {
            vec![0.0; d.m * d.n]
        };
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
                o[i * d.n + j] += s as f32;
            }
        }
        self.set(out, o)
    }
    fn reduce(
        &mut self,
        op: ReduceOp,
        x: BufferId,
        shape: Shape,
        axis: Option<usize>,
        out: BufferId,
    ) -> Result<()> {
        let x = self.v(x)?;
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
        self.set(out, v)
    }
    fn softmax(
        &mut self,
        x: BufferId,
        out: BufferId,
        rows: usize,
        cols: usize,
        log: bool,
    ) -> Result<()> {
        let x = self.v(x)?;
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
        self.set(out, v)
    }
    fn softmax_backward(
        &mut self,
        y: BufferId,
        dy: BufferId,
        dx: BufferId,
        rows: usize,
        cols: usize,
        log: bool,
    ) -> Result<()> {
        let (y, dy) = (self.v(y)?, self.v(dy)?);
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
        self.set(dx, v)
    }
    fn bias_act(
        &mut self,
        x: BufferId,
        bias: BufferId,
        out: BufferId,
        rows: usize,
        cols: usize,
        act: UnaryOp,
    ) -> Result<()> {
        let (x, b) = (self.v(x)?, self.v(bias)?);
        let v = (0..rows * cols)
            .map(|i| act.apply(x[i] + b[i % cols]))
            .collect();
        self.set(out, v)
    }
    fn cross_entropy(
        &mut self,
        kind: XentKind,
        logits: BufferId,
        targets: BufferId,
        rows: usize,
        cols: usize,
        loss: BufferId,
        grad: Option<(BufferId, f32)>,
    ) -> Result<()> {
        let (z, t) = (self.v(logits)?, self.v(targets)?);
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
        self.set(loss, l)?;
        if let Some((gid, scale)) = grad {
            self.set(gid, g.into_iter().map(|v| v * scale).collect())?;
        }
        Ok(())
    }
    fn optimizer_step(
        &mut self,
        rule: UpdateRule,
        step: u64,
        param: BufferId,
        grad: BufferId,
        state: &[BufferId],
    ) -> Result<()> {
        let (mut p, g) = (self.v(param)?, self.v(grad)?);
        let mut s: Vec<Vec<f32>> = state.iter().map(|s| self.v(*s)).collect::<Result<_>>()?;
        for i in 0..p.len() {
            let mut st = [0.0f32; 2];
            for (k, sv) in s.iter().enumerate() {
                st[k] = sv[i];
            }
            rule.update_scalar(step, &mut p[i], g[i], &mut st);
            for (k, sv) in s.iter_mut().enumerate() {
                sv[i] = st[k];
            }
        }
        self.set(param, p)?;
        for (id, sv) in state.iter().zip(s) {
            self.set(*id, sv)?;
        }
        Ok(())
    }
    fn dropout_mask(&mut self, out: BufferId, seed: u32, offset: u32, keep: f32) -> Result<()> {
        let n = self.get(out)?.len();
        let v = (0..n as u32)
            .map(|i| {
                if counter_uniform(seed, offset.wrapping_add(i)) < keep {
                    1.0 / keep
                } else {
                    0.0
                }
            })
            .collect();
        self.set(out, v)
    }
    fn gather_rows(
        &mut self,
        src: BufferId,
        cols: usize,
        indices: &[u32],
        out: BufferId,
    ) -> Result<()> {
        let s = self.v(src)?;
        let v = indices
            .iter()
            .flat_map(|&r| s[r as usize * cols..(r as usize + 1) * cols].to_vec())
            .collect();
        self.set(out, v)
    }
    fn one_hot(&mut self, labels: BufferId, classes: usize, out: BufferId) -> Result<()> {
        let l = self.v(labels)?;
        let v = l
            .iter()
            .flat_map(|&x| (0..classes).map(move |c| if x == c as f32 { 1.0 } else { 0.0 }))
            .collect();
        self.set(out, v)
    }
    fn argmax(&mut self, x: BufferId, rows: usize, cols: usize, out: BufferId) -> Result<()> {
        let x = self.v(x)?;
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
        self.set(out, v)
    }
}
