//! The automatic backend choice: WebGPU when an adapter exists and the work per step is large
//! enough to pay for dispatch and readback latency; the CPU for the course's tiny networks.

use crate::adapter::AdapterSummary;
use crate::fallback::CpuFactory;
use crate::{FallbackBackend, GpuContext, WgpuBackend};
use std::sync::Arc;

/// Which backend runs the training.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Cpu,
    WebGpu,
}

/// What the user (or the URL) asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Preference {
    /// Let [`choose`] decide.
    #[default]
    Auto,
    Cpu,
    WebGpu,
}

/// Below this many FLOPs per step ([`np_engine::nn::ModelSpec::step_flops`]) auto keeps the CPU even on a hardware adapter. The numbers
/// behind it (BENCHMARKS.md, "WebGPU backend in the browser"):
/// - a GPU step that waits for its result pays a round trip (submission plus a `map_async`
///   readback). Natively on lavapipe: 0.08-0.27 ms. In headless chromium through our backend
///   (`tests/bench/gpu.mjs`): median 2.5-2.6 ms, minimum 0.2-0.3 ms. That browser is on
///   SwiftShader, Chrome's CPU emulation of a GPU, so how much of the 2.5 ms a hardware adapter
///   also pays is unknown; no GPU was available to measure it;
/// - our CPU backend trains the MLPs at about 45-50 GFLOP/s in the same page (wasm, SIMD128);
/// - so a loop that waited for every step's loss would need steps above roughly
///   2.5 ms x 50 GFLOP/s = 125 MFLOP before any GPU could win. The app does not wait per step:
///   it submits steps back to back and reads once per epoch, so the round trip is shared by an
///   epoch's steps and a step pays its submission and the GPU's work, which only a hardware
///   adapter can measure. 20 MFLOP is therefore an estimate of the crossover on real GPUs, not a
///   measurement: the course's 2-8-8-1 net on 500 points (0.26 MFLOP per step) stays on the CPU,
///   the 784-64-10 MLP at batch 128 (39 MFLOP) goes to a hardware GPU. Re-measure with
///   `scripts/bench.sh` on a machine with one.
pub const GPU_MIN_STEP_FLOPS: f64 = 20.0e6;

/// The rule. A software adapter (SwiftShader, lavapipe) is slower than our CPU backend at every
/// size we measured (lavapipe: 1.4-30x slower than CpuBackend; SwiftShader in chromium: 70-1000x
/// slower per training step, BENCHMARKS.md), so auto never picks it; the user or the URL can
/// still ask for it (`Preference::WebGpu`), which is how the e2e tests run WebGPU on
/// SwiftShader.
pub fn choose(pref: Preference, adapter: Option<&AdapterSummary>, step_flops: f64) -> Choice {
    match (pref, adapter) {
        (_, None) => Choice::Cpu,
        (Preference::Cpu, _) => Choice::Cpu,
        (Preference::WebGpu, Some(_)) => Choice::WebGpu,
        (Preference::Auto, Some(a)) => {
            if !a.is_software && step_flops >= GPU_MIN_STEP_FLOPS {
                Choice::WebGpu
            } else {
                Choice::Cpu
            }
        }
    }
}

/// Opens the backend the rule picks; the app's single entry point. Never blocks: await it (in
/// the browser from `wasm_bindgen_futures::spawn_local`). Without an adapter, or when the rule
/// or the user picks the CPU, the result runs on the CPU from the start and
/// [`FallbackBackend::fell_back`] says why; with a GPU it falls back by itself later if the
/// device is lost.
pub async fn open_backend(
    pref: Preference,
    step_flops: f64,
    make_cpu: CpuFactory,
) -> FallbackBackend {
    if pref == Preference::Cpu {
        return FallbackBackend::cpu_only(make_cpu, "cpu: chosen");
    }
    let ctx = match GpuContext::new().await {
        Ok(ctx) => ctx,
        Err(e) => return FallbackBackend::cpu_only(make_cpu, &format!("cpu: {e}")),
    };
    match choose(pref, Some(ctx.adapter()), step_flops) {
        // In wasm the context is neither Send nor Sync (WebGPU handles are JS objects); the Arc
        // is still right: natively the same type is shared across threads (tests, benchmarks).
        #[allow(clippy::arc_with_non_send_sync)]
        Choice::WebGpu => FallbackBackend::new(WgpuBackend::new(Arc::new(ctx)), make_cpu),
        Choice::Cpu => {
            let why = if ctx.adapter().is_software {
                format!("cpu: faster than the software adapter {}", ctx.adapter())
            } else {
                "cpu: network too small to gain from the GPU".to_string()
            };
            FallbackBackend::cpu_only(make_cpu, &why)
        }
    }
}
