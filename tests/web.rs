//! Tests that need a real browser: run by wasm-bindgen-test-runner in headless chromium
//! (`cargo test --target wasm32-unknown-unknown -p neural-playground --test web`), with WebGPU
//! enabled through webdriver.json.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn wgpu_finds_the_browsers_webgpu_adapter() {
    let adapter = np_wgpu::probe()
        .await
        .expect("chromium with --enable-unsafe-webgpu has an adapter");
    assert_eq!(adapter.backend, "webgpu");
    assert!(
        adapter.is_software,
        "headless chromium's adapter is SwiftShader, a fallback adapter"
    );
}
