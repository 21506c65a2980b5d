//! A saved run continues exactly; every kind of bad file is refused by name.

use super::storage::{self, Kept};
use super::*;
use crate::config::hash;

fn config(text: &str) -> Config {
    let (c, notices) = hash::parse(text);
    assert_eq!(notices, vec![], "{text}");
    c
}

/// A session of `text` trained `epochs` epochs and `batches` more batches.
fn trained(text: &str, epochs: usize, batches: usize) -> Session {
    let mut s = Session::new(&config(text));
    for _ in 0..epochs {
        s.step_epoch_now();
    }
    for _ in 0..batches {
        s.step_batch_now();
    }
    s
}

fn saved_text(s: &Session, c: &Config) -> String {
    let mut lessons = Progress::default();
    lessons.mark("linear-regression", 1);
    write(
        c,
        &s.checkpoint().expect("the CPU exports at once"),
        &lessons,
        Some("2026-12-01T12:00:00Z"),
    )
    .expect("a trained run is written")
}

pub(super) const EXPERIMENTS: &[&str] = &[
    "dataset=xor&networkShape=4&batchSize=7",
    "dataset=spiral&networkShape=6,4&optimizer=adam&learningRate=0.01&batchSize=16&dropout=0.2",
    "dataset=circle&networkShape=3&optimizer=momentum&regularization=L2&regularizationRate=0.003&percValData=20",
    "problem=regression&regDataset=reg-gauss&networkShape=5&activation=relu&optimizer=rmsprop",
    "dataset=clouds3&networkShape=4&activation=elu&optimizer=adagrad&twoClassOutput=softmax",
    "lesson=linear-regression&task=2&problem=regression&regDataset=reg-plane&networkShape=&activation=linear",
];

#[test]
fn a_saved_run_continues_exactly_as_if_never_interrupted() {
    for text in EXPERIMENTS {
        let c = config(text);
        // Mid-epoch, so the shuffle position and the optimizer state both matter.
        let mut whole = trained(text, 3, 2);
        let file = saved_text(&whole, &c);
        let saved = read_checked(&file).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(saved.config, c, "{text}");
        assert_eq!(saved.saved_at.as_deref(), Some("2026-12-01T12:00:00Z"));
        assert!(saved.lessons.is_done("linear-regression", 1));
        let mut resumed = Session::new(&saved.config);
        resumed.restore(&saved.run).expect("restores");
        assert_eq!(
            resumed.latest(),
            whole.latest(),
            "{text}: the same metrics on restore"
        );
        for _ in 0..5 {
            whole.step_epoch_now();
            resumed.step_epoch_now();
        }
        assert_eq!(resumed.latest(), whole.latest(), "{text}: 5 epochs later");
        assert_eq!(
            resumed.checkpoint().map(|c| c.trainer),
            whole.checkpoint().map(|c| c.trainer),
            "{text}: the same weights, optimizer state and shuffle position"
        );
    }
}

#[test]
fn a_learning_rate_changed_after_the_checkpoint_is_the_one_that_trains() {
    let text = "dataset=xor&networkShape=4&optimizer=adam&learningRate=0.01";
    let s = trained(text, 2, 0);
    let checkpoint = s.checkpoint().expect("exports");
    let faster = Config {
        learning_rate: 0.1,
        ..config(text)
    };
    let mut a = Session::new(&faster);
    a.restore(&checkpoint)
        .expect("the same kind of optimizer keeps its state");
    let mut b = Session::new(&faster);
    b.restore(&checkpoint).expect("restores");
    a.step_epoch_now();
    b.step_epoch_now();
    assert_eq!(a.latest(), b.latest());
    let mut slow = Session::new(&config(text));
    slow.restore(&checkpoint).expect("restores");
    slow.step_epoch_now();
    assert_ne!(
        a.latest(),
        slow.latest(),
        "the config's learning rate is used"
    );
    // Another kind of optimizer cannot use Adam's state.
    let sgd = Config {
        optimizer: crate::config::Optimizer::Sgd,
        ..config(text)
    };
    let err = Session::new(&sgd).restore(&checkpoint).unwrap_err();
    assert!(err.contains("Adam") && err.contains("SGD"), "{err}");
}

