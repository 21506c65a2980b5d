//! Backend calls as values, so the fallback can replay on the CPU what the GPU was asked to do
//! since its last checkpoint. Buffer ids here are the fallback's own (outer) ids.

use np_engine::backend::CallRecord;
use np_engine::{Backend, BufferId, EngineError, Result};
use std::rc::Rc;

/// One state-changing call of the [`Backend`] trait: memory management, or an op.
#[derive(Clone, Debug)]
pub(crate) enum Entry {
    Alloc { id: u32, len: usize },
    Upload { id: u32, data: Rc<[f32]> },
    Write { id: u32, data: Rc<[f32]> },
    Release { id: u32 },
    Op(CallRecord),
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

/// Runs one entry on `backend`, translating ids through `ids` (and recording new ones).
pub(crate) fn execute(entry: &Entry, b: &mut dyn Backend, ids: &mut IdMap) -> Result<()> {
    match entry {
        Entry::Alloc { id, len } => {
            let inner = b.alloc(*len)?;
            ids.set(*id, Some(inner));
        }
        Entry::Upload { id, data } => {
            let inner = b.upload(&data[..])?;
            ids.set(*id, Some(inner));
        }
        Entry::Write { id, data } => b.write(ids.get(*id)?, &data[..])?,
        Entry::Release { id } => {
            if let Ok(inner) = ids.get(*id) {
                b.release(inner);
            }
            ids.set(*id, None);
        }
        Entry::Op(call) => {
            let inner = call.as_call().map_buffers(|outer| ids.get(outer.0))?;
            b.exec(inner.as_call())?;
        }
    }
    Ok(())
}
