//! wasm-bindgen exports for the browser benchmark page: one object per workload with a `step`,
//! so the page times ours and TensorFlow.js's with the very same JavaScript loop.

use crate::Kernels;
use np_engine::train::Trainer;
use wasm_bindgen::prelude::*;

fn js(e: np_engine::EngineError) -> JsError {
    JsError::new(&e.to_string())
}

#[derive(Debug)]
#[wasm_bindgen]
pub struct MlpBench(Trainer);

#[wasm_bindgen]
impl MlpBench {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<MlpBench, JsError> {
        crate::mlp(Kernels::Engine).map(MlpBench).map_err(js)
    }
    /// One mini-batch of training.
    pub fn step(&mut self) -> Result<(), JsError> {
        self.0.step_batch().map(drop).map_err(js)
    }
    pub fn batch(&self) -> usize {
        crate::MLP_BATCH
    }
}

#[derive(Debug)]
#[wasm_bindgen]
pub struct TinyBench(Trainer);

#[wasm_bindgen]
impl TinyBench {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<TinyBench, JsError> {
        crate::tiny(Kernels::Engine).map(TinyBench).map_err(js)
    }
    /// One full-batch step.
    pub fn step(&mut self) -> Result<(), JsError> {
        self.0.step_batch().map(drop).map_err(js)
    }
}

#[derive(Debug)]
#[wasm_bindgen]
pub struct MatmulBench(crate::Matmul);

#[wasm_bindgen]
impl MatmulBench {
    #[wasm_bindgen(constructor)]
    pub fn new(n: usize) -> Result<MatmulBench, JsError> {
        crate::Matmul::new(n, Kernels::Engine)
            .map(MatmulBench)
            .map_err(js)
    }
    pub fn step(&mut self) -> Result<(), JsError> {
        self.0.step().map_err(js)
    }
}
