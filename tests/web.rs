//! Tests that need a real browser: run by wasm-bindgen-test-runner in headless chromium
//! (`cargo test --target wasm32-unknown-unknown -p neural-playground --test web`), with WebGPU
//! enabled through webdriver.json. They cover what native tests cannot: the SIMD128 kernels,
//! the browser's WebGPU adapter, and that a seeded run is the same here as natively.
#![cfg(target_arch = "wasm32")]

mod common;

use np_engine::backend::cpu::CpuBackend;
use np_engine::backend::{Backend, MatmulDesc};
use np_engine::rng::Rng;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn wgpu_finds_the_browsers_webgpu_adapter() {
    let adapter = np_wgpu::find_adapter()
        .await
        .expect("chromium with --enable-unsafe-webgpu has an adapter");
    assert_eq!(adapter.backend, "webgpu");
    assert!(
        adapter.is_software,
        "headless chromium's adapter is SwiftShader, a fallback adapter"
    );
}

#[wasm_bindgen_test]
fn seeded_training_matches_the_native_run() {
    common::check(&common::run());
}

/// The blocked SIMD128 matmul against the plain reference loop, on shapes that are not
/// multiples of any tile or vector width, with every transpose combination.
#[wasm_bindgen_test]
fn simd_matmul_matches_the_reference_kernel() {
    let mut rng = Rng::new(9);
    for &(m, k, n) in &[
        (1, 1, 1),
        (3, 5, 7),
        (17, 33, 9),
        (64, 64, 64),
        (128, 784, 64),
        (70, 130, 257),
    ] {
        for (trans_a, trans_b) in [(false, false), (true, false), (false, true), (true, true)] {
            let a: Vec<f32> = (0..m * k).map(|_| rng.normal() as f32).collect();
            let b: Vec<f32> = (0..k * n).map(|_| rng.normal() as f32).collect();
            let desc = MatmulDesc {
                trans_a,
                trans_b,
                ..MatmulDesc::new(m, k, n)
            };
            let product = |backend: &mut CpuBackend| {
                let (ba, bb) = (
                    backend.upload(&a).expect("upload"),
                    backend.upload(&b).expect("upload"),
                );
                let out = backend.alloc(m * n).expect("alloc");
                backend.matmul(ba, bb, out, desc).expect("matmul");
                backend.read_blocking(out).expect("read")
            };
            let fast = product(&mut CpuBackend::new());
            let reference = product(&mut CpuBackend::with_reference_matmul());
            for (i, (x, y)) in fast.iter().zip(&reference).enumerate() {
                let tol = 1e-4 * (k as f32).sqrt() * y.abs().max(1.0);
                assert!(
                    (x - y).abs() <= tol,
                    "{m}x{k}x{n} t=({trans_a},{trans_b}) [{i}]: {x} vs {y}"
                );
            }
        }
    }
}
