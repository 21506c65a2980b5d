//! Shared test plumbing: one GPU context per test binary (lavapipe start-up is the slow part),
//! random data, reads and comparisons.

// Every test binary compiles this module and uses only part of it.
#![allow(dead_code)]

use np_engine::rng::Rng;
use np_engine::{Backend, BufferId};
use np_wgpu::{GpuContext, WgpuBackend};
use std::sync::{Arc, OnceLock};

pub fn context() -> Arc<GpuContext> {
    static CTX: OnceLock<Arc<GpuContext>> = OnceLock::new();
    CTX.get_or_init(|| {
        let dir = std::env::temp_dir().join("np-wgpu-xdg");
        let _ = std::fs::create_dir_all(&dir);
        Arc::new(pollster::block_on(GpuContext::new()).expect("lavapipe or a GPU must be present"))
    })
    .clone()
}

pub fn gpu() -> WgpuBackend {
    WgpuBackend::new(context())
}

pub fn random(rng: &mut Rng, n: usize, lo: f64, hi: f64) -> Vec<f32> {
    (0..n).map(|_| rng.uniform(lo, hi) as f32).collect()
}

pub fn read(b: &dyn Backend, id: BufferId) -> Vec<f32> {
    pollster::block_on(b.read(id)).expect("read")
}

/// `|got - want| <= atol + rtol * |want|` elementwise, NaNs must match.
pub fn assert_close(got: &[f32], want: &[f32], atol: f32, rtol: f32, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        if w.is_nan() {
            assert!(g.is_nan(), "{what}[{i}]: got {g}, want NaN");
            continue;
        }
        if w.is_infinite() {
            assert_eq!(g, w, "{what}[{i}]");
            continue;
        }
        assert!(
            (g - w).abs() <= atol + rtol * w.abs(),
            "{what}[{i}]: got {g}, want {w}"
        );
    }
}
