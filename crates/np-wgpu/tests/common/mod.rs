//! Shared test plumbing: one GPU context per test binary (lavapipe start-up is the slow part),
//! random data, and running the same calls on the GPU and the reference backend.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod reference;

use np_engine::rng::Rng;
use np_engine::{Backend, BufferId, Result};
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

/// Runs `f` on the GPU, on the plain reference and on np-engine's CPU backend; returns the GPU's
/// and the reference's values of the buffers it names (each test compares those at its own
/// tolerance) after checking the GPU against the CPU backend at 1e-3 absolute + 1e-3 relative,
/// a bound that covers every op's summation-order differences at the sizes tested.
pub fn both(
    f: impl Fn(&mut dyn Backend) -> Result<Vec<BufferId>>,
) -> (Vec<Vec<f32>>, Vec<Vec<f32>>) {
    let mut g = gpu();
    let mut r = reference::RefBackend::new();
    let gids = f(&mut g).expect("gpu op");
    let rids = f(&mut r).expect("reference op");
    let gv: Vec<Vec<f32>> = gids.iter().map(|&id| read(&g, id)).collect();
    let rv = rids.iter().map(|&id| read(&r, id)).collect();
    let mut c = np_engine::backend::cpu::CpuBackend::new();
    let cids = f(&mut c).expect("cpu op");
    for (i, (gv, cid)) in gv.iter().zip(cids).enumerate() {
        let cv: Vec<f32> = read(&c, cid);
        assert_close(
            gv,
            &cv,
            1e-3,
            1e-3,
            &format!("gpu vs CpuBackend, output {i}"),
        );
    }
    for id in gids {
        g.release(id);
    }
    (gv, rv)
}
