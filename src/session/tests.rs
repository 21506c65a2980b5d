//! The session trains, repeats itself, and stops on a diverged loss.

use super::*;
use crate::config::hash;
use np_engine::backend::UpdateRule;

fn config(hash: &str) -> Config {
    let (c, notices) = hash::parse(hash);
    assert_eq!(notices, vec![]);
    c
}

#[test]
fn step_epoch_advances_by_one_and_batches_do_not_leak() {
    let mut s = Session::new(&config("dataset=xor&batchSize=7&percTrainData=50"));
    assert_eq!(s.epoch(), 0);
    s.step_epoch_now();
    assert_eq!(s.epoch(), 1);
    // 250 training points in batches of 7: 35 full batches and one of 5, all in epoch 2.
    let mut batches = 0;
    while !s.step_batch_now() {
        batches += 1;
    }
    assert_eq!(batches + 1, 36);
    assert_eq!(s.epoch(), 2);
}

#[test]
fn reset_repeats_the_run_exactly() {
    let c = config("dataset=spiral&networkShape=8,8&initSeed=5");
    let mut s = Session::new(&c);
    let first = s.snapshot_now(8).layers;
    for _ in 0..3 {
        s.step_epoch_now();
    }
    let trained = s.latest();
    s.reset();
    assert_eq!(s.epoch(), 0);
    assert_eq!(s.snapshot_now(8).layers, first, "same initial weights");
    for _ in 0..3 {
        s.step_epoch_now();
    }
    assert_eq!(s.latest(), trained, "same run");
}

#[test]
fn tensorflow_playground_spiral_learns() {
    let c = config("#activation=tanh&batchSize=10&dataset=spiral&learningRate=0.03&networkShape=8,8&seed=0.12345&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false&ySquared=false&sinX=true&sinY=true&problem=classification");
    let mut s = Session::new(&c);
    let start = s.latest().loss_test.unwrap_or(f64::NAN);
    for _ in 0..300 {
        s.step_epoch_now();
    }
    let end = s.latest();
    eprintln!(
        "spiral: test loss {start:.3} -> {:?}, acc {:?}",
        end.loss_test, end.acc_test
    );
    assert!(end.loss_test.unwrap_or(f64::NAN) < 0.35, "{end:?}");
}

#[test]
fn three_class_spiral_reaches_high_accuracy() {
    let c = config("dataset=spiral3&networkShape=30&activation=relu&optimizer=adam&learningRate=0.01&batchSize=30&init=he");
    let mut s = Session::new(&c);
    for _ in 0..300 {
        s.step_epoch_now();
    }
    let end = s.latest();
    eprintln!("spiral3: {end:?}");
    assert!(end.acc_train.unwrap_or(0.0) > 0.9, "{end:?}");
}

#[test]
fn regression_and_one_d_datasets_train() {
    for h in [
        "problem=regression&regDataset=reg-plane",
        "dataset=func1d&networkShape=16&activation=tanh",
    ] {
        let mut s = Session::new(&config(h));
        let start = s.latest().loss_train;
        for _ in 0..50 {
            s.step_epoch_now();
        }
        assert!(
            s.latest().loss_train < start,
            "{h}: {start} -> {}",
            s.latest().loss_train
        );
        assert_eq!(s.latest().acc_train, None);
    }
}

#[test]
fn divergence_pauses_with_advice() {
    let mut s = Session::new(&config(
        "problem=regression&learningRate=10&networkShape=8,8&activation=relu",
    ));
    for _ in 0..20 {
        s.step_epoch_now();
    }
    let message = s.diverged().map(str::to_string).unwrap_or_default();
    assert!(message.contains("Lower the learning rate"), "{message}");
    assert!(!s.step_batch_now(), "training stays paused");
    s.reset();
    assert!(s.diverged().is_none());
    // A weight edited to infinity counts too.
    s.set_weight(0, 0, 0, f64::INFINITY);
    s.settle_now(false);
    assert!(s.diverged().is_some());
}

#[test]
fn editing_a_weight_changes_the_output() {
    let mut s = Session::new(&config("dataset=circle"));
    let before = s.snapshot_now(10).output;
    s.set_bias(2, 0, 3.0);
    assert_ne!(s.snapshot_now(10).output, before);
}

#[test]
fn snapshot_is_the_right_way_up() {
    // A single linear unit on X2 with a positive weight: the top row (y > 0) is larger.
    let mut s = Session::new(&config("problem=regression&networkShape=&x=false&y=true"));
    s.set_weight(0, 0, 0, 1.0);
    s.set_bias(0, 0, 0.0);
    let snap = s.snapshot_now(4);
    assert!(
        snap.output[0][0] > 0.0 && snap.output[15][0] < 0.0,
        "{:?}",
        snap.output
    );
}

