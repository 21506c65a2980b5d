//! [`WgpuBackend`]: np-engine's [`Backend`] with every buffer resident on a wgpu device.
//!
//! Ops are recorded, not run: they accumulate in the context's recorder and go to the GPU as one
//! command buffer at the next read or flush. Buffers come from the context's pool and go back to
//! it on `release`, so a steady training loop allocates no device memory.

mod elementwise;
mod linalg;
mod training;

use crate::codes;
use crate::context::GpuContext;
use crate::error::GpuError;
use crate::kernels::params::{
    BroadcastParams, DropoutParams, IndexParams, MatmulParams, OptimParams, ReduceParams,
    SoftmaxParams, UnaryParams,
};
use crate::kernels::{groups_1d, Kernel, WG_1D};
use crate::pool::{size_class, STORAGE};
use crate::readback::read_f32;
use np_engine::backend::ops::adam_corrections;
use np_engine::backend::{BinaryOp, MatmulDesc, ReduceOp, UnaryOp, UpdateRule, XentKind};
use np_engine::backend::{Call, ReadFuture};
use np_engine::{Backend, BufferId, EngineError, Result, Shape};
use std::sync::Arc;

impl From<GpuError> for EngineError {
    fn from(e: GpuError) -> Self {
        EngineError::Backend {
            backend: "webgpu".into(),
            message: e.to_string(),
        }
    }
}

/// One live buffer: the device buffer (possibly larger, from the pool) and its length in floats.
#[derive(Debug)]
struct Slot {
    buffer: wgpu::Buffer,
    len: usize,
}

/// The WebGPU backend. Create it from a [`GpuContext`] (asynchronously obtained).
#[derive(Debug)]
pub struct WgpuBackend {
    ctx: Arc<GpuContext>,
    slots: Vec<Option<Slot>>,
    free_ids: Vec<u32>,
}

impl WgpuBackend {
    /// A backend on an open device. Several backends may share one context (tests do).
    pub fn new(ctx: Arc<GpuContext>) -> Self {
        Self {
            ctx,
            slots: Vec::new(),
            free_ids: Vec::new(),
        }
    }

    /// The context this backend records into.
    pub fn context(&self) -> &Arc<GpuContext> {
        &self.ctx
    }

    /// How many command buffers have been submitted so far.
    pub fn submissions(&self) -> u64 {
        self.ctx.recorder.lock().map(|r| r.submissions).unwrap_or(0)
    }

    fn slot(&self, id: BufferId) -> Result<&Slot> {
        self.slots
            .get(id.0 as usize)
            .and_then(Option::as_ref)
            .ok_or(EngineError::UnknownBuffer(id.0))
    }

    fn buf(&self, id: BufferId, want: usize, what: &'static str) -> Result<wgpu::Buffer> {
        let slot = self.slot(id)?;
        if slot.len != want {
            return Err(EngineError::BufferLength {
                what,
                got: slot.len,
                want,
            });
        }
        Ok(slot.buffer.clone())
    }

    fn insert(&mut self, buffer: wgpu::Buffer, len: usize) -> BufferId {
        let slot = Some(Slot { buffer, len });
        match self.free_ids.pop() {
            Some(id) => {
                self.slots[id as usize] = slot;
                BufferId(id)
            }
            None => {
                self.slots.push(slot);
                BufferId((self.slots.len() - 1) as u32)
            }
        }
    }

    fn check_size(&self, len: usize) -> Result<u64> {
        let bytes = size_class((len * 4) as u64);
        let limit = self
            .ctx
            .device
            .limits()
            .max_storage_buffer_binding_size
            .min(self.ctx.device.limits().max_buffer_size);
        if bytes > limit {
            return Err(GpuError::TooLarge { bytes, limit }.into());
        }
        Ok(bytes)
    }

