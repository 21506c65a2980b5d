//! The table's rows: limits enforced the same way by the URL and the reducer, defaults inside
//! them, every key and hide name unique, impacts as the rows say.

use super::*;
use crate::config::hash::{parse, print};
use crate::config::{Activation, Init};
use crate::state::{Action, AppState};

/// The reducer's setter of each numeric row.
fn setter(key: &str) -> Option<fn(f64) -> Action> {
    Some(match key {
        "noise" => |v| Action::SetNoise(v as u32),
        "percTrainData" => |v| Action::SetPercTrainData(v as u32),
        "percValData" => |v| Action::SetPercValData(v as u32),
        "samples" => |v| Action::SetSamples(v as u32),
        "batchSize" => |v| Action::SetBatchSize(v as u32),
        "initSeed" => |v| Action::SetInitSeed(v as u64),
        "learningRate" => Action::SetLearningRate,
        "momentum" => Action::SetMomentum,
        "initWeight" => Action::SetInitWeight,
        "initBias" => Action::SetInitBias,
        "steps" => |v| Action::SetSteps(Some(v)),
        "beta1" => Action::SetBeta1,
        "beta2" => Action::SetBeta2,
        "rho" => Action::SetRho,
        "epsilon" => Action::SetEpsilon,
        "lrEvery" => |v| Action::SetLrEvery(v as u32),
        "lrFactor" => Action::SetLrFactor,
        "patience" => |v| Action::SetPatience(v as u32),
        "regularizationRate" => Action::SetRegularizationRate,
        "dropout" => Action::SetDropout,
        "leakyReluAlpha" => Action::SetLeakyReluAlpha,
        "eluAlpha" => Action::SetEluAlpha,
        _ => return None,
    })
}

fn numeric_rows() -> impl Iterator<Item = &'static Field> {
    FIELDS
        .iter()
        .filter(|f| matches!(f.kind, Kind::Int { .. } | Kind::Float { .. }))
}

fn limits(f: &Field) -> (f64, f64) {
    f.range().unwrap_or((f64::NAN, f64::NAN))
}

#[test]
fn keys_are_unique_and_found() {
    for (i, f) in FIELDS.iter().enumerate() {
        assert!(
            FIELDS[..i].iter().all(|g| g.key != f.key),
            "{} twice",
            f.key
        );
        assert_eq!(find(f.key).map(|g| g.key), Some(f.key));
    }
    assert!(find("nothing").is_none());
}

#[test]
fn defaults_lie_within_the_limits_and_print_cleanly() {
    let d = Config::default();
    for f in numeric_rows() {
        let (lo, hi) = limits(f);
        if let Some(v) = (f.get)(&d) {
            let v = match v {
                Value::Int(v) => v as f64,
                Value::Float(v) => v,
                other => panic!("{}: {other:?}", f.key),
            };
            assert!(lo <= v && v <= hi, "{}: {v} outside {lo}..{hi}", f.key);
        }
    }
    assert_eq!(parse(&print(&d)), (d, vec![]));
}

#[test]
fn url_and_reducer_clamp_every_number_to_the_same_limits() {
    let probes: [f64; 19] = [
        -1e9, -1.0, 0.0, 1e-7, 1e-6, 0.001, 0.5, 0.999, 1.0, 2.0, 7.0, 10.0, 33.0, 51.0, 95.0, 1e3,
        4999.0, 5000.0, 1e9,
    ];
    for f in numeric_rows() {
        let set = setter(f.key).unwrap_or_else(|| panic!("no reducer setter for {}", f.key));
        let (lo, hi) = limits(f);
        for &v in &probes {
            // The reducer's integer actions take unsigned numbers; negative ones cannot reach it.
            if matches!(f.kind, Kind::Int { .. }) && (v < 0.0 || v.fract() != 0.0) {
                continue;
            }
            let (from_url, notices) = parse(&format!("{}={v}", f.key));
            let from_reducer = AppState::default().apply(set(v)).config;
            assert_eq!(
                (f.get)(&from_url),
                (f.get)(&from_reducer),
                "{} = {v}: the URL and the reducer disagree",
                f.key
            );
            let inside = lo <= v && v <= hi;
            assert_eq!(notices.is_empty(), inside, "{} = {v}: {notices:?}", f.key);
            if let Some(n) = notices.first() {
                assert_eq!(n.key, f.key);
                assert!(n.message.contains("outside"), "{}", n.message);
            }
        }
        // Not a number: the URL says so and keeps the default; the reducer ignores it.
        for bad in ["abc", "NaN", "inf", "1e400"] {
            let (c, notices) = parse(&format!("{}={bad}", f.key));
            assert_eq!(
                (f.get)(&c),
                (f.get)(&Config::default()),
                "{} = {bad}",
                f.key
            );
            assert_eq!(notices.len(), 1, "{} = {bad}: {notices:?}", f.key);
        }
        if matches!(f.kind, Kind::Float { .. }) {
            let s = AppState::default().apply(set(f64::NAN));
            assert_eq!(s.config, Config::default(), "{}: NaN is ignored", f.key);
        }
    }
}

