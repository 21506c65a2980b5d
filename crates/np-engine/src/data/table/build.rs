//! From a table and the student's choices to the engine's training data.

use super::cells::{sort_names, thousands};
use super::column::{Column, ColumnKind, FirstMisfit, EMPTY_CODE};
use super::encoding::{InputEncoding, TabularEncoding};
use super::error::{CellAt, SplitPart, TableError};
use super::{Table, MAX_CATEGORIES, MAX_INPUTS, MAX_INPUT_VALUES};
use crate::data::{Dataset, Splits};
use crate::rng::Rng;
use crate::tensor::Tensor;
use serde::{Deserialize, Serialize};

/// What the network predicts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    /// The target's values are classes, numbered in sorted order ([`TabularData::classes`]).
    Classification,
    /// The target is a number, predicted as it is (not standardized).
    Regression,
}

/// How rows are divided into training, validation and test.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SplitRule {
    /// Shuffled with `seed`; `test_pct` % of the rows for test, then `val_pct` % of the rest
    /// for validation, as [`Dataset::split`] divides the generated datasets.
    Random {
        seed: u64,
        val_pct: f32,
        test_pct: f32,
    },
    /// Sorted by `column` (a date or numeric column; rows with equal times keep the file's
    /// order): the oldest rows train, the next validate, the newest test. Nothing from the
    /// future leaks into training, as when a model is used on days yet to come.
    ByTime {
        column: String,
        val_pct: f32,
        test_pct: f32,
    },
}

impl SplitRule {
    fn percentages(&self) -> (f32, f32) {
        match self {
            SplitRule::Random {
                val_pct, test_pct, ..
            }
            | SplitRule::ByTime {
                val_pct, test_pct, ..
            } => (*val_pct, *test_pct),
        }
    }
}

/// What to do with rows that have an empty cell in a chosen column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmptyCells {
    /// Refuse, naming the first such cell and the count: the student decides.
    #[default]
    Reject,
    /// Leave those rows out ([`TabularData::rows_dropped`] counts them).
    DropRows,
}

/// One input column and how its cells are taken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputColumn {
    pub name: String,
    pub kind: ColumnKind,
}

impl InputColumn {
    /// The column as its guess says, if the table has it.
    pub fn guessed(table: &Table, name: &str) -> Option<Self> {
        let column = table.column(name)?;
        Some(Self {
            name: name.to_string(),
            kind: column.guess().kind,
        })
    }
}

/// The student's choices: which column to predict, from which columns, and how to split.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TabularSpec {
    pub target: String,
    pub features: Vec<InputColumn>,
    pub problem: Problem,
    pub split: SplitRule,
    pub empty_cells: EmptyCells,
}

/// Training data made from a table, with what is needed to read its results and to encode new
/// rows.
#[derive(Clone, Debug, PartialEq)]
pub struct TabularData {
    /// # Shapes
    /// each split's `x: [rows, inputs]`, `y: [rows]` (class index or value).
    pub splits: Splits,
    /// One name per input (`age`, `job=admin`), in the order of `x`'s columns.
    pub input_names: Vec<String>,
    /// The target's class names, index = class number (empty for regression).
    pub classes: Vec<String>,
    /// The standardization and categories of the training split, to encode new rows.
    pub encoding: TabularEncoding,
    /// Rows left out for empty cells ([`EmptyCells::DropRows`]).
    pub rows_dropped: usize,
    /// What the student should know about the encoding (constant columns, values seen only
    /// outside training), in words.
    pub notes: Vec<String>,
}

