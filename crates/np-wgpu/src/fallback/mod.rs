//! [`FallbackBackend`]: the GPU backend with a CPU understudy.
//!
//! Every state-changing call runs on the GPU and is appended to a journal. A checkpoint reads
//! every live buffer back (asynchronously) and clears the journal. When the GPU fails (device
//! lost, an error, a failed readback), the CPU backend is created, loaded with the checkpoint,
//! and the journal is replayed on it; the failed call is then run on the CPU. Weights, optimizer
//! state and every other buffer are exactly what the GPU would have held, and the engine keeps
//! its buffer ids: it never notices, except through [`FallbackBackend::fell_back`], which the UI
//! shows. Checkpoint once per epoch or so to keep the journal (and a replay) short.

mod forward;

use crate::backend::WgpuBackend;
use crate::journal::{execute, Entry, IdMap};
use np_engine::{Backend, BufferId, EngineError, Result};
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
    journal: Vec<Entry>,
    /// Counts [`State::forget`]s, so a checkpoint that straddles one does not apply.
    forgotten: u64,
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
        for entry in &self.journal {
            execute(entry, cpu.as_mut(), &mut ids)?;
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

    fn run(&mut self, entry: Entry) -> Result<()> {
        let on_gpu = self.gpu.is_some();
        let result = {
            let mut ids = std::mem::take(&mut self.ids);
            let r = self.active().and_then(|b| execute(&entry, b, &mut ids));
            self.ids = ids;
            r
        };
        match result {
            Ok(()) => {
                if on_gpu {
                    self.track(&entry);
                    self.journal.push(entry);
                }
                Ok(())
            }
            // A GPU failure (as opposed to a caller's mistake, which the CPU would reject too):
            // move to the CPU, then do the call there.
            Err(e @ EngineError::Backend { .. }) if on_gpu => {
                self.fall_back(&e)?;
                self.run(entry)
            }
            Err(e) => Err(e),
        }
    }

    /// Dirty/host bookkeeping for the next checkpoint.
    fn track(&mut self, entry: &Entry) {
        match entry {
            Entry::Upload { id, data } | Entry::Write { id, data } => {
                self.dirty.remove(id);
                self.host.insert(*id, Rc::clone(data));
            }
            Entry::Alloc { id, .. } => {
                self.dirty.insert(*id);
            }
            Entry::Release { id } => {
                self.dirty.remove(id);
                self.host.remove(id);
                self.snapshot.remove(id);
            }
            Entry::Op(call) => call.as_call().outputs(|o| {
                self.host.remove(&o.0);
                self.dirty.insert(o.0);
            }),
        }
    }

    /// With no buffer live, nothing needs restoring: drops the checkpoint and the journal. (A
    /// network rebuilt on the same handle would otherwise keep the old one's uploads, the
    /// training data among them, in the journal until the next checkpoint.)
    fn forget(&mut self) {
        self.journal.clear();
        self.snapshot.clear();
        self.dirty.clear();
        self.host.clear();
        self.forgotten += 1;
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
                forgotten: 0,
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

    /// Buffers kept as the restart point (the last checkpoint's, minus those released since).
    pub fn checkpoint_len(&self) -> usize {
        self.st.borrow().snapshot.len()
    }

    /// Makes the current state the restart point, so a later fallback only replays what came
    /// after. Reads back only the buffers a kernel wrote since the last checkpoint; uploaded
    /// data and untouched buffers are already known. Calls made while the reads are pending
    /// stay in the journal. If a read fails, the old checkpoint and the whole journal are still
    /// there, and it falls back.
    pub async fn checkpoint(&self) -> Result<()> {
        let (reads, mut next, covered, forgotten) = {
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
            (reads, next, st.journal.len(), st.forgotten)
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
        if st.gpu.is_some() && st.forgotten == forgotten {
            st.snapshot = next;
            st.journal.drain(..covered);
            st.last_reads = count;
        }
        Ok(())
    }

    /// Moves the work to the CPU understudy on purpose (the user picked another backend): the
    /// same hand-over as after a device loss (last checkpoint restored, calls since replayed),
    /// synchronous, and `why` becomes [`FallbackBackend::fell_back`]. Reads then complete at
    /// once, so the trainer can be exported without awaiting.
    pub fn leave_gpu(&self, why: &str) -> Result<()> {
        let mut st = self.st.borrow_mut();
        if st.gpu.is_some() {
            st.fall_back(&EngineError::Backend {
                backend: "webgpu".into(),
                message: why.to_string(),
            })?;
        }
        st.fell_back = Some(why.to_string());
        Ok(())
    }

    /// How many buffers the last checkpoint read back from the device.
    pub fn last_checkpoint_reads(&self) -> usize {
        self.st.borrow().last_reads
    }

    fn run(&self, entry: Entry) -> Result<()> {
        self.st.borrow_mut().run(entry)
    }
}
