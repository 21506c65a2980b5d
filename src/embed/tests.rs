//! The embedding API without a browser: the schema accepts exactly its messages, rejects the
//! rest with a specific reason (and never panics, over many generated malformed messages),
//! origins and the gate, the events and their throttle, and where `load` goes.

use serde_json::{json, Value};

use super::event::{EpochThrottle, HeightWatch, Outgoing, EPOCH_INTERVAL_MS};
use super::load::hash_for;
use super::message::{parse, Command, Rejection, Target, MAX_HASH_LEN};
use super::origin::{self, Gate};
use crate::config::fuzz::Rng;
use crate::config::{hash, Config};
use crate::session::Record;

fn msg(command: &str) -> Value {
    json!({"type": "neural-playground", "command": command})
}

fn load(hash: &str) -> Value {
    json!({"type": "neural-playground", "command": "load", "hash": hash})
}

#[test]
fn the_five_commands_are_read() {
    assert_eq!(parse(&msg("play")), Ok(Command::Play));
    assert_eq!(parse(&msg("pause")), Ok(Command::Pause));
    assert_eq!(parse(&msg("step")), Ok(Command::Step));
    assert_eq!(parse(&msg("reset")), Ok(Command::Reset));
    assert_eq!(
        parse(&load("overfitting")),
        Ok(Command::Load(Target::Lesson("overfitting".to_string())))
    );
    assert_eq!(
        parse(&load("#dataset=xor&networkShape=3")),
        Ok(Command::Load(Target::Hash(
            "dataset=xor&networkShape=3".to_string()
        )))
    );
    let url = "https://playground.tensorflow.org/#activation=relu&dataset=spiral";
    assert_eq!(
        parse(&load(url)),
        Ok(Command::Load(Target::Hash(
            "activation=relu&dataset=spiral".to_string()
        )))
    );
    for free in ["", "#", "playground", "#playground"] {
        let expected = free.trim_start_matches('#').to_string();
        assert_eq!(
            parse(&load(free)),
            Ok(Command::Load(Target::Hash(expected))),
            "{free}"
        );
    }
}

#[test]
fn each_kind_of_malformed_message_says_what_is_wrong() {
    let cases: Vec<(Value, Rejection)> = vec![
        (json!("play"), Rejection::NotAnObject { found: "a string" }),
        (json!(null), Rejection::NotAnObject { found: "null" }),
        (
            json!([msg("play")]),
            Rejection::NotAnObject { found: "an array" },
        ),
        (
            json!({"command": "play"}),
            Rejection::WrongType {
                found: "missing".to_string(),
            },
        ),
        (
            json!({"type": "Neural-Playground", "command": "play"}),
            Rejection::WrongType {
                found: "\"Neural-Playground\"".to_string(),
            },
        ),
        (
            json!({"type": 7, "command": "play"}),
            Rejection::WrongType {
                found: "7".to_string(),
            },
        ),
        (
            json!({"type": "neural-playground"}),
            Rejection::MissingCommand,
        ),
        (
            json!({"type": "neural-playground", "command": "PLAY"}),
            Rejection::UnknownCommand {
                found: "\"PLAY\"".to_string(),
            },
        ),
        (
            json!({"type": "neural-playground", "command": ["play"]}),
            Rejection::UnknownCommand {
                found: "[\"play\"]".to_string(),
            },
        ),
        (
            json!({"type": "neural-playground", "command": "play", "speed": 3}),
            Rejection::UnexpectedKey {
                key: "speed".to_string(),
            },
        ),
        (
            json!({"type": "neural-playground", "command": "reset", "hash": "dataset=xor"}),
            Rejection::HashNotTaken { command: "reset" },
        ),
        (
            json!({"type": "neural-playground", "command": "load"}),
            Rejection::LoadWithoutHash,
        ),
        (
            json!({"type": "neural-playground", "command": "load", "hash": {"dataset": "xor"}}),
            Rejection::HashNotAString { found: "an object" },
        ),
        (
            load(&"a".repeat(MAX_HASH_LEN + 1)),
            Rejection::HashTooLong {
                bytes: MAX_HASH_LEN + 1,
            },
        ),
        (
            load("dataset=xor\n&noise=5"),
            Rejection::HashControlCharacter,
        ),
        (
            load("quantum-finance"),
            Rejection::UnknownLesson {
                id: "quantum-finance".to_string(),
            },
        ),
    ];
    for (message, expected) in cases {
        let got = parse(&message);
        assert_eq!(got, Err(expected.clone()), "{message}");
        let text = expected.to_string();
        assert!(text.len() > 20, "a specific reason: {text}");
    }
    let unknown = Rejection::UnknownLesson {
        id: "quantum".to_string(),
    }
    .to_string();
    assert!(
        unknown.contains("quantum") && unknown.contains("overfitting"),
        "{unknown}"
    );
}

