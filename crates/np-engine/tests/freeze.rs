//! Frozen tensors and the course's step construction (section 5): what stays, what trains,
//! what the optimizer keeps, what the summary counts.

// Tests may unwrap: a failure should stop the test at the line that failed.

use np_engine::backend::UpdateRule;
use np_engine::data::{generate, Splits};
use np_engine::nn::{Activation, Frozen, Init, Loss, ModelSpec, OutputUnit, Summary};
use np_engine::train::{TrainConfig, Trainer};

fn xor_trainer(frozen: Vec<Frozen>, rule: UpdateRule) -> Trainer {
    let data = generate("xor", 200, 0.1, 3)
        .unwrap()
        .split(20.0, 0.0, 4)
        .unwrap();
    let mut model = ModelSpec::mlp(
        2,
        &[6, 4],
        Activation::Tanh,
        1,
        OutputUnit::Sigmoid,
        Init::GlorotUniform,
    );
    model.frozen = frozen;
    let cfg = TrainConfig {
        model,
        optimizer: rule,
        loss: Loss::BinaryCrossEntropy,
        regularization: Default::default(),
        batch_size: 20,
        init_seed: 5,
        shuffle_seed: 6,
        early_stopping: None,
        schedule: Default::default(),
    };
    Trainer::new(cfg, data).unwrap()
}

/// Which of `a`'s tensors differ from `b`'s.
fn moved(a: &[np_engine::TensorData], b: &[np_engine::TensorData]) -> Vec<bool> {
    a.iter().zip(b).map(|(x, y)| x.data != y.data).collect()
}

#[test]
fn frozen_tensors_do_not_move_and_get_no_optimizer_state() {
    // The first hidden layer whole, and the output layer's bias.
    let frozen = vec![
        Frozen::LAYER,
        Frozen::default(),
        Frozen {
            kernel: false,
            bias: true,
        },
    ];
    let mut t = xor_trainer(frozen, UpdateRule::adam(0.01));
    let before = t.export_params().unwrap();
    for _ in 0..3 {
        t.step_epoch().unwrap();
    }
    let after = t.export_params().unwrap();
    assert_eq!(
        moved(&before, &after),
        [false, false, true, true, true, false]
    );
    let state = t.export().unwrap().optimizer.state;
    let kept: Vec<usize> = state.iter().map(Vec::len).collect();
    assert_eq!(
        kept,
        [0, 0, 2, 2, 2, 0],
        "Adam's m and v, frozen tensors none"
    );
}

#[test]
fn freezing_and_thawing_while_training_keep_the_rest() {
    let mut t = xor_trainer(Vec::new(), UpdateRule::adam(0.01));
    t.step_epoch().unwrap();
    t.set_frozen(vec![Frozen::LAYER]).unwrap();
    assert_eq!(t.config().model.frozen, vec![Frozen::LAYER]);
    let state = t.export().unwrap().optimizer.state;
    assert_eq!(
        state[0].len() + state[1].len(),
        0,
        "a frozen layer's state is given back"
    );
    assert_eq!(state[2].len(), 2, "the other layers keep theirs");
    let before = t.export_params().unwrap();
    t.step_epoch().unwrap();
    let frozen_step = t.export_params().unwrap();
    assert_eq!(
        moved(&before, &frozen_step),
        [false, false, true, true, true, true]
    );
    t.set_frozen(Vec::new()).unwrap();
    t.step_epoch().unwrap();
    let thawed = t.export_params().unwrap();
    assert!(moved(&frozen_step, &thawed).iter().all(|&m| m));
    let state = t.export().unwrap().optimizer.state;
    assert!(
        state.iter().all(|s| s.len() == 2),
        "fresh state once thawed"
    );
    // A state saved with a frozen layer goes back into a trainer that freezes it too.
    let saved = t.export().unwrap();
    let mut other = xor_trainer(vec![Frozen::LAYER], UpdateRule::adam(0.01));
    other.import(&saved).unwrap();
    assert_eq!(other.export_params().unwrap(), thawed);
}

