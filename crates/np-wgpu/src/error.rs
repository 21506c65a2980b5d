//! The crate's single error type: every way the GPU path can fail, as a value.

use thiserror::Error;

/// Why a GPU operation did not happen. The backend turns each of these into
/// `np_engine::EngineError::Backend`, which is the signal to fall back to the CPU.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GpuError {
    /// No adapter: no `navigator.gpu`, WebGPU disabled, or no Vulkan driver natively.
    #[error("no GPU adapter ({0})")]
    NoAdapter(String),
    /// The adapter refused to give us a device.
    #[error("could not open a GPU device: {0}")]
    RequestDevice(String),
    /// The device was lost (driver reset, tab in background too long, `destroy()` in tests).
    #[error("GPU device lost: {0}")]
    DeviceLost(String),
    /// wgpu reported an error (validation, out of memory) for work we submitted.
    #[error("GPU error: {0}")]
    Device(String),
    /// Mapping a staging buffer for readback failed.
    #[error("GPU readback failed: {0}")]
    Readback(String),
    /// A buffer too large for the device's limits.
    #[error("buffer of {bytes} bytes exceeds the device limit of {limit}")]
    TooLarge { bytes: u64, limit: u64 },
}
