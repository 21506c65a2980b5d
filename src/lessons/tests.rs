//! The lesson files: every one loads, its preset parses without a notice, its goals read
//! values its experiment has, its text uses only the markup the panel expects; and the first
//! task of each lesson is reachable by training its preset (natively, on the CPU).

use super::goal::{Quantity, Readings};
use super::panel::PANELS;
use super::*;
use crate::session::Session;

/// The fixed ids in course order (course pages link to them).
const IDS: [&str; 13] = [
    "graphs",
    "linear-regression",
    "logistic-regression",
    "activations",
    "universal-approximation",
    "classification",
    "backprop",
    "losses",
    "optimizers",
    "overfitting",
    "digits",
    "finance",
    "summary",
];

/// Inline markup a paragraph may use.
const TAGS: &[&str] = &[
    "em", "strong", "code", "math", "mi", "mn", "mo", "mrow", "msup", "msub", "msubsup", "mfrac",
    "msqrt", "mover",
];

fn lessons() -> Vec<Lesson> {
    FILES
        .iter()
        .map(|(id, text)| parse(id, text).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// The tags of `html`, each with whether it opens; panics on a `<` that starts no tag.
fn tags(html: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let tail = &rest[i + 1..];
        let end = tail
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag in {html}"));
        let inner = &tail[..end];
        let (closing, name) = match inner.strip_prefix('/') {
            Some(n) => (true, n),
            None => (false, inner),
        };
        assert!(
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                && !name.is_empty(),
            "a tag with attributes or odd characters: <{inner}> in {html}"
        );
        out.push((name.to_string(), !closing));
        rest = &tail[end + 1..];
    }
    out
}

#[test]
fn every_lesson_file_is_valid() {
    let all = lessons();
    let ids: Vec<&str> = all.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, IDS, "the lessons in course order");
    assert_eq!(super::all().len(), 13, "every file loads in the app too");
    for (i, l) in all.iter().enumerate() {
        let id = &l.id;
        assert_eq!(l.section as usize, i + 1, "{id}: section");
        assert!(
            !l.title.is_empty() && l.summary.len() <= 110,
            "{id}: summary of one line"
        );
        assert!(
            (2..=5).contains(&l.paragraphs.len()),
            "{id}: a few paragraphs"
        );
        let (config, notices) = hash::parse(&l.preset);
        assert_eq!(notices, vec![], "{id}: the preset parses without a notice");
        assert!(
            config.lesson.is_none(),
            "{id}: the route adds the lesson's place"
        );
        for p in &l.panels {
            assert!(
                PANELS.iter().any(|(name, _)| name == p),
                "{id}: no panel `{p}`"
            );
        }
        for p in &l.paragraphs {
            let mut open: Vec<String> = Vec::new();
            for (tag, opens) in tags(p) {
                assert!(TAGS.contains(&tag.as_str()), "{id}: <{tag}> in {p}");
                if opens {
                    open.push(tag);
                } else {
                    assert_eq!(
                        open.pop().as_deref(),
                        Some(tag.as_str()),
                        "{id}: nesting in {p}"
                    );
                }
            }
            assert!(open.is_empty(), "{id}: unclosed {open:?} in {p}");
        }
        for (n, t) in l.tasks.iter().enumerate() {
            assert!(!t.try_.is_empty() && !t.notice.is_empty() && !t.hint.is_empty());
            for c in &t.goal.all {
                assert_eq!(
                    c.quantity.missing_in(&config),
                    None,
                    "{id}, task {}: a goal on a value the preset has",
                    n + 1
                );
            }
        }
        // A lesson's own hash opens it where it says.
        let (c, notices) = hash::parse(&hash::print(&l.config(2).0));
        assert_eq!(notices, vec![]);
        assert_eq!((c.lesson.as_deref(), c.task), (Some(id.as_str()), 2));
    }
}

#[test]
fn a_broken_lesson_file_says_what_is_wrong() {
    let text = FILES[1]
        .1
        .replace("weight(0,0,0) within", "weight(0,0) within");
    let e = parse("linear-regression", &text).unwrap_err();
    assert!(e.contains("weight takes (layer, to, from)"), "{e}");
    assert!(parse("graphs", FILES[1].1).unwrap_err().contains("id"));
}

