//! The host answers commands the way the page expects: snapshots only when asked for, the
//! pace it was given, steps in order, stops told once, and a restart that loses nothing.

use std::cell::Cell;

use super::*;
use crate::config::{hash, Speed};
use crate::session::Record;

fn config(hash: &str) -> Config {
    let (c, notices) = hash::parse(hash);
    assert_eq!(notices, vec![]);
    c
}

/// Runs the host's loop on a simulated clock (`now`, ms) for `rounds` turns, the way the
/// worker runs it; reads complete at once on the CPU. A slice trains ten batches.
fn drive(h: &mut Host, now: &mut f64, rounds: usize) -> Vec<Event> {
    for _ in 0..rounds {
        match h.next(*now) {
            Work::Evaluate { view } => {
                if let Some(p) = h.begin_eval(view) {
                    let reads = np_engine::backend::poll_once(Box::pin(p.run()))
                        .expect("the CPU reads at once");
                    h.finish_eval(reads, view);
                }
            }
            Work::Step(s) => h.step(s),
            Work::Train { max_epochs } => {
                let batches = Cell::new(0.0);
                h.train(max_epochs, 10.0, || {
                    batches.set(batches.get() + 1.0);
                    batches.get()
                });
            }
            Work::Checkpoint => {
                let version = h.session().version();
                let c = h.session().checkpoint();
                h.checkpointed(c, version, *now);
            }
            Work::Wait { ms } => *now += ms.unwrap_or(16.0),
        }
        *now += 0.5;
    }
    h.take_events()
}

fn snapshots(events: &[Event]) -> Vec<&WireSnapshot> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Snapshot(s) => Some(&**s),
            _ => None,
        })
        .collect()
}

fn latest(events: &[Event]) -> Option<Record> {
    snapshots(events).last().map(|s| s.latest)
}

#[test]
fn a_snapshot_goes_out_only_when_the_page_is_ready() {
    let mut now = 0.0;
    let mut h = Host::new(&config("dataset=xor"), now);
    assert!(
        h.take_backend_request().is_some(),
        "the backend opens first"
    );
    let first = drive(&mut h, &mut now, 5);
    let sent = snapshots(&first);
    assert_eq!(sent.len(), 1, "{first:?}");
    assert!(
        sent[0].data.is_some(),
        "the first snapshot carries the data set"
    );
    assert_eq!(sent[0].latest.epoch, 0);
    assert!(
        sent[0].latest.loss_train.is_finite(),
        "metrics read before it went"
    );
    h.handle(Command::StepEpoch, now);
    assert!(
        snapshots(&drive(&mut h, &mut now, 5)).is_empty(),
        "not ready"
    );
    h.handle(Command::Ready, now);
    let next = drive(&mut h, &mut now, 5);
    let sent = snapshots(&next);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].latest.epoch, 1);
    assert!(
        sent[0].data.is_none(),
        "the same data set is not sent again"
    );
    h.handle(Command::Ready, now);
    assert!(
        snapshots(&drive(&mut h, &mut now, 5)).is_empty(),
        "nothing changed, nothing sent"
    );
}

#[test]
fn play_keeps_the_target_rate() {
    let mut now = 0.0;
    let mut h = Host::new(&config("dataset=xor&speed=100"), now);
    drive(&mut h, &mut now, 3);
    h.handle(Command::Play, now);
    let start = now;
    while now - start < 2000.0 {
        drive(&mut h, &mut now, 1);
    }
    h.handle(Command::Pause, now);
    h.handle(Command::Ready, now);
    let epoch = latest(&drive(&mut h, &mut now, 5)).map_or(0, |r| r.epoch);
    assert!(
        (190..=210).contains(&epoch),
        "100 epochs/s for 2 s: {epoch}"
    );
}

#[test]
fn steps_run_in_order_after_the_reads_they_wait_for() {
    let mut now = 0.0;
    let mut h = Host::new(&config("dataset=xor&batchSize=50"), now);
    h.handle(Command::Play, now);
    h.handle(Command::StepEpoch, now);
    h.handle(Command::StepEpoch, now);
    h.handle(Command::StepBatch, now);
    assert!(!h.playing(), "a step pauses");
    drive(&mut h, &mut now, 20);
    h.handle(Command::Ready, now);
    let events = drive(&mut h, &mut now, 5);
    assert_eq!(latest(&events).map(|r| r.epoch), Some(2));
    // 250 training points in batches of 50: one batch into the third epoch.
    let mut reference = Session::new(&config("dataset=xor&batchSize=50"));
    reference.step_epoch_now();
    reference.step_epoch_now();
    reference.step_batch_now();
    assert_eq!(
        h.session().snapshot().layers,
        reference.snapshot_now(4).layers,
        "the same weights"
    );
}

