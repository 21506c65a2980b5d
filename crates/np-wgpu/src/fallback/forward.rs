//! [`FallbackBackend`] as a [`Backend`]: every state-changing call becomes an [`Entry`] (run on
//! the active backend and, on the GPU, journaled); reads go to the active backend and, if the
//! GPU fails them, fall back and read again from the CPU.

use super::FallbackBackend;
use crate::journal::Entry;
use np_engine::backend::{Call, ReadFuture};
use np_engine::{Backend, BufferId, EngineError, Result};
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
        self.run(Entry::Alloc { id, len }).map(|()| BufferId(id))
    }
    fn upload(&mut self, data: &[f32]) -> Result<BufferId> {
        let id = self.st.borrow_mut().new_id(data.len());
        let data: Rc<[f32]> = data.into();
        self.run(Entry::Upload { id, data }).map(|()| BufferId(id))
    }
    fn write(&mut self, buf: BufferId, data: &[f32]) -> Result<()> {
        self.run(Entry::Write {
            id: buf.0,
            data: data.into(),
        })
    }
    fn release(&mut self, buf: BufferId) {
        let known = self.st.borrow_mut().lens.remove(&buf.0).is_some();
        if known {
            let _ = self.run(Entry::Release { id: buf.0 });
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
    fn exec(&mut self, call: Call<'_>) -> Result<()> {
        self.run(Entry::Op(call.to_record()))
    }
}
