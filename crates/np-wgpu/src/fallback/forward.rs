//! [`FallbackBackend`] as a [`Backend`]: every state-changing call becomes a [`Call`] (run on
//! the active backend and, on the GPU, journaled); reads go to the active backend and, if the
//! GPU fails them, fall back and read again from the CPU.

use super::FallbackBackend;
use crate::journal::Call;
use np_engine::backend::{
    BinaryOp, MatmulDesc, ReadFuture, ReduceOp, UnaryOp, UpdateRule, XentKind,
};
use np_engine::{Backend, BufferId, EngineError, Result, Shape};
use std::rc::Rc;

impl Backend for FallbackBackend {
    fn name(&self) -> String {
        let st = self.st.borrow();
        match (&st.gpu, &st.cpu) {
            (Some(g), _) => g.name(),
            (None, Some(c)) => c.name(),
            _ => "none".into(),
        }
    }
    fn alloc(&mut self, len: usize) -> Result<BufferId> {
        let id = self.st.borrow_mut().new_id(len);
        self.run(Call::Alloc { id, len }).map(|()| BufferId(id))
    }
    fn upload(&mut self, data: &[f32]) -> Result<BufferId> {
        let id = self.st.borrow_mut().new_id(data.len());
        let data: Rc<[f32]> = data.into();
        self.run(Call::Upload { id, data }).map(|()| BufferId(id))
    }
    fn write(&mut self, buf: BufferId, data: &[f32]) -> Result<()> {
        self.run(Call::Write {
            id: buf.0,
            data: data.into(),
        })
    }
    fn release(&mut self, buf: BufferId) {
        let known = self.st.borrow_mut().lens.remove(&buf.0).is_some();
        if known {
            let _ = self.run(Call::Release { id: buf.0 });
            let mut st = self.st.borrow_mut();
            st.free.push(buf.0);
            if st.lens.is_empty() {
                st.forget();
            }
        }
    }
    fn buffer_len(&self, buf: BufferId) -> Result<usize> {
        self.st
            .borrow()
            .lens
            .get(&buf.0)
            .copied()
            .ok_or(EngineError::UnknownBuffer(buf.0))
    }
    fn read(&self, buf: BufferId) -> ReadFuture {
        let started = {
            let mut st = self.st.borrow_mut();
            let on_gpu = st.gpu.is_some();
            let inner = st.ids.get(buf.0);
            inner
                .and_then(|i| st.active().map(|b| b.read(i)))
                .map(|f| (f, on_gpu))
        };
        let st = Rc::clone(&self.st);
        Box::pin(async move {
            let (fut, on_gpu) = started?;
            match fut.await {
                Err(e @ EngineError::Backend { .. }) if on_gpu => {
                    let retry = {
                        let mut s = st.borrow_mut();
                        s.fall_back(&e)?;
                        let inner = s.ids.get(buf.0)?;
                        s.active()?.read(inner)
                    };
                    retry.await
                }
                other => other,
            }
        })
    }
    fn flush(&mut self) -> Result<()> {
        let mut st = self.st.borrow_mut();
        let r = st.active().and_then(|b| b.flush());
        match r {
            Err(e @ EngineError::Backend { .. }) if st.gpu.is_some() => st.fall_back(&e),
            other => other,
        }
    }
    fn copy(&mut self, src: BufferId, dst: BufferId) -> Result<()> {
        self.run(Call::Copy {
            src: src.0,
            dst: dst.0,
        })
    }
    fn fill(&mut self, dst: BufferId, value: f32) -> Result<()> {
        self.run(Call::Fill { dst: dst.0, value })
    }
    fn unary(&mut self, op: UnaryOp, x: BufferId, out: BufferId) -> Result<()> {
        self.run(Call::Unary {
            op,
            x: x.0,
            out: out.0,
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
        self.run(Call::UnaryBackward {
            op,
            x: x.0,
            y: y.0,
            dy: dy.0,
            dx: dx.0,
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
        self.run(Call::Binary {
            op,
            a: a.0,
            a_shape,
            b: b.0,
            b_shape,
            out: out.0,
        })
    }
    fn expand(
        &mut self,
        x: BufferId,
        x_shape: Shape,
        out: BufferId,
        out_shape: Shape,
    ) -> Result<()> {
        self.run(Call::Expand {
            x: x.0,
            x_shape,
            out: out.0,
            out_shape,
        })
    }
    fn select(&mut self, cond: BufferId, a: BufferId, b: BufferId, out: BufferId) -> Result<()> {
        self.run(Call::Select {
            cond: cond.0,
            a: a.0,
            b: b.0,
            out: out.0,
        })
    }
    fn axpy(&mut self, alpha: f32, x: BufferId, y: BufferId) -> Result<()> {
        self.run(Call::Axpy {
            alpha,
            x: x.0,
            y: y.0,
        })
    }
    fn matmul(&mut self, a: BufferId, b: BufferId, out: BufferId, desc: MatmulDesc) -> Result<()> {
        self.run(Call::Matmul {
            a: a.0,
            b: b.0,
            out: out.0,
            desc,
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
        self.run(Call::Reduce {
            op,
            x: x.0,
            shape,
            axis,
            out: out.0,
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
        self.run(Call::Softmax {
            x: x.0,
            out: out.0,
            rows,
            cols,
            log,
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
        self.run(Call::SoftmaxBackward {
            y: y.0,
            dy: dy.0,
            dx: dx.0,
            rows,
            cols,
            log,
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
        self.run(Call::BiasAct {
            x: x.0,
            bias: bias.0,
            out: out.0,
            rows,
            cols,
            act,
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
        self.run(Call::CrossEntropy {
            kind,
            logits: logits.0,
            targets: targets.0,
            rows,
            cols,
            loss: loss.0,
            grad: grad.map(|(g, s)| (g.0, s)),
        })
    }
    fn optimizer_step(
        &mut self,
        rule: UpdateRule,
        step: u64,
        param: BufferId,
        grad: BufferId,
        state: &[BufferId],
    ) -> Result<()> {
        let state = state.iter().map(|s| s.0).collect();
        self.run(Call::OptimizerStep {
            rule,
            step,
            param: param.0,
            grad: grad.0,
            state,
        })
    }
    fn dropout_mask(&mut self, out: BufferId, seed: u32, offset: u32, keep: f32) -> Result<()> {
        self.run(Call::DropoutMask {
            out: out.0,
            seed,
            offset,
            keep,
        })
    }
    fn gather_rows(
        &mut self,
        src: BufferId,
        cols: usize,
        indices: &[u32],
        out: BufferId,
    ) -> Result<()> {
        self.run(Call::GatherRows {
            src: src.0,
            cols,
            indices: indices.to_vec(),
            out: out.0,
        })
    }
    fn one_hot(&mut self, labels: BufferId, classes: usize, out: BufferId) -> Result<()> {
        self.run(Call::OneHot {
            labels: labels.0,
            classes,
            out: out.0,
        })
    }
    fn argmax(&mut self, x: BufferId, rows: usize, cols: usize, out: BufferId) -> Result<()> {
        self.run(Call::Argmax {
            x: x.0,
            rows,
            cols,
            out: out.0,
        })
    }
}