#[test]
fn suggested_rate_is_a_tenth() {
    assert_eq!(suggest_rate(3.0), 0.3);
    assert_eq!(suggest_rate(0.03), 0.003);
}

#[test]
fn train_for_respects_epoch_and_time_budgets() {
    let mut s = Session::new(&config("dataset=xor"));
    assert_eq!(
        s.train_for(3, f64::INFINITY, || 0.0),
        0,
        "the first metrics are owed"
    );
    for _ in 0..3 {
        s.settle_now(false);
        assert_eq!(
            s.train_for(3, f64::INFINITY, || 0.0),
            1,
            "one epoch, then its metrics"
        );
    }
    assert_eq!(s.epoch(), 3);
    // An exhausted time budget trains nothing.
    assert_eq!(s.train_for(3, 1.0, || 2.0), 0);
    assert_eq!(s.epoch(), 3);
}

#[test]
fn versions_never_repeat_across_rebuilds() {
    let c = config("dataset=xor");
    let mut s = Session::new(&c);
    let mut seen = vec![s.snapshot_now(4).version];
    for seed in 2..5 {
        s.update(
            &Config {
                init_seed: seed,
                ..c.clone()
            },
            Impact::Reset,
        );
        let v = s.snapshot_now(4).version;
        assert!(!seen.contains(&v), "version {v} repeated");
        seen.push(v);
    }
}

/// Drives a session the way the host drives one: step, then the awaited evaluation.
fn settle(s: &mut Session) {
    while let Some(p) = s.begin_eval(false) {
        let reads = np_engine::backend::poll_once(Box::pin(p.run()));
        let reads = reads.expect("the CPU understudy reads at once");
        assert!(reads.checkpoint_error.is_none());
        assert!(s.finish_eval(reads));
    }
}

#[test]
fn the_async_path_matches_the_synchronous_one() {
    // The fallback handle on its CPU understudy takes the GPU code path (asynchronous reads,
    // finish_epoch, checkpoints) with reads that complete at once.
    let c = config("dataset=xor&networkShape=4,2&seed=7&initSeed=3");
    let mut cpu = Session::new(&c);
    let handle = np_wgpu::FallbackBackend::cpu_only(
        Box::new(|| Box::new(np_engine::backend::cpu::CpuBackend::new())),
        "cpu: test",
    );
    let mut gpu = Session::build(&c, Some(handle));
    assert!(gpu.on_gpu() && gpu.eval_due());
    settle(&mut gpu);
    assert_eq!(gpu.latest(), cpu.latest(), "epoch 0");
    for _ in 0..3 {
        cpu.step_epoch_now();
        gpu.step_epoch();
        assert!(gpu.eval_due(), "an epoch's evaluation is owed");
        assert_eq!(
            gpu.train_for(5, 1e9, || 0.0),
            0,
            "no training before it is read"
        );
        settle(&mut gpu);
    }
    assert_eq!(gpu.epoch(), 3);
    assert_eq!(gpu.latest(), cpu.latest());
    assert_eq!(gpu.history.records(), cpu.history.records());
    let snap = gpu.snapshot_now(GRID);
    assert_eq!(
        snap.output.len(),
        GRID * GRID,
        "the output grid comes from the async read"
    );
    let cpu_snap = cpu.snapshot_now(GRID);
    assert_eq!(snap.output, cpu_snap.output);
    assert_eq!(snap.neurons, cpu_snap.neurons, "the thumbnails too");
    assert!(!snap.neurons.is_empty() && snap.neurons[0].len() == 4);
    // A reset drops the owed read's generation and evaluates afresh.
    let stale = gpu.begin_eval(false);
    assert!(stale.is_none(), "nothing owed");
    gpu.step_batch();
    gpu.reset();
    settle(&mut gpu);
    assert_eq!(gpu.epoch(), 0);
}

#[test]
fn two_softmax_units_make_the_course_2_3_2_network() {
    // Course section 6: rings, 3 sigmoid hidden units, softmax output: 17 parameters.
    let c = config("dataset=rings&networkShape=3&activation=sigmoid&twoClassOutput=softmax&optimizer=adam&learningRate=0.03&batchSize=20");
    let mut s = Session::new(&c);
    let snap = s.snapshot_now(4);
    let params: usize = snap
        .layers
        .iter()
        .map(|l| l.b.len() * (1 + l.w.first().map_or(0, Vec::len)))
        .sum();
    assert_eq!(params, 17);
    assert_eq!(snap.layers.last().map(|l| l.b.len()), Some(2));
    for cell in &snap.output {
        assert_eq!(cell.len(), 2);
        assert!((cell[0] + cell[1] - 1.0).abs() < 1e-5, "{cell:?}");
    }
    for _ in 0..150 {
        s.step_epoch_now();
    }
    let end = s.latest();
    assert!(end.acc_train.unwrap_or(0.0) > 0.95, "{end:?}");
}

