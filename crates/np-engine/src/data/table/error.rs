//! Everything a student's CSV file or a column choice can get wrong, as a value with the words
//! the page shows: what went wrong, where (line and column, 1-based as an editor counts them),
//! and what to do about it.

use super::cells::thousands;
use super::{
    MAX_CATEGORIES, MAX_COLUMNS, MAX_FILE_BYTES, MAX_INPUTS, MAX_INPUT_VALUES, MAX_ROW_BYTES,
};
use crate::error::EngineError;
use thiserror::Error;

/// A cell's place in the file: the line its row starts on and its column (both 1-based), and
/// the column's name from the header (empty for a header cell).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellAt {
    pub line: u32,
    pub column: usize,
    pub name: String,
}

impl std::fmt::Display for CellAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.name.is_empty() {
            write!(f, "line {}, column {}", self.line, self.column)
        } else {
            write!(
                f,
                "line {}, column {} (`{}`)",
                self.line, self.column, self.name
            )
        }
    }
}

/// One split of [`super::SplitRule`], named in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplitPart {
    Train,
    Validation,
    Test,
}

impl SplitPart {
    fn words(self) -> &'static str {
        match self {
            SplitPart::Train => "the training split",
            SplitPart::Validation => "the validation split",
            SplitPart::Test => "the test split",
        }
    }
}

