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
//!   backend mirrors them in WGSL. Every backend passes one test suite (crates/np-backend-tests),
//!   op by op against [`cpu::ReferenceBackend`].
//!
//! The ops are listed once, in [`call`]; a backend implements one op method, [`Backend::exec`].

pub mod call;
pub mod cpu;
pub mod math;
pub mod ops;

use crate::error::{EngineError, Result};
use crate::shape::Shape;
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use call::call_methods;
pub use call::{Call, CallRecord};
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
    // ---- ops ----------------------------------------------------------------------------

    /// Run one op. The op methods below (`matmul`, `unary`, ...: one per op of the list in
    /// [`call`]) each build a [`Call`] and come here, so a backend implements this one method
    /// for all of them, with one match arm per op.
    fn exec(&mut self, call: Call<'_>) -> Result<()>;

    call::backend_ops!(call_methods);
}

/// Poll a future once with a waker that does nothing; `None` if it is pending.
pub fn poll_once<'a, T>(mut fut: Pin<Box<dyn Future<Output = T> + 'a>>) -> Option<T> {
    let mut cx = Context::from_waker(Waker::noop());
    match fut.as_mut().poll(&mut cx) {
        Poll::Ready(v) => Some(v),
        Poll::Pending => None,
    }
}
