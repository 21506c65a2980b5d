//! The student's own CSV file (`dataset=csv`) as a session trains on it. The page keeps the
//! file in the browser's storage (`runner::fetch`); the host's loop reads it from there when a
//! config names it and hands the bytes to [`load`]; [`build`] turns the Config's column choice
//! into the engine's splits, the page's [`Wide`] sample and the column picker's [`TableView`].
//!
//! The table is kept per thread for the reason `shipped` gives: every rebuild (a new target, a
//! new split) reuses the rows read once, and only a new file replaces them ([`forget`]).

use std::cell::RefCell;
use std::rc::Rc;

use np_engine::data::table::{
    read_table, ColumnKind, EmptyCells, InputColumn, InputEncoding, Problem as TableProblem,
    ReadOptions, SplitRule, Table, TableError, TabularEncoding, TabularSpec, MAX_CATEGORIES,
};
use np_engine::data::Splits;

use super::data::{Data, Extent};
use super::shipped::{sample, TargetScale, Wide, SAMPLE_ROWS};
use crate::analysis::groups::Grouping;
use crate::config::{Config, Problem};

/// Rows of the file the column picker shows.
pub const PREVIEW_ROWS: usize = 5;

/// A category with more values than this, and more than half as many as there are rows, is
/// taken for an identifier (a tiny table's few rows may well all differ in a real category).
const IDENTIFIER_MIN: usize = 20;

/// A file as read, with the name the student gave it.
#[derive(Debug)]
pub struct OwnFile {
    pub name: String,
    pub table: Table,
}

thread_local! {
    static LOADED: RefCell<Option<Rc<OwnFile>>> = const { RefCell::new(None) };
}

/// The file [`load`] read on this thread, if any.
pub fn get() -> Option<Rc<OwnFile>> {
    LOADED.with(|l| l.borrow().clone())
}

/// Drops the file read on this thread: the next session asks for the stored one again (a
/// new upload, or the student chose to forget theirs).
pub fn forget() {
    LOADED.with(|l| l.borrow_mut().take());
}

/// Reads the stored bytes of the student's file; `Err` says what is wrong, where, and what
/// to do (the engine's reader names the line and the column).
pub fn load(name: &str, bytes: &[u8]) -> Result<(), String> {
    let table = read_table(bytes, ReadOptions::default()).map_err(|e| unusable(name, &e))?;
    adopt(name, table);
    Ok(())
}

/// What a file the reader refused says: its name, then the reader's line, column and remedy.
pub fn unusable(name: &str, e: &TableError) -> String {
    format!("`{name}` cannot be used: {e}")
}

/// Keeps `table`, read from the student's file `name` as it streamed in (`runner::fetch`), as
/// the file the sessions train on.
pub fn adopt(name: &str, table: Table) {
    LOADED.with(|l| {
        *l.borrow_mut() = Some(Rc::new(OwnFile {
            name: name.to_string(),
            table,
        }))
    });
}

/// One column as the picker lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ColumnView {
    pub name: String,
    pub kind: ColumnKind,
    /// The guess's grounds in words ("numeric: all 400 cells are numbers").
    pub evidence: String,
    /// Different values, where the column has few enough to be classes.
    pub classes: Option<usize>,
}

impl ColumnView {
    /// Usable as an input (numbers, categories or dates; not free text).
    pub fn can_be_input(&self) -> bool {
        self.kind != ColumnKind::Text
    }
    /// Usable as the target of `problem`.
    pub fn can_be_target(&self, problem: Problem) -> bool {
        match problem {
            Problem::Classification => self.classes.is_some_and(|n| n >= 2),
            Problem::Regression => self.kind == ColumnKind::Numeric,
        }
    }
    /// A category with a value for (nearly) every row, as an id or a free comment: one-hot
    /// inputs that only let a network memorize rows, so no default uses it.
    pub fn looks_like_identifier(&self, rows: usize) -> bool {
        self.kind == ColumnKind::Categorical
            && self
                .classes
                .is_some_and(|n| n > IDENTIFIER_MIN && 2 * n > rows)
    }
    /// Usable to order the rows by time.
    pub fn can_order_by_time(&self) -> bool {
        matches!(self.kind, ColumnKind::Date | ColumnKind::Numeric)
    }
}

