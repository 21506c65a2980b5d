//! The interface between the engine (graph, optimizers, training) and the kernels.
//!
//! A [`Backend`] owns every buffer; the engine holds only small `Copy` [`BufferId`] handles, so
//! buffers can live on a GPU. Ops are *submitted* synchronously (a GPU backend may only record
//! them into a command encoder) and values come back *asynchronously* through [`Backend::read`],
//! which is immediately ready on the CPU. [`Backend::read_blocking`] is the synchronous helper for
//! CPU-only callers and tests.
//!
//! Conventions shared by every method:
//! - All buffers hold `f32`, row-major. Integer-valued data (class labels, argmax results, masks)
//!   is stored as `f32` holding exact small integers or 0.0/1.0, so one buffer type suffices.
//! - The caller allocates outputs (`alloc`) and passes them in; the op overwrites them
//!   (or adds to them where a method says *accumulate*). Lengths are checked: a wrong length is
//!   [`EngineError::BufferLength`], never out-of-bounds access.
//! - An output may not alias an input unless the method says so (`axpy`, `optimizer_step` work in
//!   place by design). The CPU backend tolerates aliasing but a GPU cannot bind one buffer as both
//!   read and read_write, so callers must not rely on it.
//! - Shapes are passed explicitly (the backend stores lengths, not shapes). "rows x cols" means a
//!   row-major matrix view.
//! - Every scalar definition (the value and derivative of each unary op, the optimizer update
//!   rules, the dropout hash) lives in [`ops`] and [`crate::rng`] as plain Rust functions; a GPU
//!   backend mirrors them in WGSL and is tested against the CPU backend op by op.

pub mod conformance;
pub mod cpu;
pub mod math;
pub mod ops;

use crate::error::{EngineError, Result};
use crate::shape::Shape;
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

pub use ops::{BinaryOp, MatmulDesc, ReduceOp, UnaryOp, UpdateRule, XentKind};

/// A handle to a buffer owned by a backend. Meaningless to any other backend instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BufferId(pub u32);

/// The future a read returns. `'static`: it owns whatever it needs (a staging buffer, a copy).
pub type ReadFuture = Pin<Box<dyn Future<Output = Result<Vec<f32>>>>>;

/// The kernels the engine needs, over buffers that the backend owns. Object safe: the engine
/// uses it as `Box<dyn Backend>` (single-threaded, so no `Send`).
pub trait Backend: std::fmt::Debug {
    /// A short human-readable name (`"cpu"`, `"webgpu: <adapter>"`).
    fn name(&self) -> String;

    // ---- memory -------------------------------------------------------------------------

    /// A new zero-filled buffer of `len` floats. `len` 0 is allowed (an empty buffer).
    fn alloc(&mut self, len: usize) -> Result<BufferId>;
    /// A new buffer holding a copy of `data`.
    fn upload(&mut self, data: &[f32]) -> Result<BufferId>;
    /// Overwrite a whole buffer with `data` (lengths must match).
    fn write(&mut self, buf: BufferId, data: &[f32]) -> Result<()>;
    /// Give a buffer back. Its id may be reused by a later `alloc`. Unknown ids are ignored.
    fn release(&mut self, buf: BufferId);
    /// The length in floats of a live buffer.
    fn buffer_len(&self, buf: BufferId) -> Result<usize>;
    /// Read a whole buffer back to the host. Ops submitted before the call are included, and
    /// the contents are captured at call time: the caller may release or overwrite the buffer
    /// right after calling `read`, before awaiting the future.
    fn read(&self, buf: BufferId) -> ReadFuture;
    /// Read synchronously. The default polls [`Backend::read`] once and returns
    /// [`EngineError::NotReady`] if it is pending, which never happens on the CPU; a native GPU
    /// backend may override it to wait on the device.
    fn read_blocking(&self, buf: BufferId) -> Result<Vec<f32>> {
        poll_once(self.read(buf)).unwrap_or(Err(EngineError::NotReady))
    }
    /// Submit recorded work (a GPU backend may batch until here or until a read). Default no-op.
    fn flush(&mut self) -> Result<()> {
        Ok(())
    }
    /// Copy `src` into `dst` (same length).
    fn copy(&mut self, src: BufferId, dst: BufferId) -> Result<()>;
    /// Set every element of `dst` to `value`.
    fn fill(&mut self, dst: BufferId, value: f32) -> Result<()>;

    // ---- elementwise --------------------------------------------------------------------

    /// `out[i] = op(x[i])`. `x` and `out` have the same length.
    fn unary(&mut self, op: UnaryOp, x: BufferId, out: BufferId) -> Result<()>;
    /// The backward of a unary op: `dx[i] = dy[i] * op'(x[i])`, where the derivative may use
    /// the forward output `y[i] = op(x[i])` (see [`UnaryOp::derivative`]). All four buffers
    /// have the same length.
    fn unary_backward(
        &mut self,
        op: UnaryOp,
        x: BufferId,
        y: BufferId,
        dy: BufferId,
        dx: BufferId,
    ) -> Result<()>;
    /// `out = op(a, b)` with NumPy broadcasting.
    /// # Shapes
    /// `a: a_shape`, `b: b_shape`, `out: Shape::broadcast(a_shape, b_shape)`.
    fn binary(
        &mut self,
        op: BinaryOp,
        a: BufferId,
        a_shape: Shape,
        b: BufferId,
        b_shape: Shape,
        out: BufferId,
    ) -> Result<()>;
    /// Broadcast `x` up to `out_shape` (the gradient of a sum; the value of a bias row).
    /// # Shapes
    /// `x: x_shape` (broadcastable to `out_shape`), `out: out_shape`.
    fn expand(
        &mut self,
        x: BufferId,
        x_shape: Shape,
        out: BufferId,
        out_shape: Shape,
    ) -> Result<()>;
    /// `out[i] = cond[i] != 0 ? a[i] : b[i]` (where / mask). All the same length.
    fn select(&mut self, cond: BufferId, a: BufferId, b: BufferId, out: BufferId) -> Result<()>;
    /// `y += alpha * x`, in place (gradient accumulation). Same length.
    fn axpy(&mut self, alpha: f32, x: BufferId, y: BufferId) -> Result<()>;

