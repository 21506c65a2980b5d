//! The trainer's contract: batches, reproducibility, state, early stopping, divergence.

// Tests may unwrap: a failure should stop the test at the line that failed.

use np_engine::backend::cpu::CpuBackend;
use np_engine::backend::UpdateRule;
use np_engine::data::{feature_matrix, generate, Feature};
use np_engine::nn::{Activation, Init, LayerSpec, Loss, ModelSpec, OutputUnit, Regularization};
use np_engine::train::{EarlyStopping, Monitor, Schedule, Split, Status, TrainConfig, Trainer};
use np_engine::Tensor;

fn xor_trainer(batch: usize, rule: UpdateRule) -> Trainer {
    let data = generate("xor", 250, 0.1, 7)
        .unwrap()
        .split(20.0, 10.0, 8)
        .unwrap();
    let mut model = ModelSpec::mlp(
        2,
        &[8, 8],
        Activation::Tanh,
        1,
        OutputUnit::Sigmoid,
        Init::GlorotUniform,
    );
    model.hidden[0].dropout = 0.2;
    let cfg = TrainConfig {
        model,
        optimizer: rule,
        loss: Loss::BinaryCrossEntropy,
        regularization: Regularization { l1: 1e-4, l2: 1e-3 },
        batch_size: batch,
        init_seed: 11,
        shuffle_seed: 12,
        early_stopping: None,
        schedule: Default::default(),
    };
    Trainer::new(cfg, data).unwrap()
}

#[test]
fn partial_last_batch_and_epoch_accounting() {
    let mut t = xor_trainer(64, UpdateRule::adam(0.01));
    let n = t.split(Split::Train).len();
    assert_eq!(n, 180); // 250 - 25 test - 45 validation
    let mut rows = vec![];
    loop {
        let r = t.step_batch().unwrap();
        rows.push(r.rows);
        if r.epoch_done {
            break;
        }
    }
    assert_eq!(rows, vec![64, 64, 52]);
    assert_eq!((t.epoch(), t.steps()), (1, 3));
    let rec = t.step_epoch().unwrap();
    assert_eq!(rec.epoch, 2);
    assert!(rec.val.is_some() && rec.train.auc.is_some());
}

#[test]
fn same_seeds_same_run_and_reset_restores_initial_weights() {
    let run = || {
        let mut t = xor_trainer(32, UpdateRule::adam(0.01));
        let init = t.export_params().unwrap();
        for _ in 0..3 {
            t.step_epoch().unwrap();
        }
        (t, init)
    };
    let (mut a, init) = run();
    let (b, _) = run();
    assert_eq!(a.export_params().unwrap(), b.export_params().unwrap());
    assert_ne!(a.export_params().unwrap(), init);
    a.reset().unwrap();
    assert_eq!(a.export_params().unwrap(), init);
    assert_eq!((a.epoch(), a.history().len()), (0, 0));
}

#[test]
fn export_import_continues_identically_and_survives_json() {
    for rule in [
        UpdateRule::sgd(0.1),
        UpdateRule::nesterov(0.05, 0.9),
        UpdateRule::adagrad(0.05),
        UpdateRule::rmsprop(0.01),
        UpdateRule::adam(0.01),
    ] {
        let mut a = xor_trainer(32, rule);
        a.step_epoch().unwrap();
        a.step_batch().unwrap();
        let saved = serde_json::to_string(&a.export().unwrap()).unwrap();
        for _ in 0..5 {
            a.step_batch().unwrap();
        }
        let mut b = xor_trainer(32, rule);
        b.import(&serde_json::from_str(&saved).unwrap()).unwrap();
        for _ in 0..5 {
            b.step_batch().unwrap();
        }
        assert_eq!(
            a.export_params().unwrap(),
            b.export_params().unwrap(),
            "{rule:?}"
        );
    }
}