#[test]
fn every_layer_frozen_trains_nothing_and_says_so_when_checked() {
    let all = vec![Frozen::LAYER; 3];
    let mut t = xor_trainer(all, UpdateRule::sgd(0.1));
    let before = t.export_params().unwrap();
    let r = t.step_epoch().unwrap();
    assert!(r.train.loss.is_finite());
    assert_eq!(t.export_params().unwrap(), before);
    let err = t.gradient_check(50, 1).unwrap_err().to_string();
    assert!(err.contains("frozen"), "{err}");
}

#[test]
fn the_gradient_check_checks_the_trainable_tensors_only() {
    let mut t = xor_trainer(vec![Frozen::LAYER], UpdateRule::sgd(0.1));
    let check = t.gradient_check(10_000, 1).unwrap();
    assert_eq!(check.checked, 6 * 4 + 4 + 4 + 1);
    assert!(check
        .entries
        .iter()
        .all(|e| !e.param.starts_with("dense_1/")));
    assert!(
        check.max_relative_error < 1e-2,
        "{}",
        check.max_relative_error
    );
}

#[test]
fn the_summary_counts_frozen_parameters_as_non_trainable() {
    let mut spec = ModelSpec::mlp(
        1,
        &[100],
        Activation::Sigmoid,
        1,
        OutputUnit::Linear,
        Init::GlorotUniform,
    );
    spec.frozen = vec![
        Frozen::LAYER,
        Frozen {
            kernel: false,
            bias: true,
        },
    ];
    let s = Summary::of(&spec);
    assert_eq!((s.total, s.trainable, s.non_trainable), (301, 100, 201));
}

fn step_construction(n: usize) -> Trainer {
    let data = generate("func1d", n, 0.0, 0).unwrap();
    let empty = data.subset(&[]).unwrap();
    let mut model = ModelSpec::mlp(
        1,
        &[n],
        Activation::Sigmoid,
        1,
        OutputUnit::Linear,
        Init::GlorotUniform,
    );
    model.steps = Some(100.0);
    model.frozen = vec![
        Frozen::LAYER,
        Frozen {
            kernel: false,
            bias: true,
        },
    ];
    let cfg = TrainConfig {
        model,
        optimizer: UpdateRule::sgd(1e-4),
        loss: Loss::SumSquares,
        regularization: Default::default(),
        batch_size: 0,
        init_seed: 1,
        shuffle_seed: 2,
        early_stopping: None,
        schedule: Default::default(),
    };
    let splits = Splits {
        train: data,
        val: empty.clone(),
        test: empty,
    };
    Trainer::new(cfg, splits).unwrap()
}

#[test]
fn the_step_construction_starts_as_the_course_says() {
    let t = step_construction(5);
    let p = t.export_params().unwrap();
    assert_eq!(p[0].data, vec![100.0; 5]);
    assert_eq!(p[1].data, vec![0.0, -25.0, -50.0, -75.0, -100.0]);
    assert_eq!(p[2].data, vec![1.0, -1.0, 1.0, -1.0, 1.0]);
    assert_eq!(p[3].data, vec![0.0]);
}

#[test]
fn the_step_construction_reaches_the_course_s_cost() {
    // COURSE.md section 5: 100 units, output weights alone, sum of squares, lr 1e-4, 1000
    // steps: about 0.078.
    let mut t = step_construction(100);
    let start = t.step_epoch().unwrap().train.loss;
    let mut end = start;
    for _ in 1..1000 {
        end = t.step_epoch().unwrap().train.loss;
    }
    eprintln!("step construction cost {start} -> {end}");
    assert!(start > 3.0, "{start}");
    assert!((0.05..0.11).contains(&end), "{start} -> {end}");
    let p = t.export_params().unwrap();
    assert_eq!(p[0].data, vec![100.0; 100], "the steps stay where they are");
    assert_eq!(p[3].data, vec![0.0]);
}
