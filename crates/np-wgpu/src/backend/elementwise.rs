//! Elementwise kernels: unary ops and their backward, broadcasting binary ops, expand,
//! select, axpy, and the fused bias + activation.

use super::*;

impl WgpuBackend {
    pub(super) fn unary_op(&mut self, op: UnaryOp, x: BufferId, out: BufferId) -> Result<()> {
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

    pub(super) fn unary_backward_op(
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

    pub(super) fn binary_op(
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

    pub(super) fn expand_op(
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

    pub(super) fn select_op(
        &mut self,
        cond: BufferId,
        a: BufferId,
        b: BufferId,
        out: BufferId,
    ) -> Result<()> {
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

    pub(super) fn axpy_op(&mut self, alpha: f32, x: BufferId, y: BufferId) -> Result<()> {
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

    pub(super) fn bias_act_op(
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
}
