//! Finding out whether a GPU adapter exists, without keeping a device.

use std::fmt;

/// What the page and the tests need to know about the adapter we found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdapterSummary {
    /// Human-readable adapter name, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)" or "SwiftShader".
    pub name: String,
    /// The wgpu backend that serves it ("vulkan", "webgpu", ...).
    pub backend: String,
    /// True for software adapters (lavapipe, SwiftShader), which are correct but slow.
    pub is_software: bool,
}

impl fmt::Display for AdapterSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)
    }
}

/// Why no GPU adapter is available.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum AdapterError {
    #[error("no GPU adapter ({0})")]
    NoAdapter(String),
}

/// Asks wgpu for a compute-capable adapter and describes it.
pub async fn find_adapter() -> Result<AdapterSummary, AdapterError> {
    let adapter = request_adapter().await.map_err(AdapterError::NoAdapter)?;
    Ok(summarize(&adapter.get_info()))
}

/// The adapter both the check and [`crate::GpuContext::new`] use: the high-performance one, no
/// surface (compute only). The error is wgpu's reason, for the caller's own error type.
pub(crate) async fn request_adapter() -> Result<wgpu::Adapter, String> {
    let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle());
    instance
        .request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::HighPerformance,
            force_fallback_adapter: false,
            compatible_surface: None,
            ..Default::default()
        })
        .await
        .map_err(|e| e.to_string())
}

pub(crate) fn summarize(info: &wgpu::AdapterInfo) -> AdapterSummary {
    let mut name = info.name.trim().to_string();
    if name.is_empty() {
        // Browsers hide the adapter name for privacy; vendor and architecture are what is left.
        name = [info.driver.as_str(), info.driver_info.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
    }
    if name.is_empty() {
        name = format!("vendor {:#x}", info.vendor);
    }
    AdapterSummary {
        name,
        backend: info.backend.to_string(),
        is_software: info.device_type == wgpu::DeviceType::Cpu,
    }
}
