//! Save-file fuzzing: mutations of real save files, as bytes and as JSON, must never panic the
//! reader, and every file the reader accepts must restore into a session that then trains.

use super::tests::EXPERIMENTS;
use super::*;
use crate::config::fuzz::Rng;

/// Mutated files read per run (the issue asks for at least 20,000).
const FILES: usize = 20_000;

/// Small real runs to mutate: trained a little, mid-epoch, so every part of the file is there.
fn seeds() -> Vec<String> {
    EXPERIMENTS
        .iter()
        .map(|text| {
            let (c, _) = hash::parse(&format!("{text}&samples=60"));
            let mut s = Session::new(&c);
            s.step_epoch_now();
            s.step_batch_now();
            let run = s.checkpoint().expect("the CPU exports at once");
            write(&c, &run, &Progress::default(), Some("2026-12-01T12:00:00Z"))
                .expect("a trained run is written")
        })
        .collect()
}

/// Values that break readers of numbers, strings and shapes.
fn nasty(rng: &mut Rng) -> serde_json::Value {
    use serde_json::json;
    let values = [
        json!(null),
        json!(true),
        json!(0),
        json!(-1),
        json!(1),
        json!(2),
        json!(3),
        json!(0.5),
        json!(-0.0),
        json!(1e38),
        json!(-1e38),
        json!(1e-45),
        json!(u32::MAX),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(""),
        json!("NaN"),
        json!("adam"),
        json!("sgd"),
        json!({"kind": "adam", "lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-7}),
        json!({"kind": "sgd", "lr": 1e30, "momentum": 0.9, "nesterov": false}),
        json!([]),
        json!([0]),
        json!([1, 0]),
        json!([[]]),
        json!({}),
        json!({"dims": [0, 0], "data": []}),
        json!({"dims": [1_000_000_000, 1_000_000_000], "data": [1.0]}),
        json!("dataset=spiral&networkShape=8,8,8,8,8,8"),
        json!("problem=regression&networkShape=&activation=linear"),
        json!("networkShape=4,2&optimizer=adam"),
    ];
    values[rng.below(values.len())].clone()
}

/// Every path to a value inside `v` (objects by key, arrays by index).
fn paths(v: &serde_json::Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(at.clone());
    match v {
        serde_json::Value::Object(m) => {
            for (k, child) in m {
                at.push(k.clone());
                paths(child, at, out);
                at.pop();
            }
        }
        serde_json::Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                at.push(i.to_string());
                paths(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// The value at `path`; `None` where an earlier mutation of the same file removed it.
fn at_path<'a>(v: &'a mut serde_json::Value, path: &[String]) -> Option<&'a mut serde_json::Value> {
    path.iter().try_fold(v, |v, k| match v {
        serde_json::Value::Object(m) => m.get_mut(k),
        serde_json::Value::Array(a) => a.get_mut(k.parse::<usize>().ok()?),
        _ => None,
    })
}

/// A JSON-level mutation: a value replaced, a key removed, a number nudged, an array shortened
/// or lengthened.
fn mutate_json(rng: &mut Rng, text: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(text).expect("seeds are JSON");
    let mut all = Vec::new();
    paths(&v, &mut Vec::new(), &mut all);
    for _ in 0..1 + rng.below(3) {
        let path = rng.pick(&all).clone();
        let Some(target) = at_path(&mut v, &path) else {
            continue;
        };
        match rng.below(6) {
            0 => *target = nasty(rng),
            1 => {
                if let Some(n) = target.as_f64() {
                    // A small change to a weight or a count: often still a valid file.
                    let nudged = n + [1.0, -1.0, 0.25, 1e-3][rng.below(4)];
                    if let Some(x) = serde_json::Number::from_f64(nudged) {
                        *target = if target.is_u64() && nudged >= 0.0 {
                            serde_json::Value::from(nudged as u64)
                        } else {
                            serde_json::Value::Number(x)
                        };
                    }
                }
            }
            2 => {
                if let serde_json::Value::Object(m) = target {
                    let keys: Vec<String> = m.keys().cloned().collect();
                    if !keys.is_empty() {
                        m.remove(rng.pick(&keys));
                    }
                }
            }
            3 => {
                if let serde_json::Value::Array(a) = target {
                    if !a.is_empty() {
                        a.remove(rng.below(a.len()));
                    }
                }
            }
            4 => {
                if let serde_json::Value::Array(a) = target {
                    if let Some(first) = a.first().cloned() {
                        a.push(first);
                    }
                }
            }
            _ => {
                if let serde_json::Value::String(s) = target {
                    s.push_str(["&networkShape=9", "&", "x", "%", "&dataset=spiral"][rng.below(5)]);
                }
            }
        }
    }
    v.to_string()
}

/// A byte-level mutation: cut, flip, delete, duplicate or insert.
fn mutate_bytes(rng: &mut Rng, text: &str) -> String {
    let mut b = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(4) {
        if b.is_empty() {
            break;
        }
        let i = rng.below(b.len());
        match rng.below(5) {
            0 => b.truncate(i),
            1 => b[i] ^= 1 << rng.below(8),
            2 => {
                let end = (i + 1 + rng.below(16)).min(b.len());
                b.drain(i..end);
            }
            3 => {
                let end = (i + 1 + rng.below(64)).min(b.len());
                let copy = b[i..end].to_vec();
                b.splice(i..i, copy);
            }
            _ => {
                let junk: &[&[u8]] = &[
                    b"{",
                    b"}",
                    b"[",
                    b"]",
                    b",",
                    b"\"",
                    b"0",
                    b"-",
                    b"e9",
                    b"\\u0000",
                    b"null",
                    "é".as_bytes(),
                ];
                b.splice(i..i, rng.pick(junk).iter().copied());
            }
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

#[test]
fn mutated_save_files_never_panic_and_every_accepted_one_trains() {
    let seeds = seeds();
    for seed in &seeds {
        read_checked(seed).expect("the seeds themselves are accepted");
    }
    let mut rng = Rng::new(0x5a7e);
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..FILES {
        let seed = rng.pick(&seeds);
        let file = if rng.below(2) == 0 {
            mutate_json(&mut rng, seed)
        } else {
            mutate_bytes(&mut rng, seed)
        };
        match read_checked(&file) {
            Ok(saved) => {
                accepted += 1;
                let mut s = Session::new(&saved.config);
                s.restore(&saved.run)
                    .unwrap_or_else(|e| panic!("accepted but not restored ({e}): {file}"));
                s.step_batch_now();
                s.step_epoch_now();
            }
            Err(e) => {
                refused += 1;
                let message = e.to_string();
                assert!(message.ends_with('.'), "a full sentence: {message}");
            }
        }
    }
    eprintln!("{FILES} mutated save files: {accepted} accepted and trained, {refused} refused");
    // Both sides explored: nudged weights and counts pass, most damage does not.
    assert!(accepted >= FILES / 50, "only {accepted} accepted");
    assert!(refused >= FILES / 2, "only {refused} refused");
}
