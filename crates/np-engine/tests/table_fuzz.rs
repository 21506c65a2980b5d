//! The CSV reader fuzzed: 24,000 generated files (random widths, separators, quoting, byte-order
//! marks, line ends, empty cells, ragged rows, unicode, numbers and dates in many forms, bytes
//! that are not UTF-8), each read whole and in random chunks. No read may panic; both reads must
//! agree; every accepted file must round-trip (written back out with the `csv` crate and read
//! again: the same column names, kinds and cells); and a random spec built on it must give
//! either an error or training data of consistent shapes with finite inputs. Seeded: a failure
//! names the file's seed, and `generate(seed)` makes it again.

use np_engine::data::table::{
    read_table, Column, ColumnKind, EmptyCells, InputColumn, Problem, ReadOptions, SplitRule,
    Table, TableReader, TabularSpec,
};
use np_engine::rng::Rng;

const FILES: u64 = 24_000;

const WORDS: &[&str] = &[
    "admin",
    "nurse",
    "chef",
    "Zürich",
    "São Paulo",
    "東京",
    "naïve café",
    "🙂",
    "a b",
    "x",
    "NA",
    "null",
    "?",
    "yes",
    "no",
    "TRUE",
    "-",
    "O'Brien",
    "1st",
    "e",
    "inf",
    "NaN",
    "\u{feff}bom",
    "\u{3000}wide space",
];

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.below(items.len())]
}

fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.next_f64() < p
}

/// A number in one of the forms files hold them.
fn number(rng: &mut Rng, decimal_comma: bool) -> String {
    let x = rng.uniform(-1000.0, 1000.0);
    match rng.below(12) {
        0 => format!("{}", x.round() as i64),
        1 => format!("{x:.3}"),
        2 => format!("{x:e}"),
        3 => format!("{:E}", x * 1e-20),
        4 => format!("+{}", x.abs()),
        5 => format!(".{}", rng.below(1000)),
        6 => format!("{}.", rng.below(1000)),
        7 => "-0".to_string(),
        8 if decimal_comma => format!("{x:.2}").replace('.', ","),
        9 => "1e50".to_string(),
        10 => format!("{}", x as f32),
        _ => format!("{x}"),
    }
}

fn date(rng: &mut Rng) -> String {
    let (y, m, d) = (1900 + rng.below(200), 1 + rng.below(12), 1 + rng.below(31));
    let sep = if chance(rng, 0.2) { '/' } else { '-' };
    let mut s = format!("{y:04}{sep}{m:02}{sep}{d:02}");
    match rng.below(4) {
        0 => s.push_str(&format!(" {:02}:{:02}", rng.below(25), rng.below(60))),
        1 => s.push_str(&format!(
            "T{:02}:{:02}:{:02}",
            rng.below(24),
            rng.below(60),
            rng.below(61)
        )),
        _ => {}
    }
    s
}

/// What a column of a generated file holds.
#[derive(Clone, Copy)]
enum Plan {
    Numbers,
    Dates,
    Words,
    Mixed,
}

fn cell(rng: &mut Rng, plan: Plan, decimal_comma: bool, sep: char) -> String {
    if chance(rng, 0.08) {
        return pick(rng, &["", " ", "NA", "nan", "null", "?"]).to_string();
    }
    let mut text = match plan {
        Plan::Numbers => number(rng, decimal_comma),
        Plan::Dates => date(rng),
        Plan::Words => pick(rng, WORDS).to_string(),
        Plan::Mixed => match rng.below(5) {
            0 => number(rng, decimal_comma),
            1 => date(rng),
            2 => format!("line\nbreak{}", rng.below(3)),
            3 => format!("has{sep}sep and \"quote\""),
            _ => pick(rng, WORDS).to_string(),
        },
    };
    if chance(rng, 0.05) {
        text = format!("  {text}\t");
    }
    text
}

