//! Optimizer updates, dropout masks and index ops (gather, one-hot, argmax).

use super::*;

impl WgpuBackend {
    pub(super) fn optimizer_step_op(
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

    pub(super) fn dropout_mask_op(
        &mut self,
        out: BufferId,
        seed: u32,
        offset: u32,
        keep: f32,
    ) -> Result<()> {
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

    pub(super) fn gather_rows_op(
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

    pub(super) fn one_hot_op(
        &mut self,
        labels: BufferId,
        classes: usize,
        out: BufferId,
    ) -> Result<()> {
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

    pub(super) fn argmax_op(
        &mut self,
        x: BufferId,
        rows: usize,
        cols: usize,
        out: BufferId,
    ) -> Result<()> {
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