#[test]
fn a_restarted_host_continues_the_run_exactly() {
    let c = config("dataset=spiral&networkShape=6,4&optimizer=adam&batchSize=7");
    let mut now = 0.0;
    let mut h = Host::new(&c, now);
    for _ in 0..3 {
        h.handle(Command::StepEpoch, now);
    }
    h.handle(Command::StepBatch, now);
    // Idle after the steps, the host waits out the second before the checkpoint they owe.
    let events = drive(&mut h, &mut now, 30);
    let checkpoint = events
        .iter()
        .rev()
        .find_map(|e| match e {
            Event::Checkpoint { run, .. } => Some(run.clone()),
            _ => None,
        })
        .expect("a checkpoint after a second of change");
    assert_eq!(checkpoint.latest.epoch, 3);
    // Idle with nothing new: no timer, no further checkpoint.
    assert_eq!(h.next(now), Work::Wait { ms: None });
    // The worker died: a new one gets the config and the checkpoint.
    let mut restarted = Host::new(&c, now);
    restarted.handle(
        Command::Configure {
            config: Box::new(c.clone()),
            impact: Impact::Rebuild,
            revision: 1,
        },
        now,
    );
    restarted.handle(Command::Restore(checkpoint), now);
    for host in [&mut h, &mut restarted] {
        host.handle(Command::StepEpoch, now);
        host.handle(Command::StepEpoch, now);
        drive(host, &mut now, 30);
        host.handle(Command::Ready, now);
    }
    let a = latest(&drive(&mut h, &mut now, 30));
    let b = latest(&drive(&mut restarted, &mut now, 30));
    assert_eq!(a.map(|r| r.epoch), Some(5));
    assert_eq!(a, b, "same losses after the restart");
    assert_eq!(
        h.session().snapshot().layers,
        restarted.session().snapshot().layers
    );
}

#[test]
fn a_diverged_run_stops_once_and_a_reset_clears_it() {
    let c = config("problem=regression&learningRate=10&networkShape=8,8&activation=relu");
    let mut now = 0.0;
    let mut h = Host::new(&c, now);
    h.handle(Command::Play, now);
    let mut stops = 0;
    for _ in 0..200 {
        let events = drive(&mut h, &mut now, 5);
        stops += events
            .iter()
            .filter(|e| matches!(e, Event::Stopped { .. }))
            .count();
        h.handle(Command::Ready, now);
    }
    assert_eq!(stops, 1, "told once");
    assert!(!h.playing());
    h.handle(Command::Play, now);
    assert!(!h.playing(), "a diverged run does not play");
    let calm = Config {
        learning_rate: 0.03,
        ..c
    };
    h.handle(
        Command::Configure {
            config: Box::new(calm),
            impact: Impact::Reset,
            revision: 1,
        },
        now,
    );
    h.handle(Command::Play, now);
    assert!(h.playing());
}

#[test]
fn the_latest_backend_request_wins() {
    let c = config("dataset=xor&backend=cpu");
    let mut h = Host::new(&c, 0.0);
    let first = h.take_backend_request().expect("requested at start");
    assert_eq!(first.choice, BackendChoice::Cpu);
    let auto = Config {
        backend: BackendChoice::Auto,
        ..c
    };
    h.handle(
        Command::Configure {
            config: Box::new(auto),
            impact: Impact::None,
            revision: 1,
        },
        0.0,
    );
    let second = h.take_backend_request().expect("a changed choice reopens");
    assert!(second.generation > first.generation);
    let cpu = || {
        np_wgpu::FallbackBackend::cpu_only(
            Box::new(|| Box::new(np_engine::backend::cpu::CpuBackend::new())),
            "cpu: test",
        )
    };
    h.opened(first.generation, cpu(), "stale".into(), String::new());
    assert!(h.take_events().is_empty(), "a stale opening is dropped");
    h.opened(second.generation, cpu(), "cpu".into(), "none".into());
    assert_eq!(
        h.take_events(),
        vec![Event::Backend {
            label: "cpu".into(),
            adapter: "none".into()
        }]
    );
}

#[test]
fn speed_max_trains_flat_out() {
    let mut now = 0.0;
    let mut h = Host::new(&config("dataset=xor&speed=max"), now);
    assert_eq!(h.config.speed, Speed::Max);
    h.handle(Command::Play, now);
    drive(&mut h, &mut now, 3);
    assert_eq!(
        h.next(now),
        Work::Train {
            max_epochs: u32::MAX
        }
    );
}

