//! Native CPU benchmarks of the engine (not tests). Run:
//! `cargo run --release -p np-engine --example bench`
//!
//! Rates are per second of CPU time of the benchmark thread (Linux schedstat), so that other
//! processes on a shared machine do not count against us; elsewhere they are per wall second.
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
        schedule: Default::default(),
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

/// Nanoseconds this thread has spent on a CPU (Linux `/proc/thread-self/schedstat`), so rates
/// stay meaningful on a machine shared with other work; falls back to wall time elsewhere.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// A clock that reads CPU time where available.
struct Clock {
    wall: Instant,
    cpu: Option<u64>,
}

impl Clock {
    fn start() -> Self {
        Self {
            wall: Instant::now(),
            cpu: cpu_ns(),
        }
    }
    fn wall_secs(&self) -> f64 {
        self.wall.elapsed().as_secs_f64()
    }
    /// CPU seconds since start (wall seconds without schedstat).
    fn secs(&self) -> f64 {
        match (self.cpu, cpu_ns()) {
            (Some(a), Some(b)) => (b - a) as f64 * 1e-9,
            _ => self.wall_secs(),
        }
    }
}

/// Steps per CPU second and per wall second over at least `min_secs` of wall time, after a
/// warm-up.
fn steps_per_sec(t: &mut Trainer, min_secs: f64) -> Result<Rate> {
    for _ in 0..5 {
        t.step_batch()?;
    }
    let clock = Clock::start();
    let mut n = 0u64;
    while clock.wall_secs() < min_secs {
        t.step_batch()?;
        n += 1;
    }
    Ok(Rate(n as f64 / clock.secs(), n as f64 / clock.wall_secs()))
}

/// A rate per CPU second and per wall second.
#[derive(Clone, Copy)]
struct Rate(f64, f64);

impl std::ops::Mul<f64> for Rate {
    type Output = Rate;
    fn mul(self, k: f64) -> Rate {
        Rate(self.0 * k, self.1 * k)
    }
}

fn matmul_gflops(size: usize, reference: bool, min_secs: f64) -> Result<Rate> {
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
    let clock = Clock::start();
    let mut n = 0u64;
    while clock.wall_secs() < min_secs || n == 0 {
        be.matmul(a, b, c, d)?;
        n += 1;
    }
    let flop = 2.0 * (size as f64).powi(3) * n as f64;
    Ok(Rate(
        flop / clock.secs() / 1e9,
        flop / clock.wall_secs() / 1e9,
    ))
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
    println!("Rates per CPU second of the benchmark thread (per wall second in brackets).");
    println!("| workload | engine | naive baseline | ratio |");
    println!("|---|---|---|---|");
    let row = |name: &str, unit: &str, fast: Rate, slow: Rate| {
        println!(
            "| {name} | {:.0} {unit} ({:.0}) | {:.0} {unit} ({:.0}) | {:.1}x |",
            fast.0,
            fast.1,
            slow.0,
            slow.1,
            fast.0 / slow.0
        );
    };
    let mlp_rate = |reference| -> Result<Rate> {
        let data = random_set(128 * 40, 784, 10, 1)?;
        let mut t = trainer(
            mlp.clone(),
            Loss::CategoricalCrossEntropy,
            128,
            data,
            reference,
        )?;
        Ok(steps_per_sec(&mut t, 3.0)? * 128.0)
    };
    // `bench tiny` runs only the tiny net, for profiling.
    if std::env::args().nth(1).as_deref() == Some("tiny") {
        let mut t = trainer(tiny.clone(), Loss::Mse, 0, random_set(500, 2, 0, 2)?, false)?;
        let r = steps_per_sec(&mut t, 5.0)?;
        println!(
            "tiny: {:.0} steps/s per CPU second ({:.0} per wall second)",
            r.0, r.1
        );
        return Ok(());
    }
    let (fast, slow) = (mlp_rate(false)?, mlp_rate(true)?);
    row(
        "MLP 784-64-10 ReLU, softmax CE, Adam, batch 128",
        "samples/s",
        fast,
        slow,
    );
    let tiny_rate = |reference| -> Result<Rate> {
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
            "| matmul {size}x{size}x{size} | {:.2} GFLOP/s ({:.2}) | {:.2} GFLOP/s ({:.2}) | {:.1}x |",
            fast.0,
            fast.1,
            slow.0,
            slow.1,
            fast.0 / slow.0
        );
    }
    // The decision-boundary grid: 100 x 100 points through a trained-size model, graph-free.
    let mut t = trainer(tiny.clone(), Loss::Mse, 0, random_set(500, 2, 0, 2)?, false)?;
    let grid = Tensor::new(
        (0..20_000).map(|i| (i % 200) as f32 * 0.05 - 5.0).collect(),
        &[10_000, 2],
    )?;
    t.predict(&grid)?;
    let clock = Clock::start();
    let mut n = 0u32;
    while clock.wall_secs() < 1.0 {
        t.predict(&grid)?;
        n += 1;
    }
    println!(
        "\npredict 100x100 grid, 2-8-8-1: {:.3} ms CPU per grid ({:.3} ms wall)",
        clock.secs() * 1e3 / f64::from(n),
        clock.wall_secs() * 1e3 / f64::from(n)
    );
    Ok(())
}
