//! Reading device buffers back to the host without blocking the browser.
//!
//! The copy into a reused staging buffer is recorded and submitted at once; the returned future
//! owns everything it needs and completes when `map_async`'s callback fires. In the browser that
//! happens on the event loop (we simply `.await`); natively nobody drives the device, so the
//! future polls it (blocking is fine outside the browser: tests and benchmarks).

use crate::context::GpuContext;
use crate::error::GpuError;
use crate::pool::STAGING;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

/// The slot `map_async`'s callback writes into.
#[derive(Debug, Default)]
struct MapSlot {
    done: Option<Result<(), String>>,
    waker: Option<Waker>,
}

/// Completes when the staging buffer is mapped.
#[derive(Debug)]
struct MapFuture(Arc<Mutex<MapSlot>>);

impl Future for MapFuture {
    type Output = Result<(), String>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let Ok(mut slot) = self.0.lock() else {
            return Poll::Ready(Err("map slot poisoned".into()));
        };
        match slot.done.take() {
            Some(result) => Poll::Ready(result),
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// Reads `len` floats from the start of `buffer`. Work recorded before the call is submitted
/// with the copy, so the values include it.
pub(crate) fn read_f32(
    ctx: Arc<GpuContext>,
    buffer: wgpu::Buffer,
    len: usize,
) -> impl Future<Output = Result<Vec<f32>, GpuError>> + 'static {
    // Record and submit now, synchronously: the read sees exactly the ops issued before it,
    // whatever the caller records while the future is pending.
    let bytes = (len * 4) as u64;
    let started = start(&ctx, &buffer, bytes);
    async move {
        let (staging, mapped) = match started {
            Ok(Some(s)) => s,
            Ok(None) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        #[cfg(not(target_arch = "wasm32"))]
        {
            // Natively the callback only fires from a poll; waiting here is the native way.
            ctx.device
                .poll(wgpu::PollType::wait_indefinitely())
                .map_err(|e| GpuError::Readback(e.to_string()))?;
        }
        let mapped = mapped.await;
        if let Err(e) = mapped {
            ctx.mark_lost(&e);
            return Err(GpuError::Readback(e));
        }
        ctx.check()?;
        let values = {
            let view = staging
                .get_mapped_range(..bytes)
                .map_err(|e| GpuError::Readback(e.to_string()))?;
            bytemuck::pod_collect_to_vec::<u8, f32>(&view)
        };
        staging.unmap();
        ctx.pool.give(staging);
        Ok(values)
    }
}

type Started = Option<(wgpu::Buffer, MapFuture)>;

fn start(ctx: &GpuContext, buffer: &wgpu::Buffer, bytes: u64) -> Result<Started, GpuError> {
    ctx.check()?;
    if bytes == 0 {
        return Ok(None);
    }
    let staging = ctx.pool.take(&ctx.device, bytes, STAGING);
    {
        let mut rec = ctx
            .recorder
            .lock()
            .map_err(|_| GpuError::Device("recorder poisoned".into()))?;
        rec.copy(buffer, &staging, bytes);
        rec.submit(&ctx.device, &ctx.queue);
    }
    let slot = Arc::new(Mutex::new(MapSlot::default()));
    let writer = Arc::clone(&slot);
    staging.map_async(wgpu::MapMode::Read, ..bytes, move |result| {
        if let Ok(mut s) = writer.lock() {
            s.done = Some(result.map_err(|e| e.to_string()));
            if let Some(w) = s.waker.take() {
                w.wake();
            }
        }
    });
    Ok(Some((staging, MapFuture(slot))))
}