/// A field as a file holds it: quoted when it must be (or by chance), sometimes quoted badly.
fn field(rng: &mut Rng, text: &str, sep: char) -> String {
    let must =
        text.contains(sep) || text.contains('"') || text.contains('\n') || text.contains('\r');
    if chance(rng, 0.01) {
        // A stray quote: the reader must take it somehow, and never panic.
        return format!("\"{text}");
    }
    if must || chance(rng, 0.2) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The file made from `seed`.
fn generate(seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let sep = *pick(&mut rng, &[',', ';', '\t']);
    let decimal_comma = sep != ',';
    let width = if chance(&mut rng, 0.05) {
        1 + rng.below(40)
    } else {
        1 + rng.below(6)
    };
    let rows = rng.below(14);
    let eol = *pick(&mut rng, &["\n", "\r\n", "\n", "\r\n", "\r"]);
    let plans: Vec<Plan> = (0..width)
        .map(|_| {
            *pick(
                &mut rng,
                &[
                    Plan::Numbers,
                    Plan::Numbers,
                    Plan::Dates,
                    Plan::Words,
                    Plan::Mixed,
                ],
            )
        })
        .collect();
    let mut out = String::new();
    if chance(&mut rng, 0.2) {
        out.push('\u{feff}');
    }
    let header: Vec<String> = (0..width)
        .map(|c| match rng.below(8) {
            0 => String::new(),
            1 => "dup".to_string(),
            2 => pick(&mut rng, WORDS).to_string(),
            _ => format!("col{c}"),
        })
        .collect();
    let fields: Vec<String> = header.iter().map(|h| field(&mut rng, h, sep)).collect();
    out.push_str(&fields.join(&sep.to_string()));
    for _ in 0..rows {
        out.push_str(eol);
        if chance(&mut rng, 0.03) {
            out.push_str(eol);
        }
        let mut n = width;
        if chance(&mut rng, 0.03) {
            n = if chance(&mut rng, 0.5) {
                width + 1
            } else {
                width.saturating_sub(1).max(1)
            };
        }
        let fields: Vec<String> = (0..n)
            .map(|c| {
                let text = cell(&mut rng, plans[c.min(width - 1)], decimal_comma, sep);
                field(&mut rng, &text, sep)
            })
            .collect();
        out.push_str(&fields.join(&sep.to_string()));
    }
    if chance(&mut rng, 0.7) {
        out.push_str(eol);
    }
    let mut bytes = out.into_bytes();
    if chance(&mut rng, 0.02) && !bytes.is_empty() {
        let at = rng.below(bytes.len());
        bytes[at] = *pick(&mut rng, &[0xff, 0xc3, 0x80, 0xe2, 0x00]);
    }
    if chance(&mut rng, 0.01) {
        bytes.truncate(rng.below(bytes.len() + 1));
    }
    bytes
}

fn read_in_chunks(bytes: &[u8], rng: &mut Rng) -> Result<Table, String> {
    let mut reader = TableReader::new(ReadOptions::default());
    let mut rest = bytes;
    while !rest.is_empty() {
        let n = (1 + rng.below(48)).min(rest.len());
        if let Err(e) = reader.feed(&rest[..n]) {
            // Later calls repeat the error; the reader is done.
            assert_eq!(
                reader.finish().map(|_| ()).map_err(|e| e.to_string()),
                Err(e.to_string())
            );
            return Err(e.to_string());
        }
        rest = &rest[n..];
    }
    reader.finish().map_err(|e| e.to_string())
}

/// The table written back out with the `csv` crate, in its own separator.
fn write_back(table: &Table) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(table.separator().byte())
        .from_writer(Vec::new());
    w.write_record(table.columns().iter().map(|c| c.name()))
        .unwrap();
    for row in 0..table.rows() {
        let cells: Vec<String> = table
            .columns()
            .iter()
            .map(|c| {
                assert!(
                    c.is_empty_at(row) || c.cell_text(row).is_some(),
                    "cell kept"
                );
                c.cell_text(row).unwrap_or_default()
            })
            .collect();
        w.write_record(&cells).unwrap();
    }
    w.into_inner().unwrap()
}

/// A cell as the table holds it: the f32 or f64 bits of a number or date, the text of a
/// category, or nothing for an empty cell.
#[derive(Debug, PartialEq)]
enum Held {
    Empty,
    Number(u32),
    Date(u64),
    Text(String),
}

fn held(column: &Column, row: usize) -> Held {
    if column.is_empty_at(row) {
        return Held::Empty;
    }
    match column.guess().kind {
        ColumnKind::Numeric => Held::Number(column.numbers().unwrap()[row].to_bits()),
        ColumnKind::Date => Held::Date(column.dates().unwrap()[row].to_bits()),
        ColumnKind::Categorical | ColumnKind::Text => {
            Held::Text(column.values()[column.codes().unwrap()[row] as usize].to_string())
        }
    }
}