/// Where a chosen column's values come from.
#[derive(Clone, Copy)]
enum Source<'a> {
    Numbers(&'a [f32]),
    Dates(&'a [f64]),
    Codes(&'a [u32]),
}

impl Source<'_> {
    fn is_empty_at(&self, row: usize) -> bool {
        match self {
            Source::Numbers(v) => v[row].is_nan(),
            Source::Dates(v) => v[row].is_nan(),
            Source::Codes(v) => v[row] == EMPTY_CODE,
        }
    }
    /// The value as a number (numbers and dates only).
    fn number(&self, row: usize) -> f64 {
        match self {
            Source::Numbers(v) => f64::from(v[row]),
            Source::Dates(v) => v[row],
            Source::Codes(v) => f64::from(v[row]),
        }
    }
}

fn not_a_number(column: &Column) -> TableError {
    match &column.not_number {
        Some(FirstMisfit { line, text }) => TableError::NotANumber {
            at: CellAt {
                line: *line,
                column: column.position(),
                name: column.name().to_string(),
            },
            text: text.clone(),
        },
        None => TableError::BadChoice(format!("column `{}` is not numeric", column.name())),
    }
}

fn not_a_date(column: &Column) -> TableError {
    match &column.not_date {
        Some(FirstMisfit { line, text }) => TableError::NotADate {
            at: CellAt {
                line: *line,
                column: column.position(),
                name: column.name().to_string(),
            },
            text: text.clone(),
        },
        None => TableError::BadChoice(format!("column `{}` holds no dates", column.name())),
    }
}

fn source<'a>(column: &'a Column, kind: ColumnKind) -> Result<Source<'a>, TableError> {
    match kind {
        ColumnKind::Numeric => column
            .numbers()
            .map(Source::Numbers)
            .ok_or_else(|| not_a_number(column)),
        ColumnKind::Date => column
            .dates()
            .map(Source::Dates)
            .ok_or_else(|| not_a_date(column)),
        ColumnKind::Categorical => match column.codes() {
            Some(codes) if column.values().len() <= MAX_CATEGORIES => Ok(Source::Codes(codes)),
            _ => Err(TableError::TooManyCategories {
                name: column.name().to_string(),
                numeric: column.numbers().is_some(),
            }),
        },
        ColumnKind::Text => Err(TableError::TextInput {
            name: column.name().to_string(),
        }),
    }
}

fn find<'a>(table: &'a Table, name: &str) -> Result<&'a Column, TableError> {
    table.column(name).ok_or_else(|| TableError::UnknownColumn {
        name: name.to_string(),
        available: table
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect(),
    })
}

/// Sorted names of the codes that occur in `rows`, and for every code its place among them
/// (`u32::MAX` for codes that do not occur).
fn categories(column: &Column, codes: &[u32], rows: &[usize]) -> (Vec<String>, Vec<u32>) {
    let mut seen = vec![false; column.values().len()];
    for &r in rows {
        if let Some(s) = seen.get_mut(codes[r] as usize) {
            *s = true;
        }
    }
    let mut names: Vec<&str> = column
        .values()
        .iter()
        .zip(&seen)
        .filter(|(_, &s)| s)
        .map(|(v, _)| &**v)
        .collect();
    sort_names(&mut names);
    let mut slot = vec![u32::MAX; column.values().len()];
    for (i, name) in names.iter().enumerate() {
        if let Some(code) = column.values().iter().position(|v| &**v == *name) {
            slot[code] = i as u32;
        }
    }
    (names.into_iter().map(str::to_string).collect(), slot)
}

