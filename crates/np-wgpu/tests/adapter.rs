//! The native adapter is what every other GPU test runs on, so its absence must be loud.

#![cfg(not(target_arch = "wasm32"))] // native (lavapipe) tests; the browser has tests/web.rs

#[test]
fn finds_a_vulkan_adapter() {
    let summary =
        pollster::block_on(np_wgpu::find_adapter()).expect("lavapipe or a GPU must be present");
    assert!(!summary.name.is_empty());
    assert_eq!(summary.backend, "vulkan");
}