#[test]
fn bad_files_are_refused_by_name() {
    let text = EXPERIMENTS[1];
    let c = config(text);
    let good = saved_text(&trained(text, 2, 1), &c);
    let value: serde_json::Value = serde_json::from_str(&good).expect("json");
    let edited = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut v = value.clone();
        f(&mut v);
        v.to_string()
    };
    let cases: Vec<(String, &str)> = vec![
        (good[..good.len() / 2].to_string(), "breaks off at line 1"),
        // Cut inside a number: serde sees an invalid number, at the very end.
        (
            good[..good.find("0.").expect("a number") + 2].to_string(),
            "breaks off at line 1",
        ),
        (
            "name,age\n1,2\n".into(),
            "not JSON (line 1, column 2: expected ident",
        ),
        ("[1, 2, 3]".into(), "not a Neural Playground run"),
        (
            r#"{"format": "keras"}"#.into(),
            "not a Neural Playground run",
        ),
        (
            edited(&|v| v["version"] = 2.into()),
            "newer version of Neural Playground (save format 2)",
        ),
        (edited(&|v| v["version"] = 0.into()), "save format 0"),
        (
            edited(&|v| v["version"] = "one".into()),
            "\"version\" is missing or not a whole number",
        ),
        (
            edited(&|v| v["run"]["trainer"]["params"] = "none".into()),
            "damaged",
        ),
        (
            edited(&|v| v["experiment"] = "dataset=spiral&networkShape=4000".into()),
            "does not fit this page as saved (networkShape",
        ),
        (
            edited(&|v| v["experiment"] = "dataset=spiral&networkShape=6,5&optimizer=adam".into()),
            "does not fit its own experiment",
        ),
        (
            edited(&|v| v["run"]["trainer"]["cursor"] = 100_000.into()),
            "position 100000",
        ),
        (
            edited(&|v| v["run"]["history"]["stride"] = 3.into()),
            "stride 3",
        ),
        (
            edited(&|v| v["run"]["trainer"]["params"][0]["data"][0] = serde_json::Value::Null),
            "damaged",
        ),
        (" ".repeat(MAX_BYTES + 1), "at most 16 MB"),
    ];
    for (file, expected) in cases {
        let err = read_checked(&file).expect_err(expected).to_string();
        assert!(err.contains(expected), "expected {expected:?} in {err:?}");
    }
    // A byte-order mark is no damage.
    assert!(read_checked(&format!("\u{feff}{good}")).is_ok());
}

#[test]
fn a_diverged_run_is_not_written() {
    let c = config("dataset=xor&networkShape=4&learningRate=10&activation=relu");
    let s = Session::new(&c);
    let mut run = s.checkpoint().expect("exports");
    run.trainer.params[0].data[0] = f32::NAN;
    let err = write(&c, &run, &Progress::default(), None).unwrap_err();
    assert!(err.to_string().contains("diverged"), "{err}");
}

#[test]
fn each_experiment_has_its_own_storage_key_whatever_its_task() {
    let a = config("lesson=linear-regression&task=1&problem=regression&networkShape=");
    let a3 = Config {
        task: 3,
        ..a.clone()
    };
    let b = config("dataset=xor");
    assert_eq!(storage::key_of(&a), storage::key_of(&a3));
    assert_ne!(storage::key_of(&a), storage::key_of(&b));
}

#[test]
fn the_index_keeps_the_newest_runs_first() {
    let kept = |n: usize| Kept {
        key: format!("k{n}"),
        experiment: format!("e{n}"),
        summary: String::new(),
        saved_at: None,
    };
    let mut index = Vec::new();
    let mut all_evicted = Vec::new();
    for n in 0..storage::MAX_KEPT + 3 {
        let (list, evicted) = storage::with_entry(index, kept(n));
        index = list;
        all_evicted.extend(evicted);
    }
    assert_eq!(index.len(), storage::MAX_KEPT);
    assert_eq!(index[0].key, format!("k{}", storage::MAX_KEPT + 2));
    assert_eq!(all_evicted, vec!["k0", "k1", "k2"]);
    // Saving a kept run again moves it to the front without a copy.
    let (list, evicted) = storage::with_entry(index, kept(5));
    assert_eq!(
        (list[0].key.as_str(), list.len()),
        ("k5", storage::MAX_KEPT)
    );
    assert!(evicted.is_empty());
    assert_eq!(storage::parse_index("garbage"), vec![]);
}
