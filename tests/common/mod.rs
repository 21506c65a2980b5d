//! A short, fully seeded training run whose numbers must be the same natively and in the
#![allow(clippy::expect_used)] // a broken seeded run should fail loudly with its reason
//! browser: the native test (`tests/determinism.rs`) and the browser test (`tests/web.rs`)
//! both compare against the constants below.
//!
//! Data and initial weights come from integer arithmetic in the seeded generator, so they must
//! match bit for bit. The trained loss goes through float kernels that are vectorised
//! differently on each target (SIMD128 in wasm), so it is compared with a tolerance.
//! To regenerate after an intended change of the generator or the run, run
//! `cargo test -p neural-playground --test determinism -- --nocapture` and copy what it prints.

use np_engine::backend::UpdateRule;
use np_engine::data::generate;
use np_engine::nn::{Activation, Init, Loss, ModelSpec, OutputUnit, Regularization};
use np_engine::train::{TrainConfig, Trainer};

/// FNV-1a over the bit patterns of the data set and of the initial parameters.
pub const DATA_HASH: u64 = 0x73ff_8782_9674_3af1;
pub const INIT_HASH: u64 = 0x0a2a_fbb5_9d2c_09af;
/// Training loss after [`EPOCHS`] epochs.
pub const TRAINED_LOSS: f32 = 0.406_581_22;
pub const EPOCHS: usize = 30;

#[derive(Debug)]
pub struct Fingerprint {
    pub data_hash: u64,
    pub init_hash: u64,
    pub trained_loss: f32,
}

fn fnv1a(values: impl IntoIterator<Item = f32>) -> u64 {
    values.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, v| {
        v.to_bits()
            .to_le_bytes()
            .iter()
            .fold(h, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
    })
}

/// spiral3 (300 points), 2-8-8-3 tanh with softmax, Adam, batches of 32, reshuffled each epoch.
pub fn run() -> Fingerprint {
    let data = generate("spiral3", 300, 0.1, 7).expect("spiral3 exists");
    let data_hash = fnv1a(
        data.x
            .to_data()
            .data
            .into_iter()
            .chain(data.y.iter().copied()),
    );
    let splits = data.split(0.0, 20.0, 11).expect("valid split");
    let cfg = TrainConfig {
        model: ModelSpec::mlp(
            2,
            &[8, 8],
            Activation::Tanh,
            3,
            OutputUnit::Softmax,
            Init::GlorotUniform,
        ),
        optimizer: UpdateRule::Adam {
            lr: 0.01,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-7,
        },
        loss: Loss::CategoricalCrossEntropy,
        regularization: Regularization::default(),
        batch_size: 32,
        init_seed: 5,
        shuffle_seed: 6,
        early_stopping: None,
    };
    let mut trainer = Trainer::new(cfg, splits).expect("valid run");
    let init = trainer.export_params().expect("parameters");
    let init_hash = fnv1a(init.into_iter().flat_map(|t| t.data));
    let mut last = None;
    for _ in 0..EPOCHS {
        last = Some(trainer.step_epoch().expect("finite training"));
    }
    let trained_loss = last.expect("at least one epoch").train.loss;
    Fingerprint {
        data_hash,
        init_hash,
        trained_loss,
    }
}

/// Panics with both fingerprints when they differ, so a failure says what moved.
pub fn check(got: &Fingerprint) {
    assert_eq!(got.data_hash, DATA_HASH, "data set differs: {got:?}");
    assert_eq!(got.init_hash, INIT_HASH, "initial weights differ: {got:?}");
    let tol = 1e-4 * TRAINED_LOSS.abs().max(1.0);
    assert!(
        (got.trained_loss - TRAINED_LOSS).abs() <= tol,
        "trained loss {} differs from {TRAINED_LOSS} by more than {tol}: {got:?}",
        got.trained_loss
    );
}