#[test]
fn a_state_that_does_not_fit_is_refused_and_changes_nothing() {
    let mut t = xor_trainer(32, UpdateRule::adam(0.01));
    t.step_epoch().unwrap();
    t.step_batch().unwrap();
    let good = t.export().unwrap();
    let mut other = xor_trainer(32, UpdateRule::adam(0.01));
    for _ in 0..3 {
        other.step_batch().unwrap();
    }
    let before = other.export().unwrap();
    type Spoil = fn(&mut np_engine::train::TrainerState);
    let spoiled: [(&str, Spoil); 7] = [
        ("tensors", |s| {
            s.params.pop();
        }),
        ("shape", |s| s.params[0].dims = vec![8, 2]),
        ("values", |s| {
            s.params[1].data.push(0.5);
        }),
        ("optimizer", |s| {
            s.optimizer.state[0].pop().map(drop).unwrap()
        }),
        ("order", |s| s.order[3] = s.order[4]),
        ("order", |s| {
            s.order.pop();
        }),
        ("position", |s| s.cursor = s.order.len()),
    ];
    for (what, spoil) in spoiled {
        let mut bad = good.clone();
        spoil(&mut bad);
        let err = other.import(&bad).unwrap_err().to_string();
        assert!(!err.is_empty(), "{what}");
        assert_eq!(other.export().unwrap(), before, "{what}: the run changed");
    }
    // The untouched state still imports, and the next step stays in bounds.
    other.import(&good).unwrap();
    other.step_batch().unwrap();
}

#[test]
fn switching_backend_mid_training_changes_nothing() {
    let mut a = xor_trainer(32, UpdateRule::adam(0.01));
    let mut b = xor_trainer(32, UpdateRule::adam(0.01));
    for _ in 0..4 {
        a.step_batch().unwrap();
        b.step_batch().unwrap();
    }
    b.replace_backend(Box::new(CpuBackend::new())).unwrap();
    for _ in 0..6 {
        a.step_batch().unwrap();
        b.step_batch().unwrap();
    }
    assert_eq!(a.export_params().unwrap(), b.export_params().unwrap());
}

#[test]
fn learning_rate_changes_live_without_reset() {
    let mut t = xor_trainer(0, UpdateRule::sgd(0.1));
    t.step_batch().unwrap();
    let w = t.weight(0, 0, 0).unwrap();
    t.set_lr(0.0);
    t.step_batch().unwrap();
    assert_eq!(t.weight(0, 0, 0).unwrap(), w);
    assert_eq!(t.steps(), 2);
}

/// A trainer like `xor_trainer` but built with the given penalty, batch size and dropout.
fn xor_trainer_with(batch: usize, reg: Regularization, dropout: f32) -> Trainer {
    let t = xor_trainer(batch, UpdateRule::adam(0.01));
    let mut cfg = t.config().clone();
    cfg.regularization = reg;
    cfg.model
        .hidden
        .iter_mut()
        .for_each(|h| h.dropout = dropout);
    Trainer::new(cfg, t.data().clone()).unwrap()
}

#[test]
fn penalty_batch_size_and_dropout_change_live_as_if_built_so() {
    let reg = Regularization { l1: 0.0, l2: 0.05 };
    // Changed before the first step: the same run as a trainer built with the new values.
    let mut live = xor_trainer(32, UpdateRule::adam(0.01));
    live.set_regularization(reg);
    live.set_batch_size(7);
    live.set_dropout(0.5).unwrap();
    let mut built = xor_trainer_with(7, reg, 0.5);
    for _ in 0..2 {
        assert_eq!(live.step_epoch().unwrap(), built.step_epoch().unwrap());
    }
    assert_eq!(
        live.export_params().unwrap(),
        built.export_params().unwrap()
    );
    assert_eq!(live.config(), built.config());

    // Changed mid-run: progress is kept and the new batch size applies from the next step.
    let steps = live.steps();
    let w = live.weight(0, 0, 0).unwrap();
    live.set_batch_size(0);
    let report = live.step_batch().unwrap();
    assert!(
        report.rows > 7,
        "the rest of the epoch in one batch: {}",
        report.rows
    );
    assert_eq!(live.steps(), steps + 1);
    assert_ne!(live.weight(0, 0, 0).unwrap(), w);
    assert!(live.set_dropout(1.0).is_err());
}