#[test]
fn early_stopping_stops_play_once_says_why_and_lifting_it_trains_on() {
    // Overfitting setting: a big network on few noisy points, so the validation loss turns.
    let c = config(
        "dataset=xor&noise=50&samples=40&percValData=40&networkShape=8,8&activation=relu\
         &learningRate=0.3&optimizer=adam&batchSize=4&earlyStop=loss&patience=3&restoreBest=true",
    );
    let mut now = 0.0;
    let mut h = Host::new(&c, now);
    h.handle(Command::Play, now);
    let (mut told, mut last) = (Vec::new(), None);
    for _ in 0..400 {
        let events = drive(&mut h, &mut now, 5);
        told.extend(events.iter().filter_map(|e| match e {
            Event::StoppedEarly { why } => Some(why.clone()),
            _ => None,
        }));
        if let Some(s) = snapshots(&events).last() {
            last = Some((*s).clone());
        }
        h.handle(Command::Ready, now);
    }
    assert_eq!(told.len(), 1, "told once: {told:?}");
    assert!(!h.playing());
    let why = &told[0];
    assert!(
        why.contains("validation loss had not improved for 3 epochs") && why.contains("are back"),
        "{why}"
    );
    let snap = last.expect("snapshots came");
    assert_eq!(snap.progress.stopped_early.as_ref(), Some(why));
    let best = snap.progress.best_epoch.expect("a best epoch");
    assert_eq!(snap.progress.waited, 3);
    assert!(why.contains(&format!("since epoch {best}")), "{why}");
    h.handle(Command::Play, now);
    assert!(!h.playing(), "a run early stopping ended does not play");

    // Early stopping off, live: the same run goes on from where it stood.
    let epoch = h.session().snapshot().epoch;
    let off = Config {
        early_stop: crate::config::EarlyStop::Off,
        ..c
    };
    h.handle(
        Command::Configure {
            config: Box::new(off),
            impact: Impact::Live,
            revision: 1,
        },
        now,
    );
    h.handle(Command::Play, now);
    assert!(h.playing());
    drive(&mut h, &mut now, 20);
    assert!(h.session().snapshot().epoch > epoch);
    assert_eq!(h.session().progress().stopped_early, None);
}

#[test]
fn the_schedule_s_rate_reaches_the_snapshot() {
    let c = config("dataset=xor&learningRate=0.1&lrSchedule=step&lrEvery=10&lrFactor=0.5");
    let mut now = 0.0;
    let mut h = Host::new(&c, now);
    assert_eq!(h.session().progress().lr, 0.1f32 as f64);
    for _ in 0..25 {
        h.handle(Command::StepEpoch, now);
        drive(&mut h, &mut now, 10);
        h.handle(Command::Ready, now);
    }
    let epoch = h.session().snapshot().epoch;
    assert_eq!(epoch, 25);
    // 25 epochs done: two halvings.
    assert_eq!(h.session().progress().lr, f64::from(0.1f32 * 0.25));
}

