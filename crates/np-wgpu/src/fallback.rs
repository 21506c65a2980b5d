//! [`FallbackBackend`]: the GPU backend with a CPU understudy.
//!
//! Every state-changing call runs on the GPU and is appended to a journal. A checkpoint reads
//! every live buffer back (asynchronously) and clears the journal. When the GPU fails (device
//! lost, an error, a failed readback), the CPU backend is created, loaded with the checkpoint,
//! and the journal is replayed on it; the failed call is then run on the CPU. Weights, optimizer
//! state and every other buffer are exactly what the GPU would have held, and the engine keeps
//! its buffer ids: it never notices, except through [`FallbackBackend::fell_back`], which the UI
//! shows. Checkpoint once per epoch or so to keep the journal (and a replay) short.

use crate::backend::WgpuBackend;
use crate::journal::{execute, Call, IdMap};
use np_engine::backend::{
    BinaryOp, MatmulDesc, ReadFuture, ReduceOp, UnaryOp, UpdateRule, XentKind,
};
use np_engine::{Backend, BufferId, EngineError, Result, Shape};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::rc::Rc;

/// Builds the CPU backend when it is needed.
pub type CpuFactory = Box<dyn Fn() -> Box<dyn Backend>>;

struct State {
    gpu: Option<WgpuBackend>,
    cpu: Option<Box<dyn Backend>>,
    make_cpu: CpuFactory,
    ids: IdMap,
    lens: HashMap<u32, usize>,
    free: Vec<u32>,
    next: u32,
    /// Buffer contents at the last checkpoint, by outer id.
    snapshot: HashMap<u32, Rc<[f32]>>,
    /// Buffers written by a kernel since the last checkpoint: the next one must read them back.
    dirty: HashSet<u32>,
    /// Buffers whose whole content came from the host since the last checkpoint (upload or
    /// write, not touched by a kernel after): the next checkpoint keeps that copy, no readback.
    /// Training data, uploaded once, is never read back.
    host: HashMap<u32, Rc<[f32]>>,
    /// Buffers read back by the last checkpoint (tests check that clean ones are skipped).
    last_reads: usize,
    /// Calls since the last checkpoint.
    journal: Vec<Call>,
    fell_back: Option<String>,
}

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FallbackState")
            .field("on_gpu", &self.gpu.is_some())
            .field("journal", &self.journal.len())
            .field("fell_back", &self.fell_back)
            .finish()
    }
}

impl State {
    fn active(&mut self) -> Result<&mut dyn Backend> {
        if let Some(g) = self.gpu.as_mut() {
            return Ok(g);
        }
        match self.cpu.as_mut() {
            Some(c) => Ok(c.as_mut()),
            None => Err(EngineError::Backend {
                backend: "fallback".into(),
                message: "no backend".into(),
            }),
        }
    }

    /// Moves to the CPU: checkpoint loaded, journal replayed.
    fn fall_back(&mut self, why: &EngineError) -> Result<()> {
        if self.gpu.is_none() {
            return Ok(());
        }
        let mut cpu = (self.make_cpu)();
        let mut ids = IdMap::default();
        let mut restored: Vec<_> = self.snapshot.iter().collect();
        restored.sort_by_key(|(id, _)| **id);
        for (id, data) in restored {
            let inner = cpu.upload(&data[..])?;
            ids.set(*id, Some(inner));
        }
        for call in &self.journal {
            execute(call, cpu.as_mut(), &mut ids)?;
        }
        self.ids = ids;
        self.cpu = Some(cpu);
        self.gpu = None;
        self.journal.clear();
        self.snapshot.clear();
        self.dirty.clear();
        self.host.clear();
        self.fell_back = Some(why.to_string());
        Ok(())
    }

    fn run(&mut self, call: Call) -> Result<()> {
        let on_gpu = self.gpu.is_some();
        let result = {
            let mut ids = std::mem::take(&mut self.ids);
            let r = self.active().and_then(|b| execute(&call, b, &mut ids));
            self.ids = ids;
            r
        };
        match result {
            Ok(()) => {
                if on_gpu {
                    self.track(&call);
                    self.journal.push(call);
                }
                Ok(())
            }
            // A GPU failure (as opposed to a caller's mistake, which the CPU would reject too):
            // move to the CPU, then do the call there.
            Err(e @ EngineError::Backend { .. }) if on_gpu => {
                self.fall_back(&e)?;
                self.run(call)
            }
            Err(e) => Err(e),
        }
    }

    /// Dirty/host bookkeeping for the next checkpoint.
    fn track(&mut self, call: &Call) {
        match call {
            Call::Upload { id, data } | Call::Write { id, data } => {
                self.dirty.remove(id);
                self.host.insert(*id, Rc::clone(data));
            }
            Call::Alloc { id, .. } => {
                self.dirty.insert(*id);
            }
            Call::Release { id } => {
                self.dirty.remove(id);
                self.host.remove(id);
                self.snapshot.remove(id);
            }
            _ => {
                for o in call.outputs() {
                    self.host.remove(&o);
                    self.dirty.insert(o);
                }
            }
        }
    }

