//! The automatic backend choice: WebGPU when an adapter exists and the work per step is large
//! enough to pay for dispatch and readback latency; the CPU for the course's tiny networks.

use crate::fallback::CpuFactory;
use crate::probe::AdapterSummary;
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

/// Floating-point operations of one training step of a dense network: forward, backward for
/// activations and backward for weights are each `2 * batch * weights`.
pub fn step_flops(layer_widths: &[usize], batch: usize) -> f64 {
    let weights: usize = layer_widths.windows(2).map(|w| w[0] * w[1]).sum();
    6.0 * batch as f64 * weights as f64
}

/// Below this many FLOPs per step the CPU wins on any adapter. The numbers behind it:
/// - a GPU step pays a fixed round trip (one submission plus one `map_async` readback of the
///   loss). Measured natively on lavapipe: 0.08-0.27 ms (`examples/gpu_bench.rs`, "round trip").
///   In a browser the WebGPU round trip goes through the page's event loop; we assume about 1 ms
///   there (NOT measured on this machine: no GPU, and headless SwiftShader says nothing about it);
/// - our CPU backend does 25-40 GFLOP/s natively on this VM (BENCHMARKS.md) and about
///   20 GFLOP/s in wasm with SIMD128 (the engine issue's measurement of a blocked GEMM);
/// - so 1 ms of round trip buys the CPU about 20 MFLOP: smaller steps cannot win on a GPU
///   however fast it is. The course's 2-8-8-1 net on 500 points is 0.26 MFLOP per step (CPU);
///   the 784-64-10 MLP at batch 128 is 39 MFLOP (GPU, on a hardware adapter).
pub const GPU_MIN_STEP_FLOPS: f64 = 20.0e6;

/// The rule. A software adapter (SwiftShader, lavapipe) is slower than our CPU backend at every
/// size we measured (lavapipe: 1.4-30x slower than CpuBackend, BENCHMARKS.md), so auto never
/// picks it; the user or the URL can still ask for it (`Preference::WebGpu`), which is how the
/// e2e test runs WebGPU on SwiftShader.
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
