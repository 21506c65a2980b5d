//! Asks the browser's WebGPU API for an adapter and names it. wgpu reports only the adapter's
//! description, which browsers usually leave empty, so the vendor and architecture come from
//! `GPUAdapter.info` directly.

use js_sys::{Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The outcome of the adapter check: an adapter's name, or the reason the CPU backend is used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdapterCheck {
    Available(String),
    Unavailable(String),
}

pub async fn check_webgpu_adapter() -> AdapterCheck {
    match request_adapter().await {
        Ok(Some(adapter)) => AdapterCheck::Available(adapter_name(&adapter)),
        Ok(None) => {
            AdapterCheck::Unavailable("WebGPU is present but offers no adapter".to_string())
        }
        Err(reason) => AdapterCheck::Unavailable(reason),
    }
}

async fn request_adapter() -> Result<Option<JsValue>, String> {
    // The page's or the worker's navigator: the check runs where training runs.
    let navigator = get(&js_sys::global(), "navigator");
    let gpu = get(&navigator, "gpu");
    if gpu.is_undefined() || gpu.is_null() {
        return Err("this browser does not expose WebGPU".to_string());
    }
    let request = get(&gpu, "requestAdapter")
        .dyn_into::<js_sys::Function>()
        .map_err(|_| "navigator.gpu.requestAdapter is not a function".to_string())?;
    let promise = request
        .call0(&gpu)
        .ok()
        .and_then(|p| p.dyn_into::<Promise>().ok())
        .ok_or("requestAdapter did not return a promise")?;
    let adapter = JsFuture::from(promise)
        .await
        .map_err(|e| format!("requestAdapter failed: {}", js_text(&e)))?;
    Ok((!adapter.is_null() && !adapter.is_undefined()).then_some(adapter))
}

fn adapter_name(adapter: &JsValue) -> String {
    let info = get(adapter, "info");
    let field = |name: &str| get(&info, name).as_string().unwrap_or_default();
    let (description, vendor, architecture) =
        (field("description"), field("vendor"), field("architecture"));
    let hardware = [vendor, architecture]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let fallback = get(&info, "isFallbackAdapter").as_bool().unwrap_or(false)
        || get(adapter, "isFallbackAdapter").as_bool().unwrap_or(false);
    let mut name = match (description.is_empty(), hardware.is_empty()) {
        (false, false) => format!("{description} ({hardware})"),
        (false, true) => description,
        (true, false) => hardware,
        (true, true) => "unnamed adapter".to_string(),
    };
    if fallback {
        name.push_str(", software fallback");
    }
    name
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub(crate) fn js_text(value: &JsValue) -> String {
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}
