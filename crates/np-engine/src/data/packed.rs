//! The shipped datasets' file format (NPDS): u8 pixels for images, u8/u16 quantized columns for
//! tables, with a small header; its reader, its writer and the way into a [`Dataset`].
//!
//! The layout, byte for byte, is in `assets/data/README.md`; `scripts/make-datasets.py` writes
//! the same bytes as [`write_packed`]. The reader takes any bytes and never panics: it checks
//! every count against the bytes that are left before it allocates, and refuses anything the
//! writer would not have written (so an accepted file writes back to exactly its own bytes),
//! naming what is wrong and the byte where it is.

mod read;
mod write;

pub use read::read_packed;
pub use write::write_packed;

use super::{Dataset, Splits};
use crate::error::{EngineError, Result};
use crate::rng::Rng;
use crate::tensor::Tensor;
use thiserror::Error;

/// The first four bytes of every packed file.
pub const MAGIC: [u8; 4] = *b"NPDS";
/// The format version this reader reads and this writer writes.
pub const VERSION: u16 = 1;
/// The fixed header before the metadata block: magic, version, kind, flags, rows, its length.
const FIXED_HEADER: usize = 16;
/// "No column" in the group-column field.
const NO_COLUMN: u16 = u16::MAX;
/// Limits that keep a hostile header from asking for absurd work; the shipped files are far
/// inside them.
const MAX_SIDE: u16 = 4096;
const MAX_COLUMNS: u16 = 4096;

/// What a packed file holds, read whole.
#[derive(Clone, Debug, PartialEq)]
pub struct PackedDataset {
    /// The dataset's id (`digits`, `mnist`, `returns`, `credit`).
    pub name: String,
    /// Where it came from, in one line (package, version, file).
    pub source: String,
    /// Class names; a row's label indexes them.
    pub classes: Vec<String>,
    /// One class index per row.
    pub labels: Vec<u8>,
    /// The official split: this many first rows are the training part, the rest the test part.
    pub train_rows: Option<usize>,
    /// The column (an index into the table's columns) whose categories are the groups that a
    /// fairness view compares.
    pub group_column: Option<usize>,
    pub body: PackedBody,
}

/// Pixels or columns.
#[derive(Clone, Debug, PartialEq)]
pub enum PackedBody {
    Images(PackedImages),
    Table(Vec<PackedColumn>),
}

/// Grey images.
/// # Shapes
/// `pixels: [rows, height, width]`, row-major; a pixel `p` means `p / pixel_max` in [0, 1].
#[derive(Clone, Debug, PartialEq)]
pub struct PackedImages {
    pub height: usize,
    pub width: usize,
    pub pixel_max: u8,
    pub pixels: Vec<u8>,
}

/// One table column.
#[derive(Clone, Debug, PartialEq)]
pub struct PackedColumn {
    pub name: String,
    pub role: ColumnRole,
    pub values: ColumnValues,
}

/// What a column is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnRole {
    /// An input of the model by default.
    Feature,
    /// Orders the rows in time (they are stored in that order); never an input.
    Time,
    /// Kept for the record (a calendar field, or the value a label was made from); not an
    /// input by default.
    Info,
}

/// A column's stored codes.
#[derive(Clone, Debug, PartialEq)]
pub enum ColumnValues {
    U8 {
        codes: Vec<u8>,
        quant: Quantization,
    },
    U16 {
        codes: Vec<u16>,
        quant: Quantization,
    },
    Category {
        codes: Vec<u8>,
        categories: Vec<String>,
    },
}

/// A numeric column's codes mean `offset + scale * code`. `max_error` is the largest distance
/// between a source value and its code's value that the writer met: at most half a step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quantization {
    pub scale: f64,
    pub offset: f64,
    pub max_error: f64,
}

/// Why bytes are not a packed dataset, and where.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PackedError {
    #[error("not a packed dataset: it starts with {found:02x?} where \"NPDS\" was expected")]
    BadMagic { found: Vec<u8> },
    #[error("truncated at byte {at}: {what} ({need} bytes) runs past the end, where {left} bytes are left")]
    Truncated {
        what: String,
        at: usize,
        need: usize,
        left: usize,
    },
    #[error("format version {found} at byte 4; this reader knows version {VERSION} only")]
    UnsupportedVersion { found: u16 },
    #[error("bad {what} at byte {at}: {why}")]
    Invalid {
        what: String,
        at: usize,
        why: String,
    },
    #[error("the metadata ends at byte {ended}, but the header (byte 12) says it ends at byte {declared}")]
    MetadataLength { declared: usize, ended: usize },
    #[error("{extra} bytes after the end of the data at byte {at}")]
    TrailingBytes { at: usize, extra: usize },
    #[error("cannot write this dataset: {0}")]
    Unwritable(String),
}

type PackedResult<T> = std::result::Result<T, PackedError>;

