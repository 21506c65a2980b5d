//! [`WgpuBackend`]: np-engine's [`Backend`] with every buffer resident on a wgpu device.
//!
//! Ops are recorded, not run: they accumulate in the context's recorder and go to the GPU as one
//! command buffer at the next read or flush. Buffers come from the context's pool and go back to
//! it on `release`, so a steady training loop allocates no device memory.

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
use np_engine::backend::ReadFuture;
use np_engine::backend::{BinaryOp, MatmulDesc, ReduceOp, UnaryOp, UpdateRule, XentKind};
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

    /// A fresh device buffer holding `contents` (its size a pool size class, so it can be
    /// recycled). `queue.write_buffer` into a buffer no recorded command uses yet is ordered
    /// correctly: it lands before the submission that first reads it.
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
        let buffer = self.upload_bytes(bytemuck::cast_slice(data), data.len())?;
        Ok(self.insert(buffer, data.len()))
    }

    fn write(&mut self, buf: BufferId, data: &[f32]) -> Result<()> {
        let dst = self.buf(buf, data.len(), "write")?;
        // Through a fresh buffer and a recorded copy, not queue.write_buffer: the write must land
        // after the ops already recorded against `buf`, and queue writes jump ahead of them.
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

    fn copy(&mut self, src: BufferId, dst: BufferId) -> Result<()> {
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

    fn fill(&mut self, dst: BufferId, value: f32) -> Result<()> {
        let len = self.slot(dst)?.len;
        let b = self.buf(dst, len, "fill")?;
        self.fill_buffer(&b, len, value)
    }

    fn unary(&mut self, op: UnaryOp, x: BufferId, out: BufferId) -> Result<()> {
        let len = self.slot(x)?.len;
        let (xb, ob) = (
            self.buf(x, len, "unary x")?,
            self.buf(out, len, "unary out")?,
        );
        let (code, a, b) = codes::unary(op);
        let p = UnaryParams {
            len: len as u32,
            op: code,
            a,
            b,
            ..Default::default()
        };
        self.record(
            &self.ctx.kernels.unary,
            &p,
            &[&xb, &ob],
            groups_1d(len, WG_1D),
        )
    }

    fn unary_backward(
        &mut self,
        op: UnaryOp,
        x: BufferId,
        y: BufferId,
        dy: BufferId,
        dx: BufferId,
    ) -> Result<()> {
        let len = self.slot(x)?.len;
        let xb = self.buf(x, len, "unary_backward x")?;
        let yb = self.buf(y, len, "unary_backward y")?;
        let dyb = self.buf(dy, len, "unary_backward dy")?;
        let dxb = self.buf(dx, len, "unary_backward dx")?;
        let (code, a, b) = codes::unary(op);
        let p = UnaryParams {
            len: len as u32,
            op: code,
            a,
            b,
            ..Default::default()
        };
        let k = &self.ctx.kernels.unary_backward;
        self.record(k, &p, &[&xb, &yb, &dyb, &dxb], groups_1d(len, WG_1D))
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
        let out_shape = Shape::broadcast(a_shape, b_shape)?;
        let len = out_shape.numel();
        let ab = self.buf(a, a_shape.numel(), "binary a")?;
        let bb = self.buf(b, b_shape.numel(), "binary b")?;
        let ob = self.buf(out, len, "binary out")?;
        let p = BroadcastParams {
            len: len as u32,
            op: codes::binary(op),
            shape: padded_u32(out_shape),
            a_strides: broadcast_strides(a_shape, out_shape),
            b_strides: broadcast_strides(b_shape, out_shape),
            ..Default::default()
        };
        let k = &self.ctx.kernels.binary;
        self.record(k, &p, &[&ab, &bb, &ob], groups_1d(len, WG_1D))
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
        let len = out_shape.numel();
        let xb = self.buf(x, x_shape.numel(), "expand x")?;
        let ob = self.buf(out, len, "expand out")?;
        let p = BroadcastParams {
            len: len as u32,
            shape: padded_u32(out_shape),
            a_strides: broadcast_strides(x_shape, out_shape),
            ..Default::default()
        };
        self.record(
            &self.ctx.kernels.expand,
            &p,
            &[&xb, &ob],
            groups_1d(len, WG_1D),
        )
    }

    fn select(&mut self, cond: BufferId, a: BufferId, b: BufferId, out: BufferId) -> Result<()> {
        let len = self.slot(cond)?.len;
        let cb = self.buf(cond, len, "select cond")?;
        let ab = self.buf(a, len, "select a")?;
        let bb = self.buf(b, len, "select b")?;
        let ob = self.buf(out, len, "select out")?;
        let p = BroadcastParams {
            len: len as u32,
            ..Default::default()
        };
        let k = &self.ctx.kernels.select;
        self.record(k, &p, &[&cb, &ab, &bb, &ob], groups_1d(len, WG_1D))
    }

    fn axpy(&mut self, alpha: f32, x: BufferId, y: BufferId) -> Result<()> {
        let len = self.slot(x)?.len;
        let (xb, yb) = (self.buf(x, len, "axpy x")?, self.buf(y, len, "axpy y")?);
        let p = BroadcastParams {
            len: len as u32,
            alpha,
            ..Default::default()
        };
        self.record(
            &self.ctx.kernels.axpy,
            &p,
            &[&xb, &yb],
            groups_1d(len, WG_1D),
        )
    }

    fn matmul(&mut self, a: BufferId, b: BufferId, out: BufferId, desc: MatmulDesc) -> Result<()> {
        let MatmulDesc { m, k, n, .. } = desc;
        let ab = self.buf(a, m * k, "matmul a")?;
        let bb = self.buf(b, k * n, "matmul b")?;
        let ob = self.buf(out, m * n, "matmul out")?;
        let flags = u32::from(desc.trans_a)
            | u32::from(desc.trans_b) << 1
            | u32::from(desc.accumulate) << 2;
        let p = MatmulParams {
            m: m as u32,
            n: n as u32,
            k: k as u32,
            flags,
        };
        if k <= 16 || n <= 16 {
            // Thin shapes: a thread per output (see matmul.wgsl's matmul_thin).
            let groups = groups_1d(m * n, WG_1D);
            return self.record(&self.ctx.kernels.matmul_thin, &p, &[&ab, &bb, &ob], groups);
        }
        // One workgroup per 64x64 block of the output (see matmul.wgsl).
        let groups = [n.div_ceil(64) as u32, m.div_ceil(64) as u32, 1];
        self.record(&self.ctx.kernels.matmul, &p, &[&ab, &bb, &ob], groups)
    }

    fn reduce(
        &mut self,
        op: ReduceOp,
        x: BufferId,
        shape: Shape,
        axis: Option<usize>,
        out: BufferId,
    ) -> Result<()> {
        let dims = shape.dims();
        let (outer, axis_len, inner) = match axis {
            None => (1, shape.numel(), 1),
            Some(a) => {
                shape.dim(a)?;
                let outer: usize = dims[..a].iter().product();
                let inner: usize = dims[a + 1..].iter().product();
                (outer, dims[a], inner)
            }
        };
        let xb = self.buf(x, shape.numel(), "reduce x")?;
        let ob = self.buf(out, outer * inner, "reduce out")?;
        let p = ReduceParams {
            outer: outer as u32,
            axis_len: axis_len as u32,
            inner: inner as u32,
            op: codes::reduce(op),
        };
        // Short axes: a thread per output; long ones: a workgroup per output (see reduce.wgsl).
        if axis_len <= 64 {
            let k = &self.ctx.kernels.reduce_narrow;
            self.record(k, &p, &[&xb, &ob], groups_1d(outer * inner, WG_1D))
        } else {
            let k = &self.ctx.kernels.reduce_wide;
            self.record(k, &p, &[&xb, &ob], groups_1d(outer * inner, 1))
        }
    }

    fn softmax(
        &mut self,
        x: BufferId,
        out: BufferId,
        rows: usize,
        cols: usize,
        log: bool,
    ) -> Result<()> {
        let xb = self.buf(x, rows * cols, "softmax x")?;
        let ob = self.buf(out, rows * cols, "softmax out")?;
        let p = SoftmaxParams {
            rows: rows as u32,
            cols: cols as u32,
            mode: u32::from(log),
            scale: 1.0,
        };
        let groups = if cols == 0 {
            [0; 3]
        } else {
            groups_1d(rows, 1)
        };
        self.record(&self.ctx.kernels.softmax, &p, &[&xb, &ob], groups)
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
        let yb = self.buf(y, rows * cols, "softmax_backward y")?;
        let dyb = self.buf(dy, rows * cols, "softmax_backward dy")?;
        let dxb = self.buf(dx, rows * cols, "softmax_backward dx")?;
        let p = SoftmaxParams {
            rows: rows as u32,
            cols: cols as u32,
            mode: u32::from(log),
            scale: 1.0,
        };
        let groups = if cols == 0 {
            [0; 3]
        } else {
            groups_1d(rows, 1)
        };
        let k = &self.ctx.kernels.softmax_backward;
        self.record(k, &p, &[&yb, &dyb, &dxb], groups)
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
        let len = rows * cols;
        let xb = self.buf(x, len, "bias_act x")?;
        let bb = self.buf(bias, cols, "bias_act bias")?;
        let ob = self.buf(out, len, "bias_act out")?;
        let (code, a, b) = codes::unary(act);
        let p = UnaryParams {
            len: len as u32,
            op: code,
            a,
            b,
            cols: cols as u32,
            ..Default::default()
        };
        let k = &self.ctx.kernels.bias_act;
        self.record(k, &p, &[&xb, &bb, &ob], groups_1d(len, WG_1D))
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
        let zb = self.buf(logits, rows * cols, "cross_entropy logits")?;
        let tb = self.buf(targets, rows * cols, "cross_entropy targets")?;
        let lb = self.buf(loss, rows, "cross_entropy loss")?;
        let mut p = SoftmaxParams {
            rows: rows as u32,
            cols: cols as u32,
            mode: u32::from(kind == XentKind::Sigmoid),
            scale: 1.0,
        };
        let groups = groups_1d(rows, 1);
        match grad {
            None => self.record(&self.ctx.kernels.xent_loss, &p, &[&zb, &tb, &lb], groups),
            Some((g, scale)) => {
                let gb = self.buf(g, rows * cols, "cross_entropy grad")?;
                p.scale = scale;
                let k = &self.ctx.kernels.xent_loss_grad;
                self.record(k, &p, &[&zb, &tb, &lb, &gb], groups)
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
        let len = self.slot(param)?.len;
        let pb = self.buf(param, len, "optimizer param")?;
        let gb = self.buf(grad, len, "optimizer grad")?;
        if state.len() != rule.state_buffers() {
            return Err(EngineError::BufferLength {
                what: "optimizer state buffers",
                got: state.len(),
                want: rule.state_buffers(),
            });
        }
        let sb = state
            .iter()
            .map(|s| self.buf(*s, len, "optimizer state"))
            .collect::<Result<Vec<_>>>()?;
        let mut p = OptimParams {
            len: len as u32,
            lr: rule.lr(),
            ..Default::default()
        };
        let groups = groups_1d(len, WG_1D);
        let k = &self.ctx.kernels;
        match rule {
            UpdateRule::Sgd {
                momentum, nesterov, ..
            } => {
                if momentum == 0.0 {
                    return self.record(&k.sgd, &p, &[&gb, &pb], groups);
                }
                p.rule = u32::from(nesterov);
                p.a = momentum;
                self.record(&k.one_state, &p, &[&gb, &pb, &sb[0]], groups)
            }
            UpdateRule::AdaGrad { eps, .. } => {
                p.rule = 2;
                p.eps = eps;
                self.record(&k.one_state, &p, &[&gb, &pb, &sb[0]], groups)
            }
            UpdateRule::RmsProp { alpha, eps, .. } => {
                p.rule = 3;
                p.a = alpha;
                p.eps = eps;
                self.record(&k.one_state, &p, &[&gb, &pb, &sb[0]], groups)
            }
            UpdateRule::Adam {
                lr,
                beta1,
                beta2,
                eps,
            } => {
                let (c1, c2) = adam_corrections(beta1, beta2, step);
                p.a = beta1;
                p.b = beta2;
                p.eps = eps;
                p.lr_c1 = lr / c1;
                p.c2_sqrt = c2.sqrt();
                self.record(&k.adam, &p, &[&gb, &pb, &sb[0], &sb[1]], groups)
            }
        }
    }

    fn dropout_mask(&mut self, out: BufferId, seed: u32, offset: u32, keep: f32) -> Result<()> {
        let len = self.slot(out)?.len;
        let ob = self.buf(out, len, "dropout mask")?;
        let p = DropoutParams {
            len: len as u32,
            seed,
            offset,
            keep,
            inv_keep: 1.0 / keep,
            ..Default::default()
        };
        self.record(&self.ctx.kernels.dropout, &p, &[&ob], groups_1d(len, WG_1D))
    }

    fn gather_rows(
        &mut self,
        src: BufferId,
        cols: usize,
        indices: &[u32],
        out: BufferId,
    ) -> Result<()> {
        let src_len = self.slot(src)?.len;
        let n = src_len.checked_div(cols).unwrap_or(0);
        if let Some(&bad) = indices.iter().find(|&&i| i as usize >= n) {
            return Err(EngineError::OutOfRange {
                what: "gather_rows index",
                index: bad as usize,
                limit: n,
            });
        }
        let sb = self.buf(src, src_len, "gather_rows src")?;
        let ob = self.buf(out, indices.len() * cols, "gather_rows out")?;
        if indices.is_empty() || cols == 0 {
            return Ok(());
        }
        let ib = self.upload_bytes(bytemuck::cast_slice(indices), indices.len())?;
        let p = IndexParams {
            rows: indices.len() as u32,
            cols: cols as u32,
            ..Default::default()
        };
        let k = &self.ctx.kernels.gather_rows;
        self.record(
            k,
            &p,
            &[&sb, &ib, &ob],
            groups_1d(indices.len() * cols, WG_1D),
        )
    }

    fn one_hot(&mut self, labels: BufferId, classes: usize, out: BufferId) -> Result<()> {
        let rows = self.slot(labels)?.len;
        let lb = self.buf(labels, rows, "one_hot labels")?;
        let ob = self.buf(out, rows * classes, "one_hot out")?;
        let p = IndexParams {
            rows: rows as u32,
            cols: classes as u32,
            ..Default::default()
        };
        self.record(
            &self.ctx.kernels.one_hot,
            &p,
            &[&lb, &ob],
            groups_1d(rows * classes, WG_1D),
        )
    }

    fn argmax(&mut self, x: BufferId, rows: usize, cols: usize, out: BufferId) -> Result<()> {
        let xb = self.buf(x, rows * cols, "argmax x")?;
        let ob = self.buf(out, rows, "argmax out")?;
        let p = ReduceParams {
            outer: rows as u32,
            axis_len: cols as u32,
            inner: 1,
            op: 0,
        };
        self.record(
            &self.ctx.kernels.argmax,
            &p,
            &[&xb, &ob],
            groups_1d(rows, WG_1D),
        )
    }
}