#[test]
fn a_layer_initializer_reaches_the_network() {
    let c = config("networkShape=4,2&init=glorot&inits=zeros,glorot,normal");
    let s = Session::new(&c).snapshot_now(4);
    assert!(s.layers[0].w.iter().flatten().all(|&w| w == 0.0));
    let glorot = (6.0f64 / 6.0).sqrt();
    assert!(s.layers[1].w.iter().flatten().all(|w| w.abs() <= glorot));
    assert!(s.layers[2].w.iter().flatten().any(|&w| w != 0.0));
}

#[test]
fn a_step_layer_passes_no_gradient_back() {
    let c = config("dataset=xor&networkShape=4&activation=step&learningRate=0.3");
    let mut s = Session::new(&c);
    let before = s.snapshot_now(4).layers;
    for _ in 0..3 {
        s.step_epoch_now();
    }
    let after = s.snapshot_now(4).layers;
    assert_eq!(
        after[0], before[0],
        "the layer before the step never learns"
    );
    assert_ne!(after[1], before[1], "the output layer does");
}

#[test]
fn live_changes_keep_the_run() {
    let c = config("dataset=xor&networkShape=4&batchSize=10");
    let mut s = Session::new(&c);
    s.step_epoch_now();
    s.step_epoch_now();
    let weights = s.snapshot_now(4).layers;
    let mut changed = c.clone();
    changed.regularization = crate::config::Regularization::L2;
    changed.regularization_rate = 0.3;
    changed.dropout = 0.5;
    changed.batch_size = 50;
    s.update(&changed, Impact::between(&c, &changed));
    assert_eq!(s.epoch(), 2, "no reset");
    assert_eq!(s.snapshot_now(4).layers, weights, "same weights");
    // 250 training points in batches of 50: an epoch is now five steps.
    let mut steps = 1;
    while !s.step_batch_now() {
        steps += 1;
    }
    assert_eq!((steps, s.epoch()), (5, 3));
}

#[test]
fn moving_to_the_gpu_continues_the_run() {
    // A run started on the CPU and moved onto the fallback handle (the GPU code path) ends where
    // a run that stayed on the CPU ends: same epoch, history, metrics and output.
    let c = config("dataset=xor&networkShape=4,2&seed=7&initSeed=3");
    let mut stay = Session::new(&c);
    let mut moved = Session::new(&c);
    for _ in 0..2 {
        stay.step_epoch_now();
        moved.step_epoch_now();
    }
    // Part-way through the third epoch, so the shuffle position must go across too.
    for _ in 0..3 {
        stay.step_batch_now();
        moved.step_batch_now();
    }
    let before = moved.snapshot_now(GRID);
    let handle = np_wgpu::FallbackBackend::cpu_only(
        Box::new(|| Box::new(np_engine::backend::cpu::CpuBackend::new())),
        "cpu: test",
    );
    moved.move_to(Some(handle));
    assert!(moved.on_gpu());
    assert_eq!(moved.epoch(), 2, "no restart");
    let shown = moved.snapshot();
    assert_eq!(
        shown.output, before.output,
        "the picture stays until the GPU's read"
    );
    assert_eq!(shown.neurons, before.neurons);
    settle(&mut moved);
    // The move evaluates the weights of the moment (three batches into epoch 3), unrecorded.
    stay.evaluate(false);
    assert_eq!(
        moved.latest(),
        stay.latest(),
        "the same weights, evaluated on the new backend"
    );
    assert_eq!(
        moved.history.records(),
        stay.history.records(),
        "no extra history point"
    );
    for _ in 0..2 {
        stay.step_epoch_now();
        moved.step_epoch();
        settle(&mut moved);
    }
    assert_eq!(moved.epoch(), 4);
    assert_eq!(
        moved.latest(),
        stay.latest(),
        "optimizer state and shuffle went across"
    );
    assert_eq!(moved.history.records(), stay.history.records());
    let (a, b) = (moved.snapshot_now(GRID), stay.snapshot_now(GRID));
    assert_eq!(a.output, b.output);
    assert_eq!(
        a.neurons, b.neurons,
        "thumbnails from the asynchronous activations"
    );
    assert_eq!(a.layers, b.layers);
    // And back to the plain CPU backend (the user switches the choice to cpu).
    moved.move_to(None);
    assert!(!moved.on_gpu());
    assert_eq!(moved.epoch(), 4);
    stay.step_epoch_now();
    moved.step_epoch_now();
    assert_eq!(moved.latest(), stay.latest());
    assert_eq!(moved.history.records(), stay.history.records());
    assert_eq!(
        moved.snapshot_now(GRID).output,
        stay.snapshot_now(GRID).output
    );
}