/// Trains `lesson`'s preset as its first task says, for at most `epochs` epochs, and returns the
/// epoch the goal was reached at (checked after every epoch) and the readings then.
fn first_task(id: &str, epochs: u64) -> (u64, Vec<(String, f64)>) {
    let lesson = find(id).unwrap();
    let (config, _) = lesson.config(1);
    crate::session::shipped::tests::load_committed();
    let mut session = Session::new(&config);
    let goal = &lesson.tasks[0].goal;
    for _ in 0..epochs {
        session.step_epoch_now();
        let snapshot = session.snapshot_now(4);
        let r = Readings::of(&config, &snapshot);
        if goal.reached(&r) {
            let read = |q: Quantity| (q.to_string(), q.read(&r).unwrap_or(f64::NAN));
            let mut values: Vec<(String, f64)> =
                goal.all.iter().map(|c| read(c.quantity)).collect();
            for q in [
                Quantity::TrainLoss,
                Quantity::TestLoss,
                Quantity::TestAccuracy,
            ] {
                values.push(read(q));
            }
            eprintln!("{id}: reached at epoch {} with {values:?}", snapshot.epoch);
            return (snapshot.epoch, values);
        }
    }
    panic!("{id}: the first task's goal was not reached in {epochs} epochs");
}

#[test]
fn every_first_task_is_reached_by_training_the_preset() {
    // A lesson whose first goal reads the graph sandbox is played by the sandbox below.
    let on_sandbox = |id: &str| {
        find(id).unwrap().tasks[0]
            .goal
            .all
            .iter()
            .any(|c| c.quantity.reads_sandbox())
    };
    // MNIST is built by the setup script; without it (a checkout that has not run it, and
    // where `NP_REQUIRE_MNIST` is unset) its lesson is skipped, and says so.
    crate::session::shipped::tests::load_committed();
    let data_here = |id: &str| {
        let d = find(id).unwrap().config(1).0.active_dataset();
        let here = !d.is_shipped() || crate::session::shipped::get(d).is_some();
        if !here {
            eprintln!("{id}: skipped, its data set `{d}` is not built here");
        }
        here
    };
    for id in IDS
        .into_iter()
        .filter(|id| !on_sandbox(id) && data_here(id))
    {
        let (epoch, _) = first_task(id, 3000);
        assert!(epoch >= 1, "{id}");
    }
}

/// Not a test: prints a training run of the hash in `NP_EXPLORE` (for tuning presets).
#[test]
#[ignore]
fn explore() {
    let Ok(text) = std::env::var("NP_EXPLORE") else {
        return;
    };
    let epochs: u64 = std::env::var("NP_EPOCHS")
        .ok()
        .and_then(|e| e.parse().ok())
        .unwrap_or(200);
    crate::session::shipped::tests::load_committed();
    for variant in text.split('|') {
        let (config, notices) = hash::parse(variant);
        assert_eq!(notices, vec![]);
        let mut session = Session::new(&config);
        let mut line = Vec::new();
        for e in 1..=epochs {
            session.step_epoch_now();
            if e.is_power_of_two() || e % (epochs / 5).max(1) == 0 {
                let s = session.snapshot_now(4);
                let r = Readings::of(&config, &s);
                line.push(format!(
                    "{e}: train loss {:.4} test loss {:.4} train acc {:.3} test acc {:.3} test auc {:.3}",
                    r.train_loss.unwrap_or(f64::NAN),
                    r.test_loss.unwrap_or(f64::NAN),
                    r.train_accuracy.unwrap_or(f64::NAN),
                    r.test_accuracy.unwrap_or(f64::NAN),
                    s.latest.auc_test.unwrap_or(f64::NAN)
                ));
            }
        }
        eprintln!("{variant}\n  {}", line.join("\n  "));
    }
}