fn digits_file() -> Vec<u8> {
    let path = format!("{}/assets/data/digits.npds", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn a_shipped_dataset_waits_for_its_file_then_plays_as_asked() {
    let mut now = 0.0;
    let mut h = Host::new(
        &config("dataset=digits&networkShape=16&batchSize=100&speed=max"),
        now,
    );
    assert_eq!(h.take_data_request(), Some(Dataset::Digits));
    assert_eq!(h.take_data_request(), None, "the file is asked for once");
    h.handle(Command::Play, now);
    let waiting = drive(&mut h, &mut now, 20);
    assert!(
        snapshots(&waiting).is_empty(),
        "nothing to draw before the data"
    );
    h.data_arrived(DataArrival::Progress {
        dataset: Dataset::Digits,
        loaded: 1000,
        total: Some(116_934),
    });
    h.data_arrived(DataArrival::Loaded {
        dataset: Dataset::Digits,
        name: "data/digits.npds".into(),
        bytes: digits_file(),
    });
    let mut events = drive(&mut h, &mut now, 400);
    h.handle(Command::Ready, now);
    events.extend(drive(&mut h, &mut now, 5));
    assert!(events.contains(&Event::DataProgress {
        dataset: Dataset::Digits,
        loaded: 1000,
        total: Some(116_934)
    }));
    assert!(events.contains(&Event::DataLoaded {
        dataset: Dataset::Digits
    }));
    let first = snapshots(&events)[0];
    let wide = first
        .data
        .as_ref()
        .and_then(|d| d.wide.as_ref())
        .expect("the first snapshot carries the data");
    assert_eq!(wide.image, Some((8, 8)));
    assert_eq!(
        first.output.len(),
        wide.test.rows.len(),
        "the view is read on the test sample"
    );
    assert_eq!(first.layers[0].w[0].len(), 64, "64 pixels in");
    let last = latest(&events).unwrap();
    assert!(last.epoch >= 3, "it played once the data came: {last:?}");
    assert!(last.acc_test.is_some_and(|a| a > 0.5), "{last:?}");
}

#[test]
fn a_failed_or_damaged_file_is_told_and_asked_for_again() {
    let now = 0.0;
    let mut h = Host::new(&config("dataset=digits"), now);
    assert_eq!(h.take_data_request(), Some(Dataset::Digits));
    h.data_arrived(DataArrival::Failed {
        dataset: Dataset::Digits,
        why: "offline".into(),
    });
    assert!(h.take_events().contains(&Event::DataFailed {
        dataset: Dataset::Digits,
        why: "offline".into()
    }));
    assert_eq!(h.take_data_request(), None, "not fetched again in a loop");
    h.handle(Command::Play, now);
    assert_eq!(
        h.take_data_request(),
        Some(Dataset::Digits),
        "a retry on Play"
    );
    h.data_arrived(DataArrival::Loaded {
        dataset: Dataset::Digits,
        name: "data/digits.npds".into(),
        bytes: b"NPDS but not really".to_vec(),
    });
    let told = h.take_events();
    assert!(
        told.iter()
            .any(|e| matches!(e, Event::DataFailed { why, .. } if why.contains("damaged"))),
        "{told:?}"
    );
    assert!(
        h.session().waiting_for().is_some(),
        "nothing half-loaded is trained on"
    );
}

#[test]
fn a_run_restored_while_its_data_is_on_the_way_continues_once_it_arrives() {
    let c = config("dataset=digits&networkShape=8&batchSize=200");
    let mut now = 0.0;
    let mut first = Host::new(&c, now);
    first.data_arrived(DataArrival::Loaded {
        dataset: Dataset::Digits,
        name: "data/digits.npds".into(),
        bytes: digits_file(),
    });
    for _ in 0..3 {
        first.handle(Command::StepEpoch, now);
    }
    drive(&mut first, &mut now, 100);
    let checkpoint = first.session().checkpoint().expect("a network");
    assert_eq!(checkpoint.latest.epoch, 3);
    // A restarted worker on another thread has no file yet.
    let restored = std::thread::spawn(move || {
        let mut now = 0.0;
        let mut h = Host::new(&c, now);
        h.handle(Command::Restore(Box::new(checkpoint)), now);
        h.data_arrived(DataArrival::Loaded {
            dataset: Dataset::Digits,
            name: "data/digits.npds".into(),
            bytes: digits_file(),
        });
        let mut events = drive(&mut h, &mut now, 20);
        h.handle(Command::Ready, now);
        events.extend(drive(&mut h, &mut now, 5));
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, Event::NotRestored { .. })),
            "{events:?}"
        );
        latest(&events).map(|r| r.epoch)
    })
    .join()
    .unwrap();
    assert_eq!(restored, Some(3));
}

/// A small file of the student's: two numeric inputs, a yes/no answer that depends on them.
fn own_file(rows: usize) -> Vec<u8> {
    let mut text = String::from("x1,x2,group,answer\n");
    for i in 0..rows {
        let (a, b) = ((i % 17) as f32 / 17.0, (i % 5) as f32 / 5.0);
        let answer = if a + b > 0.9 { "yes" } else { "no" };
        text.push_str(&format!("{a},{b},g{},{answer}\n", i % 3));
    }
    text.into_bytes()
}

