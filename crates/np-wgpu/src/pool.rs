//! Reusing device memory: storage buffers and staging (map-read) buffers are kept by size class
//! and handed out again, so a training step allocates nothing once the first step has run.

use std::collections::HashMap;
use std::sync::Mutex;

/// Storage buffers: read and written by kernels, copied to staging for readback, and filled by
/// copies from upload buffers.
pub(crate) const STORAGE: wgpu::BufferUsages = wgpu::BufferUsages::STORAGE
    .union(wgpu::BufferUsages::COPY_SRC)
    .union(wgpu::BufferUsages::COPY_DST);
/// Staging buffers: the only kind the host may map for reading.
pub(crate) const STAGING: wgpu::BufferUsages =
    wgpu::BufferUsages::MAP_READ.union(wgpu::BufferUsages::COPY_DST);

/// Keep at most this many idle bytes per kind; beyond it released buffers are freed. 256 MiB
/// holds a few 4096x4096 matrices, far above what the playground's networks need.
const MAX_IDLE_BYTES: u64 = 256 << 20;

/// Buffers are allocated in power-of-two size classes (at least 16 bytes, since a binding may
/// not be empty and copies move multiples of 4 bytes), so a released buffer fits many requests.
pub(crate) fn size_class(bytes: u64) -> u64 {
    bytes.max(16).next_power_of_two()
}

#[derive(Debug, Default)]
struct Shelf {
    idle: HashMap<u64, Vec<wgpu::Buffer>>,
    idle_bytes: u64,
    created: u64,
    /// Buffers handed out (or adopted) and not yet given back or discarded, and their bytes.
    in_use: u64,
    in_use_bytes: u64,
}

impl Shelf {
    fn lend(&mut self, class: u64) {
        self.in_use += 1;
        self.in_use_bytes += class;
    }
    fn settle(&mut self, class: u64) {
        self.in_use = self.in_use.saturating_sub(1);
        self.in_use_bytes = self.in_use_bytes.saturating_sub(class);
    }
}

/// Device memory the pool accounts for, both kinds together: what tensors and reads hold now,
/// and what waits on the shelves for reuse. Every tensor and staging buffer comes from the pool;
/// outside it are only the uniform arena (one buffer, grown when needed) and the short-lived
/// source buffers of uploads and writes (dropped once their copy is recorded).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemoryStats {
    pub in_use_buffers: u64,
    pub in_use_bytes: u64,
    pub idle_buffers: u64,
    pub idle_bytes: u64,
}

impl MemoryStats {
    /// Bytes of device buffers alive through the pool (in use plus idle).
    pub fn live_bytes(&self) -> u64 {
        self.in_use_bytes + self.idle_bytes
    }
}

/// The pool: one shelf of storage buffers and one of staging buffers.
#[derive(Debug, Default)]
pub(crate) struct BufferPool {
    storage: Mutex<Shelf>,
    staging: Mutex<Shelf>,
}

impl BufferPool {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    fn shelf(&self, usage: wgpu::BufferUsages) -> &Mutex<Shelf> {
        if usage == STAGING {
            &self.staging
        } else {
            &self.storage
        }
    }

    /// A buffer of at least `bytes` bytes with `usage` (`STORAGE` or `STAGING`). Contents are
    /// whatever the last user left: callers that need zeros fill them.
    pub(crate) fn take(
        &self,
        device: &wgpu::Device,
        bytes: u64,
        usage: wgpu::BufferUsages,
    ) -> wgpu::Buffer {
        let class = size_class(bytes);
        if let Ok(mut shelf) = self.shelf(usage).lock() {
            shelf.lend(class);
            if let Some(buffer) = shelf.idle.get_mut(&class).and_then(Vec::pop) {
                shelf.idle_bytes -= class;
                return buffer;
            }
            shelf.created += 1;
        }
        let label = if usage == STAGING {
            "np-wgpu staging"
        } else {
            "np-wgpu tensor"
        };
        device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size: class,
            usage,
            mapped_at_creation: false,
        })
    }

    /// Returns a buffer for reuse. Safe while commands that use it are still recorded but not
    /// submitted: later commands run after earlier ones, so reuse only orders after them.
    pub(crate) fn give(&self, buffer: wgpu::Buffer) {
        let usage = buffer.usage();
        let class = buffer.size();
        if !class.is_power_of_two() {
            return; // not one of ours (an upload buffer of odd size): let it be freed
        }
        if let Ok(mut shelf) = self.shelf(usage).lock() {
            shelf.settle(class);
            if shelf.idle_bytes + class <= MAX_IDLE_BYTES {
                shelf.idle_bytes += class;
                shelf.idle.entry(class).or_default().push(buffer);
            }
        }
    }

    /// What the pool holds now.
    pub(crate) fn stats(&self) -> MemoryStats {
        let mut out = MemoryStats::default();
        for m in [&self.storage, &self.staging] {
            if let Ok(s) = m.lock() {
                out.in_use_buffers += s.in_use;
                out.in_use_bytes += s.in_use_bytes;
                out.idle_buffers += s.idle.values().map(|v| v.len() as u64).sum::<u64>();
                out.idle_bytes += s.idle_bytes;
            }
        }
        out
    }

    /// How many buffers of each kind were ever created (tests check that steps reuse them).
    pub(crate) fn created(&self) -> (u64, u64) {
        let count = |m: &Mutex<Shelf>| m.lock().map(|s| s.created).unwrap_or(0);
        (count(&self.storage), count(&self.staging))
    }
}
