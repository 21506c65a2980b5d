//! wasm-bindgen exports for the WebGPU benchmark page (`tests/bench/gpu.html`): the browser's
//! round trip through our backend (one tiny dispatch, submit, `mapAsync` readback), and training
//! steps of the [`crate::STEP_SIZES`] networks on WebGPU and on the CPU backend in the same
//! page. The page's JavaScript does the timing, so both backends run under the same loop.

use std::sync::Arc;

use js_sys::Promise;
use np_engine::backend::cpu::CpuBackend;
use np_engine::backend::UnaryOp;
use np_engine::train::Trainer;
use np_engine::{Backend, BufferId};
use np_wgpu::{GpuContext, WgpuBackend};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

fn js(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// Awaits `fut` in a promise that resolves to nothing (or rejects with the error).
fn promise(fut: np_engine::backend::ReadFuture) -> Promise {
    future_to_promise(async move {
        fut.await
            .map(|_| JsValue::UNDEFINED)
            .map_err(|e| JsValue::from_str(&e.to_string()))
    })
}

/// An open WebGPU device with a one-float buffer pair for the round trip.
#[derive(Debug)]
#[wasm_bindgen]
pub struct GpuBench {
    ctx: Arc<GpuContext>,
    backend: WgpuBackend,
    x: BufferId,
    y: BufferId,
}

/// Opens the device (the app's path: `GpuContext::new`, every kernel compiled).
#[wasm_bindgen]
pub async fn open_gpu() -> Result<GpuBench, JsError> {
    // In wasm the context is neither Send nor Sync (WebGPU handles are JS objects); the backend
    // API takes an Arc because natively the same type is shared across threads.
    #[allow(clippy::arc_with_non_send_sync)]
    let ctx = Arc::new(GpuContext::new().await.map_err(js)?);
    let mut backend = WgpuBackend::new(Arc::clone(&ctx));
    let x = backend.upload(&[0.5]).map_err(js)?;
    let y = backend.alloc(1).map_err(js)?;
    Ok(GpuBench { ctx, backend, x, y })
}

#[wasm_bindgen]
impl GpuBench {
    /// The adapter, as the app's badge names it.
    pub fn adapter(&self) -> String {
        self.ctx.adapter().to_string()
    }
    /// One round trip: a one-element dispatch, its submission and a one-float `mapAsync`
    /// readback; the promise resolves when the value is on the host.
    pub fn round_trip(&mut self) -> Promise {
        if let Err(e) = self.backend.unary(UnaryOp::Neg, self.x, self.y) {
            return Promise::reject(&JsValue::from_str(&e.to_string()));
        }
        promise(self.backend.read(self.y))
    }
    /// A network of `widths` training in mini-batches of `batch` on this device.
    pub fn trainer(&self, widths: Vec<usize>, batch: usize) -> Result<StepBench, JsError> {
        let backend = Box::new(WgpuBackend::new(Arc::clone(&self.ctx)));
        crate::sized(&widths, batch, backend)
            .map(|t| {
                let flops = t.config().model.step_flops(batch);
                StepBench(t, flops)
            })
            .map_err(js)
    }
}

/// One network's training steps on one backend.
#[derive(Debug)]
#[wasm_bindgen]
pub struct StepBench(Trainer, f64);

#[wasm_bindgen]
impl StepBench {
    /// The same network on the CPU backend (SIMD128).
    pub fn cpu(widths: Vec<usize>, batch: usize) -> Result<StepBench, JsError> {
        crate::sized(&widths, batch, Box::new(CpuBackend::new()))
            .map(|t| {
                let flops = t.config().model.step_flops(batch);
                StepBench(t, flops)
            })
            .map_err(js)
    }
    /// One mini-batch, recorded (on the GPU, submitted without waiting for it).
    pub fn step(&mut self) -> Result<(), JsError> {
        self.0.step_batch().map(drop).map_err(js)
    }
    /// Resolves when the last step's loss is on the host: after `step`, the time of a step
    /// the way a loop that reads every loss sees it; after many `step`s, the end of them all.
    pub fn read_loss(&self) -> Promise {
        match self.0.read_last_loss() {
            Ok(f) => promise(f),
            Err(e) => Promise::reject(&JsValue::from_str(&e.to_string())),
        }
    }
    /// Floating-point operations of one step (the automatic rule's count).
    pub fn flops(&self) -> f64 {
        self.1
    }
}