#[test]
fn divergence_is_a_value_not_a_panic() {
    let data = generate("reg-plane", 100, 0.0, 1)
        .unwrap()
        .split(0.0, 0.0, 1)
        .unwrap();
    let model = ModelSpec::mlp(
        2,
        &[8],
        Activation::Relu,
        1,
        OutputUnit::Linear,
        Init::HeNormal,
    );
    let cfg = TrainConfig {
        model,
        optimizer: UpdateRule::sgd(1e3),
        loss: Loss::Mse,
        regularization: Regularization::default(),
        batch_size: 10,
        init_seed: 1,
        shuffle_seed: 1,
        early_stopping: None,
        schedule: Default::default(),
    };
    let mut t = Trainer::new(cfg, data).unwrap();
    for _ in 0..50 {
        let _ = t.step_epoch().unwrap();
    }
    assert!(
        matches!(t.status(), Status::Diverged { .. }),
        "{:?}",
        t.status()
    );
    let r = t.step_batch().unwrap();
    assert_eq!(r.rows, 0);
}

#[test]
fn one_divergence_rule_judges_synchronous_and_caller_read_values() {
    let fresh = || {
        let data = generate("xor", 60, 0.0, 2)
            .unwrap()
            .split(0.0, 0.0, 1)
            .unwrap();
        let model = ModelSpec::mlp(
            2,
            &[3],
            Activation::Tanh,
            1,
            OutputUnit::Sigmoid,
            Init::GlorotUniform,
        );
        let cfg = TrainConfig {
            model,
            optimizer: UpdateRule::sgd(0.1),
            loss: Loss::BinaryCrossEntropy,
            regularization: Regularization::default(),
            batch_size: 10,
            init_seed: 1,
            shuffle_seed: 1,
            early_stopping: None,
            schedule: Default::default(),
        };
        Trainer::new(cfg, data).unwrap()
    };
    // Finite values keep the run going; the trainer reads the parameters itself when not given.
    let mut t = fresh();
    assert_eq!(
        *t.check_divergence(&[("loss", 0.7)], None).unwrap(),
        Status::Running
    );
    let read = t.export_params().unwrap();
    let mut params: Vec<Vec<f32>> = read.iter().map(|p| p.data.clone()).collect();
    assert_eq!(
        *t.check_divergence(&[("loss", 0.7)], Some(&params)).unwrap(),
        Status::Running
    );
    // A non-finite loss read by the caller (the GPU path's asynchronous reads).
    let mut t = fresh();
    let status = t.check_divergence(&[("loss", 0.7), ("test loss", f32::NAN)], None);
    assert!(
        matches!(status.unwrap(), Status::Diverged { what, .. } if what == "test loss is NaN"),
        "{:?}",
        t.status()
    );
    assert!(
        t.step_batch().unwrap().rows == 0,
        "a diverged run stays stopped"
    );
    // A non-finite parameter, read by the caller or by the trainer.
    let mut t = fresh();
    params[2][0] = f32::INFINITY;
    let status = t.check_divergence(&[("loss", 0.7)], Some(&params)).unwrap();
    assert!(
        matches!(status, Status::Diverged { what, .. } if what.starts_with("parameter") && what.contains("not finite")),
        "{status:?}"
    );
    let mut t = fresh();
    t.set_weight(0, 0, 0, f32::INFINITY).unwrap();
    assert!(matches!(
        t.check_divergence(&[("loss", 0.7)], None).unwrap(),
        Status::Diverged { .. }
    ));
}

#[test]
fn early_stopping_restores_the_best_epoch() {
    let data = generate("moons", 200, 0.3, 2)
        .unwrap()
        .split(30.0, 0.0, 3)
        .unwrap();
    let model = ModelSpec::mlp(
        2,
        &[64, 64],
        Activation::Relu,
        1,
        OutputUnit::Sigmoid,
        Init::HeNormal,
    );
    let cfg = TrainConfig {
        model,
        optimizer: UpdateRule::adam(0.05),
        loss: Loss::BinaryCrossEntropy,
        regularization: Regularization::default(),
        batch_size: 16,
        init_seed: 1,
        shuffle_seed: 1,
        early_stopping: Some(EarlyStopping {
            monitor: Monitor::Loss,
            patience: 3,
            min_delta: 0.0,
            restore_best: true,
        }),
        schedule: Default::default(),
    };
    let mut t = Trainer::new(cfg, data).unwrap();
    for _ in 0..200 {
        t.step_epoch().unwrap();
        if *t.status() != Status::Running {
            break;
        }
    }
    let Status::Stopped { best_epoch, epoch } = t.status().clone() else {
        panic!("{:?}", t.status())
    };
    assert_eq!(epoch - best_epoch, 3);
    let best_val = t.history()[best_epoch - 1].val.clone().unwrap().loss;
    let now = t.evaluate(Split::Val).unwrap().loss;
    assert!((now - best_val).abs() < 1e-5, "{now} vs best {best_val}");
}

