//! A million-row, ~100 MB CSV through the reader and the builder, generated chunk by chunk so
//! no file is kept (in the repository or on disk) and the input never sits in memory whole, as
//! in the worker, which holds one slice at a time.
//!
//! The bench is ignored (it takes several seconds); run it with
//! `cargo test -p np-engine --release --test table_scale -- --ignored --nocapture`
//! and record what it prints in BENCHMARKS.md. The small test beside it runs every time.

use np_engine::data::table::{
    ColumnKind, EmptyCells, InputColumn, Problem, ReadOptions, SplitRule, Table, TableReader,
    TabularSpec,
};
use np_engine::rng::Rng;
use std::time::Instant;

const HEADER: &str = "when,amount,balance,limit,rate,score,count,ratio,job,status,late\n";
const JOBS: [&str; 6] = ["engineer", "nurse", "teacher", "chef", "admin", "driver"];

/// Row `i` of the generated file (about 100 bytes).
fn row(i: usize, rng: &mut Rng, out: &mut String) {
    use std::fmt::Write;
    let day = 1 + i % 28;
    let month = 1 + (i / 28) % 12;
    let year = 1990 + (i / 336) % 35;
    let amount = rng.uniform(0.0, 50_000.0);
    let late = if rng.next_f64() < 0.3 + amount / 200_000.0 {
        "yes"
    } else {
        "no"
    };
    let _ = writeln!(
        out,
        "{year}-{month:02}-{day:02} {:02}:{:02}:{:02},{amount:.3},{:.3},{:.2},{:.5},{:.4},{},{:.8},{},{},{late}",
        i % 24,
        i % 60,
        (i * 7) % 60,
        rng.uniform(-20_000.0, 80_000.0),
        rng.uniform(1_000.0, 99_999.0),
        rng.uniform(0.0, 0.25),
        rng.normal(),
        rng.below(500),
        rng.next_f64(),
        JOBS[rng.below(JOBS.len())],
        ["single", "married", "divorced"][rng.below(3)],
    );
}

/// Feeds `rows` generated rows in chunks of about `chunk` bytes; returns the table and the
/// file's size.
fn read_generated(rows: usize, chunk: usize, seed: u64) -> (Table, u64) {
    let mut rng = Rng::new(seed);
    let mut reader = TableReader::new(ReadOptions::default());
    let mut text = String::from(HEADER);
    let mut size = 0u64;
    for i in 0..rows {
        row(i, &mut rng, &mut text);
        if text.len() >= chunk {
            size += text.len() as u64;
            reader.feed(text.as_bytes()).unwrap();
            text.clear();
        }
    }
    size += text.len() as u64;
    reader.feed(text.as_bytes()).unwrap();
    (reader.finish().unwrap(), size)
}

fn spec() -> TabularSpec {
    let numeric = [
        "amount", "balance", "limit", "rate", "score", "count", "ratio",
    ];
    let mut features: Vec<InputColumn> = numeric
        .iter()
        .map(|n| InputColumn {
            name: n.to_string(),
            kind: ColumnKind::Numeric,
        })
        .collect();
    for n in ["job", "status"] {
        features.push(InputColumn {
            name: n.to_string(),
            kind: ColumnKind::Categorical,
        });
    }
    TabularSpec {
        target: "late".into(),
        features,
        problem: Problem::Classification,
        split: SplitRule::ByTime {
            column: "when".into(),
            val_pct: 20.0,
            test_pct: 10.0,
        },
        empty_cells: EmptyCells::Reject,
    }
}

/// The process's CPU time in seconds (Linux; user + system, in clock ticks of 1/100 s): the
/// machine this is run on may be shared, and wall time then overstates the work.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// The process's peak resident memory in MB (Linux), for the record.
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

#[test]
fn generated_rows_read_in_chunks_as_written() {
    let (table, size) = read_generated(5_000, 4096, 1);
    assert_eq!(table.rows(), 5_000);
    assert!(size > 400_000);
    let kinds: Vec<ColumnKind> = table.columns().iter().map(|c| c.guess().kind).collect();
    use ColumnKind::*;
    assert_eq!(
        kinds,
        [
            Date,
            Numeric,
            Numeric,
            Numeric,
            Numeric,
            Numeric,
            Numeric,
            Numeric,
            Categorical,
            Categorical,
            Categorical
        ]
    );
    let data = spec().build(&table).unwrap();
    assert_eq!(data.input_names.len(), 7 + 6 + 3);
    assert_eq!(
        data.splits.train.len() + data.splits.val.len() + data.splits.test.len(),
        5_000
    );
}

#[test]
#[ignore = "a bench of several seconds: cargo test -p np-engine --release --test table_scale -- --ignored --nocapture"]
fn bench_a_million_rows() {
    const ROWS: usize = 1_000_000;
    const CHUNK: usize = 1 << 20;
    // Memory first (the peak only grows): rows generated as they are fed, as the worker holds
    // one slice at a time.
    let before = peak_mb();
    let (table, size) = read_generated(ROWS, CHUNK, 2);
    assert_eq!(table.rows(), ROWS);
    let after_read = peak_mb();
    let data = spec().build(&table).unwrap();
    let after_build = peak_mb();
    // Test 10 % of all, validation 20 % of the rest.
    assert_eq!(
        (
            data.splits.train.len(),
            data.splits.val.len(),
            data.splits.test.len()
        ),
        (720_000, 180_000, 100_000)
    );
    drop((table, data));

    // Time: the same file made beforehand, so formatting numbers is not counted.
    let mut rng = Rng::new(2);
    let mut chunks = vec![String::from(HEADER)];
    for i in 0..ROWS {
        if chunks.last().is_some_and(|c| c.len() >= CHUNK) {
            chunks.push(String::new());
        }
        row(i, &mut rng, chunks.last_mut().unwrap());
    }
    assert_eq!(chunks.iter().map(|c| c.len() as u64).sum::<u64>(), size);
    let (start, cpu_start) = (Instant::now(), cpu_seconds());
    let mut reader = TableReader::for_file(size, ReadOptions::default()).unwrap();
    for c in &chunks {
        reader.feed(c.as_bytes()).unwrap();
    }
    let table = reader.finish().unwrap();
    let read = start.elapsed().as_secs_f64();
    let read_cpu = cpu_seconds().zip(cpu_start).map(|(b, a)| b - a);
    let start = Instant::now();
    let data = spec().build(&table).unwrap();
    let build = start.elapsed().as_secs_f64();
    assert_eq!(data.splits.test.len(), 100_000);

    let mb = size as f64 / 1e6;
    let show = |m: Option<f64>| m.map_or("unknown".to_string(), |m| format!("{m:.0} MB"));
    println!("file: {ROWS} rows, {mb:.1} MB, 11 columns, fed in 1 MiB chunks");
    let cpu = read_cpu.map_or("unknown".to_string(), |c| format!("{c:.2} s"));
    println!(
        "read: {read:.2} s wall ({:.0} MB/s, {:.0} rows/s), CPU {cpu}",
        mb / read,
        ROWS as f64 / read
    );
    println!("build (time-ordered split, 16 inputs): {build:.2} s");
    println!(
        "peak resident memory: at start {}, after reading {}, after building {}",
        show(before),
        show(after_read),
        show(after_build)
    );
}
