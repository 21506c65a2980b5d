//! The CPU backend: the reference every other backend is tested against, and fast enough to
//! train the course's networks live (cache-blocked matmul, SIMD128 in wasm, no allocation in
//! steady state: released buffers keep their memory and are handed out again).

mod kernels;
pub mod matmul;
mod reference;
mod simd;

pub use reference::ReferenceBackend;

use super::{Backend, BufferId, Call, ReadFuture, UpdateRule};
use crate::error::{EngineError, Result};
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
    fn exec(&mut self, call: Call<'_>) -> Result<()> {
        match call {
            Call::Copy { src, dst } => {
                let n = self.buffer_len(src)?;
                self.run((dst, n), [(src, n, "copy source")], |o, [s], _| {
                    o.copy_from_slice(s)
                })
            }
            Call::Fill { dst, value } => {
                let n = self.buffer_len(dst)?;
                self.run((dst, n), [], |o, [], _| o.fill(value))
            }
            Call::Unary { op, x, out } => {
                let n = self.buffer_len(x)?;
                self.run((out, n), [(x, n, "x")], |o, [x], _| {
                    kernels::unary(op, x, o)
                })
            }
            Call::UnaryBackward { op, x, y, dy, dx } => {
                let n = self.buffer_len(x)?;
                let ins = [(x, n, "x"), (y, n, "y"), (dy, n, "dy")];
                self.run((dx, n), ins, |o, [x, y, dy], _| {
                    kernels::unary_backward(op, x, y, dy, o)
                })
            }
            Call::Binary {
                op,
                a,
                a_shape,
                b,
                b_shape,
                out,
            } => {
                let so = Shape::broadcast(a_shape, b_shape)?;
                let ins = [(a, a_shape.numel(), "a"), (b, b_shape.numel(), "b")];
                self.run((out, so.numel()), ins, |o, [a, b], _| {
                    kernels::binary(op, a, a_shape, b, b_shape, o, so)
                })
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
                let ins = [(x, x_shape.numel(), "x")];
                self.run((out, out_shape.numel()), ins, |o, [x], _| {
                    kernels::expand(x, x_shape, o, out_shape)
                })
            }
            Call::Select { cond, a, b, out } => {
                let n = self.buffer_len(cond)?;
                let ins = [(cond, n, "cond"), (a, n, "a"), (b, n, "b")];
                self.run((out, n), ins, |o, [c, a, b], _| kernels::select(c, a, b, o))
            }
            Call::Axpy { alpha, x, y } => {
                let n = self.buffer_len(x)?;
                self.run((y, n), [(x, n, "x")], |o, [x], _| {
                    o.iter_mut().zip(x).for_each(|(o, &x)| *o += alpha * x)
                })
            }
            Call::Matmul { a, b, out, desc: d } => {
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
            Call::Reduce {
                op,
                x,
                shape,
                axis,
                out,
            } => {
                let out_len = match axis {
                    Some(a) => shape.reduced(a)?.numel(),
                    None => 1,
                };
                let ins = [(x, shape.numel(), "x")];
                self.run((out, out_len), ins, |o, [x], _| {
                    kernels::reduce(op, x, shape, axis, o)
                })
            }
            Call::Softmax {
                x,
                out,
                rows,
                cols,
                log,
            } => {
                let n = rows * cols;
                self.run((out, n), [(x, n, "x")], |o, [x], _| {
                    if cols > 0 {
                        kernels::softmax(x, o, cols, log)
                    }
                })
            }
            Call::SoftmaxBackward {
                y,
                dy,
                dx,
                rows,
                cols,
                log,
            } => {
                let n = rows * cols;
                self.run((dx, n), [(y, n, "y"), (dy, n, "dy")], |o, [y, dy], _| {
                    if cols > 0 {
                        kernels::softmax_backward(y, dy, o, cols, log)
                    }
                })
            }
            Call::BiasAct {
                x,
                bias,
                out,
                rows,
                cols,
                act,
            } => {
                let ins = [(x, rows * cols, "x"), (bias, cols, "bias")];
                self.run((out, rows * cols), ins, |o, [x, b], _| {
                    if cols > 0 {
                        kernels::bias_act(x, b, o, cols, act)
                    }
                })
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
                let n = rows * cols;
                let ins = [(logits, n, "logits"), (targets, n, "targets")];
                if let Some((g, scale)) = grad {
                    // Compute the gradient into its own buffer, then the loss; both passes are
                    // cheap.
                    self.run((g, n), ins, |gv, [z, t], _| {
                        let mut tmp = vec![0.0; rows];
                        kernels::cross_entropy(kind, z, t, cols, &mut tmp, Some((gv, scale)))
                    })?;
                }
                self.run((loss, rows), ins, |l, [z, t], _| {
                    kernels::cross_entropy(kind, z, t, cols, l, None)
                })
            }
            Call::OptimizerStep {
                rule,
                step,
                param,
                grad,
                state,
            } => self.optimizer_step_kernel(rule, step, param, grad, state),
            Call::DropoutMask {
                out,
                seed,
                offset,
                keep,
            } => {
                let n = self.buffer_len(out)?;
                self.run((out, n), [], |o, [], _| {
                    kernels::dropout_mask(o, seed, offset, keep)
                })
            }
            Call::GatherRows {
                src,
                cols,
                indices,
                out,
            } => {
                let n = self.buffer_len(src)?;
                let rows = n.checked_div(cols).unwrap_or(0);
                if let Some(&bad) = indices.iter().find(|&&i| i as usize >= rows) {
                    return Err(EngineError::OutOfRange {
                        what: "gather row",
                        index: bad as usize,
                        limit: rows,
                    });
                }
                let ins = [(src, n, "src")];
                self.run((out, indices.len() * cols), ins, |o, [s], _| {
                    kernels::gather_rows(s, cols, indices, o)
                })
            }
            Call::OneHot {
                labels,
                classes,
                out,
            } => {
                let rows = self.buffer_len(labels)?;
                let ins = [(labels, rows, "labels")];
                self.run((out, rows * classes), ins, |o, [l], _| {
                    kernels::one_hot(l, classes, o)
                })
            }
            Call::Argmax { x, rows, cols, out } => {
                self.run((out, rows), [(x, rows * cols, "x")], |o, [x], _| {
                    kernels::argmax(x, cols, o)
                })
            }
        }
    }
}

impl CpuBackend {
    /// The optimizer step: the state buffers move out of their slots while the kernel runs.
    fn optimizer_step_kernel(
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
}
