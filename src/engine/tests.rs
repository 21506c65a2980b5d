//! The stepper's phases from a real explained step.

use np_engine::train::StepPick;

use super::gradcheck::verdict;
use super::phases::{phases, PhaseKind};
use crate::config::hash;
use crate::session::Session;

fn session(url: &str) -> Session {
    let (config, notices) = hash::parse(url);
    assert!(notices.is_empty(), "{notices:?}");
    Session::new(&config)
}

#[test]
fn a_2_3_1_step_has_forward_loss_backward_and_update_phases_with_the_engines_numbers() {
    let mut s = session("dataset=xor&networkShape=3&activation=tanh&batchSize=1&learningRate=0.1");
    let e = s.explain(StepPick::Row { row: 2 }).unwrap();
    let p = phases(&e);
    let kinds: Vec<_> = p.iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        vec![
            PhaseKind::Forward {
                layer: 1,
                last: false
            },
            PhaseKind::Forward {
                layer: 2,
                last: true
            },
            PhaseKind::Loss,
            PhaseKind::Backward {
                layer: 2,
                first: false
            },
            PhaseKind::Backward {
                layer: 1,
                first: true
            },
            PhaseKind::Update,
        ]
    );
    let find = |phase: usize, label: &str| {
        p[phase]
            .shown
            .iter()
            .find(|s| s.label == label)
            .unwrap_or_else(|| panic!("{label} missing in phase {phase}"))
            .clone()
    };
    // Z1 = X W1 + b1, written out.
    let (x, w1, b1, z1) = (find(0, "X"), find(0, "W1"), find(0, "b1"), find(0, "Z1"));
    assert_eq!(
        (x.dims.clone(), w1.dims.clone(), z1.dims.clone()),
        (vec![1, 2], vec![2, 3], vec![1, 3])
    );
    for j in 0..3 {
        let z = x.values[0] * w1.values[j] + x.values[1] * w1.values[3 + j] + b1.values[j];
        assert!((z - z1.values[j]).abs() < 1e-6, "Z1[{j}]");
    }
    // A1 = tanh(Z1).
    let a1 = find(0, "A1");
    for j in 0..3 {
        assert!((a1.values[j] - z1.values[j].tanh()).abs() < 1e-6);
    }
    // dW2 = A1^T dZ2 (one row).
    let (dz2, dw2) = (find(3, "dZ2"), find(3, "dW2"));
    for j in 0..3 {
        assert!((dw2.values[j] - a1.values[j] * dz2.values[0]).abs() < 1e-6);
    }
    // The update shows the engine's values after the step.
    let after = find(5, "W1 after");
    assert_eq!(after.values, e.after[0].data);
    assert_eq!(after.id, "W1-after");
}

#[test]
fn adam_shows_its_two_state_tensors_per_parameter() {
    let mut s = session("dataset=circle&networkShape=2&optimizer=adam&batchSize=10");
    let e = s.explain(StepPick::NextBatch).unwrap();
    let update = phases(&e).pop().unwrap();
    let labels: Vec<_> = update.shown.iter().map(|s| s.label.as_str()).collect();
    assert!(
        labels.contains(&"m of W1") && labels.contains(&"v of b2"),
        "{labels:?}"
    );
}

#[test]
fn the_verdict_says_backpropagation_agrees_on_the_course_network() {
    let mut s = session("dataset=xor&networkShape=3&activation=tanh&batchSize=10");
    let c = s.gradient_check(3000, 1).unwrap();
    assert_eq!(c.checked, 13);
    assert!(
        verdict(&c).starts_with("Backpropagation agrees"),
        "{}",
        verdict(&c)
    );
}
