//! Tabular data from a CSV file: reading it, guessing its column types, and turning chosen
//! columns into the engine's [`Splits`](super::Splits).
//!
//! # Reading
//! [`TableReader`] takes the file in chunks ([`TableReader::feed`], then
//! [`TableReader::finish`]) and reports [`Progress`] in bytes, so a worker can read a 100 MB
//! file slice by slice; [`read_table`] does it for bytes already in memory. What it reads:
//! - UTF-8 text, with or without a byte-order mark (UTF-16, other encodings, workbooks and
//!   other binary files are refused with a message saying how to re-save the file);
//! - fields separated by `,`, `;` or tab, guessed from the first 20 lines
//!   ([`ReadOptions::separator`] overrides the guess); fields in double quotes may hold the
//!   separator, line breaks and doubled quotes (`""`); lines end in LF, CRLF or CR;
//! - a header row first (blank lines, or lines of spaces, before it and between rows are
//!   skipped): its names become
//!   the column names, empty ones `column N` and repeated ones `name (2)`;
//! - cells are trimmed of surrounding spaces; an empty cell, or `NA`, `N/A`, `NaN`, `null`,
//!   `None`, `?` in any case, is empty.
//!
//! Columns are kept compactly, never as a String per cell: f32 numbers, f64 days for dates,
//! and u32 codes into a dictionary of the column's different values (see [`Column`]).
//!
//! # Column types
//! Each column's [`ColumnGuess`]: [`ColumnKind::Numeric`] when every non-empty cell is a
//! number (Rust's float syntax; with `;` or tab separators also a decimal comma), `Date` when
//! every one is a date (`yyyy-mm-dd` or `yyyy/mm/dd`, optionally with ` hh:mm` or ` hh:mm:ss`,
//! or `T` in place of the space), `Categorical` when it has at most [`MAX_CATEGORIES`]
//! different values, else `Text` (not usable). The evidence says the counts:
//! "numeric: 998 of 1,000 cells are numbers, 2 empty".
//!
//! # Training data
//! [`TabularSpec`] names the target, the input columns with their kinds, the problem and the
//! split; [`TabularSpec::build`] checks everything and returns [`TabularData`]: the splits,
//! the input names (`age`, `job=admin`), the class names, and the [`TabularEncoding`] that
//! encodes a new row the same way (the train split's means and standard deviations, the train
//! split's categories).
//!
//! # Example
//! ```
//! use np_engine::data::table::*;
//!
//! let file = b"age;job;approved\n31;nurse;yes\n45;chef;no\n27;nurse;yes\n52;admin;no\n";
//! // In the worker: `for_file` with the File's size, then one `feed` per slice.
//! let mut reader = TableReader::for_file(file.len() as u64, ReadOptions::default())?;
//! for slice in file.chunks(16) {
//!     let progress = reader.feed(slice)?;
//!     assert!(progress.fraction().unwrap() <= 1.0);
//! }
//! let table = reader.finish()?;
//! assert_eq!(table.separator(), Separator::Semicolon);
//! assert_eq!(table.column("age").unwrap().guess().evidence, "numeric: all 4 cells are numbers");
//!
//! let spec = TabularSpec {
//!     target: "approved".into(),
//!     features: vec![
//!         InputColumn::guessed(&table, "age").unwrap(),
//!         InputColumn::guessed(&table, "job").unwrap(),
//!     ],
//!     problem: Problem::Classification,
//!     split: SplitRule::Random { seed: 1, val_pct: 0.0, test_pct: 25.0 },
//!     empty_cells: EmptyCells::Reject,
//! };
//! let data = spec.build(&table)?;
//! assert_eq!(data.classes, ["no", "yes"]);
//! assert_eq!(data.splits.train.len() + data.splits.test.len(), 4);
//! assert_eq!(data.input_names[0], "age");
//! # Ok::<(), TableError>(())
//! ```
//!
//! # Errors
//! Every failure is a [`TableError`] whose message says what, where (line and column, 1-based
//! as an editor shows them) and what to do. Nothing is half-built: an `Err` is all a failed
//! read or build returns.