/// Whether `load` takes the string `h`, from the documented rules: at most `MAX_HASH_LEN`
/// bytes, no control character, and a lesson id (one word of lower-case letters, digits and
/// `-`, after any `#`) only if that lesson exists.
fn loadable(h: &str) -> bool {
    let body = h.rsplit_once('#').map_or(h, |(_, b)| b).trim();
    let word = !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    h.len() <= MAX_HASH_LEN
        && !h.chars().any(char::is_control)
        && (!word || body == "playground" || crate::lessons::find(body).is_some())
}

/// What the schema accepts, written independently of `parse`: an object with exactly `type`
/// (the right string) and `command` (a known name), plus `hash` exactly when it is `load`, a
/// string `load` takes.
fn oracle(v: &Value) -> bool {
    let Some(o) = v.as_object() else { return false };
    let keys: Vec<&str> = o.keys().map(String::as_str).collect();
    let command = o.get("command").and_then(Value::as_str);
    let typed = o.get("type").and_then(Value::as_str) == Some("neural-playground");
    match command {
        Some("play" | "pause" | "step" | "reset") => typed && keys.len() == 2,
        Some("load") => {
            typed && keys.len() == 3 && o.get("hash").and_then(Value::as_str).is_some_and(loadable)
        }
        _ => false,
    }
}

/// A random JSON value, nested up to `depth`, biased towards the schema's own words.
fn random_value(rng: &mut Rng, depth: usize) -> Value {
    const WORDS: [&str; 14] = [
        "neural-playground",
        "play",
        "pause",
        "step",
        "reset",
        "load",
        "type",
        "command",
        "hash",
        "Play",
        "",
        "overfitting",
        "__proto__",
        "constructor",
    ];
    match rng.below(if depth == 0 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => json!(rng.next() as f64 / 7.0 - 1e18),
        3 => Value::String((*rng.pick(&WORDS)).to_string()),
        4 => Value::String(
            (0..rng.below(12))
                .map(|_| char::from_u32(rng.below(0x3000) as u32).unwrap_or('?'))
                .collect(),
        ),
        5 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_value(rng, depth - 1))
                .collect(),
        ),
        _ => {
            let mut o = serde_json::Map::new();
            for _ in 0..rng.below(5) {
                o.insert(
                    (*rng.pick(&WORDS)).to_string(),
                    random_value(rng, depth - 1),
                );
            }
            Value::Object(o)
        }
    }
}

/// A valid message with one or two structured mutations: a key dropped, added, renamed or
/// retyped, a value replaced.
fn mutated(rng: &mut Rng, good: &[&str], bad: &[&str]) -> Value {
    let command = *rng.pick(&["play", "pause", "step", "reset", "load"]);
    let mut o = msg(command).as_object().cloned().unwrap_or_default();
    if command == "load" {
        o.insert("hash".to_string(), json!(*rng.pick(good)));
    }
    for _ in 0..1 + rng.below(2) {
        match rng.below(7) {
            0 => {
                let key = (*rng.pick(&["type", "command", "hash"])).to_string();
                o.remove(&key);
            }
            1 => {
                let key =
                    (*rng.pick(&["hash", "extra", "Type", "commands", "__proto__"])).to_string();
                o.insert(key, random_value(rng, 1));
            }
            2 => {
                let key = (*rng.pick(&["type", "command", "hash"])).to_string();
                o.insert(key, random_value(rng, 2));
            }
            3 => {
                o.insert("hash".to_string(), json!(*rng.pick(bad)));
            }
            4 => {
                o.insert(
                    "command".to_string(),
                    json!(rng
                        .pick(&["Play", "play ", "stop", "run", "eval"])
                        .to_string()),
                );
            }
            5 => {
                o.insert(
                    "type".to_string(),
                    json!(rng
                        .pick(&[
                            "neural_playground",
                            "Neural-Playground",
                            " neural-playground",
                            "np"
                        ])
                        .to_string()),
                );
            }
            _ => {} // sometimes untouched: those must be accepted
        }
    }
    Value::Object(o)
}

