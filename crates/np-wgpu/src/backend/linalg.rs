//! Matrix product, reductions, softmax and cross-entropy.

use super::*;

impl WgpuBackend {
    pub(super) fn matmul_op(
        &mut self,
        a: BufferId,
        b: BufferId,
        out: BufferId,
        desc: MatmulDesc,
    ) -> Result<()> {
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

    pub(super) fn reduce_op(
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

    pub(super) fn softmax_op(
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

    pub(super) fn softmax_backward_op(
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

    #[allow(clippy::too_many_arguments)] // the trait method's arguments, forwarded
    pub(super) fn cross_entropy_op(
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
}
