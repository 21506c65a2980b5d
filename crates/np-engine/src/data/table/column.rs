//! One column of a read table: each interpretation its cells still allow, kept compactly
//! (f32 numbers, f64 days, dictionary codes), and the evidence for the guessed type.

use super::cells::{is_missing, parse_date, parse_number, thousands};
use super::{MAX_CATEGORIES, MAX_DISTINCT_KEPT};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a with splitmix64's finalizer: the dictionary is looked up once per cell, and the
/// standard SipHash (built against hash flooding, which a student's own file does not attempt)
/// is slower. The finalizer mixes FNV's weak top bits, which the hash table's tags are cut from
/// (without it, probes collide and compare keys).
#[derive(Debug)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

type Dictionary = HashMap<Box<str>, u32, BuildHasherDefault<Fnv>>;

/// The code of an empty cell in [`Column::codes`].
pub const EMPTY_CODE: u32 = u32::MAX;

/// What a column's cells are taken as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColumnKind {
    /// Every non-empty cell is a number: one standardized input.
    Numeric,
    /// A few different values: one input per value (one-hot), or the classes of a target.
    Categorical,
    /// Every non-empty cell is a date: one standardized input (days), or the order of a
    /// time-ordered split.
    Date,
    /// Neither: too many different values to be categories and not numbers or dates (names,
    /// ids, free text), or every cell empty. Not usable as an input.
    Text,
}

/// The guessed kind of a column with the counts it rests on, in words for the column picker:
/// "numeric: 998 of 1,000 cells are numbers, 2 empty".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnGuess {
    pub kind: ColumnKind,
    pub evidence: String,
}

/// The first cell that broke an interpretation: its line and text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FirstMisfit {
    pub line: u32,
    pub text: String,
}

/// One column. Each of `numbers`, `dates`, `codes` is kept while every cell so far fits it
/// (and, for codes, while there are at most [`MAX_DISTINCT_KEPT`] different values): a column
/// of numbers costs 4 bytes a row (plus 4 for codes while its values repeat), never a String
/// per cell.
#[derive(Clone, Debug)]
pub struct Column {
    name: String,
    /// Column number in the file, 1-based.
    position: usize,
    /// `[rows]`, NaN for an empty cell.
    numbers: Option<Vec<f32>>,
    /// `[rows]`, days since 1970-01-01, NaN for an empty cell.
    dates: Option<Vec<f64>>,
    /// `[rows]`, an index into `values`, [`EMPTY_CODE`] for an empty cell.
    codes: Option<Vec<u32>>,
    values: Vec<Box<str>>,
    index: Dictionary,
    cells: usize,
    empty: usize,
    number_cells: usize,
    date_cells: usize,
    pub(crate) not_number: Option<FirstMisfit>,
    pub(crate) not_date: Option<FirstMisfit>,
    guess: Option<ColumnGuess>,
}

impl Column {
    pub(crate) fn new(name: String, position: usize) -> Self {
        Self {
            name,
            position,
            numbers: Some(Vec::new()),
            dates: Some(Vec::new()),
            codes: Some(Vec::new()),
            values: Vec::new(),
            index: Dictionary::default(),
            cells: 0,
            empty: 0,
            number_cells: 0,
            date_cells: 0,
            not_number: None,
            not_date: None,
            guess: None,
        }
    }