/// What a round trip keeps: names, kinds and the cells as held.
fn view(table: &Table) -> (Vec<String>, Vec<ColumnKind>, Vec<Vec<Held>>) {
    let columns = table.columns();
    (
        columns.iter().map(|c| c.name().to_string()).collect(),
        columns.iter().map(|c| c.guess().kind).collect(),
        columns
            .iter()
            .map(|c| (0..table.rows()).map(|r| held(c, r)).collect())
            .collect(),
    )
}

/// A random spec over the table's columns, built: an error, or consistent training data.
fn build_some(table: &Table, rng: &mut Rng) {
    let columns = table.columns();
    let target = columns[rng.below(columns.len())].name().to_string();
    let kinds = [
        ColumnKind::Numeric,
        ColumnKind::Categorical,
        ColumnKind::Date,
        ColumnKind::Text,
    ];
    let mut features = Vec::new();
    for c in columns.iter().filter(|c| c.name() != target) {
        if chance(rng, 0.6) {
            let kind = if chance(rng, 0.8) {
                c.guess().kind
            } else {
                *pick(rng, &kinds)
            };
            features.push(InputColumn {
                name: c.name().to_string(),
                kind,
            });
        }
    }
    let pct = [0.0, 10.0, 20.0, 25.0, 50.0];
    let (val_pct, test_pct) = (*pick(rng, &pct), *pick(rng, &pct));
    let split = if chance(rng, 0.3) {
        SplitRule::ByTime {
            column: columns[rng.below(columns.len())].name().to_string(),
            val_pct,
            test_pct,
        }
    } else {
        SplitRule::Random {
            seed: rng.next_u64(),
            val_pct,
            test_pct,
        }
    };
    let spec = TabularSpec {
        target,
        features,
        problem: if chance(rng, 0.5) {
            Problem::Classification
        } else {
            Problem::Regression
        },
        split,
        empty_cells: if chance(rng, 0.5) {
            EmptyCells::Reject
        } else {
            EmptyCells::DropRows
        },
    };
    match spec.build(table) {
        Err(e) => assert!(!e.to_string().is_empty()),
        Ok(d) => {
            let width = d.input_names.len();
            assert_eq!(d.encoding.width(), width);
            assert_eq!(d.encoding.scales().len(), width);
            let s = &d.splits;
            assert_eq!(
                s.train.len() + s.val.len() + s.test.len() + d.rows_dropped,
                table.rows()
            );
            for part in [&s.train, &s.val, &s.test] {
                assert_eq!(part.x.dims(), [part.len(), width]);
                assert!(part.x.data().iter().all(|x| x.is_finite()), "{spec:?}");
                assert!(part.y.iter().all(|y| y.is_finite()));
                assert_eq!(part.classes, d.classes.len());
            }
        }
    }
}

#[test]
fn generated_files_never_panic_agree_in_chunks_and_round_trip() {
    let mut accepted = 0;
    let mut rng = Rng::new(0x5eed);
    for seed in 0..FILES {
        let bytes = generate(seed);
        let whole = read_table(&bytes, ReadOptions::default());
        let chunked = read_in_chunks(&bytes, &mut rng);
        match (&whole, &chunked) {
            (Ok(a), Ok(b)) => assert!(a == b, "seed {seed}: chunked read differs"),
            (Err(a), Err(b)) => assert_eq!(&a.to_string(), b, "seed {seed}"),
            _ => panic!(
                "seed {seed}: whole {:?} vs chunked {:?}",
                whole.as_ref().err(),
                chunked.as_ref().err()
            ),
        }
        let Ok(table) = whole else {
            continue;
        };
        accepted += 1;
        let written = write_back(&table);
        let again = read_table(
            &written,
            ReadOptions {
                separator: Some(table.separator()),
            },
        )
        .unwrap_or_else(|e| {
            panic!(
                "seed {seed}: the written table is refused: {e}\n{}",
                String::from_utf8_lossy(&written)
            )
        });
        assert_eq!(
            view(&again),
            view(&table),
            "seed {seed}: {}",
            String::from_utf8_lossy(&written)
        );
        build_some(&table, &mut rng);
    }
    // The round trip is only a test if most files are accepted; errors are tested word for
    // word elsewhere.
    assert!(accepted > FILES / 2, "{accepted} of {FILES} accepted");
}