#[test]
fn moving_between_tasks_keeps_the_run_and_a_new_lesson_rebuilds() {
    use crate::state::{Action, AppState, Impact};
    let lesson = find("overfitting").unwrap();
    let at = |task| Box::new(lesson.config(task).0);
    let s = AppState::default().apply(Action::LoadHash(at(1), vec![]));
    assert_eq!(
        s.impact,
        Impact::Rebuild,
        "opening a lesson loads its preset"
    );
    let s = s.apply(Action::LoadHash(at(2), vec![]));
    assert_eq!((s.config.task, s.impact), (2, Impact::None));
    let other = Box::new(find("activations").unwrap().config(1).0);
    assert_eq!(
        s.apply(Action::LoadHash(other, vec![])).impact,
        Impact::Rebuild
    );
}

#[test]
fn the_hash_keeps_the_lesson_and_refuses_a_lone_task() {
    let (c, notices) = hash::parse("lesson=graphs&task=2&noise=5");
    assert_eq!(
        (c.lesson.as_deref(), c.task, c.noise),
        (Some("graphs"), 2, 5)
    );
    assert_eq!(notices, vec![]);
    assert!(hash::print(&c).starts_with("lesson=graphs&task=2&"));
    let (c, notices) = hash::parse("task=3&noise=5");
    assert_eq!((c.lesson, c.task), (None, 1));
    assert_eq!(notices.len(), 1, "{notices:?}");
    for bad in [
        "lesson=Graphs!",
        "lesson=graphs&task=0",
        "lesson=graphs&task=x",
    ] {
        assert_eq!(hash::parse(bad).1.len(), 1, "{bad}");
    }
}

/// Every task of a lesson on the graph sandbox is reached by one of the sandbox's worked
/// examples, run as its button runs it.
#[test]
fn every_sandbox_task_is_reached_by_a_worked_example() {
    use crate::sandbox::build::Built;
    use crate::sandbox::examples::EXAMPLES;
    let readings: Vec<(&str, crate::sandbox::SandboxReadings)> = EXAMPLES
        .iter()
        .map(|ex| {
            let s = ex.setup();
            let mut b = Built::start(&s).unwrap();
            for _ in 1..ex.runs {
                b.run_again(&s).unwrap();
            }
            if ex.gradients {
                b.gradients().unwrap();
            }
            (ex.id, b.readings())
        })
        .collect();
    let mut checked = 0;
    for l in lessons() {
        let (config, _) = l.config(1);
        let snapshot = crate::session::Snapshot::placeholder(&config);
        for (n, t) in l.tasks.iter().enumerate() {
            if !t.goal.all.iter().any(|c| c.quantity.reads_sandbox()) {
                continue;
            }
            let r = Readings::of(&config, &snapshot);
            assert!(
                !t.goal.reached(&r),
                "{}, task {}: reached before any run",
                l.id,
                n + 1
            );
            let by = readings
                .iter()
                .find(|(_, s)| t.goal.reached(&r.with_sandbox(s)))
                .map(|(id, _)| *id);
            assert!(
                by.is_some(),
                "{}, task {}: no worked example reaches it",
                l.id,
                n + 1
            );
            checked += 1;
        }
    }
    assert!(checked >= 4, "the graphs lesson's tasks are on the sandbox");
}

#[test]
fn the_overfitting_lesson_s_early_stopping_task_ends_the_run() {
    // Task 4 as its text says: the big network, no dropout, 20 % validation, early stopping on
    // the validation loss with patience 50 and restore best.
    let lesson = find("overfitting").unwrap();
    let (mut config, _) = lesson.config(4);
    let (asked, notices) = hash::parse(&format!(
        "{}&networkShape=32,32&dropout=0&percValData=20&earlyStop=loss&patience=50&restoreBest=true",
        lesson.preset
    ));
    assert_eq!(notices, vec![]);
    config = Config {
        lesson: config.lesson,
        task: 4,
        ..asked
    };
    let goal = &lesson.tasks[3].goal;
    let mut session = Session::new(&config);
    for _ in 0..3000 {
        session.step_epoch_now();
        let snapshot = session.snapshot_now(4);
        if goal.reached(&Readings::of(&config, &snapshot)) {
            eprintln!(
                "overfitting task 4: stopped at epoch {}, best {:?}, test accuracy {:?}",
                snapshot.epoch, snapshot.progress.best_epoch, snapshot.latest.acc_test
            );
            assert!(snapshot.progress.best_epoch.is_some());
            return;
        }
    }
    panic!("early stopping never ended the big network's run");
}