#[test]
fn optimizer_settings_change_live_and_keep_the_optimizer_s_state() {
    let c = config("dataset=xor&optimizer=adam&beta1=0.8&beta2=0.99&epsilon=0.0001");
    let mut s = Session::new(&c);
    let t = s.trainer.as_ref().expect("built");
    assert_eq!(
        t.config().optimizer,
        UpdateRule::Adam {
            lr: 0.03,
            beta1: 0.8,
            beta2: 0.99,
            eps: 1e-4
        }
    );
    s.step_epoch_now();
    let before = s.trainer.as_ref().unwrap().export().unwrap();
    let changed = Config {
        beta1: 0.5,
        ..c.clone()
    };
    s.update(&changed, Impact::between(&c, &changed));
    let t = s.trainer.as_ref().unwrap();
    let after = t.export().unwrap();
    assert_eq!(t.epoch(), 1, "the run goes on");
    assert!(matches!(after.optimizer.rule, UpdateRule::Adam { beta1, .. } if beta1 == 0.5));
    // Adam's moments and step count survive a change of its beta.
    assert_eq!(after.optimizer.step, before.optimizer.step);
    assert_eq!(after.optimizer.state, before.optimizer.state);
}

#[test]
fn training_metrics_of_a_large_set_stand_on_evenly_spaced_rows() {
    let mut s = Session::new(&config("dataset=circle&samples=4000&percTrainData=80"));
    for _ in 0..3 {
        s.step_epoch_now();
    }
    let t = s.trainer.as_mut().expect("built");
    let train = t.split(Split::Train).clone();
    assert!(
        train_probe(&train, train.len()).is_none(),
        "small sets are measured whole"
    );
    let probe = train_probe(&train, 400).expect("a part stands for the whole");
    assert!(probe.len() <= 400 && probe.len() >= 390, "{}", probe.len());
    assert_eq!(
        probe.x.data()[..2],
        train.x.data()[..2],
        "from the first row on"
    );
    let whole = t.evaluate(Split::Train).unwrap();
    let pred = t.predict(&probe.x).unwrap();
    let part = t.metrics_from_predictions(&probe, pred.data()).unwrap();
    let (a, b) = (whole.accuracy.unwrap(), part.accuracy.unwrap());
    assert!((a - b).abs() < 0.05, "whole {a}, part {b}");
    assert!(
        (whole.loss - part.loss).abs() < 0.05 * whole.loss.max(0.1),
        "{} {}",
        whole.loss,
        part.loss
    );
}

#[test]
fn credit_s_test_rows_are_counted_by_student_status() {
    super::shipped::tests::load_committed();
    let mut s = Session::new(&config(
        "dataset=credit&networkShape=8&optimizer=adam&learningRate=0.01&batchSize=32",
    ));
    assert!(
        s.snapshot().groups.is_empty(),
        "nothing counted before a read"
    );
    for _ in 0..5 {
        s.step_epoch_now();
    }
    let snap = s.snapshot();
    let wide = snap.data.wide.as_ref().expect("a table");
    let g = &snap.groups;
    assert_eq!(g.len(), 1, "{g:?}");
    assert_eq!(g[0].name, "student");
    assert_eq!(g[0].categories, ["No", "Yes"]);
    let rows: Vec<u32> = g[0]
        .confusion
        .iter()
        .map(|m| m.iter().flatten().sum())
        .collect();
    assert_eq!(
        rows.iter().sum::<u32>() as usize,
        wide.counts[2],
        "every test row, once"
    );
    // About 29 % of ISLP's customers are students; the test part is a random fifth of them.
    let share = f64::from(rows[1]) / f64::from(rows[0] + rows[1]);
    assert!((0.24..0.34).contains(&share), "students: {share}");
    for (k, m) in g[0].confusion.iter().enumerate() {
        let r = crate::analysis::groups::Rates::of(m, 1);
        eprintln!("student={k}: {r:?}");
    }
}
