//! Backend calls as values, so the fallback can replay on the CPU what the GPU was asked to do
//! since its last checkpoint. Buffer ids here are the fallback's own (outer) ids.

use np_engine::backend::{BinaryOp, MatmulDesc, ReduceOp, UnaryOp, UpdateRule, XentKind};
use np_engine::{Backend, BufferId, EngineError, Result, Shape};
use std::rc::Rc;

/// One state-changing call of the [`Backend`] trait.
#[derive(Clone, Debug)]
pub(crate) enum Call {
    Alloc {
        id: u32,
        len: usize,
    },
    Upload {
        id: u32,
        data: Rc<[f32]>,
    },
    Write {
        id: u32,
        data: Rc<[f32]>,
    },
    Release {
        id: u32,
    },
    Copy {
        src: u32,
        dst: u32,
    },
    Fill {
        dst: u32,
        value: f32,
    },
    Unary {
        op: UnaryOp,
        x: u32,
        out: u32,
    },
    UnaryBackward {
        op: UnaryOp,
        x: u32,
        y: u32,
        dy: u32,
        dx: u32,
    },
    Binary {
        op: BinaryOp,
        a: u32,
        a_shape: Shape,
        b: u32,
        b_shape: Shape,
        out: u32,
    },
    Expand {
        x: u32,
        x_shape: Shape,
        out: u32,
        out_shape: Shape,
    },
    Select {
        cond: u32,
        a: u32,
        b: u32,
        out: u32,
    },
    Axpy {
        alpha: f32,
        x: u32,
        y: u32,
    },
    Matmul {
        a: u32,
        b: u32,
        out: u32,
        desc: MatmulDesc,
    },
    Reduce {
        op: ReduceOp,
        x: u32,
        shape: Shape,
        axis: Option<usize>,
        out: u32,
    },
    Softmax {
        x: u32,
        out: u32,
        rows: usize,
        cols: usize,
        log: bool,
    },
    SoftmaxBackward {
        y: u32,
        dy: u32,
        dx: u32,
        rows: usize,
        cols: usize,
        log: bool,
    },
    BiasAct {
        x: u32,
        bias: u32,
        out: u32,
        rows: usize,
        cols: usize,
        act: UnaryOp,
    },
    CrossEntropy {
        kind: XentKind,
        logits: u32,
        targets: u32,
        rows: usize,
        cols: usize,
        loss: u32,
        grad: Option<(u32, f32)>,
    },
    OptimizerStep {
        rule: UpdateRule,
        step: u64,
        param: u32,
        grad: u32,
        state: Vec<u32>,
    },
    DropoutMask {
        out: u32,
        seed: u32,
        offset: u32,
        keep: f32,
    },
    GatherRows {
        src: u32,
        cols: usize,
        indices: Vec<u32>,
        out: u32,
    },
    OneHot {
        labels: u32,
        classes: usize,
        out: u32,
    },
    Argmax {
        x: u32,
        rows: usize,
        cols: usize,
        out: u32,
    },
}

impl Call {
    /// The buffers an op call writes (everything but memory management), for the checkpoint's
    /// dirty tracking.
    pub(crate) fn outputs(&self) -> Vec<u32> {
        match self {
            Call::Alloc { .. }
            | Call::Upload { .. }
            | Call::Write { .. }
            | Call::Release { .. } => Vec::new(),
            Call::Copy { dst, .. } | Call::Fill { dst, .. } => vec![*dst],
            Call::Unary { out, .. }
            | Call::Binary { out, .. }
            | Call::Expand { out, .. }
            | Call::Select { out, .. }
            | Call::Matmul { out, .. }
            | Call::Reduce { out, .. }
            | Call::Softmax { out, .. }
            | Call::BiasAct { out, .. }
            | Call::DropoutMask { out, .. }
            | Call::GatherRows { out, .. }
            | Call::OneHot { out, .. }
            | Call::Argmax { out, .. } => vec![*out],
            Call::UnaryBackward { dx, .. } | Call::SoftmaxBackward { dx, .. } => vec![*dx],
            Call::Axpy { y, .. } => vec![*y],
            Call::CrossEntropy { loss, grad, .. } => {
                let mut v = vec![*loss];
                v.extend(grad.map(|(g, _)| g));
                v
            }
            Call::OptimizerStep { param, state, .. } => {
                let mut v = vec![*param];
                v.extend(state.iter().copied());
                v
            }
        }
    }
}

/// The outer-to-inner id table of the active backend.
#[derive(Debug, Default)]
pub(crate) struct IdMap(pub(crate) Vec<Option<BufferId>>);

impl IdMap {
    pub(crate) fn get(&self, outer: u32) -> Result<BufferId> {
        self.0
            .get(outer as usize)
            .copied()
            .flatten()
            .ok_or(EngineError::UnknownBuffer(outer))
    }
    pub(crate) fn set(&mut self, outer: u32, inner: Option<BufferId>) {
        let i = outer as usize;
        if self.0.len() <= i {
            self.0.resize(i + 1, None);
        }
        self.0[i] = inner;
    }
}