impl Quantization {
    /// Why these parameters cannot be a writer's, if they cannot.
    fn check(&self) -> std::result::Result<(), String> {
        if !(self.scale.is_finite() && self.scale > 0.0) {
            return Err(format!("scale {} is not a positive number", self.scale));
        }
        if !self.offset.is_finite() {
            return Err(format!("offset {} is not finite", self.offset));
        }
        // The writer's own bound, with room for the rounding of its measurement.
        if !(self.max_error >= 0.0 && self.max_error <= self.scale * 0.5 * (1.0 + 1e-9)) {
            return Err(format!(
                "maximum error {} is not within half a step ({})",
                self.max_error,
                self.scale / 2.0
            ));
        }
        Ok(())
    }
    /// The value of a code.
    pub fn value(&self, code: u32) -> f64 {
        self.offset + self.scale * code as f64
    }
    /// Codes for `values`, as `scripts/make-datasets.py` chooses them: values written with at
    /// most 6 decimals sit exactly on the grid 10^-d when that grid fits in 16 bits; otherwise
    /// the range is cut into 65,535 steps. Either way each value is within half a step.
    pub fn fit(values: &[f64]) -> PackedResult<(Quantization, Vec<u16>)> {
        if values.is_empty() || values.iter().any(|v| !v.is_finite()) {
            return Err(PackedError::Unwritable(
                "a numeric column needs finite values".into(),
            ));
        }
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut scale = None;
        for d in 0..7 {
            let step = 10f64.powi(-d);
            if values
                .iter()
                .all(|v| (v / step - (v / step).round()).abs() < 1e-6)
            {
                if (hi - lo) / step <= f64::from(u16::MAX) {
                    scale = Some(step);
                }
                break;
            }
        }
        let scale = scale.unwrap_or(if hi > lo {
            (hi - lo) / f64::from(u16::MAX)
        } else {
            1.0
        });
        let codes: Vec<u16> = values
            .iter()
            .map(|v| ((v - lo) / scale).round().clamp(0.0, f64::from(u16::MAX)) as u16)
            .collect();
        let max_error = codes
            .iter()
            .zip(values)
            .map(|(&q, v)| (lo + scale * f64::from(q) - v).abs())
            .fold(0.0, f64::max);
        let quant = Quantization {
            scale,
            offset: lo,
            max_error,
        };
        quant.check().map_err(PackedError::Unwritable)?;
        Ok((quant, codes))
    }
}

