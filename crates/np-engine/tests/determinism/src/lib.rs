//! Checksum of a seeded training run, built natively and as wasm by run.sh.

use np_engine::backend::UpdateRule;
use np_engine::data::generate;
use np_engine::nn::{Activation, Init, Loss, ModelSpec, OutputUnit, Regularization};
use np_engine::train::{TrainConfig, Trainer};

fn fnv(h: &mut u64, bits: u32) {
    for b in bits.to_le_bytes() {
        *h ^= u64::from(b);
        *h = h.wrapping_mul(0x100_0000_01b3);
    }
}

fn run(name: &str, spec: ModelSpec, loss: Loss, rule: UpdateRule, steps: usize) -> Option<u64> {
    let data = generate(name, 300, 0.2, 9)
        .ok()?
        .split(20.0, 10.0, 3)
        .ok()?;
    let cfg = TrainConfig {
        model: spec,
        optimizer: rule,
        loss,
        regularization: Regularization { l1: 1e-4, l2: 1e-3 },
        batch_size: 32,
        init_seed: 4,
        shuffle_seed: 5,
        early_stopping: None,
    };
    let mut t = Trainer::new(cfg, data).ok()?;
    for _ in 0..steps {
        t.step_batch().ok()?;
    }
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for p in t.export_params().ok()? {
        for v in p.data {
            fnv(&mut h, v.to_bits());
        }
    }
    Some(h)
}

/// Hash of the parameters after training two networks; 0 on error.
#[no_mangle]
pub extern "C" fn checksum() -> u64 {
    let mut tiny = ModelSpec::mlp(
        2,
        &[8, 8],
        Activation::Tanh,
        1,
        OutputUnit::Sigmoid,
        Init::GlorotNormal,
    );
    tiny.hidden[0].dropout = 0.3;
    let a = run(
        "xor",
        tiny,
        Loss::BinaryCrossEntropy,
        UpdateRule::adam(0.01),
        300,
    );
    let spiral = ModelSpec::mlp(
        2,
        &[30, 10],
        Activation::Elu { alpha: 1.0 },
        3,
        OutputUnit::Softmax,
        Init::HeNormal,
    );
    let b = run(
        "spiral3",
        spiral,
        Loss::CategoricalCrossEntropy,
        UpdateRule::rmsprop(0.01),
        300,
    );
    match (a, b) {
        (Some(a), Some(b)) => a ^ b.rotate_left(1),
        _ => 0,
    }
}