    // ---- linear algebra and reductions --------------------------------------------------

    /// `out = op(a) @ op(b)` (or `out += ...` with `desc.accumulate`), where `op` transposes
    /// when the flag is set.
    /// # Shapes
    /// `a: [m, k]` (stored `[k, m]` if `trans_a`), `b: [k, n]` (stored `[n, k]` if `trans_b`),
    /// `out: [m, n]`.
    fn matmul(&mut self, a: BufferId, b: BufferId, out: BufferId, desc: MatmulDesc) -> Result<()>;
    /// Reduce over one axis (kept as size 1) or over everything (`axis: None`, out has length 1).
    /// # Shapes
    /// `x: shape`, `out: shape.reduced(axis)` or `[1]`.
    fn reduce(
        &mut self,
        op: ReduceOp,
        x: BufferId,
        shape: Shape,
        axis: Option<usize>,
        out: BufferId,
    ) -> Result<()>;
    /// Row-wise softmax, or log-softmax when `log`; numerically stable (max subtracted).
    /// # Shapes
    /// `x, out: [rows, cols]`.
    fn softmax(
        &mut self,
        x: BufferId,
        out: BufferId,
        rows: usize,
        cols: usize,
        log: bool,
    ) -> Result<()>;
    /// Backward of [`Backend::softmax`] given its output `y` and the upstream gradient `dy`:
    /// softmax: `dx = y * (dy - sum_j(dy * y))`; log-softmax: `dx = dy - exp(y) * sum_j(dy)`.
    /// # Shapes
    /// `y, dy, dx: [rows, cols]`.
    fn softmax_backward(
        &mut self,
        y: BufferId,
        dy: BufferId,
        dx: BufferId,
        rows: usize,
        cols: usize,
        log: bool,
    ) -> Result<()>;

    // ---- fused neural-network kernels ---------------------------------------------------

    /// `out = act(x + bias)` with the bias row broadcast over rows (a Dense layer's tail).
    /// # Shapes
    /// `x, out: [rows, cols]`, `bias: [cols]`.
    fn bias_act(
        &mut self,
        x: BufferId,
        bias: BufferId,
        out: BufferId,
        rows: usize,
        cols: usize,
        act: UnaryOp,
    ) -> Result<()>;
    /// Cross-entropy from logits, stable, per row; with `grad` also its gradient with respect to
    /// the logits scaled by `grad_scale` (1/rows for a mean loss):
    /// softmax: `loss_r = logsumexp(z_r) - sum_j t_rj z_rj`, `grad = (softmax(z) - t) * scale`;
    /// sigmoid (binary, elementwise, summed over cols):
    /// `loss = max(z,0) - z t + log(1 + exp(-|z|))`, `grad = (sigmoid(z) - t) * scale`.
    /// # Shapes
    /// `logits, targets, grad: [rows, cols]` (targets one-hot or probabilities), `loss: [rows]`.
    #[allow(clippy::too_many_arguments)]
    fn cross_entropy(
        &mut self,
        kind: XentKind,
        logits: BufferId,
        targets: BufferId,
        rows: usize,
        cols: usize,
        loss: BufferId,
        grad: Option<(BufferId, f32)>,
    ) -> Result<()>;
    /// Apply one optimizer step to one parameter tensor, in place, with its state buffers
    /// (`rule.state_buffers()` of them, each as long as the parameter, zero at the start).
    /// `step` counts from 1 (Adam's bias correction).
    fn optimizer_step(
        &mut self,
        rule: UpdateRule,
        step: u64,
        param: BufferId,
        grad: BufferId,
        state: &[BufferId],
    ) -> Result<()>;
    /// Inverted-dropout mask: `out[i] = 1/keep` if [`crate::rng::counter_uniform`]`(seed,
    /// offset + i) < keep`, else 0. Counter based, so every backend produces the same mask.
    fn dropout_mask(&mut self, out: BufferId, seed: u32, offset: u32, keep: f32) -> Result<()>;

    // ---- indexing ------------------------------------------------------------------------

    /// `out[r] = src[indices[r]]` row by row (mini-batch selection).
    /// # Shapes
    /// `src: [n, cols]`, `out: [indices.len(), cols]`; every index `< n`.
    fn gather_rows(
        &mut self,
        src: BufferId,
        cols: usize,
        indices: &[u32],
        out: BufferId,
    ) -> Result<()>;
    /// One-hot encode class labels stored as floats; labels outside `0..classes` give a zero row.
    /// # Shapes
    /// `labels: [rows]`, `out: [rows, classes]`.
    fn one_hot(&mut self, labels: BufferId, classes: usize, out: BufferId) -> Result<()>;
    /// Index of the largest value in each row (first on ties), as a float.
    /// # Shapes
    /// `x: [rows, cols]`, `out: [rows]`.
    fn argmax(&mut self, x: BufferId, rows: usize, cols: usize, out: BufferId) -> Result<()>;
}

/// Poll a future once with a waker that does nothing; `None` if it is pending.
pub fn poll_once<'a, T>(mut fut: Pin<Box<dyn Future<Output = T> + 'a>>) -> Option<T> {
    let mut cx = Context::from_waker(Waker::noop());
    match fut.as_mut().poll(&mut cx) {
        Poll::Ready(v) => Some(v),
        Poll::Pending => None,
    }
}
