//! The shipped datasets (assets/data/*.npds) and their reader: the committed files read with
//! their documented counts and first rows (the source CSVs' literal values), both writers agree
//! byte for byte, quantization stays within half a step, and the reader survives 20,000
//! mutated and truncated files.

use np_engine::data::{
    read_packed, write_packed, ColumnRole, ColumnValues, PackedBody, PackedColumn, PackedDataset,
    PackedError, PackedImages,
};
use np_engine::rng::Rng;
use std::path::PathBuf;
use std::time::Instant;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/data")
}

/// A committed file, read, and checked to be exactly what the engine's writer makes of it (so
/// scripts/make-datasets.py and `write_packed` agree on the format).
fn committed(name: &str) -> PackedDataset {
    let path = data_dir().join(format!("{name}.npds"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let data = read_packed(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(data.name, name);
    assert_eq!(
        write_packed(&data).unwrap(),
        bytes,
        "{name}: the engine writes other bytes"
    );
    data
}

fn class_counts(data: &PackedDataset, rows: std::ops::Range<usize>) -> Vec<usize> {
    let mut counts = vec![0; data.classes.len()];
    for &l in &data.labels[rows] {
        counts[l as usize] += 1;
    }
    counts
}

fn column<'a>(data: &'a PackedDataset, name: &str) -> &'a PackedColumn {
    data.columns()
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// Every numeric column states an error within half its step.
fn assert_quantization_stated(data: &PackedDataset) {
    for col in data.columns() {
        if let ColumnValues::U8 { quant, .. } | ColumnValues::U16 { quant, .. } = &col.values {
            assert!(
                quant.max_error <= quant.scale / 2.0 * (1.0 + 1e-9),
                "{}: {quant:?}",
                col.name
            );
        }
    }
}

#[test]
fn digits_is_scikit_learns_1797_images() {
    let data = committed("digits");
    assert_eq!(data.rows(), 1797);
    let PackedBody::Images(img) = &data.body else {
        panic!("digits is not images")
    };
    assert_eq!((img.height, img.width, img.pixel_max), (8, 8, 16));
    assert_eq!(
        data.classes,
        (0..10).map(|d| d.to_string()).collect::<Vec<_>>()
    );
    assert_eq!(data.train_rows, None);
    // sklearn's digits.csv.gz, first line.
    assert_eq!(
        &img.pixels[..16],
        &[0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0]
    );
    assert_eq!(data.labels[..3], [0, 1, 2]);
    assert_eq!(
        class_counts(&data, 0..1797),
        [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    );
    let ds = data.to_dataset().unwrap();
    assert_eq!((ds.len(), ds.features(), ds.classes), (1797, 64, 10));
    assert_eq!(ds.x.data()[2], 5.0 / 16.0);
    assert!(ds.x.data().iter().all(|v| (0.0..=1.0).contains(v)));
}

#[test]
fn returns_is_islps_smarket_in_time_order() {
    let data = committed("returns");
    assert_eq!(data.rows(), 1250);
    assert_eq!(data.classes, ["Down", "Up"]);
    // The book's split: 2001-2004 to train, the 252 trading days of 2005 to test.
    assert_eq!(data.train_rows, Some(998));
    assert_eq!(class_counts(&data, 0..1250), [602, 648]);
    let names: Vec<_> = data
        .columns()
        .iter()
        .map(|c| (c.name.as_str(), c.role))
        .collect();
    use ColumnRole::*;
    assert_eq!(
        names,
        [
            ("day", Time),
            ("Year", Info),
            ("Lag1", Feature),
            ("Lag2", Feature),
            ("Lag3", Feature),
            ("Lag4", Feature),
            ("Lag5", Feature),
            ("Volume", Feature),
            ("Today", Info)
        ]
    );
    assert_eq!(data.time_column().map(|c| c.name.as_str()), Some("day"));
    let day = column(&data, "day");
    assert!((0..1250).all(|r| day.value(r) == Some(r as f64)));
    let year = column(&data, "Year");
    assert_eq!(
        (year.value(0), year.value(997), year.value(998)),
        (Some(2001.0), Some(2004.0), Some(2005.0))
    );
    // Smarket.csv, first row: 2001,0.381,-0.192,-2.624,-1.055,5.01,1.1913,0.959,Up. Returns
    // have three decimals and are stored exactly on that grid; Volume is cut into 65,535 steps.
    for (name, want) in [
        ("Lag1", 0.381),
        ("Lag2", -0.192),
        ("Lag3", -2.624),
        ("Lag4", -1.055),
        ("Lag5", 5.01),
        ("Today", 0.959),
    ] {
        assert!(
            (column(&data, name).value(0).unwrap() - want).abs() < 1e-9,
            "{name}"
        );
    }
    let ColumnValues::U16 { quant, .. } = column(&data, "Volume").values else {
        panic!("Volume storage")
    };
    assert!(quant.max_error < 2.2e-5, "{quant:?}");
    assert!((column(&data, "Volume").value(0).unwrap() - 1.1913).abs() <= quant.max_error);
    assert_eq!(data.labels[0], 1);
    assert_quantization_stated(&data);
    // Direction is the sign of Today (a day of exactly 0 counts as Up in the source).
    let today = column(&data, "Today");
    assert!((0..1250).all(
        |r| (today.value(r).unwrap() > 1e-9) == (data.labels[r] == 1)
            || today.value(r).unwrap().abs() < 1e-9
    ));

    let ds = data.to_dataset().unwrap();
    assert_eq!((ds.len(), ds.features(), ds.classes), (1250, 6, 2));
    assert_eq!(
        data.input_names(&data.feature_columns()),
        ["Lag1", "Lag2", "Lag3", "Lag4", "Lag5", "Volume"]
    );
    let splits = data.splits(&ds, 20.0, 10.0, 7).unwrap();
    assert_eq!(
        (splits.train.len(), splits.val.len(), splits.test.len()),
        (798, 200, 252)
    );
    // Time order kept: validation is the latest 200 days of 2001-2004, test is 2005 itself.
    assert_eq!(
        splits.val.x.data()[..6],
        ds.subset(&[798]).unwrap().x.data()[..6]
    );
    assert_eq!(
        splits.test.x.data()[..6],
        ds.subset(&[998]).unwrap().x.data()[..6]
    );
}

#[test]
fn credit_is_islps_default_with_student_as_the_group() {
    let data = committed("credit");
    assert_eq!(data.rows(), 10_000);
    assert_eq!(data.classes, ["No", "Yes"]);
    assert_eq!(data.train_rows, None);
    assert_eq!(class_counts(&data, 0..10_000), [9667, 333]);
    assert_eq!(data.group_column, Some(0));
    let student = column(&data, "student");
    let ColumnValues::Category { codes, categories } = &student.values else {
        panic!("student storage")
    };
    assert_eq!(categories, &["No", "Yes"]);
    assert_eq!(codes.iter().filter(|&&c| c == 1).count(), 2944);
    let defaulted_students = (0..10_000)
        .filter(|&r| codes[r] == 1 && data.labels[r] == 1)
        .count();
    assert_eq!(defaulted_students, 127);
    // Default.csv, first row: No,No,729.5264952072861,44361.62507426691.
    for (name, want, step) in [
        ("balance", 729.526_495_207_286_1, 0.0406),
        ("income", 44_361.625_074_266_91, 1.111),
    ] {
        let col = column(&data, name);
        let ColumnValues::U16 { quant, .. } = col.values else {
            panic!("{name} storage")
        };
        assert!(
            quant.scale < step && quant.max_error <= quant.scale / 2.0,
            "{name}: {quant:?}"
        );
        assert!(
            (col.value(0).unwrap() - want).abs() <= quant.max_error * (1.0 + 1e-9),
            "{name}"
        );
    }
    assert_quantization_stated(&data);
    let ds = data.to_dataset().unwrap();
    assert_eq!((ds.len(), ds.features(), ds.classes), (10_000, 3, 2));
    assert_eq!(
        data.input_names(&data.feature_columns()),
        ["student=Yes", "balance", "income"]
    );
    let splits = data.splits(&ds, 20.0, 10.0, 7).unwrap();
    assert_eq!(
        (splits.train.len(), splits.val.len(), splits.test.len()),
        (7200, 1800, 1000)
    );
}

/// MNIST is built by scripts/setup.sh, not committed (55 MB). A fresh checkout that has not run
/// it skips this; scripts/test.sh sets NP_REQUIRE_MNIST so CI cannot skip it.
#[test]
fn mnist_when_built_is_all_70000_with_the_official_split() {
    let path = data_dir().join("mnist.npds");
    let Ok(bytes) = std::fs::read(&path) else {
        assert!(
            std::env::var_os("NP_REQUIRE_MNIST").is_none(),
            "{} is missing: run scripts/setup.sh",
            path.display()
        );
        eprintln!(
            "skipped: {} is not built (scripts/setup.sh builds it)",
            path.display()
        );
        return;
    };
    let data = read_packed(&bytes).unwrap();
    assert_eq!(data.name, "mnist");
    assert_eq!(data.rows(), 70_000);
    assert_eq!(data.train_rows, Some(60_000));
    let PackedBody::Images(img) = &data.body else {
        panic!("mnist is not images")
    };
    assert_eq!((img.height, img.width, img.pixel_max), (28, 28, 255));
    assert_eq!(
        class_counts(&data, 0..60_000),
        [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    );
    assert_eq!(
        class_counts(&data, 60_000..70_000),
        [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    );
    assert_eq!(data.labels[..5], [5, 0, 4, 1, 9]);
    let ds = data.to_dataset().unwrap();
    let splits = data.splits(&ds, 0.0, 10.0, 1).unwrap();
    assert_eq!((splits.train.len(), splits.test.len()), (60_000, 10_000));
    assert_eq!(splits.test.y[0], 7.0);
}

fn tiny_images(rng: &mut Rng) -> PackedDataset {
    let (rows, h, w) = (1 + rng.below(5), 1 + rng.below(4), 1 + rng.below(4));
    PackedDataset {
        name: "tiny".into(),
        source: "made by the test".into(),
        classes: vec!["a".into(), "b".into(), "c".into()],
        labels: (0..rows).map(|_| rng.below(3) as u8).collect(),
        train_rows: if rows > 1 {
            Some(1 + rng.below(rows - 1))
        } else {
            None
        },
        group_column: None,
        body: PackedBody::Images(PackedImages {
            height: h,
            width: w,
            pixel_max: 16,
            pixels: (0..rows * h * w).map(|_| rng.below(17) as u8).collect(),
        }),
    }
}

fn tiny_table(rng: &mut Rng) -> (PackedDataset, Vec<Vec<f64>>) {
    let rows = 1 + rng.below(6);
    let sources: Vec<Vec<f64>> = vec![
        (0..rows).map(|r| r as f64).collect(),
        (0..rows).map(|_| rng.uniform(-3.0, 3.0)).collect(),
        (0..rows)
            .map(|_| (rng.uniform(-30.0, 30.0) * 1000.0).round() / 1000.0)
            .collect(),
        (0..rows).map(|_| rng.uniform(0.0, 1e5)).collect(),
    ];
    let roles = [
        ColumnRole::Time,
        ColumnRole::Feature,
        ColumnRole::Feature,
        ColumnRole::Info,
    ];
    let names = ["t", "x", "three decimals", "big"];
    let mut columns: Vec<PackedColumn> = (0..4)
        .map(|i| PackedColumn::numeric(names[i], roles[i], &sources[i]).unwrap())
        .collect();
    columns.push(PackedColumn {
        name: "group".into(),
        role: ColumnRole::Feature,
        values: ColumnValues::Category {
            codes: (0..rows).map(|_| rng.below(3) as u8).collect(),
            categories: vec!["p".into(), "q".into(), "r".into()],
        },
    });
    let data = PackedDataset {
        name: "table".into(),
        source: "made by the test".into(),
        classes: vec!["no".into(), "yes".into()],
        labels: (0..rows).map(|_| rng.below(2) as u8).collect(),
        train_rows: if rows > 2 { Some(rows - 1) } else { None },
        group_column: Some(4),
        body: PackedBody::Table(columns),
    };
    (data, sources)
}

#[test]
fn round_trip_and_quantization_within_half_a_step() {
    let mut rng = Rng::new(14);
    for _ in 0..200 {
        let images = tiny_images(&mut rng);
        assert_eq!(
            read_packed(&write_packed(&images).unwrap()).unwrap(),
            images
        );

        let (table, sources) = tiny_table(&mut rng);
        let bytes = write_packed(&table).unwrap();
        let back = read_packed(&bytes).unwrap();
        assert_eq!(back, table);
        let ds = back.to_dataset().unwrap();
        // Inputs: x, three decimals, group one-hot (3); the time and info columns are not inputs.
        assert_eq!(ds.features(), 5);
        for (col, source) in back.columns().iter().zip(&sources) {
            let (ColumnValues::U8 { quant, .. } | ColumnValues::U16 { quant, .. }) = &col.values
            else {
                unreachable!()
            };
            assert!(
                quant.max_error <= quant.scale / 2.0 * (1.0 + 1e-9),
                "{}: {quant:?}",
                col.name
            );
            for (row, &want) in source.iter().enumerate() {
                let got = col.value(row).unwrap();
                let err = (got - want).abs();
                assert!(
                    err <= quant.max_error * (1.0 + 1e-9) + 1e-12,
                    "{} row {row}: {got} for {want}",
                    col.name
                );
                assert!(
                    err <= quant.scale / 2.0 * (1.0 + 1e-9),
                    "{} row {row}",
                    col.name
                );
            }
        }
        // Integers and three-decimal values sit exactly on their grid.
        let exact = |i: usize| back.columns()[i].values.clone();
        let (ColumnValues::U8 { quant: t, .. } | ColumnValues::U16 { quant: t, .. }) = exact(0)
        else {
            unreachable!()
        };
        assert_eq!(t.scale, 1.0);
        let (ColumnValues::U8 { quant: d, .. } | ColumnValues::U16 { quant: d, .. }) = exact(2)
        else {
            unreachable!()
        };
        assert!(
            [1.0, 0.1, 0.01, 0.001].contains(&d.scale) && d.max_error < 1e-9,
            "{d:?}"
        );
    }
}

#[test]
fn errors_say_what_and_where() {
    let mut rng = Rng::new(3);
    let (table, _) = tiny_table(&mut rng);
    let good = write_packed(&table).unwrap();
    let msg = |bytes: &[u8]| read_packed(bytes).unwrap_err().to_string();

    assert!(matches!(
        read_packed(b"PK\x03\x04"),
        Err(PackedError::BadMagic { .. })
    ));
    assert!(msg(b"").contains("\"NPDS\""));
    let mut v2 = good.clone();
    v2[4] = 2;
    assert_eq!(
        msg(&v2),
        "format version 2 at byte 4; this reader knows version 1 only"
    );
    assert_eq!(
        msg(&good[..10]),
        "truncated at byte 8: the row count (4 bytes) runs past the end, where 2 bytes are left"
    );
    let cut = &good[..good.len() - 1];
    assert!(
        msg(cut).starts_with(&format!(
            "truncated at byte {}: the labels",
            good.len() - table.rows()
        )),
        "{}",
        msg(cut)
    );
    let mut extra = good.clone();
    extra.push(0);
    assert_eq!(
        msg(&extra),
        format!("1 bytes after the end of the data at byte {}", good.len())
    );
    let mut label = good.clone();
    *label.last_mut().unwrap() = 9;
    let row = table.rows() - 1;
    assert_eq!(
        msg(&label),
        format!(
            "bad label at byte {}: row {row}'s label is 9, but there are 2 classes",
            good.len() - 1
        )
    );
    let mut kind = good.clone();
    kind[6] = 7;
    assert_eq!(
        msg(&kind),
        "bad kind at byte 6: 7; 1 is images, 2 is a table"
    );
    let mut meta = good;
    meta[12] = meta[12].wrapping_add(1);
    assert!(
        msg(&meta).starts_with("the metadata ends at byte"),
        "{}",
        msg(&meta)
    );
}

/// One mutation of a valid file: flipped bits, random bytes, header fields set to edge values,
/// bytes inserted or removed, or the file cut short.
fn mutate(rng: &mut Rng, file: &[u8]) -> Vec<u8> {
    let mut out = file.to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(out.len().max(1));
        match rng.below(7) {
            0 if !out.is_empty() => out[at] ^= 1 << rng.below(8),
            1 if !out.is_empty() => out[at] = rng.next_u64() as u8,
            2 if out.len() >= 4 => {
                let at = rng.below(out.len() - 3);
                let edge = [0u32, 1, 2, 255, 256, 0xFFFF, 0x1_0000, u32::MAX][rng.below(8)];
                out[at..at + 4].copy_from_slice(&edge.to_le_bytes());
            }
            3 => out.insert(at, rng.next_u64() as u8),
            4 if !out.is_empty() => {
                out.remove(at);
            }
            5 => out.truncate(at),
            _ => {
                // A field in the fixed header or right after it, where the counts live.
                let at = rng.below(out.len().clamp(1, 40));
                if let Some(b) = out.get_mut(at) {
                    *b = [0, 1, 2, 3, 0xFF][rng.below(5)];
                }
            }
        }
    }
    out
}

#[test]
fn fuzz_20000_mutated_files_never_panic_and_accepted_ones_are_consistent() {
    let mut rng = Rng::new(20_000);
    let (mut accepted, mut rejected) = (0, 0);
    for i in 0..20_000 {
        let seed = if i % 2 == 0 {
            write_packed(&tiny_images(&mut rng))
        } else {
            write_packed(&tiny_table(&mut rng).0)
        };
        let file = mutate(&mut rng, &seed.unwrap());
        match read_packed(&file) {
            Err(e) => {
                rejected += 1;
                let text = e.to_string();
                assert!(
                    text.contains("byte") || text.contains("NPDS"),
                    "an error that does not say where: {text}"
                );
            }
            Ok(data) => {
                accepted += 1;
                let rows = data.rows();
                assert!(
                    rows >= 1
                        && data
                            .labels
                            .iter()
                            .all(|&l| (l as usize) < data.classes.len())
                );
                assert!(data.train_rows.is_none_or(|t| t >= 1 && t < rows));
                match &data.body {
                    PackedBody::Images(img) => {
                        assert_eq!(img.pixels.len(), rows * img.height * img.width);
                        assert!(img.pixels.iter().all(|&p| p <= img.pixel_max));
                    }
                    PackedBody::Table(cols) => {
                        assert!(cols.iter().all(|c| c.len() == rows));
                        assert!(data.group_column.is_none_or(|g| g < cols.len()));
                    }
                }
                // Canonical: an accepted file is exactly what the writer makes of what was read.
                assert_eq!(write_packed(&data).unwrap(), file);
                if data.feature_columns().is_empty() && matches!(data.body, PackedBody::Table(_)) {
                    assert!(data.to_dataset().is_err());
                } else {
                    let ds = data.to_dataset().unwrap();
                    assert_eq!(ds.len(), rows);
                    assert_eq!(
                        ds.features(),
                        data.input_names(&data.feature_columns()).len()
                    );
                }
            }
        }
    }
    eprintln!("fuzz: {accepted} accepted, {rejected} rejected");
    assert!(
        accepted > 500 && rejected > 5_000,
        "{accepted} accepted, {rejected} rejected"
    );
}

/// Parse and conversion times of each shipped file (BENCHMARKS.md):
/// `cargo test --release -p np-engine --test packed -- --ignored --nocapture parse_times`
#[test]
#[ignore = "a measurement, not a check"]
fn parse_times() {
    for name in ["digits", "returns", "credit", "mnist"] {
        let Ok(bytes) = std::fs::read(data_dir().join(format!("{name}.npds"))) else {
            eprintln!("{name}: not built");
            continue;
        };
        let (mut read_best, mut convert_best) = (f64::INFINITY, f64::INFINITY);
        for _ in 0..5 {
            let start = Instant::now();
            let data = read_packed(&bytes).unwrap();
            let read = start.elapsed().as_secs_f64();
            let start = Instant::now();
            let ds = data.to_dataset().unwrap();
            convert_best = convert_best.min(start.elapsed().as_secs_f64());
            read_best = read_best.min(read);
            assert_eq!(ds.len(), data.rows());
        }
        eprintln!(
            "{name}: {} bytes, read_packed {:.2} ms, to_dataset {:.2} ms",
            bytes.len(),
            read_best * 1e3,
            convert_best * 1e3
        );
    }
}
