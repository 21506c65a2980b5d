//! Benchmark workloads of the engine, defined once: the browser page (`tests/bench/`) runs them
//! through the wasm exports in [`web`], next to the same workloads written with TensorFlow.js.
//! Benchmarks, not tests: nothing here asserts a time.

// Code that ships reports failures as errors; unit tests (clippy.toml) may unwrap.
#![warn(clippy::unwrap_used, clippy::expect_used)]

use np_engine::backend::cpu::CpuBackend;
use np_engine::backend::{Backend, BufferId, MatmulDesc, UpdateRule};
use np_engine::data::{generate, Dataset, Splits};
use np_engine::nn::{Activation, Init, Loss, ModelSpec, OutputUnit, Regularization};
use np_engine::rng::Rng;
use np_engine::train::{TrainConfig, Trainer};
use np_engine::{Result, Tensor};

#[cfg(target_arch = "wasm32")]
pub mod web;
#[cfg(target_arch = "wasm32")]
pub mod web_gpu;

/// Rows per mini-batch of the MLP workload.
pub const MLP_BATCH: usize = 128;

/// Which CPU kernels a workload runs on: the engine's, or the plain reference matmul that the
/// ratios are taken against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernels {
    Engine,
    Reference,
}

fn backend(kernels: Kernels) -> CpuBackend {
    match kernels {
        Kernels::Engine => CpuBackend::new(),
        Kernels::Reference => CpuBackend::with_reference_matmul(),
    }
}

/// Random features in [0, 1) and uniform class labels (the MNIST shape without MNIST).
fn random_classification(
    rows: usize,
    features: usize,
    classes: usize,
    seed: u64,
) -> Result<Dataset> {
    let mut rng = Rng::new(seed);
    let x = (0..rows * features)
        .map(|_| rng.next_f64() as f32)
        .collect();
    let y = (0..rows).map(|_| rng.below(classes) as f32).collect();
    Dataset::new(Tensor::new(x, &[rows, features])?, y, classes)
}

fn trainer(
    model: ModelSpec,
    optimizer: UpdateRule,
    loss: Loss,
    batch_size: usize,
    train: Dataset,
    kernels: Kernels,
) -> Result<Trainer> {
    let empty = train.subset(&[])?;
    let cfg = TrainConfig {
        model,
        optimizer,
        loss,
        regularization: Regularization::default(),
        batch_size,
        init_seed: 1,
        shuffle_seed: 2,
        early_stopping: None,
        schedule: Default::default(),
    };
    let splits = Splits {
        train,
        val: empty.clone(),
        test: empty,
    };
    Trainer::with_backend(cfg, splits, Box::new(backend(kernels)))
}

/// The networks of the WebGPU-against-CPU comparison, from the course's size to a large MLP:
/// layer widths and batch size.
pub const STEP_SIZES: [(&[usize], usize); 4] = [
    (&[2, 8, 8, 1], 500),
    (&[64, 128, 128, 10], 128),
    (&[784, 64, 10], 128),
    (&[784, 256, 256, 10], 128),
];

/// A ReLU MLP of `widths` (inputs first, outputs last) on random data, Adam, mini-batches of
/// `batch` (eight per epoch), on `backend`: one output unit is a sigmoid on two classes, more
/// are a softmax. Only the shapes matter: it times steps.
pub fn sized(widths: &[usize], batch: usize, backend: Box<dyn Backend>) -> Result<Trainer> {
    let (inputs, outputs) = match widths {
        [i, .., o] => (*i, *o),
        _ => {
            return Err(np_engine::EngineError::InvalidConfig(
                "at least two layer widths".into(),
            ))
        }
    };
    let (unit, loss, classes) = if outputs == 1 {
        (OutputUnit::Sigmoid, Loss::BinaryCrossEntropy, 2)
    } else {
        (OutputUnit::Softmax, Loss::CategoricalCrossEntropy, outputs)
    };
    let hidden = &widths[1..widths.len() - 1];
    let model = ModelSpec::mlp(
        inputs,
        hidden,
        Activation::Relu,
        outputs,
        unit,
        Init::GlorotUniform,
    );
    let train = random_classification(batch * 8, inputs, classes, 5)?;
    let empty = train.subset(&[])?;
    let cfg = TrainConfig {
        model,
        optimizer: UpdateRule::adam(1e-3),
        loss,
        regularization: Regularization::default(),
        batch_size: batch,
        init_seed: 1,
        shuffle_seed: 2,
        early_stopping: None,
        schedule: Default::default(),
    };
    let splits = Splits {
        train,
        val: empty.clone(),
        test: empty,
    };
    Trainer::with_backend(cfg, splits, backend)
}

/// MLP 784-64-10, ReLU, softmax cross-entropy, Adam (lr 1e-3), batch 128: one `step_batch` is
/// one mini-batch.
pub fn mlp(kernels: Kernels) -> Result<Trainer> {
    let model = ModelSpec::mlp(
        784,
        &[64],
        Activation::Relu,
        10,
        OutputUnit::Softmax,
        Init::GlorotUniform,
    );
    let adam = UpdateRule::Adam {
        lr: 1e-3,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-7,
    };
    let data = random_classification(MLP_BATCH * 16, 784, 10, 1)?;
    trainer(
        model,
        adam,
        Loss::CategoricalCrossEntropy,
        MLP_BATCH,
        data,
        kernels,
    )
}

/// 2-8-8-1 tanh net on 500 XOR points, sigmoid cross-entropy, plain SGD (lr 0.03), full batch:
/// TensorFlow Playground's size of problem, where per-step overhead dominates.
pub fn tiny(kernels: Kernels) -> Result<Trainer> {
    let model = ModelSpec::mlp(
        2,
        &[8, 8],
        Activation::Tanh,
        1,
        OutputUnit::Sigmoid,
        Init::GlorotUniform,
    );
    let sgd = UpdateRule::Sgd {
        lr: 0.03,
        momentum: 0.0,
        nesterov: false,
    };
    trainer(
        model,
        sgd,
        Loss::BinaryCrossEntropy,
        0,
        generate("xor", 500, 0.0, 3)?,
        kernels,
    )
}

/// An `n x n` by `n x n` product on the CPU backend, operands resident.
#[derive(Debug)]
pub struct Matmul {
    backend: CpuBackend,
    a: BufferId,
    b: BufferId,
    out: BufferId,
    desc: MatmulDesc,
}

impl Matmul {
    pub fn new(n: usize, kernels: Kernels) -> Result<Self> {
        let mut backend = backend(kernels);
        let mut rng = Rng::new(4);
        let data: Vec<f32> = (0..n * n).map(|_| rng.normal() as f32).collect();
        let a = backend.upload(&data)?;
        let b = backend.upload(&data)?;
        let out = backend.alloc(n * n)?;
        Ok(Self {
            backend,
            a,
            b,
            out,
            desc: MatmulDesc::new(n, n, n),
        })
    }

    pub fn step(&mut self) -> Result<()> {
        self.backend.matmul(self.a, self.b, self.out, self.desc)
    }

    /// Floating-point operations per step (a multiply and an add per inner-product term).
    pub fn flops(&self) -> f64 {
        2.0 * (self.desc.m * self.desc.k * self.desc.n) as f64
    }
}