#[test]
fn the_learning_rate_has_one_lower_limit() {
    let (lo, _) = limits(&LEARNING_RATE);
    let (c, notices) = parse("learningRate=1e-9");
    assert_eq!(c.learning_rate, lo);
    assert_eq!(notices.len(), 1);
    let s = AppState::default().apply(Action::SetLearningRate(1e-9));
    assert_eq!(
        s.config.learning_rate, lo,
        "the reducer clamps as the URL does"
    );
}

#[test]
fn every_name_and_flag_is_checked() {
    for f in FIELDS.iter().filter(|f| !f.bespoke) {
        let bad = match f.kind {
            Kind::Named { .. } | Kind::Bool => "bogus",
            _ => continue,
        };
        let (c, notices) = parse(&format!("{}={bad}", f.key));
        assert_eq!(c, Config::default(), "{}", f.key);
        assert_eq!(notices.len(), 1, "{}: {notices:?}", f.key);
        assert_eq!(notices[0].key, f.key);
        if let Kind::Named { names } = f.kind {
            assert!(
                notices[0].message.contains(&names()),
                "{}",
                notices[0].message
            );
        }
    }
}

#[test]
fn hide_names_cover_tensorflow_playgrounds_and_every_control() {
    let names = hide_names();
    for tfp in [
        "showTestData",
        "discretize",
        "playButton",
        "stepButton",
        "resetButton",
        "learningRate",
        "activation",
        "regularization",
        "regularizationRate",
        "problem",
        "dataset",
        "percTrainData",
        "noise",
        "batchSize",
        "numHiddenLayers",
    ] {
        assert!(names.contains(&tfp), "{tfp}");
    }
    for (i, n) in names.iter().enumerate() {
        assert!(!names[..i].contains(n), "{n} twice");
    }
    // The browser test opens the page with each name hidden: it must know every one.
    let spec = include_str!("../../../tests/e2e/controls.spec.mjs");
    for n in &names {
        assert!(
            spec.contains(&format!("{n}:")),
            "tests/e2e/controls.spec.mjs lacks {n}"
        );
    }
}

#[test]
fn each_row_costs_what_it_says() {
    let d = Config::default();
    // One field moved to its other limit at a time.
    for f in numeric_rows() {
        let (lo, hi) = limits(f);
        let mut c = d.clone();
        let current = match (f.get)(&d) {
            Some(Value::Int(v)) => v as f64,
            Some(Value::Float(v)) => v,
            // Unset (the sample count): any set value differs.
            _ => lo,
        };
        let far = if current == hi { lo } else { hi };
        let value = match f.kind {
            Kind::Int { .. } => Value::Int(far as u64),
            _ => Value::Float(far),
        };
        assert!((f.set)(&mut c, &value), "{}", f.key);
        let expected = match f.key {
            // The default network has no leaky-ReLU or ELU layer for the alpha to matter in.
            "leakyReluAlpha" | "eluAlpha" => Impact::None,
            // Nor a constant initialization for its weight and bias to matter in.
            "initWeight" | "initBias" => Impact::None,
            _ => f.impact,
        };
        assert_eq!(Impact::between(&d, &c), expected, "{}", f.key);
    }
    let elu = Config {
        activation: Activation::Elu,
        ..d.clone()
    };
    let changed = Config {
        elu_alpha: 0.5,
        ..elu.clone()
    };
    assert_eq!(Impact::between(&elu, &changed), Impact::Reset);
    let constant = Config {
        inits: vec![Init::Tfp, Init::Tfp, Init::Constant],
        ..d.clone()
    };
    let changed = Config {
        init_bias: 3.0,
        ..constant.clone()
    };
    assert_eq!(Impact::between(&constant, &changed), Impact::Reset);
}