/// Why a file could not be read, or a table could not be turned into training data. Nothing is
/// built when one of these is returned.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum TableError {
    /// Refused by its size before a byte is read: the page would run out of memory.
    #[error(
        "the file is {} GB ({} bytes); files over {} GB are refused before reading: keep fewer \
         rows or columns, or take a sample of the file",
        gb(*bytes), thousands(*bytes), gb(MAX_FILE_BYTES)
    )]
    FileTooLarge { bytes: u64 },
    #[error("the file is empty: choose a CSV file with a header row and at least one data row")]
    Empty,
    #[error(
        "the file has a header row ({}) but no data rows: add rows below the header",
        if *columns == 1 { "1 column".to_string() } else { format!("{} columns", thousands(*columns as u64)) }
    )]
    HeaderOnly { columns: usize },
    #[error("the file is UTF-16 text: save it as UTF-8 (in a spreadsheet: Save As, CSV UTF-8) and choose it again")]
    Utf16,
    /// A spreadsheet workbook, an archive, UTF-16 without its mark: no CSV text.
    #[error(
        "the file is not text{}: save it as CSV (in a spreadsheet: Save As, CSV UTF-8) and choose that file",
        if *zip { " but a zip archive (an .xlsx or .ods workbook?)" } else { " (it holds zero bytes)" }
    )]
    NotText { zip: bool },
    #[error("{at}: the text is not UTF-8: save the file as UTF-8 (in a spreadsheet: Save As, CSV UTF-8) and choose it again")]
    NotUtf8 { at: CellAt },
    #[error(
        "the header has {} columns; the limit is {} (one network input each): keep fewer columns in the file",
        thousands(*columns as u64), thousands(MAX_COLUMNS as u64)
    )]
    TooManyColumns { columns: usize },
    #[error(
        "line {line} starts a row longer than {} MB: a double quote is probably left open \
         (a field that starts with `\"` runs to the next `\"`, across lines)",
        MAX_ROW_BYTES / 1_000_000
    )]
    RowTooLong { line: u32 },
    #[error(
        "line {line} has {} fields, the header (line {header_line}) has {}: put fields that \
         contain the separator `{separator}` in double quotes, and give every row one field per column",
        thousands(*fields as u64), thousands(*header as u64)
    )]
    Ragged {
        line: u32,
        fields: usize,
        header: usize,
        header_line: u32,
        separator: &'static str,
    },
    #[error("{at}: `{text}` is not a number: correct the cell, or use the column as categorical")]
    NotANumber { at: CellAt, text: String },
    #[error(
        "{at}: `{text}` is not a date (yyyy-mm-dd or yyyy/mm/dd, optionally with hh:mm or \
         hh:mm:ss): correct the cell, or use the column as categorical"
    )]
    NotADate { at: CellAt, text: String },
    #[error(
        "column `{name}` has more than {} different values: too many to use as categories; \
         leave it out{}",
        thousands(MAX_CATEGORIES as u64),
        if *numeric { ", or use it as numeric" } else { "" }
    )]
    TooManyCategories { name: String, numeric: bool },
    #[error(
        "the target `{name}` has more than {} different values: too many classes; \
         choose Regression{}",
        thousands(MAX_CATEGORIES as u64),
        if *numeric { "" } else { " with a numeric target, or another target" }
    )]
    TooManyClasses { name: String, numeric: bool },
    #[error(
        "column `{name}` holds text: choose numeric, categorical or date for it, or leave it out"
    )]
    TextInput { name: String },
    #[error(
        "{at} is empty, and {} in the chosen columns: fill them in, or choose to drop the rows \
         with empty cells",
        if *rows == 1 { "it is the only row with an empty cell".to_string() }
        else { format!("{} rows have empty cells", thousands(*rows as u64)) }
    )]
    EmptyCells { at: CellAt, rows: usize },
    #[error(
        "the target `{name}` has one class (`{class}`) in all its {} rows: a classifier needs at \
         least two; choose another target, or Regression",
        thousands(*rows as u64)
    )]
    SingleClass {
        name: String,
        class: String,
        rows: usize,
    },
    #[error(
        "the training split holds only class `{class}` of the target `{name}`: a classifier needs \
         at least two there; use a random split, or move the validation and test percentages"
    )]
    TrainSingleClass { name: String, class: String },
    #[error(
        "{} {}{} too few for this split: {} would get {} (at least {need} needed); add rows, or {}",
        thousands(*rows as u64),
        if *rows == 1 { "row" } else { "rows" },
        if *dropped > 0 { format!(" (after dropping {} with empty cells) are", thousands(*dropped as u64)) }
        else if *rows == 1 { " is".to_string() } else { " are".to_string() },
        part.words(),
        if *got == 1 { "1 row".to_string() } else { format!("{} rows", thousands(*got as u64)) },
        if *part == SplitPart::Train { "lower the validation and test percentages" }
        else { "set its percentage to 0" }
    )]
    TooFewRows {
        rows: usize,
        dropped: usize,
        part: SplitPart,
        got: usize,
        need: usize,
    },
    #[error(
        "the chosen columns make {} network inputs; the limit is {}: leave out some columns \
         (`{widest}` alone makes {})",
        thousands(*inputs as u64), thousands(MAX_INPUTS as u64), thousands(*widest_inputs as u64)
    )]
    TooManyInputs {
        inputs: usize,
        widest: String,
        widest_inputs: usize,
    },
    #[error(
        "{} rows x {} inputs are {} numbers; the limit is {} (256 MB): choose fewer columns, or \
         a sample of the rows",
        thousands(*rows as u64), thousands(*inputs as u64),
        thousands(*rows as u64 * *inputs as u64), thousands(MAX_INPUT_VALUES as u64)
    )]
    TooMuchData { rows: usize, inputs: usize },
    #[error("there is no column `{name}`; the columns are {}", list(available))]
    UnknownColumn {
        name: String,
        available: Vec<String>,
    },
    /// A choice that contradicts itself (the target among the inputs, no inputs, a column
    /// twice, percentages out of range); the words say which.
    #[error("{0}")]
    BadChoice(String),
}

/// Sizes in decimal gigabytes with one decimal, as file managers show them.
fn gb(bytes: u64) -> String {
    let tenths = (bytes + 50_000_000) / 100_000_000;
    if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// Column names in backquotes, at most eight of them.
fn list(names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(8).map(|n| format!("`{n}`")).collect();
    let more = names.len().saturating_sub(8);
    if more > 0 {
        format!("{} and {} more", shown.join(", "), thousands(more as u64))
    } else {
        shown.join(", ")
    }
}

/// For callers that speak the engine's error type: the message as an invalid configuration.
impl From<TableError> for EngineError {
    fn from(e: TableError) -> Self {
        EngineError::InvalidConfig(e.to_string())
    }
}
