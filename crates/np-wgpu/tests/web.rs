//! In headless chromium with --enable-unsafe-webgpu (SwiftShader): the backend opens
//! asynchronously, kernels run, and every readback is awaited (no blocking poll exists there);
//! the whole backend test suite (crates/np-backend-tests) passes on `WgpuBackend` and on
//! `FallbackBackend` there, to the precision the WGSL spec promises (SwiftShader's `sin` and `cos` are less exact than lavapipe's).
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p np-wgpu --target wasm32-unknown-unknown --test web`
//! (wasm-bindgen-test-runner on PATH; crates/np-wgpu/webdriver.json passes the WebGPU flag).
#![cfg(target_arch = "wasm32")]

use np_engine::backend::cpu::CpuBackend;
use np_engine::backend::{MatmulDesc, UnaryOp, UpdateRule};
use np_engine::rng::Rng;
use np_engine::{Backend, EngineError};
use np_wgpu::choose::{open_backend, Preference};
use np_wgpu::{GpuContext, WgpuBackend};
use std::cell::RefCell;
use std::sync::Arc;
use wasm_bindgen_test::wasm_bindgen_test;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn make_cpu() -> np_wgpu::CpuFactory {
    Box::new(|| Box::new(CpuBackend::new()))
}

thread_local! {
    /// One device for the whole suite, as natively: opening one per case is the slow part.
    static CONTEXT: RefCell<Option<Arc<GpuContext>>> = const { RefCell::new(None) };
}

async fn webgpu() -> Box<dyn Backend> {
    let ctx = match CONTEXT.with_borrow(Clone::clone) {
        Some(ctx) => ctx,
        None => {
            let ctx = Arc::new(GpuContext::new().await.unwrap());
            CONTEXT.set(Some(Arc::clone(&ctx)));
            ctx
        }
    };
    Box::new(WgpuBackend::new(ctx))
}

async fn fallback() -> Box<dyn Backend> {
    let backend = open_backend(Preference::WebGpu, 1.0, make_cpu()).await;
    assert!(
        backend.on_gpu(),
        "no WebGPU adapter: {:?}",
        backend.fell_back()
    );
    Box::new(backend)
}

mod suite_on_webgpu {
    use super::*;
    np_backend_tests::backend_tests!(browser: webgpu(), np_backend_tests::Precision::Wgsl);
}

mod suite_on_fallback {
    use super::*;
    np_backend_tests::backend_tests!(browser: fallback(), np_backend_tests::Precision::Wgsl);
}

#[wasm_bindgen_test]
async fn kernels_run_on_webgpu_in_the_browser() {
    let mut gpu = open_backend(Preference::WebGpu, 1.0, make_cpu()).await;
    assert!(gpu.on_gpu(), "no WebGPU adapter: {:?}", gpu.fell_back());
    let mut cpu = CpuBackend::new();
    let mut rng = Rng::new(5);
    let (m, k, n) = (70, 33, 129);
    let a: Vec<f32> = (0..m * k).map(|_| rng.uniform(-1.0, 1.0) as f32).collect();
    let b: Vec<f32> = (0..k * n).map(|_| rng.uniform(-1.0, 1.0) as f32).collect();
    let mut outs = Vec::new();
    for be in [&mut gpu as &mut dyn Backend, &mut cpu] {
        let (x, y, z, t) = (
            be.upload(&a).unwrap(),
            be.upload(&b).unwrap(),
            be.alloc(m * n).unwrap(),
            be.alloc(m * n).unwrap(),
        );
        be.matmul(x, y, z, MatmulDesc::new(m, k, n)).unwrap();
        be.unary(UnaryOp::Tanh, z, t).unwrap();
        let s = [be.alloc(m * n).unwrap(), be.alloc(m * n).unwrap()];
        be.optimizer_step(
            UpdateRule::Adam {
                lr: 0.01,
                beta1: 0.9,
                beta2: 0.999,
                eps: 1e-8,
            },
            1,
            z,
            t,
            &s,
        )
        .unwrap();
        let mask = be.alloc(1000).unwrap();
        be.dropout_mask(mask, 7, 3, 0.6).unwrap();
        outs.push((be.read(z).await.unwrap(), be.read(mask).await.unwrap()));
    }
    let ((gz, gm), (cz, cm)) = (&outs[0], &outs[1]);
    for (g, c) in gz.iter().zip(cz) {
        assert!((g - c).abs() <= 1e-4 + 1e-4 * c.abs(), "{g} vs {c}");
    }
    assert_eq!(gm, cm, "dropout masks bit for bit");
    // There is no blocking read in the browser: map_async's callback cannot run before this task
    // yields, so the synchronous helper says NotReady instead of hanging the page.
    let id = gpu.alloc(4).unwrap();
    assert_eq!(gpu.read_blocking(id), Err(EngineError::NotReady));
    assert_eq!(gpu.read(id).await.unwrap(), vec![0.0; 4]);
}