#[test]
fn generated_malformed_messages_never_panic_and_only_exact_ones_pass() {
    let long = format!("dataset={}", "x".repeat(MAX_HASH_LEN));
    let good: Vec<&str> = vec![
        "overfitting",
        "graphs",
        "dataset=xor",
        "#noise=10",
        "",
        "playground",
    ];
    let bad: Vec<&str> = vec![
        "quantum",
        "no-such-lesson",
        "dataset=xor\u{0}",
        "a\tb",
        &long,
    ];
    for h in &good {
        assert!(loadable(h), "{h}");
    }
    for h in &bad {
        assert!(!loadable(h), "{h}");
    }
    let mut rng = Rng::new(16);
    let (mut accepted, mut rejected) = (0, 0);
    for i in 0..20_000 {
        let v = if i % 2 == 0 {
            mutated(&mut rng, &good, &bad)
        } else {
            random_value(&mut rng, 4)
        };
        let got = parse(&v);
        assert_eq!(got.is_ok(), oracle(&v), "{v}");
        match got {
            Ok(_) => accepted += 1,
            Err(why) => {
                assert!(!why.to_string().is_empty());
                rejected += 1;
            }
        }
    }
    // The generator reaches both sides, so the assertion above was tested on each.
    assert!(
        accepted > 1_000 && rejected > 10_000,
        "{accepted} accepted, {rejected} rejected"
    );
}

#[test]
fn origins_are_read_as_the_browser_writes_them() {
    let good = [
        ("https://course.example.org", "https://course.example.org"),
        ("https://Course.Example.org/", "https://course.example.org"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("http://127.0.0.1:80", "http://127.0.0.1"),
        ("https://x.org:443", "https://x.org"),
        ("https://x.org:8443", "https://x.org:8443"),
        ("http://[::1]:3000", "http://[::1]:3000"),
    ];
    for (text, expected) in good {
        assert_eq!(origin::parse(text), Ok(expected.to_string()), "{text}");
    }
    for (text, says) in [
        ("", "empty"),
        ("course.example.org", "scheme"),
        ("ftp://x.org", "http and https"),
        ("null", "scheme"),
        ("https://x.org/course/page.html", "path"),
        ("https://user@x.org", "user"),
        ("https://x.org:99999", "port"),
        ("https://x.org:0", "port"),
        ("https://x..org", "host"),
        ("https://", "host"),
        ("https://*", "host"),
        ("javascript://alert(1)", "http and https"),
    ] {
        let err = origin::parse(text).expect_err(text);
        assert!(err.contains(says), "{text}: {err}");
    }
}

#[test]
fn the_gate_takes_the_parent_only_and_with_an_origin_that_origin_only() {
    let any = Gate::new(None);
    assert_eq!(any.target_origin(), "*");
    assert_eq!(any.admit(true, "http://localhost:9"), Ok(()));
    assert!(matches!(
        any.admit(false, "http://localhost:9"),
        Err(Rejection::NotFromParent { .. })
    ));
    let course = Gate::new(Some("http://localhost:9".to_string()));
    assert_eq!(course.target_origin(), "http://localhost:9");
    assert_eq!(course.admit(true, "http://localhost:9"), Ok(()));
    let wrong = course.admit(true, "http://127.0.0.1:9");
    assert!(
        matches!(&wrong, Err(Rejection::WrongOrigin { .. })),
        "{wrong:?}"
    );
    assert!(wrong
        .unwrap_err()
        .to_string()
        .contains("http://127.0.0.1:9"));
    assert!(course.admit(false, "http://localhost:9").is_err());
}

#[test]
fn the_url_keys_round_trip_and_a_bad_origin_says_so() {
    let (c, notices) = hash::parse("#embed=true&parentOrigin=http://localhost:8000&dataset=xor");
    assert_eq!(notices, vec![]);
    assert!(c.embed);
    assert_eq!(c.parent_origin.as_deref(), Some("http://localhost:8000"));
    let text = hash::print(&c);
    assert!(
        text.starts_with("embed=true&parentOrigin=http://localhost:8000&"),
        "{text}"
    );
    assert_eq!(hash::parse(&text), (c, vec![]));
    // Percent-escaped, as some course pages write it.
    let (c, notices) = hash::parse("embed=1&parentOrigin=https%3A%2F%2Fcourse.example.org");
    assert_eq!(
        (c.embed, c.parent_origin.as_deref(), notices),
        (true, Some("https://course.example.org"), vec![])
    );
    let (c, notices) = hash::parse("embed=true&parentOrigin=course.example.org/page");
    assert_eq!(c.parent_origin, None);
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].key, "parentOrigin");
    assert!(
        notices[0].message.contains("course.example.org/page"),
        "{}",
        notices[0].message
    );
    let (_, notices) = hash::parse("embed=yes");
    assert_eq!(notices[0].key, "embed");
    assert!(
        !hash::print(&Config::default()).contains("embed"),
        "unset keys are not printed"
    );
}

fn record(epoch: u64, loss: f64) -> Record {
    Record {
        epoch,
        loss_train: loss,
        loss_test: Some(loss + 0.1),
        acc_train: Some(0.75),
        ..Record::default()
    }
}

