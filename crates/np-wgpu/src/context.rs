//! Getting a device, kept apart from doing work with it: tests open one [`GpuContext`] per test
//! binary and pass it around; the app opens one per page (asynchronously) and hands it to the
//! backend.

use crate::adapter::{summarize, AdapterSummary};
use crate::error::GpuError;
use crate::kernels::Kernels;
use crate::pool::BufferPool;
use crate::recorder::Recorder;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Device-loss and error state, shared with wgpu's callbacks (which may run on other threads
/// natively, hence the atomics and the mutex).
#[derive(Debug, Default)]
pub(crate) struct Health {
    lost: AtomicBool,
    last_error: Mutex<Option<String>>,
}

impl Health {
    fn record(&self, message: String) {
        if let Ok(mut slot) = self.last_error.lock() {
            *slot = Some(message);
        }
    }
}

/// One wgpu device with everything built once and reused every step: the compiled pipelines,
/// the buffer pool, the staging buffers and the command recorder.
#[derive(Debug)]
pub struct GpuContext {
    pub(crate) device: wgpu::Device,
    pub(crate) queue: wgpu::Queue,
    pub(crate) kernels: Kernels,
    pub(crate) pool: BufferPool,
    pub(crate) recorder: Mutex<Recorder>,
    pub(crate) health: Arc<Health>,
    adapter: AdapterSummary,
}

impl GpuContext {
    /// Asks for an adapter and a device and compiles every kernel. Never blocks: in the browser
    /// await it; natively drive it with `pollster::block_on`.
    pub async fn new() -> Result<Self, GpuError> {
        let adapter = crate::adapter::request_adapter()
            .await
            .map_err(GpuError::NoAdapter)?;
        Self::from_adapter(adapter).await
    }

    /// Opens a device on an adapter the caller already has.
    pub async fn from_adapter(adapter: wgpu::Adapter) -> Result<Self, GpuError> {
        let summary = summarize(&adapter.get_info());
        // The adapter's own limits: large matrices need more than the 128 MiB default binding
        // size on GPUs that allow it; WebGPU lets us ask for whatever the adapter reports.
        let limits = adapter.limits();
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("np-wgpu device"),
                required_features: wgpu::Features::empty(),
                required_limits: limits,
                ..Default::default()
            })
            .await
            .map_err(|e| GpuError::RequestDevice(e.to_string()))?;
        let health = Arc::new(Health::default());
        // wgpu's default handler panics on any error; we turn errors into values instead, which
        // the next read reports and the fallback acts on.
        let h = Arc::clone(&health);
        device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| h.record(e.to_string())));
        let h = Arc::clone(&health);
        device.set_device_lost_callback(move |_reason, message| {
            h.lost.store(true, Ordering::SeqCst);
            h.record(format!("device lost: {message}"));
        });
        let kernels = Kernels::new(&device);
        let align = device.limits().min_uniform_buffer_offset_alignment;
        Ok(Self {
            pool: BufferPool::new(),
            recorder: Mutex::new(Recorder::new(align)),
            kernels,
            device,
            queue,
            health,
            adapter: summary,
        })
    }

    /// The adapter this context runs on.
    pub fn adapter(&self) -> &AdapterSummary {
        &self.adapter
    }

    /// How many storage and staging buffers the pool has created: constant across training
    /// steps once the first step has run (tests check it).
    pub fn buffers_created(&self) -> (u64, u64) {
        self.pool.created()
    }

    /// Device memory held through the buffer pool now (tests check that rebuilding networks
    /// on one context does not make it grow).
    pub fn memory(&self) -> crate::pool::MemoryStats {
        self.pool.stats()
    }

    /// The raw device, for callers that need wgpu directly (and for tests that simulate loss
    /// with `device().destroy()`).
    pub fn device(&self) -> &wgpu::Device {
        &self.device
    }

    /// True once the device is lost or destroyed; every later call fails fast.
    pub fn is_lost(&self) -> bool {
        self.health.lost.load(Ordering::SeqCst)
    }

    /// Marks the device lost (used when an error shows it can no longer be trusted, and by
    /// tests to inject a failure without destroying a shared device).
    pub fn mark_lost(&self, why: &str) {
        self.health.lost.store(true, Ordering::SeqCst);
        self.health.record(why.to_string());
    }

    /// Fails if the device is lost or wgpu reported an error since the last check.
    pub fn check(&self) -> Result<(), GpuError> {
        let last = self
            .health
            .last_error
            .lock()
            .ok()
            .and_then(|mut slot| slot.take());
        if self.is_lost() {
            return Err(GpuError::DeviceLost(last.unwrap_or_default()));
        }
        match last {
            Some(message) => Err(GpuError::Device(message)),
            None => Ok(()),
        }
    }

    /// Records nothing new; submits everything recorded so far in one command buffer.
    pub fn flush(&self) -> Result<(), GpuError> {
        if self.is_lost() {
            return self.check();
        }
        let mut rec = self
            .recorder
            .lock()
            .map_err(|_| GpuError::Device("recorder poisoned".into()))?;
        rec.submit(&self.device, &self.queue);
        Ok(())
    }
}