    /// A fresh device buffer holding `contents`, the source of a write's recorded copy; dropped
    /// by the caller (wgpu keeps it until the copy has run). `queue.write_buffer` into a buffer
    /// no recorded command uses yet is ordered correctly: it lands before the submission that
    /// first reads it.
    fn upload_bytes(&self, contents: &[u8], len: usize) -> Result<wgpu::Buffer> {
        let bytes = self.check_size(len)?;
        self.ctx.check()?;
        let buffer = self.ctx.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("np-wgpu upload"),
            size: bytes,
            usage: STORAGE,
            mapped_at_creation: false,
        });
        let whole = contents.len() / 4 * 4; // always all of it: f32 and u32 data
        if whole > 0 {
            self.ctx.queue.write_buffer(&buffer, 0, &contents[..whole]);
        }
        Ok(buffer)
    }

    fn record<P: bytemuck::Pod>(
        &self,
        kernel: &Kernel,
        params: &P,
        buffers: &[&wgpu::Buffer],
        groups: [u32; 3],
    ) -> Result<()> {
        // A GPU cannot bind one buffer as both an input and an output of a dispatch (the trait
        // forbids relying on it; the CPU tolerates it). Refuse here, as the caller's mistake,
        // rather than let wgpu fail the whole submission later.
        let outputs = &buffers[kernel.first_output..];
        for (i, b) in buffers.iter().enumerate() {
            if outputs
                .iter()
                .enumerate()
                .any(|(j, o)| kernel.first_output + j != i && o == b)
            {
                return Err(EngineError::InvalidConfig(format!(
                    "{}: an output buffer is also bound as another input or output",
                    kernel.label
                )));
            }
        }
        self.ctx.check()?;
        let mut rec = self
            .ctx
            .recorder
            .lock()
            .map_err(|_| GpuError::Device("recorder poisoned".into()))?;
        rec.dispatch(kernel, bytemuck::bytes_of(params), buffers, groups);
        Ok(())
    }

    /// A new `[res * res, 2]` buffer of grid points computed on the device (see `grid.rs`).
    pub(crate) fn grid_points(&mut self, spec: crate::grid::GridSpec) -> Result<BufferId> {
        let n = spec.res * spec.res;
        let id = self.alloc(2 * n)?;
        let ob = self.buf(id, 2 * n, "grid points")?;
        let p = IndexParams {
            cols: spec.res as u32,
            x0: spec.x0,
            x1: spec.x1,
            y0: spec.y0,
            y1: spec.y1,
            ..Default::default()
        };
        self.record(
            &self.ctx.kernels.grid_points,
            &p,
            &[&ob],
            groups_1d(n, WG_1D),
        )?;
        Ok(id)
    }

    fn copy_op(&mut self, src: BufferId, dst: BufferId) -> Result<()> {
        let len = self.slot(src)?.len;
        let (s, d) = (
            self.buf(src, len, "copy src")?,
            self.buf(dst, len, "copy dst")?,
        );
        self.ctx.check()?;
        if let Ok(mut rec) = self.ctx.recorder.lock() {
            rec.copy(&s, &d, (len * 4) as u64);
        }
        Ok(())
    }

    fn fill_op(&mut self, dst: BufferId, value: f32) -> Result<()> {
        let len = self.slot(dst)?.len;
        let b = self.buf(dst, len, "fill")?;
        self.fill_buffer(&b, len, value)
    }

    fn fill_buffer(&self, buffer: &wgpu::Buffer, len: usize, value: f32) -> Result<()> {
        let p = BroadcastParams {
            len: len as u32,
            value,
            ..Default::default()
        };
        self.record(&self.ctx.kernels.fill, &p, &[buffer], groups_1d(len, WG_1D))
    }
}

/// Strides of `shape` (padded to rank 4) inside the index space of `out` (same rank 4 padding),
/// 0 along dimensions where `shape` has size 1 and is broadcast.
fn broadcast_strides(shape: Shape, out: Shape) -> [u32; 4] {
    let (s, o) = (shape.padded4(), out.padded4());
    let mut strides = [0u32; 4];
    let mut step = 1usize;
    for d in (0..4).rev() {
        strides[d] = if s[d] == 1 && o[d] != 1 {
            0
        } else {
            step as u32
        };
        step *= s[d];
    }
    strides
}

fn padded_u32(shape: Shape) -> [u32; 4] {
    shape.padded4().map(|d| d as u32)
}

impl Drop for WgpuBackend {
    /// Buffers still live go back to the pool (the context outlives the backend when shared).
    fn drop(&mut self) {
        for slot in self.slots.drain(..).flatten() {
            self.ctx.pool.give(slot.buffer);
        }
    }
}