#[test]
fn predictions_activations_grid_and_features() {
    let mut t = xor_trainer(32, UpdateRule::adam(0.01));
    t.step_epoch().unwrap();
    // A 100 x 100 decision-boundary grid in one call.
    let grid: Vec<f32> = (0..100 * 100)
        .flat_map(|i| [(i % 100) as f32 / 10.0 - 5.0, (i / 100) as f32 / 10.0 - 5.0])
        .collect();
    let grid = Tensor::new(grid, &[10_000, 2]).unwrap();
    let start = std::time::Instant::now();
    let p = t.predict(&grid).unwrap();
    let took = start.elapsed();
    assert_eq!(p.dims(), &[10_000, 1]);
    assert!(p.data().iter().all(|v| (0.0..=1.0).contains(v)));
    assert!(took.as_millis() < 200, "grid prediction took {took:?}");
    let acts = t.activations(&grid).unwrap();
    assert_eq!(acts.len(), 3);
    assert_eq!(acts[0].pre.dims(), &[10_000, 8]);
    assert!(acts[1].post.data().iter().all(|v| v.abs() <= 1.0));
    assert_eq!(acts[2].post, p);
    // Per-layer gradients and norms exist after a step.
    assert!(t.grad_norms().unwrap().iter().all(|n| n.weights > 0.0));
    assert_eq!(
        t.confusion(Split::Train)
            .unwrap()
            .iter()
            .flatten()
            .sum::<usize>(),
        180
    );
    // TensorFlow Playground's feature transforms.
    let pts = Tensor::new(vec![1.0, 2.0], &[1, 2]).unwrap();
    let f = feature_matrix(&pts, Feature::ALL).unwrap();
    assert_eq!(f.data()[..5], [1.0, 2.0, 1.0, 4.0, 2.0]);
    assert!((f.data()[5] - 1f32.sin()).abs() < 1e-6);
}

