//! The WebGPU backend of the Neural Playground engine. The same code runs natively through
//! Vulkan (Mesa's lavapipe in CI) and in the browser through WebGPU.
//!
//! - [`find_adapter`]: is there an adapter at all (the header badge).
//! - [`GpuContext`]: getting a device, once, asynchronously; pipelines and pools built once.
//! - [`WgpuBackend`]: np-engine's `Backend` on that device.
//! - [`FallbackBackend`]: the GPU backend with a CPU understudy that takes over, with the same
//!   buffers, when the device is lost.
//! - [`choose`]: the automatic backend choice, with the measurements behind it.

// Code that ships reports failures as errors; unit tests (clippy.toml) may unwrap.
#![warn(clippy::unwrap_used, clippy::expect_used)]

mod adapter;
mod backend;
pub mod choose;
mod codes;
mod context;
mod error;
mod fallback;
pub mod grid;
mod journal;
mod kernels;
mod pool;
mod readback;
mod recorder;

pub use adapter::{find_adapter, AdapterError, AdapterSummary};
pub use backend::WgpuBackend;
pub use context::GpuContext;
pub use error::GpuError;
pub use fallback::{CpuFactory, FallbackBackend};
pub use pool::MemoryStats;