impl TabularSpec {
    /// Checks the choices against the table and makes the training data, or says what is
    /// wrong. Standardization and categories come from the training split only, so nothing
    /// about validation or test rows reaches training.
    pub fn build(&self, table: &Table) -> Result<TabularData, TableError> {
        let (val_pct, test_pct) = self.split.percentages();
        for (what, pct) in [("validation", val_pct), ("test", test_pct)] {
            if !(0.0..100.0).contains(&pct) {
                return Err(TableError::BadChoice(format!(
                    "the {what} percentage is {pct}: choose a value from 0 to below 100"
                )));
            }
        }
        let target = find(table, &self.target)?;
        if self.features.is_empty() {
            return Err(TableError::BadChoice(
                "no input columns: choose at least one".into(),
            ));
        }
        let mut inputs = Vec::with_capacity(self.features.len());
        for (i, f) in self.features.iter().enumerate() {
            if f.name == self.target {
                return Err(TableError::BadChoice(format!(
                    "`{}` is the target: it cannot be an input too",
                    f.name
                )));
            }
            if self.features[..i].iter().any(|g| g.name == f.name) {
                return Err(TableError::BadChoice(format!(
                    "`{}` is chosen twice as an input",
                    f.name
                )));
            }
            let column = find(table, &f.name)?;
            inputs.push((column, f.kind, source(column, f.kind)?));
        }
        let target_source = match self.problem {
            Problem::Regression => source(target, ColumnKind::Numeric)?,
            Problem::Classification => match target.codes() {
                Some(codes) if target.values().len() <= MAX_CATEGORIES => Source::Codes(codes),
                _ => {
                    return Err(TableError::TooManyClasses {
                        name: target.name().to_string(),
                        numeric: target.numbers().is_some(),
                    })
                }
            },
        };
        let time = match &self.split {
            SplitRule::ByTime { column, .. } => {
                let column = find(table, column)?;
                let s = match (column.dates(), column.numbers()) {
                    (Some(d), _) => Source::Dates(d),
                    (None, Some(n)) => Source::Numbers(n),
                    (None, None) => return Err(not_a_date(column)),
                };
                Some((column, s))
            }
            SplitRule::Random { .. } => None,
        };

        // Rows with an empty cell in a chosen column.
        let mut chosen: Vec<(&Column, Source)> = vec![(target, target_source)];
        chosen.extend(inputs.iter().map(|(c, _, s)| (*c, *s)));
        chosen.extend(time);
        let mut kept = Vec::with_capacity(table.rows());
        let mut first_empty = None;
        let mut empty_rows = 0;
        for row in 0..table.rows() {
            match chosen.iter().find(|(_, s)| s.is_empty_at(row)) {
                Some((column, _)) => {
                    empty_rows += 1;
                    first_empty.get_or_insert((row, *column));
                }
                None => kept.push(row),
            }
        }
        if let (EmptyCells::Reject, Some((row, column))) = (self.empty_cells, first_empty) {
            return Err(TableError::EmptyCells {
                at: CellAt {
                    line: table.line_of(row),
                    column: column.position(),
                    name: column.name().to_string(),
                },
                rows: empty_rows,
            });
        }

        // The split's rows.
        let n = kept.len();
        let n_test = (n as f32 * test_pct / 100.0).round() as usize;
        let n_val = ((n - n_test) as f32 * val_pct / 100.0).round() as usize;
        let n_train = n - n_test - n_val;
        let too_few = |part, got, need| TableError::TooFewRows {
            rows: n,
            dropped: empty_rows,
            part,
            got,
            need,
        };
        if n_train < 2 {
            return Err(too_few(SplitPart::Train, n_train, 2));
        }
        if val_pct > 0.0 && n_val == 0 {
            return Err(too_few(SplitPart::Validation, 0, 1));
        }
        if test_pct > 0.0 && n_test == 0 {
            return Err(too_few(SplitPart::Test, 0, 1));
        }
        let (train, val, test) = match time {
            Some((_, s)) => {
                let mut order = kept;
                order.sort_by(|&a, &b| s.number(a).total_cmp(&s.number(b)));
                let test = order.split_off(n_train + n_val);
                let val = order.split_off(n_train);
                (order, val, test)
            }
            None => {
                let seed = match &self.split {
                    SplitRule::Random { seed, .. } => *seed,
                    SplitRule::ByTime { .. } => 0,
                };
                let mut order = kept;
                Rng::new(seed).shuffle(&mut order);
                let train = order.split_off(n_test + n_val);
                let val = order.split_off(n_test);
                (train, val, order)
            }
        };

        // The target.
        let (classes, class_of) = match (self.problem, target_source) {
            (Problem::Classification, Source::Codes(codes)) => {
                let all: Vec<usize> = train.iter().chain(&val).chain(&test).copied().collect();
                let (names, slot) = categories(target, codes, &all);
                if names.len() < 2 {
                    return Err(TableError::SingleClass {
                        name: target.name().to_string(),
                        class: names.first().cloned().unwrap_or_default(),
                        rows: n,
                    });
                }
                let first = slot[codes[train[0]] as usize];
                if train.iter().all(|&r| slot[codes[r] as usize] == first) {
                    return Err(TableError::TrainSingleClass {
                        name: target.name().to_string(),
                        class: names[first as usize].clone(),
                    });
                }
                (names, Some((codes, slot)))
            }
            _ => (Vec::new(), None),
        };
        let target_value = |row: usize| -> f32 {
            match &class_of {
                Some((codes, slot)) => slot[codes[row] as usize] as f32,
                None => target_source.number(row) as f32,
            }
        };

        // The encodings, from the training rows.
        let mut notes = Vec::new();
        let mut encodings = Vec::with_capacity(inputs.len());
        let mut slots = Vec::with_capacity(inputs.len());
        for (column, kind, s) in &inputs {
            let name = column.name().to_string();
            match s {
                Source::Codes(codes) => {
                    let (categories, slot) = self::categories(column, codes, &train);
                    let unseen: usize = val
                        .iter()
                        .chain(&test)
                        .filter(|&&r| slot[codes[r] as usize] == u32::MAX)
                        .count();
                    if unseen > 0 {
                        notes.push(format!(
                            "`{name}`: {} validation or test {} a value that no training row has; {} all zeros for `{name}`",
                            thousands(unseen as u64),
                            if unseen == 1 { "row has" } else { "rows have" },
                            if unseen == 1 { "it gets" } else { "they get" },
                        ));
                    }
                    encodings.push(InputEncoding::OneHot {
                        column: name,
                        categories,
                    });
                    slots.push(Some(slot));
                }
                _ => {
                    let count = train.len() as f64;
                    let mean = train.iter().map(|&r| s.number(r)).sum::<f64>() / count;
                    let var = train
                        .iter()
                        .map(|&r| (s.number(r) - mean).powi(2))
                        .sum::<f64>()
                        / count;
                    let mut std = var.sqrt() as f32;
                    if !(std.is_finite() && std > 0.0) {
                        notes.push(format!(
                            "`{name}` has one value in every training row: its input is 0 there and tells the network nothing"
                        ));
                        std = 1.0;
                    }
                    let mean = mean as f32;
                    encodings.push(if *kind == ColumnKind::Date {
                        InputEncoding::Date {
                            column: name,
                            mean,
                            std,
                        }
                    } else {
                        InputEncoding::Numeric {
                            column: name,
                            mean,
                            std,
                        }
                    });
                    slots.push(None);
                }
            }
        }
        let encoding = TabularEncoding {
            columns: encodings,
            decimal_comma: table.decimal_comma(),
        };
        let width = encoding.width();
        if width > MAX_INPUTS {
            // The first of the widest: `max_by_key` keeps the last, so look from the end.
            let widest = encoding
                .columns
                .iter()
                .rev()
                .max_by_key(|e| e.width())
                .map_or(("", 0), |e| (e.column(), e.width()));
            return Err(TableError::TooManyInputs {
                inputs: width,
                widest: widest.0.to_string(),
                widest_inputs: widest.1,
            });
        }
        if n.saturating_mul(width) > MAX_INPUT_VALUES {
            return Err(TableError::TooMuchData {
                rows: n,
                inputs: width,
            });
        }

        let make = |rows: &[usize]| -> Result<Dataset, TableError> {
            let mut x = vec![0.0f32; rows.len() * width];
            for (i, &r) in rows.iter().enumerate() {
                let out = &mut x[i * width..(i + 1) * width];
                let mut at = 0;
                for ((_, _, s), (enc, slot)) in
                    inputs.iter().zip(encoding.columns.iter().zip(&slots))
                {
                    match (enc, slot, s) {
                        (
                            InputEncoding::OneHot { categories, .. },
                            Some(slot),
                            Source::Codes(codes),
                        ) => {
                            let k = slot[codes[r] as usize];
                            if k != u32::MAX {
                                out[at + k as usize] = 1.0;
                            }
                            at += categories.len();
                        }
                        (
                            InputEncoding::Numeric { mean, std, .. }
                            | InputEncoding::Date { mean, std, .. },
                            _,
                            _,
                        ) => {
                            out[at] = ((s.number(r) - f64::from(*mean)) / f64::from(*std)) as f32;
                            at += 1;
                        }
                        _ => at += enc.width(),
                    }
                }
            }
            let y = rows.iter().map(|&r| target_value(r)).collect();
            Tensor::new(x, &[rows.len(), width])
                .and_then(|x| Dataset::new(x, y, classes.len()))
                .map_err(|e| TableError::BadChoice(format!("internal: {e}")))
        };
        let splits = Splits {
            train: make(&train)?,
            val: make(&val)?,
            test: make(&test)?,
        };
        Ok(TabularData {
            splits,
            input_names: encoding.input_names(),
            classes,
            encoding,
            rows_dropped: empty_rows,
            notes,
        })
    }
}