#[test]
fn specs_configs_and_states_are_plain_serde_data() {
    let spec = ModelSpec {
        inputs: 2,
        hidden: vec![LayerSpec {
            units: 4,
            activation: Activation::LeakyRelu { alpha: 0.1 },
            dropout: 0.5,
        }],
        outputs: 3,
        output: OutputUnit::Softmax,
        init: Init::Constant { value: 0.5 },
        bias_init: 0.0,
        layer_inits: Vec::new(),
        frozen: Vec::new(),
        steps: None,
    };
    let json = serde_json::to_string(&spec).unwrap();
    assert_eq!(serde_json::from_str::<ModelSpec>(&json).unwrap(), spec);
    let rule: UpdateRule =
        serde_json::from_str(r#"{"kind":"adam","lr":0.001,"beta1":0.9,"beta2":0.999,"eps":1e-8}"#)
            .unwrap();
    assert_eq!(rule, UpdateRule::adam(0.001));
}

#[test]
fn the_asynchronous_driving_path_matches_step_epoch() {
    // What the app does with a backend that cannot read synchronously: batches, an async
    // prediction, metrics on the host, then finish_epoch.
    let mut a = xor_trainer(32, UpdateRule::adam(0.01));
    let mut b = xor_trainer(32, UpdateRule::adam(0.01));
    let rec_a = a.step_epoch().unwrap();
    while !b.step_batch().unwrap().epoch_done {}
    let metrics = |t: &mut Trainer, s: Split| {
        let set = t.split(s).clone();
        let fut = t.predict_async(&set.x).unwrap();
        let pred = np_engine::backend::poll_once(fut).unwrap().unwrap();
        t.metrics_from_predictions(&set, &pred).unwrap()
    };
    let (train, val) = (metrics(&mut b, Split::Train), metrics(&mut b, Split::Val));
    let rec_b = b.finish_epoch(train, Some(val)).unwrap();
    assert_eq!(rec_a, rec_b);
    assert!(np_engine::backend::poll_once(b.read_last_loss().unwrap()).is_some());
}

#[test]
fn regression_on_engineered_features_reaches_high_r2() {
    let data = generate("reg-gauss", 400, 0.0, 3).unwrap();
    let data = data
        .with_features(&[Feature::X, Feature::Y, Feature::XSquared, Feature::YSquared])
        .unwrap();
    let splits = data.split(0.0, 20.0, 4).unwrap();
    let model = ModelSpec::mlp(
        4,
        &[16, 16],
        Activation::Tanh,
        1,
        OutputUnit::Linear,
        Init::GlorotUniform,
    );
    let cfg = TrainConfig {
        model,
        optimizer: UpdateRule::adam(0.01),
        loss: Loss::Mse,
        regularization: Regularization::default(),
        batch_size: 32,
        init_seed: 5,
        shuffle_seed: 6,
        early_stopping: None,
        schedule: Default::default(),
    };
    let mut t = Trainer::new(cfg, splits).unwrap();
    for _ in 0..150 {
        t.step_epoch().unwrap();
    }
    let test = t.evaluate(Split::Test).unwrap();
    assert!(test.r2.unwrap() > 0.9, "{test:?}");
}

#[test]
fn a_step_schedule_trains_exactly_as_changing_the_rate_by_hand() {
    let mut scheduled = xor_trainer(64, UpdateRule::sgd(0.2));
    scheduled.set_schedule(Schedule::Step {
        every: 1,
        factor: 0.5,
    });
    let mut by_hand = xor_trainer(64, UpdateRule::sgd(0.2));
    for (epoch, rate) in [(0, 0.2), (1, 0.1), (2, 0.05)] {
        assert_eq!(scheduled.current_lr(), rate, "epoch {epoch}");
        by_hand.set_lr(rate);
        scheduled.step_epoch().unwrap();
        by_hand.step_epoch().unwrap();
    }
    let (a, b) = (scheduled.export().unwrap(), by_hand.export().unwrap());
    assert_eq!(a.params, b.params, "the same weights bit for bit");
    // The run keeps the rate the student set; the schedule's rate is worked out per epoch.
    assert_eq!(scheduled.config().optimizer.lr(), 0.2);
    assert_eq!(a.optimizer.rule.lr(), 0.2);
    assert_eq!(scheduled.current_lr(), 0.025);
}

#[test]
fn early_stopping_on_accuracy_stops_and_can_be_lifted() {
    let mut t = xor_trainer(16, UpdateRule::adam(0.05));
    t.set_early_stopping(Some(EarlyStopping {
        monitor: Monitor::Accuracy,
        patience: 2,
        min_delta: 0.0,
        restore_best: false,
    }));
    let mut stopped = None;
    for _ in 0..300 {
        t.step_epoch().unwrap();
        if let Status::Stopped { epoch, best_epoch } = t.status().clone() {
            stopped = Some((epoch, best_epoch));
            break;
        }
    }
    let (epoch, best_epoch) = stopped.expect("accuracy stops improving within 300 epochs");
    assert_eq!(epoch - best_epoch, 2);
    let best = t.history()[best_epoch - 1]
        .val
        .clone()
        .unwrap()
        .accuracy
        .unwrap();
    let later = t.history()[best_epoch..epoch]
        .iter()
        .map(|r| r.val.clone().unwrap().accuracy.unwrap());
    assert!(
        later.clone().all(|a| a <= best),
        "no later epoch beat {best}: {:?}",
        later.collect::<Vec<_>>()
    );
    // A stopped run does not step ...
    assert_eq!(t.step_batch().unwrap().rows, 0);
    // ... until early stopping is changed: then it goes on, patience counting afresh.
    t.set_early_stopping(None);
    assert_eq!(*t.status(), Status::Running);
    t.step_epoch().unwrap();
    assert_eq!(t.epoch(), epoch + 1);
}
