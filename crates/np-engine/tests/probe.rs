//! The inspection probe computes what the trainer computes: the same activations for the same
//! parameters, the same full-batch gradient of the objective (data loss + L1/L2 penalty) as a
//! trainer step with the whole training set as its batch, and a gradient that finite differences
//! of its own objective confirm.

// Tests may unwrap: a failure should stop the test at the line that failed.

use np_engine::backend::UpdateRule;
use np_engine::data::generate;
use np_engine::nn::{Activation, Init, Loss, ModelSpec, OutputUnit, Regularization};
use np_engine::train::{Probe, Split, TrainConfig, Trainer};
use np_engine::{Tensor, TensorData};

/// The configurations the app builds: binary (one sigmoid unit), two and three softmax classes,
/// regression, and squared error through a sigmoid / tanh output (not from logits).
fn configs() -> Vec<(&'static str, TrainConfig)> {
    let cfg = |hidden: &[usize], act, outputs, output, loss, l1: f32, l2: f32| TrainConfig {
        model: ModelSpec::mlp(2, hidden, act, outputs, output, Init::GlorotUniform),
        optimizer: UpdateRule::adam(0.03),
        loss,
        regularization: Regularization { l1, l2 },
        batch_size: 0,
        init_seed: 5,
        shuffle_seed: 6,
        early_stopping: None,
        schedule: Default::default(),
    };
    vec![
        (
            "xor",
            cfg(
                &[6, 4],
                Activation::Tanh,
                1,
                OutputUnit::Sigmoid,
                Loss::BinaryCrossEntropy,
                1e-3,
                1e-2,
            ),
        ),
        (
            "circle",
            cfg(
                &[3],
                Activation::Relu,
                2,
                OutputUnit::Softmax,
                Loss::CategoricalCrossEntropy,
                0.0,
                3e-2,
            ),
        ),
        (
            "spiral3",
            cfg(
                &[5, 3],
                Activation::Sigmoid,
                3,
                OutputUnit::Softmax,
                Loss::CategoricalCrossEntropy,
                2e-2,
                0.0,
            ),
        ),
        (
            "reg-plane",
            cfg(
                &[4],
                Activation::Elu { alpha: 1.0 },
                1,
                OutputUnit::Linear,
                Loss::Mse,
                1e-2,
                1e-2,
            ),
        ),
        (
            "gauss",
            cfg(
                &[4],
                Activation::LeakyRelu { alpha: 0.01 },
                1,
                OutputUnit::Sigmoid,
                Loss::Mse,
                0.0,
                1e-2,
            ),
        ),
        (
            "spiral3",
            cfg(
                &[4],
                Activation::Tanh,
                3,
                OutputUnit::Softmax,
                Loss::Mse,
                5e-3,
                5e-3,
            ),
        ),
    ]
}

fn trainer(name: &str, cfg: &TrainConfig, n: usize) -> Trainer {
    let data = generate(name, n, 0.1, 3)
        .unwrap()
        .split(0.0, 20.0, 4)
        .unwrap();
    Trainer::new(cfg.clone(), data).unwrap()
}

fn close(a: &[f32], b: &[f32], tol: f32, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            (x - y).abs() <= tol * (1.0 + x.abs().max(y.abs())),
            "{what}[{i}]: {x} vs {y}"
        );
    }
}

#[test]
fn activations_equal_the_trainers_for_the_same_parameters() {
    for (name, cfg) in configs() {
        let mut t = trainer(name, &cfg, 120);
        for _ in 0..3 {
            t.step_epoch().unwrap();
        }
        let params = t.export_params().unwrap();
        // A probe starts at the config's initial weights, which differ from trained ones...
        let mut p = Probe::new(&cfg).unwrap();
        assert!(p.matches(&cfg));
        assert_ne!(p.params().unwrap(), params);
        // ...and once loaded computes exactly what the trainer computes.
        p.set_params(&params).unwrap();
        assert_eq!(p.params().unwrap(), params);
        let x = t.split(Split::Test).x.clone();
        let mine = p.activations(&x).unwrap();
        let theirs = t.activations(&x).unwrap();
        assert_eq!(mine.len(), cfg.model.hidden.len() + 1);
        assert_eq!(mine, theirs, "{name}: activations differ");
        // The last layer's post-activations are the trainer's predictions.
        assert_eq!(mine.last().unwrap().post, t.predict(&x).unwrap());
    }
}

