//! The backend test suite (crates/np-backend-tests) on lavapipe: `WgpuBackend`, and
//! `FallbackBackend` both on the GPU (every call journaled) and on the CPU from the start.

#![cfg(not(target_arch = "wasm32"))] // native (lavapipe) tests; the browser has tests/web.rs

mod common;

use np_backend_tests::backend_tests;
use np_engine::backend::cpu::CpuBackend;
use np_wgpu::{CpuFactory, FallbackBackend};

fn make_cpu() -> CpuFactory {
    Box::new(|| Box::new(CpuBackend::new()))
}

mod wgpu {
    use super::*;
    backend_tests!(Box::new(common::gpu()));
}

mod fallback_on_gpu {
    use super::*;
    backend_tests!(Box::new(FallbackBackend::new(common::gpu(), make_cpu())));
}

mod fallback_on_cpu {
    use super::*;
    backend_tests!(Box::new(FallbackBackend::cpu_only(
        make_cpu(),
        "cpu: chosen"
    )));
}