#[test]
fn epoch_events_carry_the_metrics_with_null_for_what_is_not_there() {
    assert_eq!(
        Outgoing::Epoch(record(12, 0.25)).to_json(),
        json!({
            "type": "neural-playground", "event": "epoch", "epoch": 12,
            "loss": {"train": 0.25, "test": 0.35, "validation": null},
            "accuracy": {"train": 0.75, "test": null},
            "auc": {"test": null},
        })
    );
    assert_eq!(
        Outgoing::Epoch(record(0, f64::NAN)).to_json()["loss"]["train"],
        Value::Null
    );
    assert_eq!(
        Outgoing::Resize { height: 700 }.to_json(),
        json!({"type": "neural-playground", "event": "resize", "height": 700})
    );
    assert_eq!(
        Outgoing::TaskReached {
            lesson: "graphs".to_string(),
            task: 2
        }
        .to_json()["event"],
        "task-reached"
    );
}

#[test]
fn the_throttle_posts_at_most_every_interval_and_never_loses_the_last_epoch() {
    let mut t = EpochThrottle::default();
    assert_eq!(t.offer(0.0, record(1, 0.5)), Some(record(1, 0.5)));
    assert_eq!(t.wait_ms(0.0), None);
    assert_eq!(t.offer(10.0, record(2, 0.4)), None, "too soon");
    assert_eq!(
        t.offer(100.0, record(3, 0.3)),
        None,
        "too soon; replaces epoch 2"
    );
    assert_eq!(t.wait_ms(100.0), Some(EPOCH_INTERVAL_MS - 100.0));
    assert_eq!(t.due(200.0), None);
    assert_eq!(t.due(EPOCH_INTERVAL_MS), Some(record(3, 0.3)));
    assert_eq!(t.wait_ms(EPOCH_INTERVAL_MS), None);
    // The same metrics drawn again are not a new epoch; changed ones at the same epoch are.
    assert_eq!(t.offer(1000.0, record(3, 0.3)), None);
    assert_eq!(
        t.offer(1000.0, record(0, 0.7)),
        Some(record(0, 0.7)),
        "a reset"
    );
    let mut nan = EpochThrottle::default();
    assert!(nan.offer(0.0, record(5, f64::NAN)).is_some());
    assert_eq!(
        nan.offer(500.0, record(5, f64::NAN)),
        None,
        "NaN is the same NaN"
    );
    // Over a long burst at 60 frames a second: four events a second, the last one included.
    let mut burst = EpochThrottle::default();
    let mut sent = Vec::new();
    for frame in 0..600u64 {
        let now = frame as f64 * 1000.0 / 60.0;
        sent.extend(burst.offer(now, record(frame, 1.0 / (frame + 1) as f64)));
        sent.extend(burst.due(now));
    }
    sent.extend(burst.due(1e9));
    assert!(
        (38..=41).contains(&sent.len()),
        "{} events in 10 s",
        sent.len()
    );
    assert_eq!(sent.last().map(|r| r.epoch), Some(599));
}

#[test]
fn heights_are_reported_when_they_change_in_whole_pixels() {
    let mut h = HeightWatch::default();
    assert_eq!(h.changed(700.2), Some(701));
    assert_eq!(h.changed(700.9), None);
    assert_eq!(h.changed(1200.0), Some(1200));
    assert_eq!(h.changed(f64::NAN), None);
}

#[test]
fn load_keeps_the_embedding_keys_of_the_page() {
    let current = Config {
        embed: true,
        parent_origin: Some("http://localhost:8000".to_string()),
        ..Config::default()
    };
    let keys = "embed=true&parentOrigin=http://localhost:8000";
    assert_eq!(
        hash_for(&Target::Lesson("graphs".to_string()), &current),
        format!("lesson=graphs&{keys}")
    );
    // A hash cannot leave embed mode or send the events elsewhere.
    let sneaky =
        Target::Hash("dataset=xor&embed=false&parentOrigin=https://evil.example".to_string());
    let text = hash_for(&sneaky, &current);
    assert_eq!(text, format!("dataset=xor&{keys}"));
    let (c, notices) = hash::parse(&text);
    assert_eq!(notices, vec![]);
    assert_eq!(
        (c.embed, c.parent_origin),
        (true, current.parent_origin.clone())
    );
    for free in ["", "playground", "embed=false"] {
        let (c, notices) = hash::parse(&hash_for(&Target::Hash(free.to_string()), &current));
        assert_eq!(notices, vec![], "{free}");
        assert_eq!(c, current, "{free}: the free playground, embedded");
    }
}