#[test]
fn gradient_equals_a_full_batch_trainer_step_penalty_included() {
    for (name, cfg) in configs() {
        let mut t = trainer(name, &cfg, 90);
        // Move away from the initial weights first (batches of 16), then take one full-batch
        // step from the parameters the probe gets.
        let mut moved = cfg.clone();
        moved.batch_size = 16;
        let mut warm = trainer(name, &moved, 90);
        warm.step_epoch().unwrap();
        let params = warm.export_params().unwrap();
        t.import_params(&params).unwrap();
        let report = t.step_batch().unwrap();
        let n = t.split(Split::Train).len();
        assert_eq!(
            report.rows, n,
            "{name}: one batch is the whole training set"
        );

        let mut p = Probe::new(&cfg).unwrap();
        p.set_params(&params).unwrap();
        let g = p.gradient(t.split(Split::Train)).unwrap();
        // The trainer shuffles rows, so sums run in another order: equal up to rounding.
        let step_loss = report.loss.unwrap();
        assert!(
            (g.loss - step_loss).abs() <= 1e-5 * (1.0 + step_loss.abs()),
            "{name}: objective {} vs step loss {step_loss}",
            g.loss
        );
        assert_eq!(g.params.len(), 2 * t.model().layers.len());
        for (layer, wb) in g.params.chunks_exact(2).enumerate() {
            let (gw, gb) = t.layer_grads(layer).unwrap();
            assert_eq!(wb[0].dims, gw.dims());
            close(&wb[0].data, gw.data(), 1e-4, &format!("{name} dW{layer}"));
            close(&wb[1].data, gb.data(), 1e-4, &format!("{name} db{layer}"));
        }
        // The penalty is in it: without L1/L2 the weight gradients differ.
        let reg = cfg.regularization;
        if reg.l1 > 0.0 || reg.l2 > 0.0 {
            let mut plain_cfg = cfg.clone();
            plain_cfg.regularization = Regularization::default();
            let mut plain = Probe::new(&plain_cfg).unwrap();
            assert!(!plain.matches(&cfg));
            plain.set_params(&params).unwrap();
            let q = plain.gradient(t.split(Split::Train)).unwrap();
            assert!(q.loss < g.loss, "{name}: the penalty adds to the objective");
            let w = Tensor::try_from(params[0].clone()).unwrap();
            // d/dW (l1 |W| + l2 W^2) = l1 sign(W) + 2 l2 W, exactly the difference.
            let expected: Vec<f32> = w
                .data()
                .iter()
                .map(|&v| reg.l1 * v.signum() + 2.0 * reg.l2 * v)
                .collect();
            let diff: Vec<f32> = g.params[0]
                .data
                .iter()
                .zip(&q.params[0].data)
                .map(|(a, b)| a - b)
                .collect();
            close(&diff, &expected, 1e-4, &format!("{name} penalty gradient"));
            assert_eq!(g.params[1], q.params[1], "{name}: biases carry no penalty");
        }
    }
}

#[test]
fn gradient_matches_finite_differences_of_the_objective() {
    for (name, cfg) in configs() {
        let t = trainer(name, &cfg, 40);
        let data = t.split(Split::Train).clone();
        let mut p = Probe::new(&cfg).unwrap();
        let base = p.params().unwrap();
        let g = p.gradient(&data).unwrap();
        let h = 1e-2_f32;
        let mut checked = 0;
        for (k, tensor) in base.iter().enumerate() {
            // A handful of entries per tensor keeps the test quick.
            for i in (0..tensor.data.len()).step_by(tensor.data.len().div_ceil(4).max(1)) {
                let mut at = |delta: f32| -> f32 {
                    let mut moved: Vec<TensorData> = base.clone();
                    moved[k].data[i] += delta;
                    p.set_params(&moved).unwrap();
                    p.gradient(&data).unwrap().loss
                };
                let numeric = (at(h) - at(-h)) / (2.0 * h);
                let analytic = g.params[k].data[i];
                // L1 has a kink at 0: skip a weight within h of it.
                if cfg.regularization.l1 > 0.0 && k % 2 == 0 && tensor.data[i].abs() < 2.0 * h {
                    continue;
                }
                assert!(
                    (numeric - analytic).abs() <= 2e-3 + 3e-2 * analytic.abs(),
                    "{name}: parameter {k}[{i}]: numeric {numeric} vs analytic {analytic}"
                );
                checked += 1;
            }
        }
        assert!(checked >= 8, "{name}: only {checked} entries checked");
    }
}

#[test]
fn wrong_parameters_and_inputs_are_errors() {
    let (name, cfg) = configs().remove(0);
    let mut p = Probe::new(&cfg).unwrap();
    let mut params = p.params().unwrap();
    assert!(p.set_params(&params[..2]).is_err(), "too few tensors");
    params[0].dims = vec![1, params[0].data.len()];
    assert!(p.set_params(&params).is_err(), "wrong shape");
    assert!(p.activations(&Tensor::zeros(&[3, 5]).unwrap()).is_err());
    let t = trainer(name, &cfg, 30);
    let mut empty = t.split(Split::Train).clone();
    empty.x = Tensor::zeros(&[0, 2]).unwrap();
    empty.y.clear();
    assert!(p.gradient(&empty).is_err());
}