    /// Adds one trimmed cell of the row starting on `line`.
    pub(crate) fn push(&mut self, cell: &str, line: u32, decimal_comma: bool) {
        self.cells += 1;
        if is_missing(cell) {
            self.empty += 1;
            if let Some(v) = &mut self.numbers {
                v.push(f32::NAN);
            }
            if let Some(v) = &mut self.dates {
                v.push(f64::NAN);
            }
            if let Some(v) = &mut self.codes {
                v.push(EMPTY_CODE);
            }
            return;
        }
        match parse_number(cell, decimal_comma) {
            Some(x) => {
                self.number_cells += 1;
                if let Some(v) = &mut self.numbers {
                    v.push(x);
                }
            }
            None => {
                if self.not_number.is_none() {
                    self.not_number = Some(FirstMisfit {
                        line,
                        text: cell.to_string(),
                    });
                }
                self.numbers = None;
            }
        }
        // Only a cell that starts like a year can be a date: most cells skip the parser.
        match cell
            .as_bytes()
            .get(4)
            .filter(|&&c| c == b'-' || c == b'/')
            .and_then(|_| parse_date(cell))
        {
            Some(d) => {
                self.date_cells += 1;
                if let Some(v) = &mut self.dates {
                    v.push(d);
                }
            }
            None => {
                if self.not_date.is_none() {
                    self.not_date = Some(FirstMisfit {
                        line,
                        text: cell.to_string(),
                    });
                }
                self.dates = None;
            }
        }
        if let Some(codes) = &mut self.codes {
            let code = match self.index.get(cell) {
                Some(&c) => c,
                None => {
                    let c = self.values.len() as u32;
                    self.values.push(cell.into());
                    self.index.insert(cell.into(), c);
                    c
                }
            };
            codes.push(code);
            if self.values.len() > MAX_DISTINCT_KEPT {
                // Names, ids or measurements: the numbers or dates (if any) say it all, and
                // nobody one-hot encodes this many values.
                self.codes = None;
                self.values = Vec::new();
                self.index = Dictionary::default();
            }
        }
    }

    /// Called once, when the whole file is read: settles the guess and frees the lookup table.
    pub(crate) fn finish(&mut self) {
        self.index = Dictionary::default();
        self.guess = Some(self.make_guess());
    }

    fn make_guess(&self) -> ColumnGuess {
        let filled = self.cells - self.empty;
        let empty = if self.empty == 0 {
            String::new()
        } else {
            format!(", {} empty", thousands(self.empty as u64))
        };
        let cells = thousands(self.cells as u64);
        if filled == 0 {
            return ColumnGuess {
                kind: ColumnKind::Text,
                evidence: format!("empty: all {cells} cells are empty"),
            };
        }
        let of = |n: usize| {
            if n == self.cells {
                format!("all {cells} cells")
            } else {
                format!("{} of {cells} cells", thousands(n as u64))
            }
        };
        if self.numbers.is_some() {
            return ColumnGuess {
                kind: ColumnKind::Numeric,
                evidence: format!("numeric: {} are numbers{empty}", of(self.number_cells)),
            };
        }
        if self.dates.is_some() {
            return ColumnGuess {
                kind: ColumnKind::Date,
                evidence: format!("date: {} are dates{empty}", of(self.date_cells)),
            };
        }
        // Mostly numbers: say which cell is not, the likeliest typo.
        let but = match &self.not_number {
            Some(m) if self.number_cells * 2 >= filled => format!(
                "; {} are numbers, but line {} has `{}`",
                thousands(self.number_cells as u64),
                m.line,
                m.text
            ),
            _ => String::new(),
        };
        match self.distinct() {
            Some(n) if n <= MAX_CATEGORIES => ColumnGuess {
                kind: ColumnKind::Categorical,
                evidence: format!(
                    "categorical: {} different values in {}{empty}{but}",
                    thousands(n as u64),
                    of(filled)
                ),
            },
            _ => ColumnGuess {
                kind: ColumnKind::Text,
                evidence: format!(
                    "text: more than {} different values in {}{empty}{but}; not usable as an input",
                    thousands(MAX_CATEGORIES as u64),
                    of(filled)
                ),
            },
        }
    }

