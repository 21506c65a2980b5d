//! Native CPU benchmarks of the engine (not tests). Run:
//! `cargo run --release -p np-engine --example bench`
//!
//! Each workload also runs on a naive baseline in the same process: the same engine with the
//! reference triple-loop matmul (`CpuBackend::with_reference_matmul`), so the ratio shows what
//! the blocked kernel buys.

use np_engine::backend::cpu::CpuBackend;
use np_engine::backend::{Backend, MatmulDesc, UpdateRule};
use np_engine::data::{Dataset, Splits};
use np_engine::nn::{Activation, Init, Loss, ModelSpec, OutputUnit, Regularization};
use np_engine::rng::Rng;
use np_engine::train::{TrainConfig, Trainer};
use np_engine::{Result, Tensor};
use std::time::Instant;

fn random_set(rows: usize, features: usize, classes: usize, seed: u64) -> Result<Dataset> {
    let mut rng = Rng::new(seed);
    let x = (0..rows * features)
        .map(|_| rng.next_f64() as f32)
        .collect();
    let y = (0..rows)
        .map(|_| {
            if classes == 0 {
                rng.normal() as f32
            } else {
                rng.below(classes) as f32
            }
        })
        .collect();
    Dataset::new(Tensor::new(x, &[rows, features])?, y, classes)
}

fn trainer(
    spec: ModelSpec,
    loss: Loss,
    batch: usize,
    data: Dataset,
    reference: bool,
) -> Result<Trainer> {
    let empty = data.subset(&[])?;
    let cfg = TrainConfig {
        model: spec,
        optimizer: UpdateRule::adam(1e-3),
        loss,
        regularization: Regularization::default(),
        batch_size: batch,
        init_seed: 1,
        shuffle_seed: 2,
        early_stopping: None,
    };
    let be: Box<dyn Backend> = if reference {
        Box::new(CpuBackend::with_reference_matmul())
    } else {
        Box::new(CpuBackend::new())
    };
    Trainer::with_backend(
        cfg,
        Splits {
            train: data,
            val: empty.clone(),
            test: empty,
        },
        be,
    )
}

/// Steps per second over at least `min_secs`, after a warm-up.
fn steps_per_sec(t: &mut Trainer, min_secs: f64) -> Result<f64> {
    for _ in 0..5 {
        t.step_batch()?;
    }
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed().as_secs_f64() < min_secs {
        t.step_batch()?;
        n += 1;
    }
    Ok(n as f64 / start.elapsed().as_secs_f64())
}

fn matmul_gflops(size: usize, reference: bool, min_secs: f64) -> Result<f64> {
    let mut be = if reference {
        CpuBackend::with_reference_matmul()
    } else {
        CpuBackend::new()
    };
    let mut rng = Rng::new(3);
    let data: Vec<f32> = (0..size * size).map(|_| rng.normal() as f32).collect();
    let a = be.upload(&data)?;
    let b = be.upload(&data)?;
    let c = be.alloc(size * size)?;
    let d = MatmulDesc::new(size, size, size);
    be.matmul(a, b, c, d)?;
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed().as_secs_f64() < min_secs || n == 0 {
        be.matmul(a, b, c, d)?;
        n += 1;
    }
    Ok(2.0 * (size as f64).powi(3) * n as f64 / start.elapsed().as_secs_f64() / 1e9)
}

fn main() -> Result<()> {
    let mlp = ModelSpec::mlp(
        784,
        &[64],
        Activation::Relu,
        10,
        OutputUnit::Softmax,
        Init::HeNormal,
    );
    let tiny = ModelSpec::mlp(
        2,
        &[8, 8],
        Activation::Tanh,
        1,
        OutputUnit::Linear,
        Init::GlorotUniform,
    );
    println!("| workload | engine | naive baseline | ratio |");
    println!("|---|---|---|---|");
    let row = |name: &str, unit: &str, fast: f64, slow: f64| {
        println!(
            "| {name} | {fast:.0} {unit} | {slow:.0} {unit} | {:.1}x |",
            fast / slow
        );
    };
    let mlp_rate = |reference| -> Result<f64> {
        let mut t = trainer(
            mlp.clone(),
            Loss::CategoricalCrossEntropy,
            128,
            random_set(128 * 40, 784, 10, 1)?,
            reference,
        )?;
        Ok(steps_per_sec(&mut t, 3.0)? * 128.0)
    };
    // `bench tiny` runs only the tiny net, for profiling.
    if std::env::args().nth(1).as_deref() == Some("tiny") {
        let mut t = trainer(tiny.clone(), Loss::Mse, 0, random_set(500, 2, 0, 2)?, false)?;
        println!("tiny: {:.0} steps/s", steps_per_sec(&mut t, 5.0)?);
        return Ok(());
    }
    let (fast, slow) = (mlp_rate(false)?, mlp_rate(true)?);
    row(
        "MLP 784-64-10 ReLU, softmax CE, Adam, batch 128",
        "samples/s",
        fast,
        slow,
    );
    let tiny_rate = |reference| -> Result<f64> {
        let mut t = trainer(
            tiny.clone(),
            Loss::Mse,
            0,
            random_set(500, 2, 0, 2)?,
            reference,
        )?;
        steps_per_sec(&mut t, 3.0)
    };
    let (fast, slow) = (tiny_rate(false)?, tiny_rate(true)?);
    row(
        "2-8-8-1 tanh, 500 points, full batch (MSE, Adam)",
        "steps/s",
        fast,
        slow,
    );
    for size in [256, 1024] {
        let (fast, slow) = (
            matmul_gflops(size, false, 2.0)?,
            matmul_gflops(size, true, 2.0)?,
        );
        println!(
            "| matmul {size}x{size}x{size} | {fast:.2} GFLOP/s | {slow:.2} GFLOP/s | {:.1}x |",
            fast / slow
        );
    }
    Ok(())
}