/// Runs one call on `backend`, translating ids through `ids` (and recording new ones).
pub(crate) fn execute(call: &Call, b: &mut dyn Backend, ids: &mut IdMap) -> Result<()> {
    let m = |ids: &IdMap, id: u32| ids.get(id);
    match call {
        Call::Alloc { id, len } => {
            let inner = b.alloc(*len)?;
            ids.set(*id, Some(inner));
        }
        Call::Upload { id, data } => {
            let inner = b.upload(&data[..])?;
            ids.set(*id, Some(inner));
        }
        Call::Write { id, data } => b.write(m(ids, *id)?, &data[..])?,
        Call::Release { id } => {
            if let Ok(inner) = m(ids, *id) {
                b.release(inner);
            }
            ids.set(*id, None);
        }
        Call::Copy { src, dst } => b.copy(m(ids, *src)?, m(ids, *dst)?)?,
        Call::Fill { dst, value } => b.fill(m(ids, *dst)?, *value)?,
        Call::Unary { op, x, out } => b.unary(*op, m(ids, *x)?, m(ids, *out)?)?,
        Call::UnaryBackward { op, x, y, dy, dx } => {
            b.unary_backward(*op, m(ids, *x)?, m(ids, *y)?, m(ids, *dy)?, m(ids, *dx)?)?
        }
        Call::Binary {
            op,
            a,
            a_shape,
            b: bb,
            b_shape,
            out,
        } => b.binary(
            *op,
            m(ids, *a)?,
            *a_shape,
            m(ids, *bb)?,
            *b_shape,
            m(ids, *out)?,
        )?,
        Call::Expand {
            x,
            x_shape,
            out,
            out_shape,
        } => b.expand(m(ids, *x)?, *x_shape, m(ids, *out)?, *out_shape)?,
        Call::Select {
            cond,
            a,
            b: bb,
            out,
        } => b.select(m(ids, *cond)?, m(ids, *a)?, m(ids, *bb)?, m(ids, *out)?)?,
        Call::Axpy { alpha, x, y } => b.axpy(*alpha, m(ids, *x)?, m(ids, *y)?)?,
        Call::Matmul {
            a,
            b: bb,
            out,
            desc,
        } => b.matmul(m(ids, *a)?, m(ids, *bb)?, m(ids, *out)?, *desc)?,
        Call::Reduce {
            op,
            x,
            shape,
            axis,
            out,
        } => b.reduce(*op, m(ids, *x)?, *shape, *axis, m(ids, *out)?)?,
        Call::Softmax {
            x,
            out,
            rows,
            cols,
            log,
        } => b.softmax(m(ids, *x)?, m(ids, *out)?, *rows, *cols, *log)?,
        Call::SoftmaxBackward {
            y,
            dy,
            dx,
            rows,
            cols,
            log,
        } => b.softmax_backward(m(ids, *y)?, m(ids, *dy)?, m(ids, *dx)?, *rows, *cols, *log)?,
        Call::BiasAct {
            x,
            bias,
            out,
            rows,
            cols,
            act,
        } => b.bias_act(
            m(ids, *x)?,
            m(ids, *bias)?,
            m(ids, *out)?,
            *rows,
            *cols,
            *act,
        )?,
        Call::CrossEntropy {
            kind,
            logits,
            targets,
            rows,
            cols,
            loss,
            grad,
        } => {
            let grad = match grad {
                Some((g, s)) => Some((m(ids, *g)?, *s)),
                None => None,
            };
            let (l, t, o) = (m(ids, *logits)?, m(ids, *targets)?, m(ids, *loss)?);
            b.cross_entropy(*kind, l, t, *rows, *cols, o, grad)?
        }
        Call::OptimizerStep {
            rule,
            step,
            param,
            grad,
            state,
        } => {
            let state = state
                .iter()
                .map(|s| m(ids, *s))
                .collect::<Result<Vec<_>>>()?;
            b.optimizer_step(*rule, *step, m(ids, *param)?, m(ids, *grad)?, &state)?
        }
        Call::DropoutMask {
            out,
            seed,
            offset,
            keep,
        } => b.dropout_mask(m(ids, *out)?, *seed, *offset, *keep)?,
        Call::GatherRows {
            src,
            cols,
            indices,
            out,
        } => b.gather_rows(m(ids, *src)?, *cols, indices, m(ids, *out)?)?,
        Call::OneHot {
            labels,
            classes,
            out,
        } => b.one_hot(m(ids, *labels)?, *classes, m(ids, *out)?)?,
        Call::Argmax { x, rows, cols, out } => {
            b.argmax(m(ids, *x)?, *rows, *cols, m(ids, *out)?)?
        }
    }
    Ok(())
}
