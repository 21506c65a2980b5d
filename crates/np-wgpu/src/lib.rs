//! The WebGPU backend of the Neural Playground engine. The same code runs natively through
//! Vulkan (Mesa's lavapipe in CI) and in the browser through WebGPU.

mod probe;

pub use probe::{probe, AdapterSummary, ProbeError};