impl Backend for WgpuBackend {
    fn name(&self) -> String {
        format!("webgpu: {}", self.ctx.adapter())
    }
    fn alloc(&mut self, len: usize) -> Result<BufferId> {
        let bytes = self.check_size(len)?;
        let buffer = self.ctx.pool.take(&self.ctx.device, bytes, STORAGE);
        self.fill_buffer(&buffer, len, 0.0)?;
        Ok(self.insert(buffer, len))
    }
    fn upload(&mut self, data: &[f32]) -> Result<BufferId> {
        self.ctx.check()?;
        // A pooled buffer (released ones are reused, so repeated uploads do not pile up idle
        // buffers), filled like `write`.
        let bytes = self.check_size(data.len())?;
        let buffer = self.ctx.pool.take(&self.ctx.device, bytes, STORAGE);
        let id = self.insert(buffer, data.len());
        self.write(id, data)?;
        Ok(id)
    }
    fn write(&mut self, buf: BufferId, data: &[f32]) -> Result<()> {
        if data.is_empty() {
            return self.buf(buf, 0, "write").map(drop);
        }
        let dst = self.buf(buf, data.len(), "write")?;
        // Through a fresh buffer and a recorded copy, not queue.write_buffer: the write must land
        // after the ops already recorded against `buf` (a pooled buffer may still be used by
        // them), and queue writes jump ahead of them.
        let src = self.upload_bytes(bytemuck::cast_slice(data), data.len())?;
        self.ctx.check()?;
        if let Ok(mut rec) = self.ctx.recorder.lock() {
            rec.copy(&src, &dst, (data.len() * 4) as u64);
        }
        Ok(())
    }
    fn release(&mut self, buf: BufferId) {
        if let Some(slot) = self.slots.get_mut(buf.0 as usize).and_then(Option::take) {
            self.ctx.pool.give(slot.buffer);
            self.free_ids.push(buf.0);
        }
    }
    fn buffer_len(&self, buf: BufferId) -> Result<usize> {
        Ok(self.slot(buf)?.len)
    }
    fn read(&self, buf: BufferId) -> ReadFuture {
        let slot = match self.slot(buf) {
            Ok(s) => (s.buffer.clone(), s.len),
            Err(e) => return Box::pin(async move { Err(e) }),
        };
        let fut = read_f32(Arc::clone(&self.ctx), slot.0, slot.1);
        Box::pin(async move { fut.await.map_err(EngineError::from) })
    }
    fn flush(&mut self) -> Result<()> {
        Ok(self.ctx.flush()?)
    }
    fn exec(&mut self, call: Call<'_>) -> Result<()> {
        match call {
            Call::Copy { src, dst } => self.copy_op(src, dst),
            Call::Fill { dst, value } => self.fill_op(dst, value),
            Call::Unary { op, x, out } => self.unary_op(op, x, out),
            Call::UnaryBackward { op, x, y, dy, dx } => self.unary_backward_op(op, x, y, dy, dx),
            Call::Binary {
                op,
                a,
                a_shape,
                b,
                b_shape,
                out,
            } => self.binary_op(op, a, a_shape, b, b_shape, out),
            Call::Expand {
                x,
                x_shape,
                out,
                out_shape,
            } => self.expand_op(x, x_shape, out, out_shape),
            Call::Select { cond, a, b, out } => self.select_op(cond, a, b, out),
            Call::Axpy { alpha, x, y } => self.axpy_op(alpha, x, y),
            Call::Matmul { a, b, out, desc } => self.matmul_op(a, b, out, desc),
            Call::Reduce {
                op,
                x,
                shape,
                axis,
                out,
            } => self.reduce_op(op, x, shape, axis, out),
            Call::Softmax {
                x,
                out,
                rows,
                cols,
                log,
            } => self.softmax_op(x, out, rows, cols, log),
            Call::SoftmaxBackward {
                y,
                dy,
                dx,
                rows,
                cols,
                log,
            } => self.softmax_backward_op(y, dy, dx, rows, cols, log),
            Call::BiasAct {
                x,
                bias,
                out,
                rows,
                cols,
                act,
            } => self.bias_act_op(x, bias, out, rows, cols, act),
            Call::CrossEntropy {
                kind,
                logits,
                targets,
                rows,
                cols,
                loss,
                grad,
            } => self.cross_entropy_op(kind, logits, targets, rows, cols, loss, grad),
            Call::OptimizerStep {
                rule,
                step,
                param,
                grad,
                state,
            } => self.optimizer_step_op(rule, step, param, grad, state),
            Call::DropoutMask {
                out,
                seed,
                offset,
                keep,
            } => self.dropout_mask_op(out, seed, offset, keep),
            Call::GatherRows {
                src,
                cols,
                indices,
                out,
            } => self.gather_rows_op(src, cols, indices, out),
            Call::OneHot {
                labels,
                classes,
                out,
            } => self.one_hot_op(labels, classes, out),
            Call::Argmax { x, rows, cols, out } => self.argmax_op(x, rows, cols, out),
        }
    }
}
