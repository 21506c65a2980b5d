//! [`Deferred`]: the CPU backend with reads that complete only on their second poll, as a
//! GPU's do, for the engine's asynchronous paths.

use np_engine::backend::cpu::CpuBackend;
use np_engine::backend::{Call, ReadFuture};
use np_engine::{Backend, BufferId, Result};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Ready on the second poll.
struct Later {
    value: Option<Result<Vec<f32>>>,
    polled: bool,
}

impl Future for Later {
    type Output = Result<Vec<f32>>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.polled {
            if let Some(v) = self.value.take() {
                return Poll::Ready(v);
            }
        }
        self.polled = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// A [`CpuBackend`] whose reads are pending once before they complete.
#[derive(Debug, Default)]
pub struct Deferred(pub CpuBackend);

impl Backend for Deferred {
    fn name(&self) -> String {
        "deferred".into()
    }
    crate::forward_memory_to_inner!();
    fn read(&self, buf: BufferId) -> ReadFuture {
        Box::pin(Later {
            value: Some(self.0.slice(buf).map(<[f32]>::to_vec)),
            polled: false,
        })
    }
    fn exec(&mut self, call: Call<'_>) -> Result<()> {
        self.0.exec(call)
    }
}