#[test]
fn the_students_file_is_read_from_storage_and_a_new_one_replaces_it() {
    crate::session::own::forget();
    let mut now = 0.0;
    let mut h = Host::new(
        &config("dataset=csv&networkShape=4&batchSize=10&speed=max"),
        now,
    );
    assert_eq!(h.take_data_request(), Some(Dataset::Own));
    h.handle(Command::Play, now);
    // Read as the worker reads it: fed to the table reader part by part as it streams.
    let bytes = own_file(200);
    let options = np_engine::data::table::ReadOptions::default();
    let mut reader =
        np_engine::data::table::TableReader::for_file(bytes.len() as u64, options).unwrap();
    for part in bytes.chunks(64) {
        reader.feed(part).unwrap();
    }
    h.data_arrived(DataArrival::OwnTable {
        name: "mine.csv".into(),
        table: Box::new(reader.finish().unwrap()),
    });
    let mut events = drive(&mut h, &mut now, 200);
    h.handle(Command::Ready, now);
    events.extend(drive(&mut h, &mut now, 5));
    let first = snapshots(&events)[0];
    let data = first
        .data
        .as_ref()
        .expect("the first snapshot carries the data");
    let table = data.table.as_ref().expect("the column picker's view");
    assert_eq!((table.file.as_str(), table.rows), ("mine.csv", 200));
    assert_eq!(table.target, "answer");
    assert_eq!(table.inputs, ["x1", "x2", "group"]);
    // x1, x2 and the three groups one-hot.
    assert_eq!(first.layers[0].w[0].len(), 5);
    assert!(
        latest(&events).unwrap().epoch >= 3,
        "it played once the file was read"
    );

    // A new file was stored: the old rows are dropped and the stored one is asked for.
    h.handle(Command::OwnFileStored, now);
    assert_eq!(h.take_data_request(), Some(Dataset::Own));
    h.data_arrived(DataArrival::Loaded {
        dataset: Dataset::Own,
        name: "broken.csv".into(),
        bytes: b"a,b\n1,2\n3\n".to_vec(),
    });
    let told = h.take_events();
    let failed = told.iter().find_map(|e| match e {
        Event::DataFailed { why, .. } => Some(why.clone()),
        _ => None,
    });
    let why = failed.expect("a broken file is told");
    assert!(
        why.contains("broken.csv") && why.contains("line 3"),
        "{why}"
    );
}

/// Where an MNIST epoch's time goes in the host, natively (BENCHMARKS.md): training, the
/// metrics read after each epoch, the view read for each snapshot, checkpoints, encoding.
/// `cargo test --release --bin neural-playground mnist_epoch_time -- --ignored --nocapture`
/// with `assets/data/mnist.npds` built (scripts/setup.sh).
#[test]
#[ignore]
fn mnist_epoch_time_by_kind_of_work() {
    use std::time::Instant;
    let bytes = std::fs::read(format!(
        "{}/assets/data/mnist.npds",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let t0 = Instant::now();
    let now = || t0.elapsed().as_secs_f64() * 1000.0;
    let mut h = Host::new(&config("dataset=mnist&networkShape=64&activation=relu&init=he&optimizer=adam&learningRate=0.001&batchSize=128&speed=max"), now());
    let _ = h.take_backend_request();
    let _ = h.take_data_request();
    h.data_arrived(DataArrival::Loaded {
        dataset: Dataset::Mnist,
        name: "mnist.npds".into(),
        bytes,
    });
    h.handle(Command::Ready, now());
    h.handle(Command::Play, now());
    let mut spent = std::collections::BTreeMap::<&str, f64>::new();
    let mut counts = std::collections::BTreeMap::<&str, u32>::new();
    let start = now();
    let mut slice_start = now();
    while h.session().snapshot().epoch < 4 {
        let t = now();
        let kind = match h.next(now()) {
            Work::Evaluate { view } => {
                let due = h.session().eval_due();
                if let Some(p) = h.begin_eval(view) {
                    let reads = np_engine::backend::poll_once(Box::pin(p.run())).unwrap();
                    h.finish_eval(reads, view);
                }
                match (due, view) {
                    (true, true) => "metrics+view",
                    (true, false) => "metrics",
                    _ => "view",
                }
            }
            Work::Step(s) => {
                h.step(s);
                "step"
            }
            Work::Train { max_epochs } => {
                if now() - slice_start > 50.0 {
                    slice_start = now();
                }
                h.train(max_epochs, 50.0, || now() - slice_start);
                "train"
            }
            Work::Checkpoint => {
                let version = h.session().version();
                let c = h.session().checkpoint();
                h.checkpointed(c, version, now());
                "checkpoint"
            }
            Work::Wait { .. } => "wait",
        };
        *spent.entry(kind).or_default() += now() - t;
        *counts.entry(kind).or_default() += 1;
        let t = now();
        let mut ready = false;
        for e in h.take_events() {
            let b = crate::protocol::encode(&e).unwrap();
            if let Event::Snapshot(_) = e {
                ready = true;
                *spent.entry("snapshot bytes").or_default() += b.len() as f64;
            }
        }
        *spent.entry("encode").or_default() += now() - t;
        if ready {
            h.handle(Command::Ready, now());
        }
    }
    eprintln!(
        "4 epochs in {:.0} ms; ms (bytes for snapshots) by work: {spent:?}; turns: {counts:?}",
        now() - start
    );
}