/// What the column picker shows of the file and of the choice in force (defaults filled in).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct TableView {
    pub file: String,
    pub bytes: u64,
    pub rows: usize,
    /// The separator, as messages show it (`,`, `;`, `tab`).
    pub separator: String,
    pub columns: Vec<ColumnView>,
    /// The header and the first [`PREVIEW_ROWS`] rows as text.
    pub header: Vec<String>,
    pub preview: Vec<Vec<String>>,
    /// The choice as applied: the Config's, or the defaults where it names none.
    pub target: String,
    pub inputs: Vec<String>,
    pub time: Option<String>,
    /// Rows left out for an empty cell in a chosen column.
    pub rows_dropped: usize,
    /// What the encoding noticed (constant columns, values seen only in testing).
    pub notes: Vec<String>,
    /// Why this choice cannot be trained on, and what to do; `None` when it can.
    pub problem_with_choice: Option<String>,
}

fn columns(table: &Table) -> Vec<ColumnView> {
    table
        .columns()
        .iter()
        .map(|c| ColumnView {
            name: c.name().to_string(),
            kind: c.guess().kind,
            evidence: c.guess().evidence.clone(),
            classes: c
                .codes()
                .map(|_| c.values().len())
                .filter(|&n| n <= MAX_CATEGORIES),
        })
        .collect()
}

/// The choice the Config makes of a file of `rows` rows, defaults filled in: the last column
/// that can be the problem's target, every other usable column but dates and identifiers as
/// inputs. The target and the time column are never inputs, chosen or not.
fn resolve(
    config: &Config,
    columns: &[ColumnView],
    rows: usize,
) -> (String, Vec<String>, Option<String>) {
    let time = config.csv.time.clone();
    let not_time = |c: &&ColumnView| Some(&c.name) != time.as_ref();
    let target = config.csv.target.clone().unwrap_or_else(|| {
        columns
            .iter()
            .rev()
            .filter(not_time)
            .find(|c| c.can_be_target(config.problem) && !c.looks_like_identifier(rows))
            .or(columns.last())
            .map(|c| c.name.clone())
            .unwrap_or_default()
    });
    let inputs = if config.csv.inputs.is_empty() {
        columns
            .iter()
            .filter(not_time)
            .filter(|c| c.can_be_input() && c.kind != ColumnKind::Date)
            .filter(|c| !c.looks_like_identifier(rows))
            .map(|c| c.name.clone())
            .collect()
    } else {
        config.csv.inputs.clone()
    };
    let inputs = inputs
        .into_iter()
        .filter(|n| *n != target && Some(n) != time.as_ref())
        .collect();
    (target, inputs, time)
}

/// Why the chosen target cannot be `problem`'s, in the picker's words (the engine's would
/// point at a cell, as if the file were wrong rather than the choice).
fn unfit_target(view: &TableView, problem: Problem) -> Option<String> {
    let column = view.columns.iter().find(|c| c.name == view.target)?;
    if column.can_be_target(problem) {
        return None;
    }
    let name = &column.name;
    Some(match problem {
        Problem::Regression => {
            let what = match column.kind {
                ColumnKind::Date => "dates",
                ColumnKind::Text => "free text",
                _ => "categories",
            };
            format!("`{name}` holds {what}, not numbers, so it cannot be predicted as a number: press “Predict a class”, or choose a numeric target")
        }
        Problem::Classification if column.classes == Some(1) => {
            format!("`{name}` has the same value in every row: there is nothing to predict, choose another target")
        }
        Problem::Classification => {
            let instead = if column.kind == ColumnKind::Numeric {
                "press “Predict a number”, or choose"
            } else {
                "choose"
            };
            format!(
                "`{name}` has more than {} different values, too many to be classes: {instead} a column of classes",
                crate::analysis::summary::thousands(MAX_CATEGORIES)
            )
        }
    })
}

/// The column picker's view of the loaded file under `config`'s choice, without building.
/// Every categorical input of the student's choice, as a grouping of the test rows.
fn groupings(encoding: &TabularEncoding) -> Vec<Grouping> {
    let mut first = 0;
    let mut out = Vec::new();
    for column in &encoding.columns {
        let width = column.width();
        if let InputEncoding::OneHot { column, categories } = column {
            out.push(Grouping {
                name: column.clone(),
                categories: categories.clone(),
                inputs: (first..first + width).collect(),
            });
        }
        first += width;
    }
    out
}

