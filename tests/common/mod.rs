//! A short, fully seeded training run whose numbers must be the same natively and in the
//! browser: the native test (`tests/determinism.rs`) and the browser test (`tests/web.rs`)
//! both compare against the constants below.
//!
//! Everything is compared bit for bit: the data and initial weights come from integer
//! arithmetic in the seeded generator, and the training kernels use the engine's own exp, ln,
//! tanh and sigmoid rather than the platform's maths library, with the same summation order in
//! the SIMD128 and scalar kernels.
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
pub const TRAINED_LOSS: f32 = f32::from_bits(0x3ed0_2b69);
/// FNV-1a over every parameter after two more runs that use the rest of the training
/// machinery: dropout, L1 and L2, ELU, RMSProp, sigmoid cross-entropy.
pub const PARAMS_HASH: u64 = 0x1a02_8085_a193_8061;
pub const EPOCHS: usize = 30;

#[derive(Debug)]
pub struct Fingerprint {
    pub data_hash: u64,
    pub init_hash: u64,
    pub trained_loss: f32,
    pub params_hash: u64,
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
        schedule: Default::default(),
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
        params_hash: params_hash(),
    }
}

fn trained_params(name: &str, model: ModelSpec, loss: Loss, optimizer: UpdateRule) -> Vec<f32> {
    let splits = generate(name, 300, 0.2, 9)
        .expect("known data set")
        .split(20.0, 10.0, 3)
        .expect("valid split");
    let cfg = TrainConfig {
        model,
        optimizer,
        loss,
        regularization: Regularization { l1: 1e-4, l2: 1e-3 },
        batch_size: 32,
        init_seed: 4,
        shuffle_seed: 5,
        early_stopping: None,
        schedule: Default::default(),
    };
    let mut trainer = Trainer::new(cfg, splits).expect("valid run");
    for _ in 0..300 {
        trainer.step_batch().expect("finite training");
    }
    trainer
        .export_params()
        .expect("parameters")
        .into_iter()
        .flat_map(|t| t.data)
        .collect()
}

fn params_hash() -> u64 {
    let mut xor = ModelSpec::mlp(
        2,
        &[8, 8],
        Activation::Tanh,
        1,
        OutputUnit::Sigmoid,
        Init::GlorotNormal,
    );
    xor.hidden[0].dropout = 0.3;
    let spiral = ModelSpec::mlp(
        2,
        &[30, 10],
        Activation::Elu { alpha: 1.0 },
        3,
        OutputUnit::Softmax,
        Init::HeNormal,
    );
    let a = trained_params("xor", xor, Loss::BinaryCrossEntropy, UpdateRule::adam(0.01));
    let b = trained_params(
        "spiral3",
        spiral,
        Loss::CategoricalCrossEntropy,
        UpdateRule::rmsprop(0.01),
    );
    fnv1a(a.into_iter().chain(b))
}

/// Panics with both fingerprints when they differ, so a failure says what moved.
pub fn check(got: &Fingerprint) {
    assert_eq!(got.data_hash, DATA_HASH, "data set differs: {got:?}");
    assert_eq!(got.init_hash, INIT_HASH, "initial weights differ: {got:?}");
    assert_eq!(
        got.trained_loss.to_bits(),
        TRAINED_LOSS.to_bits(),
        "trained loss differs: {got:?}"
    );
    assert_eq!(
        got.params_hash, PARAMS_HASH,
        "parameters after training differ: {got:?}"
    );
}
