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

/// Below this many FLOPs per step the CPU wins on any adapter. A step costs the GPU a fixed
/// latency (one submission plus one readback: about 0.3-1 ms in browsers, measured ~1 ms on
/// lavapipe here, see BENCHMARKS.md), while our CPU backend does roughly 10-20 GFLOP/s in wasm
/// SIMD: 1 ms of CPU time is about 10 MFLOP. So only steps above ~10 MFLOP can win on the GPU;
/// the 784-64-10 MLP at batch 128 is 40 MFLOP per step, the course's 2-8-8-1 net on 500 points
/// 0.3 MFLOP.
pub const GPU_MIN_STEP_FLOPS: f64 = 10.0e6;

/// The rule. A software adapter (SwiftShader, lavapipe) is slower than our CPU backend at every
/// size we measured (see BENCHMARKS.md), so auto picks it only when asked explicitly.
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