fn view_of(file: &OwnFile, config: &Config) -> TableView {
    let t = &file.table;
    let columns = columns(t);
    let (target, inputs, time) = resolve(config, &columns, t.rows());
    let preview = t.preview();
    TableView {
        file: file.name.clone(),
        bytes: t.bytes(),
        rows: t.rows(),
        separator: t.separator().shown().to_string(),
        columns,
        header: preview.header.clone(),
        preview: preview.rows.iter().take(PREVIEW_ROWS).cloned().collect(),
        target,
        inputs,
        time,
        ..TableView::default()
    }
}

/// The splits and the drawable data of the student's file under `config`'s choice. A choice
/// that cannot be trained on still returns the picker's view (in `Data::table`, with
/// `problem_with_choice` set) so the student can change it; `Err` only when no file is loaded.
pub fn build(config: &Config) -> Result<(Option<Splits>, Data), String> {
    let file = get().ok_or("your CSV file is not read yet")?;
    let mut view = view_of(&file, config);
    if let Some(why) = unfit_target(&view, config.problem) {
        view.problem_with_choice = Some(why);
        let data = Data {
            table: Some(view),
            ..Data::default()
        };
        return Ok((None, data));
    }
    let spec = TabularSpec {
        target: view.target.clone(),
        features: view
            .inputs
            .iter()
            .map(|name| InputColumn::guessed(&file.table, name).ok_or(name))
            .collect::<Result<Vec<_>, _>>()
            .unwrap_or_else(|name| {
                // Unknown names reach the engine, which says which columns there are.
                vec![InputColumn {
                    name: name.clone(),
                    kind: ColumnKind::Numeric,
                }]
            }),
        problem: match config.problem {
            Problem::Classification => TableProblem::Classification,
            Problem::Regression => TableProblem::Regression,
        },
        split: {
            let (val_pct, test_pct) = (
                config.perc_val_data as f32,
                100.0 - config.perc_train_data as f32,
            );
            match &view.time {
                Some(column) => SplitRule::ByTime {
                    column: column.clone(),
                    val_pct,
                    test_pct,
                },
                None => SplitRule::Random {
                    seed: config.data_seed(),
                    val_pct,
                    test_pct,
                },
            }
        },
        // A student's file has gaps more often than not: leave those rows out and say so.
        empty_cells: EmptyCells::DropRows,
    };
    let built = match spec.build(&file.table) {
        Ok(b) => b,
        Err(e) => {
            view.problem_with_choice = Some(format!("{e}"));
            let data = Data {
                table: Some(view),
                ..Data::default()
            };
            return Ok((None, data));
        }
    };
    view.rows_dropped = built.rows_dropped;
    view.notes = built.notes.clone();
    let regression = config.problem == Problem::Regression;
    let (splits, (mean, std)) = built.splits.target_standardized();
    let target = regression.then(|| TargetScale {
        name: view.target.clone(),
        mean,
        std,
    });
    let wide = Wide {
        image: None,
        names: built.input_names,
        class_names: built.classes.clone(),
        counts: [splits.train.len(), splits.val.len(), splits.test.len()],
        by_time: view.time.is_some(),
        source: format!("your file `{}`", file.name),
        train: sample(&splits.train, SAMPLE_ROWS),
        test: sample(&splits.test, SAMPLE_ROWS),
        target,
        groupings: if regression {
            Vec::new()
        } else {
            groupings(&built.encoding)
        },
    };
    let data = Data {
        classes: if regression {
            1
        } else {
            built.classes.len().max(1)
        },
        extent: Extent::default(),
        wide: Some(wide),
        table: Some(view),
        ..Data::default()
    };
    Ok((Some(splits), data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Dataset;

    const FILE: &str = "date;age;job;balance;approved\n\
        2020-01-01;31;nurse;1200,5;yes\n2020-01-02;45;chef;80;no\n2020-01-03;27;nurse;300;yes\n\
        2020-01-04;52;admin;40;no\n2020-01-05;38;chef;;yes\n2020-01-06;61;admin;900;no\n\
        2020-01-07;23;nurse;150;yes\n2020-01-08;44;chef;20;no\n2020-01-09;35;admin;700;yes\n\
        2020-01-10;29;nurse;60;no\n";

    fn own() -> Config {
        Config {
            dataset: Dataset::Own,
            reg_dataset: Dataset::Own,
            perc_train_data: 70,
            ..Config::default()
        }
    }

    #[test]
    fn the_defaults_predict_the_last_column_from_the_usable_others() {
        load("loans.csv", FILE.as_bytes()).unwrap();
        let (splits, data) = build(&own()).unwrap();
        let splits = splits.expect("the default choice trains");
        let view = data.table.unwrap();
        assert_eq!(view.target, "approved");
        // The date is not an input unless chosen; the empty balance drops its row.
        assert_eq!(view.inputs, ["age", "job", "balance"]);
        assert_eq!(
            (view.rows, view.rows_dropped, view.separator.as_str()),
            (10, 1, ";")
        );
        let wide = data.wide.unwrap();
        assert_eq!(wide.class_names, ["no", "yes"]);
        // One-hot: age, job=admin, job=chef, job=nurse, balance.
        assert_eq!(splits.train.features(), 5);
        assert_eq!(wide.counts.iter().sum::<usize>(), 9);
        assert_eq!(data.classes, 2);
    }

    #[test]
    fn a_time_column_orders_the_split_and_a_bad_choice_keeps_the_picker() {
        load("loans.csv", FILE.as_bytes()).unwrap();
        let mut c = own();
        c.csv.time = Some("date".into());
        let (splits, data) = build(&c).unwrap();
        assert!(data.wide.unwrap().by_time);
        let splits = splits.unwrap();
        assert_eq!(splits.test.len(), 3, "the newest 30 % test");

        c.problem = Problem::Regression;
        c.csv.target = Some("job".into());
        let (splits, data) = build(&c).unwrap();
        assert!(splits.is_none());
        let view = data.table.unwrap();
        let why = view.problem_with_choice.unwrap();
        assert!(
            why.contains("`job` holds categories") && why.contains("Predict a class"),
            "{why}"
        );
        assert_eq!(view.columns.len(), 5, "the picker still lists the file");

        c.csv.target = Some("age".into());
        let (splits, data) = build(&c).unwrap();
        let splits = splits.expect("age is a number to predict");
        let scale = data
            .wide
            .unwrap()
            .target
            .expect("a regression target keeps its units");
        let mean = splits.train.y.iter().sum::<f32>() / splits.train.len() as f32;
        assert!(
            mean.abs() < 1e-5,
            "standardized on the training rows: mean {mean}"
        );
        assert!(scale.mean > 20.0 && scale.std > 1.0, "{scale:?}");

        c.csv.target = Some("balance".into());
        c.csv.inputs = vec!["age".into(), "nonsense".into()];
        let (splits, data) = build(&c).unwrap();
        assert!(splits.is_none());
        let why = data.table.unwrap().problem_with_choice.unwrap();
        assert!(why.contains("nonsense"), "{why}");
    }

    #[test]
    fn an_identifier_column_is_no_default_input_and_the_target_is_never_an_input() {
        let mut file = String::from("id,amount,grade\n");
        for i in 0..60 {
            file.push_str(&format!("client-{i},{},{}\n", i % 17, ["a", "b"][i % 2]));
        }
        load("ids.csv", file.as_bytes()).unwrap();
        let (_, data) = build(&own()).unwrap();
        let view = data.table.unwrap();
        assert!(view.columns[0].looks_like_identifier(view.rows));
        assert!(!view.columns[2].looks_like_identifier(view.rows));
        assert_eq!(
            (view.target.as_str(), view.inputs.clone()),
            ("grade", vec!["amount".to_string()])
        );

        // Inputs chosen before the target moved onto one of them.
        let mut c = own();
        c.csv.inputs = vec!["id".into(), "amount".into()];
        c.csv.target = Some("amount".into());
        c.problem = Problem::Regression;
        let (splits, data) = build(&c).unwrap();
        assert_eq!(data.table.unwrap().inputs, ["id"]);
        assert!(splits.is_some(), "an identifier is usable when asked for");
    }

    #[test]
    fn a_broken_file_is_refused_and_nothing_half_read_stays() {
        forget();
        let e = load("ragged.csv", b"a,b\n1,2\n3\n").unwrap_err();
        assert!(e.contains("ragged.csv") && e.contains("line 3"), "{e}");
        assert!(get().is_none());
        assert!(build(&own()).is_err());
    }
}