mod build;
mod cells;
mod column;
mod encoding;
mod error;
mod reader;

pub use build::{EmptyCells, InputColumn, Problem, SplitRule, TabularData, TabularSpec};
pub use cells::{format_date, is_missing, parse_date, parse_number, DATE_FORMATS};
pub use column::{Column, ColumnGuess, ColumnKind, EMPTY_CODE};
pub use encoding::{InputEncoding, TabularEncoding};
pub use error::{CellAt, SplitPart, TableError};
pub use reader::{check_file_size, Progress, TableReader};

use serde::{Deserialize, Serialize};

/// Files over 2 GB (decimal, 2,000,000,000 bytes) are refused by their size, before reading:
/// their columns alone would not fit a browser tab's memory.
pub const MAX_FILE_BYTES: u64 = 2_000_000_000;
/// At most this many columns in a file. A Kaggle MNIST CSV (785 columns) fits; 10,000 does
/// not: a first layer that wide is beyond what the page trains at a useful pace.
pub const MAX_COLUMNS: usize = 4096;
/// At most this many network inputs after one-hot encoding.
pub const MAX_INPUTS: usize = 4096;
/// At most this many numbers in the encoded inputs of all rows (256 MB of f32).
pub const MAX_INPUT_VALUES: usize = 64 * 1024 * 1024;
/// At most this many different values in a categorical column or classes in a target.
pub const MAX_CATEGORIES: usize = 1000;
/// A column's dictionary is dropped past this many different values (the column is then
/// numbers, dates or unusable text).
pub const MAX_DISTINCT_KEPT: usize = 65_536;
/// One row's unescaped bytes may not exceed 16 MB: more is almost surely a quote left open.
pub const MAX_ROW_BYTES: usize = 16_000_000;
/// Rows kept as text for the preview.
pub const PREVIEW_ROWS: usize = 20;

/// The field separator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Separator {
    Comma,
    Semicolon,
    Tab,
}

impl Separator {
    pub fn byte(self) -> u8 {
        match self {
            Separator::Comma => b',',
            Separator::Semicolon => b';',
            Separator::Tab => b'\t',
        }
    }
    /// How messages show it.
    pub fn shown(self) -> &'static str {
        match self {
            Separator::Comma => ",",
            Separator::Semicolon => ";",
            Separator::Tab => "tab",
        }
    }
}

/// How to read a file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadOptions {
    /// The separator; `None` guesses it from the first lines.
    pub separator: Option<Separator>,
}

/// The header and the first [`PREVIEW_ROWS`] rows as text (trimmed), for the column picker.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A CSV file as read: named columns of equal length, at least one row.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    columns: Vec<Column>,
    /// `[rows]`: the line each row starts on, for messages.
    lines: Vec<u32>,
    rows: usize,
    separator: Separator,
    preview: Preview,
    header_line: u32,
    bytes: u64,
}

impl Table {
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name() == name)
    }
    /// Data rows (the header not counted).
    pub fn rows(&self) -> usize {
        self.rows
    }
    /// The line row `row` (0-based) starts on, 1-based.
    pub fn line_of(&self, row: usize) -> u32 {
        self.lines.get(row).copied().unwrap_or(0)
    }
    pub fn header_line(&self) -> u32 {
        self.header_line
    }
    /// The separator used (guessed or given).
    pub fn separator(&self) -> Separator {
        self.separator
    }
    pub fn preview(&self) -> &Preview {
        &self.preview
    }
    /// The file's size in bytes.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
    /// Whether numbers in this file may use a decimal comma (`;` or tab separators).
    pub fn decimal_comma(&self) -> bool {
        self.separator != Separator::Comma
    }
}

/// Reads a whole file held in memory.
pub fn read_table(bytes: &[u8], options: ReadOptions) -> Result<Table, TableError> {
    let mut reader = TableReader::for_file(bytes.len() as u64, options)?;
    reader.feed(bytes)?;
    reader.finish()
}