impl PackedColumn {
    /// A numeric column quantized by [`Quantization::fit`], stored in one byte a row when its
    /// codes fit.
    pub fn numeric(name: &str, role: ColumnRole, values: &[f64]) -> PackedResult<Self> {
        let (quant, codes) = Quantization::fit(values)?;
        let values = if codes.iter().all(|&q| q <= u16::from(u8::MAX)) {
            ColumnValues::U8 {
                codes: codes.iter().map(|&q| q as u8).collect(),
                quant,
            }
        } else {
            ColumnValues::U16 { codes, quant }
        };
        Ok(Self {
            name: name.to_string(),
            role,
            values,
        })
    }
    pub fn len(&self) -> usize {
        match &self.values {
            ColumnValues::U8 { codes, .. } | ColumnValues::Category { codes, .. } => codes.len(),
            ColumnValues::U16 { codes, .. } => codes.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Row `row`'s value: the dequantized number, or the category's index.
    pub fn value(&self, row: usize) -> Option<f64> {
        match &self.values {
            ColumnValues::U8 { codes, quant } => codes.get(row).map(|&q| quant.value(q.into())),
            ColumnValues::U16 { codes, quant } => codes.get(row).map(|&q| quant.value(q.into())),
            ColumnValues::Category { codes, .. } => codes.get(row).map(|&q| f64::from(q)),
        }
    }
    /// The model inputs this column becomes: one number, or one-hot indicators for a category
    /// with more than two values (two become one 0/1 input: the second category).
    pub fn input_names(&self) -> Vec<String> {
        match &self.values {
            ColumnValues::Category { categories, .. } if categories.len() > 2 => categories
                .iter()
                .map(|c| format!("{}={c}", self.name))
                .collect(),
            ColumnValues::Category { categories, .. } if categories.len() == 2 => {
                vec![format!("{}={}", self.name, categories[1])]
            }
            _ => vec![self.name.clone()],
        }
    }
    fn push_inputs(&self, row: usize, out: &mut Vec<f32>) {
        match &self.values {
            ColumnValues::Category { codes, categories } if categories.len() > 2 => {
                let code = codes.get(row).copied().unwrap_or(0) as usize;
                out.extend((0..categories.len()).map(|c| if c == code { 1.0 } else { 0.0 }));
            }
            _ => out.push(self.value(row).unwrap_or(0.0) as f32),
        }
    }
}

impl PackedDataset {
    pub fn rows(&self) -> usize {
        self.labels.len()
    }
    /// The table's columns (none for images).
    pub fn columns(&self) -> &[PackedColumn] {
        match &self.body {
            PackedBody::Table(columns) => columns,
            PackedBody::Images(_) => &[],
        }
    }
    /// The column that orders the rows in time, if any.
    pub fn time_column(&self) -> Option<&PackedColumn> {
        self.columns().iter().find(|c| c.role == ColumnRole::Time)
    }
    /// The default inputs: every pixel, or every feature column.
    pub fn feature_columns(&self) -> Vec<usize> {
        (0..self.columns().len())
            .filter(|&i| self.columns()[i].role == ColumnRole::Feature)
            .collect()
    }
    /// The names of [`Self::to_dataset_with`]'s inputs, in order.
    pub fn input_names(&self, columns: &[usize]) -> Vec<String> {
        match &self.body {
            PackedBody::Images(img) => (0..img.height * img.width)
                .map(|i| format!("pixel {},{}", i / img.width, i % img.width))
                .collect(),
            PackedBody::Table(cols) => columns
                .iter()
                .filter_map(|&i| cols.get(i))
                .flat_map(PackedColumn::input_names)
                .collect(),
        }
    }
    /// Every row as an engine dataset with the default inputs: pixels scaled to [0, 1], feature
    /// columns dequantized (categories as [`PackedColumn::input_names`] says).
    pub fn to_dataset(&self) -> Result<Dataset> {
        self.to_dataset_with(&self.feature_columns())
    }
    /// Every row with the table columns `columns` as inputs (ignored for images).
    /// # Shapes
    /// result `x: [rows, inputs]`, `y: [rows]` class indices.
    pub fn to_dataset_with(&self, columns: &[usize]) -> Result<Dataset> {
        let rows = self.rows();
        let (x, width) = match &self.body {
            PackedBody::Images(img) => {
                let scale = 1.0 / f32::from(img.pixel_max);
                let x = img.pixels.iter().map(|&p| f32::from(p) * scale).collect();
                (x, img.height * img.width)
            }
            PackedBody::Table(cols) => {
                let picked = columns
                    .iter()
                    .map(|&i| {
                        cols.get(i).ok_or(EngineError::OutOfRange {
                            what: "packed dataset column",
                            index: i,
                            limit: cols.len(),
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                if picked.is_empty() {
                    return Err(EngineError::InvalidConfig("no input columns picked".into()));
                }
                let mut x = Vec::new();
                for row in 0..rows {
                    for col in &picked {
                        col.push_inputs(row, &mut x);
                    }
                }
                let width = x.len() / rows.max(1);
                (x, width)
            }
        };
        let y = self.labels.iter().map(|&l| f32::from(l)).collect();
        Dataset::new(Tensor::new(x, &[rows, width])?, y, self.classes.len())
    }
    /// Train, validation and test parts of `data`, which is this file's rows in its order (from
    /// [`Self::to_dataset`] or [`Self::to_dataset_with`], any inputs), respecting that order:
    /// - an official split keeps its test rows as the test part;
    /// - otherwise a time-ordered table's test part is its latest `test_pct` % of rows;
    /// - otherwise a seeded shuffle splits it as [`Dataset::split`] does.
    ///
    /// The validation part is the latest `val_pct` % of the training rows for time-ordered data
    /// (the model is checked on the days just before the test days, never trained on a day
    /// after one it is checked on), and a seeded share of them otherwise.
    pub fn splits(&self, data: &Dataset, val_pct: f32, test_pct: f32, seed: u64) -> Result<Splits> {
        if data.len() != self.rows() {
            return Err(EngineError::InvalidConfig(format!(
                "{} rows for a packed dataset of {}",
                data.len(),
                self.rows()
            )));
        }
        if !(0.0..100.0).contains(&val_pct) || !(0.0..100.0).contains(&test_pct) {
            return Err(EngineError::InvalidConfig(
                "split percentages must be in [0, 100)".into(),
            ));
        }
        let timed = self.time_column().is_some();
        let n = self.rows();
        let n_train_all = match self.train_rows {
            Some(t) => t,
            None if timed => n - (n as f32 * test_pct / 100.0).round() as usize,
            None => return data.split(val_pct, test_pct, seed),
        };
        let mut train: Vec<usize> = (0..n_train_all).collect();
        if !timed {
            Rng::new(seed).shuffle(&mut train);
        }
        let n_val = (n_train_all as f32 * val_pct / 100.0).round() as usize;
        let (fit, val) = train.split_at(n_train_all - n_val);
        let test: Vec<usize> = (n_train_all..n).collect();
        Ok(Splits {
            train: data.subset(fit)?,
            val: data.subset(val)?,
            test: data.subset(&test)?,
        })
    }
}