    fn new_id(&mut self, len: usize) -> u32 {
        let id = self.free.pop().unwrap_or_else(|| {
            self.next += 1;
            self.next - 1
        });
        self.lens.insert(id, len);
        id
    }
}

/// The GPU backend that falls back to the CPU without losing state. See the module docs.
#[derive(Clone, Debug)]
pub struct FallbackBackend {
    st: Rc<RefCell<State>>,
}

impl FallbackBackend {
    /// Runs on `gpu`; `make_cpu` builds the CPU backend if the GPU fails.
    pub fn new(gpu: WgpuBackend, make_cpu: CpuFactory) -> Self {
        Self::with(Some(gpu), make_cpu)
    }

    /// Runs on the CPU from the start (no adapter, or the rule chose the CPU), with the same
    /// interface, so the app holds one type.
    pub fn cpu_only(make_cpu: CpuFactory, why: &str) -> Self {
        let s = Self::with(None, make_cpu);
        {
            let mut st = s.st.borrow_mut();
            st.cpu = Some((st.make_cpu)());
            st.fell_back = Some(why.to_string());
        }
        s
    }

    fn with(gpu: Option<WgpuBackend>, make_cpu: CpuFactory) -> Self {
        Self {
            st: Rc::new(RefCell::new(State {
                gpu,
                cpu: None,
                make_cpu,
                ids: IdMap::default(),
                lens: HashMap::new(),
                free: Vec::new(),
                next: 0,
                snapshot: HashMap::new(),
                dirty: HashSet::new(),
                host: HashMap::new(),
                last_reads: 0,
                journal: Vec::new(),
                fell_back: None,
            })),
        }
    }

    /// True while the GPU does the work.
    pub fn on_gpu(&self) -> bool {
        self.st.borrow().gpu.is_some()
    }

    /// Why the CPU is in use, if it is (shown to the user).
    pub fn fell_back(&self) -> Option<String> {
        self.st.borrow().fell_back.clone()
    }

    /// Calls recorded since the last checkpoint.
    pub fn journal_len(&self) -> usize {
        self.st.borrow().journal.len()
    }

    /// Makes the current state the restart point, so a later fallback only replays what came
    /// after. Reads back only the buffers a kernel wrote since the last checkpoint; uploaded
    /// data and untouched buffers are already known. Calls made while the reads are pending
    /// stay in the journal. If a read fails, the old checkpoint and the whole journal are still
    /// there, and it falls back.
    pub async fn checkpoint(&self) -> Result<()> {
        let (reads, mut next, covered) = {
            let mut st = self.st.borrow_mut();
            let Some(gpu) = st.gpu.as_mut() else {
                return Ok(());
            };
            if let Err(e) = gpu.flush() {
                return st.fall_back(&e);
            }
            // From here on, new calls mark a fresh dirty set against the state being captured.
            let dirty = std::mem::take(&mut st.dirty);
            let host = std::mem::take(&mut st.host);
            let mut next: HashMap<u32, Rc<[f32]>> = HashMap::new();
            let mut reads = Vec::new();
            let live: Vec<(u32, BufferId)> = st
                .ids
                .0
                .iter()
                .enumerate()
                .filter_map(|(o, i)| i.map(|i| (o as u32, i)))
                .collect();
            for (outer, inner) in live {
                if let Some(data) = host.get(&outer) {
                    next.insert(outer, Rc::clone(data));
                } else if let (false, Some(data)) =
                    (dirty.contains(&outer), st.snapshot.get(&outer))
                {
                    next.insert(outer, Rc::clone(data));
                } else if let Some(g) = st.gpu.as_ref() {
                    reads.push((outer, g.read(inner)));
                }
            }
            // Every call journaled so far is reflected in the snapshot being built.
            (reads, next, st.journal.len())
        };
        let count = reads.len();
        for (outer, fut) in reads {
            match fut.await {
                Ok(v) => {
                    next.insert(outer, v.into());
                }
                Err(e) => return self.st.borrow_mut().fall_back(&e),
            }
        }
        let mut st = self.st.borrow_mut();
        if st.gpu.is_some() {
            st.snapshot = next;
            st.journal.drain(..covered);
            st.last_reads = count;
        }
        Ok(())
    }

    /// How many buffers the last checkpoint read back from the device.
    pub fn last_checkpoint_reads(&self) -> usize {
        self.st.borrow().last_reads
    }

    fn run(&self, call: Call) -> Result<()> {
        self.st.borrow_mut().run(call)
    }
}

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
            self.st.borrow_mut().free.push(buf.0);
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
