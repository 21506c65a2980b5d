//! The CPU backend: the reference every other backend is tested against, and fast enough to
//! train the course's networks live (cache-blocked matmul, SIMD128 in wasm, no allocation in
//! steady state: released buffers keep their memory and are handed out again).

mod kernels;
pub mod matmul;
mod simd;

use super::{
    Backend, BinaryOp, BufferId, MatmulDesc, ReadFuture, ReduceOp, UnaryOp, UpdateRule, XentKind,
};
use crate::error::{EngineError, Result};
use crate::rng::counter_uniform;
use crate::shape::Shape;
use matmul::MatmulScratch;

/// Buffers in host memory. Ids index `slots`; released slots keep their allocation for reuse.
#[derive(Debug, Default)]
pub struct CpuBackend {
    slots: Vec<Vec<f32>>,
    live: Vec<bool>,
    free: Vec<u32>,
    scratch: MatmulScratch,
    /// Use the reference matmul instead of the blocked one (for benchmarks and checks).
    reference_matmul: bool,
}

/// What a kernel call expects of one input buffer.
type Input = (BufferId, usize, &'static str);

impl CpuBackend {
    /// An empty backend.
    pub fn new() -> Self {
        Self::default()
    }
    /// A backend whose matmul is the plain triple loop (the naive baseline of the benchmarks).
    pub fn with_reference_matmul() -> Self {
        Self {
            reference_matmul: true,
            ..Self::default()
        }
    }
    /// Number of live buffers (leak checks in tests).
    pub fn live_buffers(&self) -> usize {
        self.live.iter().filter(|&&l| l).count()
    }
    /// Borrow a live buffer's contents directly (CPU-only callers).
    pub fn slice(&self, id: BufferId) -> Result<&[f32]> {
        let i = id.0 as usize;
        match self.live.get(i) {
            Some(true) => Ok(&self.slots[i]),
            _ => Err(EngineError::UnknownBuffer(id.0)),
        }
    }
    fn check(&self, id: BufferId, want: usize, what: &'static str) -> Result<()> {
        let got = self.slice(id)?.len();
        if got != want {
            return Err(EngineError::BufferLength { what, got, want });
        }
        Ok(())
    }
    /// Run `f(out, inputs)` after checking every length. `out` is moved out of its slot while
    /// `f` runs; an input that aliases `out` is given a copy of its old contents.
    fn run<const N: usize>(
        &mut self,
        out: (BufferId, usize),
        ins: [Input; N],
        f: impl FnOnce(&mut [f32], [&[f32]; N], &mut MatmulScratch),
    ) -> Result<()> {
        self.check(out.0, out.1, "output")?;
        for (id, len, what) in ins {
            self.check(id, len, what)?;
        }
        let oi = out.0 .0 as usize;
        let mut o = std::mem::take(&mut self.slots[oi]);
        let alias = ins.iter().any(|i| i.0 == out.0).then(|| o.clone());
        let slots = &self.slots;
        let slices = ins.map(|(id, _, _)| match &alias {
            Some(a) if id == out.0 => &a[..],
            _ => &slots[id.0 as usize][..],
        });
        f(&mut o, slices, &mut self.scratch);
        self.slots[oi] = o;
        Ok(())
    }
}

impl Backend for CpuBackend {
    fn name(&self) -> String {
        "cpu".into()
    }
    fn alloc(&mut self, len: usize) -> Result<BufferId> {
        if let Some(id) = self.free.pop() {
            let v = &mut self.slots[id as usize];
            v.clear();
            v.resize(len, 0.0);
            self.live[id as usize] = true;
            return Ok(BufferId(id));
        }
        let id = u32::try_from(self.slots.len())
            .map_err(|_| EngineError::InvalidConfig("more than 2^32 buffers".into()))?;
        self.slots.push(vec![0.0; len]);
        self.live.push(true);
        Ok(BufferId(id))
    }
    fn upload(&mut self, data: &[f32]) -> Result<BufferId> {
        let id = self.alloc(0)?;
        self.slots[id.0 as usize].extend_from_slice(data);
        Ok(id)
    }
    fn write(&mut self, buf: BufferId, data: &[f32]) -> Result<()> {
        self.check(buf, data.len(), "write")?;
        self.slots[buf.0 as usize].copy_from_slice(data);
        Ok(())
    }
    fn release(&mut self, buf: BufferId) {
        if let Some(l) = self.live.get_mut(buf.0 as usize) {
            if *l {
                *l = false;
                self.free.push(buf.0);
            }
        }
    }
    fn buffer_len(&self, buf: BufferId) -> Result<usize> {
        Ok(self.slice(buf)?.len())
    }
    fn read(&self, buf: BufferId) -> ReadFuture {
        let r = self.slice(buf).map(<[f32]>::to_vec);
        Box::pin(std::future::ready(r))
    }
    fn copy(&mut self, src: BufferId, dst: BufferId) -> Result<()> {
        let n = self.buffer_len(src)?;
        self.run((dst, n), [(src, n, "copy source")], |o, [s], _| {
            o.copy_from_slice(s)
        })
    }
    fn fill(&mut self, dst: BufferId, value: f32) -> Result<()> {
        let n = self.buffer_len(dst)?;
        self.run((dst, n), [], |o, [], _| o.fill(value))
    }
    fn unary(&mut self, op: UnaryOp, x: BufferId, out: BufferId) -> Result<()> {
        let n = self.buffer_len(x)?;
        self.run((out, n), [(x, n, "x")], |o, [x], _| {
            kernels::unary(op, x, o)
        })
    }
    fn unary_backward(
        &mut self,
        op: UnaryOp,
        x: BufferId,
        y: BufferId,
        dy: BufferId,
        dx: BufferId,
    ) -> Result<()> {
        let n = self.buffer_len(x)?;
        let ins = [(x, n, "x"), (y, n, "y"), (dy, n, "dy")];
        self.run((dx, n), ins, |o, [x, y, dy], _| {
            kernels::unary_backward(op, x, y, dy, o)
        })
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
        let so = Shape::broadcast(a_shape, b_shape)?;
        let ins = [(a, a_shape.numel(), "a"), (b, b_shape.numel(), "b")];
        self.run((out, so.numel()), ins, |o, [a, b], _| {
            kernels::binary(op, a, a_shape, b, b_shape, o, so)
        })
    }
    fn expand(
        &mut self,
        x: BufferId,
        x_shape: Shape,
        out: BufferId,
        out_shape: Shape,
    ) -> Result<()> {
        if Shape::broadcast(x_shape, out_shape)? != out_shape {
            return Err(EngineError::ShapeMismatch {
                op: "expand",
                left: x_shape.dims().to_vec(),
                right: out_shape.dims().to_vec(),
            });
        }
        let ins = [(x, x_shape.numel(), "x")];
        self.run((out, out_shape.numel()), ins, |o, [x], _| {
            kernels::expand(x, x_shape, o, out_shape)
        })
    }
    fn select(&mut self, cond: BufferId, a: BufferId, b: BufferId, out: BufferId) -> Result<()> {
        let n = self.buffer_len(cond)?;
        let ins = [(cond, n, "cond"), (a, n, "a"), (b, n, "b")];
        self.run((out, n), ins, |o, [c, a, b], _| {
            for (((o, &c), &a), &b) in o.iter_mut().zip(c).zip(a).zip(b) {
                *o = if c != 0.0 { a } else { b };
            }
        })
    }
    fn axpy(&mut self, alpha: f32, x: BufferId, y: BufferId) -> Result<()> {
        let n = self.buffer_len(x)?;
        self.run((y, n), [(x, n, "x")], |o, [x], _| {
            o.iter_mut().zip(x).for_each(|(o, &x)| *o += alpha * x)
        })
    }
    fn matmul(&mut self, a: BufferId, b: BufferId, out: BufferId, d: MatmulDesc) -> Result<()> {
        let reference = self.reference_matmul;
        let ins = [(a, d.m * d.k, "matmul a"), (b, d.k * d.n, "matmul b")];
        self.run((out, d.m * d.n), ins, |o, [a, b], scratch| {
            if reference {
                matmul::matmul_reference(a, b, o, d)
            } else {
                matmul::matmul_blocked(a, b, o, d, scratch)
            }
        })
    }
    fn reduce(
        &mut self,
        op: ReduceOp,
        x: BufferId,
        shape: Shape,
        axis: Option<usize>,
        out: BufferId,
    ) -> Result<()> {
        let out_len = match axis {
            Some(a) => shape.reduced(a)?.numel(),
            None => 1,
        };
        let ins = [(x, shape.numel(), "x")];
        self.run((out, out_len), ins, |o, [x], _| {
            kernels::reduce(op, x, shape, axis, o)
        })
    }
    fn softmax(
        &mut self,
        x: BufferId,
        out: BufferId,
        rows: usize,
        cols: usize,
        log: bool,
    ) -> Result<()> {
        let n = rows * cols;
        self.run((out, n), [(x, n, "x")], |o, [x], _| {
            if cols > 0 {
                kernels::softmax(x, o, cols, log)
            }
        })
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
        let n = rows * cols;
        self.run((dx, n), [(y, n, "y"), (dy, n, "dy")], |o, [y, dy], _| {
            if cols > 0 {
                kernels::softmax_backward(y, dy, o, cols, log)
            }
        })
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
        let ins = [(x, rows * cols, "x"), (bias, cols, "bias")];
        self.run((out, rows * cols), ins, |o, [x, b], _| {
            if cols > 0 {
                kernels::bias_act(x, b, o, cols, act)
            }
        })
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
        let n = rows * cols;
        let ins = [(logits, n, "logits"), (targets, n, "targets")];
        match grad {
            None => self.run((loss, rows), ins, |l, [z, t], _| {
                kernels::cross_entropy(kind, z, t, cols, l, None)
            }),
            Some((g, scale)) => {
                // Compute the gradient into its own buffer, then the loss; both passes are cheap.
                self.run((g, n), ins, |gv, [z, t], _| {
                    let mut tmp = vec![0.0; rows];
                    kernels::cross_entropy(kind, z, t, cols, &mut tmp, Some((gv, scale)))
                })?;
                self.run((loss, rows), ins, |l, [z, t], _| {
                    kernels::cross_entropy(kind, z, t, cols, l, None)
                })
            }
        }
    }
    fn optimizer_step(
        &mut self,
        rule: UpdateRule,
        step: u64,
        param: BufferId,
        grad: BufferId,
        state: &[BufferId],
    ) -> Result<()> {
        let n = self.buffer_len(param)?;
        if state.len() != rule.state_buffers() {
            return Err(EngineError::BufferLength {
                what: "optimizer state buffers",
                got: state.len(),
                want: rule.state_buffers(),
            });
        }
        let mut st: [Vec<f32>; 2] = [Vec::new(), Vec::new()];
        for (s, &id) in st.iter_mut().zip(state) {
            self.check(id, n, "optimizer state")?;
            *s = std::mem::take(&mut self.slots[id.0 as usize]);
        }
        let [mut s0, mut s1] = st;
        let r = self.run((param, n), [(grad, n, "grad")], |p, [g], _| {
            kernels::optimizer_step(rule, step, p, g, &mut s0, &mut s1)
        });
        for (s, &id) in [s0, s1].into_iter().zip(state) {
            self.slots[id.0 as usize] = s;
        }
        r
    }
    fn dropout_mask(&mut self, out: BufferId, seed: u32, offset: u32, keep: f32) -> Result<()> {
        let n = self.buffer_len(out)?;
        let scale = if keep > 0.0 { 1.0 / keep } else { 0.0 };
        self.run((out, n), [], |o, [], _| {
            for (i, v) in o.iter_mut().enumerate() {
                let u = counter_uniform(seed, offset.wrapping_add(i as u32));
                *v = if u < keep { scale } else { 0.0 };
            }
        })
    }
    fn gather_rows(
        &mut self,
        src: BufferId,
        cols: usize,
        indices: &[u32],
        out: BufferId,
    ) -> Result<()> {
        let n = self.buffer_len(src)?;
        let rows = n.checked_div(cols).unwrap_or(0);
        if let Some(&bad) = indices.iter().find(|&&i| i as usize >= rows) {
            return Err(EngineError::OutOfRange {
                what: "gather row",
                index: bad as usize,
                limit: rows,
            });
        }
        self.run(
            (out, indices.len() * cols),
            [(src, n, "src")],
            |o, [s], _| {
                for (orow, &i) in o.chunks_exact_mut(cols.max(1)).zip(indices) {
                    let i = i as usize * cols;
                    orow.copy_from_slice(&s[i..i + cols]);
                }
            },
        )
    }
    fn one_hot(&mut self, labels: BufferId, classes: usize, out: BufferId) -> Result<()> {
        let rows = self.buffer_len(labels)?;
        self.run(
            (out, rows * classes),
            [(labels, rows, "labels")],
            |o, [l], _| {
                o.fill(0.0);
                for (r, &c) in l.iter().enumerate() {
                    if c >= 0.0 && (c as usize) < classes {
                        o[r * classes + c as usize] = 1.0;
                    }
                }
            },
        )
    }
    fn argmax(&mut self, x: BufferId, rows: usize, cols: usize, out: BufferId) -> Result<()> {
        self.run((out, rows), [(x, rows * cols, "x")], |o, [x], _| {
            for (r, v) in o.iter_mut().enumerate() {
                let row = &x[r * cols..(r + 1) * cols];
                let mut best = 0;
                for (j, &e) in row.iter().enumerate() {
                    if e > row[best] {
                        best = j;
                    }
                }
                *v = best as f32;
            }
        })
    }
}