    /// The header's name (unique within the table).
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The column's number in the file, 1-based, as a spreadsheet counts.
    pub fn position(&self) -> usize {
        self.position
    }
    /// The guessed kind and its evidence.
    pub fn guess(&self) -> &ColumnGuess {
        // Set by `finish`, which every Table's columns went through.
        self.guess.as_ref().unwrap_or(&UNSET_GUESS)
    }
    /// Every cell as a number (NaN where empty), if every non-empty cell is one.
    pub fn numbers(&self) -> Option<&[f32]> {
        self.numbers.as_deref()
    }
    /// Every cell as days since 1970-01-01 (NaN where empty), if every non-empty cell is a date.
    pub fn dates(&self) -> Option<&[f64]> {
        self.dates.as_deref()
    }
    /// Every cell as an index into [`Column::values`] ([`EMPTY_CODE`] where empty), if the
    /// column has at most [`MAX_DISTINCT_KEPT`] different values.
    pub fn codes(&self) -> Option<&[u32]> {
        self.codes.as_deref()
    }
    /// The different values in order of first appearance (empty when codes were not kept).
    pub fn values(&self) -> &[Box<str>] {
        &self.values
    }
    /// How many different values, if codes were kept.
    pub fn distinct(&self) -> Option<usize> {
        self.codes.as_ref().map(|_| self.values.len())
    }
    /// How many cells are empty (or hold a missing marker such as `NA`).
    pub fn empty_cells(&self) -> usize {
        self.empty
    }
    /// True when row `row`'s cell is empty (false, not knowing, for a text column that kept
    /// none of its values: one past [`MAX_DISTINCT_KEPT`] different values).
    pub fn is_empty_at(&self, row: usize) -> bool {
        if let Some(v) = &self.numbers {
            return v.get(row).is_none_or(|x| x.is_nan());
        }
        if let Some(v) = &self.dates {
            return v.get(row).is_none_or(|x| x.is_nan());
        }
        if let Some(v) = &self.codes {
            return v.get(row).is_none_or(|&c| c == EMPTY_CODE);
        }
        false
    }
    /// Row `row`'s cell as its guessed kind shows it, for writing the table back out: a number
    /// in Rust's shortest round-trip form, a date by [`super::cells::format_date`], the text;
    /// `None` for an empty cell or where the text was not kept (a text column past
    /// [`MAX_DISTINCT_KEPT`] values).
    pub fn cell_text(&self, row: usize) -> Option<String> {
        match self.guess().kind {
            ColumnKind::Numeric => {
                let x = *self.numbers.as_ref()?.get(row)?;
                (!x.is_nan()).then(|| x.to_string())
            }
            ColumnKind::Date => {
                let d = *self.dates.as_ref()?.get(row)?;
                (!d.is_nan()).then(|| super::cells::format_date(d))
            }
            ColumnKind::Categorical | ColumnKind::Text => {
                let c = *self.codes.as_ref()?.get(row)?;
                self.values.get(c as usize).map(|v| v.to_string())
            }
        }
    }
}

/// Equal cell for cell, NaN (an empty cell) equal to NaN: two reads of one file compare equal.
impl PartialEq for Column {
    fn eq(&self, other: &Self) -> bool {
        fn bits32(v: &Option<Vec<f32>>) -> Option<Vec<u32>> {
            v.as_ref().map(|v| v.iter().map(|x| x.to_bits()).collect())
        }
        fn bits64(v: &Option<Vec<f64>>) -> Option<Vec<u64>> {
            v.as_ref().map(|v| v.iter().map(|x| x.to_bits()).collect())
        }
        self.name == other.name
            && self.position == other.position
            && bits32(&self.numbers) == bits32(&other.numbers)
            && bits64(&self.dates) == bits64(&other.dates)
            && self.codes == other.codes
            && self.values == other.values
            && (self.cells, self.empty, self.number_cells, self.date_cells)
                == (
                    other.cells,
                    other.empty,
                    other.number_cells,
                    other.date_cells,
                )
            && self.not_number == other.not_number
            && self.not_date == other.not_date
            && self.guess == other.guess
    }
}

static UNSET_GUESS: ColumnGuess = ColumnGuess {
    kind: ColumnKind::Text,
    evidence: String::new(),
};
