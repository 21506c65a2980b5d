//! The shipped datasets' file format (NPDS): u8 pixels for images, u8/u16 quantized columns for
//! tables, with a small header; its reader, its writer and the way into a [`Dataset`].
//!
//! The layout, byte for byte, is in `assets/data/README.md`; `scripts/make-datasets.py` writes
//! the same bytes as [`write_packed`]. The reader takes any bytes and never panics: it checks
//! every count against the bytes that are left before it allocates, and refuses anything the
//! writer would not have written (so an accepted file writes back to exactly its own bytes),
//! naming what is wrong and the byte where it is.

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

fn invalid(what: impl Into<String>, at: usize, why: impl Into<String>) -> PackedError {
    PackedError::Invalid {
        what: what.into(),
        at,
        why: why.into(),
    }
}

/// Reads a packed file. Never panics; any error says what is wrong and at which byte.
pub fn read_packed(bytes: &[u8]) -> PackedResult<PackedDataset> {
    if bytes.get(..4) != Some(&MAGIC[..]) {
        return Err(PackedError::BadMagic {
            found: bytes.iter().take(4).copied().collect(),
        });
    }
    let mut c = Cursor { bytes, at: 4 };
    let version = c.u16("the format version")?;
    if version != VERSION {
        return Err(PackedError::UnsupportedVersion { found: version });
    }
    let kind_at = c.at;
    let kind = c.u8("the kind")?;
    let flags_at = c.at;
    if c.u8("the flags")? != 0 {
        return Err(invalid("flags", flags_at, "must be 0 in version 1"));
    }
    let rows_at = c.at;
    let rows = c.u32("the row count")? as usize;
    if rows == 0 {
        return Err(invalid(
            "row count",
            rows_at,
            "a dataset needs at least one row",
        ));
    }
    let meta_len = c.u32("the metadata length")? as usize;
    let declared = FIXED_HEADER.saturating_add(meta_len);

    let name = c.str("the name")?;
    let source = c.str("the source")?;
    let classes_at = c.at;
    let class_count = c.u16("the class count")? as usize;
    if !(2..=256).contains(&class_count) {
        return Err(invalid(
            "class count",
            classes_at,
            format!("{class_count}, not 2..=256"),
        ));
    }
    let classes = (0..class_count)
        .map(|i| c.str(&format!("class {i}'s name")))
        .collect::<PackedResult<Vec<_>>>()?;
    let split_at = c.at;
    let split = c.u32("the official split")? as usize;
    if split >= rows {
        return Err(invalid(
            "official split",
            split_at,
            format!("{split} training rows of {rows} leave no test rows (0 means no split)"),
        ));
    }
    let group_at = c.at;
    let group = c.u16("the group column")?;
    let (body_meta, columns) = match kind {
        1 => {
            if group != NO_COLUMN {
                return Err(invalid("group column", group_at, "images have no columns"));
            }
            let h_at = c.at;
            let height = c.u16("the image height")?;
            let width = c.u16("the image width")?;
            if !(1..=MAX_SIDE).contains(&height) || !(1..=MAX_SIDE).contains(&width) {
                return Err(invalid(
                    "image size",
                    h_at,
                    format!("{height} x {width}; each side must be 1..={MAX_SIDE}"),
                ));
            }
            let max_at = c.at;
            let pixel_max = c.u8("the pixel maximum")?;
            if pixel_max == 0 {
                return Err(invalid("pixel maximum", max_at, "must be at least 1"));
            }
            (
                Some((height as usize, width as usize, pixel_max)),
                Vec::new(),
            )
        }
        2 => {
            let count_at = c.at;
            let count = c.u16("the column count")?;
            if !(1..=MAX_COLUMNS).contains(&count) {
                return Err(invalid(
                    "column count",
                    count_at,
                    format!("{count}, not 1..={MAX_COLUMNS}"),
                ));
            }
            let columns = (0..count as usize)
                .map(|i| c.column_meta(i))
                .collect::<PackedResult<Vec<_>>>()?;
            if group != NO_COLUMN && group >= count {
                return Err(invalid(
                    "group column",
                    group_at,
                    format!("{group}, but there are {count} columns"),
                ));
            }
            if let Some(g) = columns.get(group as usize) {
                if !matches!(g.store, Store::Category(_)) {
                    return Err(invalid(
                        "group column",
                        group_at,
                        format!("column {:?} is not categorical", g.name),
                    ));
                }
            }
            if columns
                .iter()
                .filter(|m| m.role == ColumnRole::Time)
                .count()
                > 1
            {
                return Err(invalid(
                    "column roles",
                    count_at,
                    "more than one time column",
                ));
            }
            (None, columns)
        }
        other => {
            return Err(invalid(
                "kind",
                kind_at,
                format!("{other}; 1 is images, 2 is a table"),
            ))
        }
    };
    if c.at != declared {
        return Err(PackedError::MetadataLength {
            declared,
            ended: c.at,
        });
    }

    let body = match body_meta {
        Some((height, width, pixel_max)) => {
            let count = rows
                .checked_mul(height)
                .and_then(|n| n.checked_mul(width))
                .ok_or_else(|| {
                    invalid("image size", declared, "rows x height x width overflows")
                })?;
            let start = c.at;
            let pixels = c.take(count, "the pixels")?;
            if let Some(i) = pixels.iter().position(|&p| p > pixel_max) {
                return Err(invalid(
                    "pixel",
                    start + i,
                    format!("{} is above the pixel maximum {pixel_max}", pixels[i]),
                ));
            }
            PackedBody::Images(PackedImages {
                height,
                width,
                pixel_max,
                pixels: pixels.to_vec(),
            })
        }
        None => PackedBody::Table(
            columns
                .into_iter()
                .map(|m| c.column_values(m, rows))
                .collect::<PackedResult<Vec<_>>>()?,
        ),
    };
    let labels_at = c.at;
    let labels = c.take(rows, "the labels")?.to_vec();
    if let Some(row) = labels.iter().position(|&l| l as usize >= class_count) {
        return Err(invalid(
            "label",
            labels_at + row,
            format!(
                "row {row}'s label is {}, but there are {class_count} classes",
                labels[row]
            ),
        ));
    }
    if c.at != bytes.len() {
        return Err(PackedError::TrailingBytes {
            at: c.at,
            extra: bytes.len() - c.at,
        });
    }
    Ok(PackedDataset {
        name,
        source,
        classes,
        labels,
        train_rows: (split > 0).then_some(split),
        group_column: (group != NO_COLUMN).then_some(group as usize),
        body,
    })
}

/// A column's metadata, before its values are read.
struct ColumnMeta {
    name: String,
    role: ColumnRole,
    store: Store,
    at: usize,
}

enum Store {
    U8(Quantization),
    U16(Quantization),
    Category(Vec<String>),
}

/// A reading position; every read checks the bytes left first.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, need: usize, what: &str) -> PackedResult<&'a [u8]> {
        let left = self.bytes.len().saturating_sub(self.at);
        if need > left {
            return Err(PackedError::Truncated {
                what: what.to_string(),
                at: self.at,
                need,
                left,
            });
        }
        let slice = &self.bytes[self.at..self.at + need];
        self.at += need;
        Ok(slice)
    }
    fn array<const N: usize>(&mut self, what: &str) -> PackedResult<[u8; N]> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }
    fn u8(&mut self, what: &str) -> PackedResult<u8> {
        Ok(self.array::<1>(what)?[0])
    }
    fn u16(&mut self, what: &str) -> PackedResult<u16> {
        self.array(what).map(u16::from_le_bytes)
    }
    fn u32(&mut self, what: &str) -> PackedResult<u32> {
        self.array(what).map(u32::from_le_bytes)
    }
    fn f64(&mut self, what: &str) -> PackedResult<f64> {
        self.array(what).map(f64::from_le_bytes)
    }
    /// A u16 byte length, then that many bytes of UTF-8.
    fn str(&mut self, what: &str) -> PackedResult<String> {
        let len = self.u16(what)? as usize;
        let at = self.at;
        let raw = self.take(len, what)?;
        String::from_utf8(raw.to_vec())
            .map_err(|e| invalid(what, at + e.utf8_error().valid_up_to(), "not UTF-8"))
    }
    fn column_meta(&mut self, index: usize) -> PackedResult<ColumnMeta> {
        let at = self.at;
        let name = self.str(&format!("column {index}'s name"))?;
        let what = |field: &str| format!("column {name:?}'s {field}");
        let store_at = self.at;
        let store = self.u8(&what("storage"))?;
        let role_at = self.at;
        let role = match self.u8(&what("role"))? {
            0 => ColumnRole::Feature,
            1 => ColumnRole::Time,
            2 => ColumnRole::Info,
            other => {
                return Err(invalid(
                    what("role"),
                    role_at,
                    format!("{other}; 0 feature, 1 time, 2 info"),
                ))
            }
        };
        let store = match store {
            1 | 2 => {
                let q_at = self.at;
                let quant = Quantization {
                    scale: self.f64(&what("scale"))?,
                    offset: self.f64(&what("offset"))?,
                    max_error: self.f64(&what("maximum error"))?,
                };
                quant
                    .check()
                    .map_err(|why| invalid(what("quantization"), q_at, why))?;
                if store == 1 {
                    Store::U8(quant)
                } else {
                    Store::U16(quant)
                }
            }
            3 => {
                let count_at = self.at;
                let count = self.u16(&what("category count"))? as usize;
                if !(1..=256).contains(&count) {
                    return Err(invalid(
                        what("category count"),
                        count_at,
                        format!("{count}, not 1..=256"),
                    ));
                }
                Store::Category(
                    (0..count)
                        .map(|i| self.str(&what(&format!("category {i}"))))
                        .collect::<PackedResult<Vec<_>>>()?,
                )
            }
            other => {
                return Err(invalid(
                    what("storage"),
                    store_at,
                    format!("{other}; 1 u8, 2 u16, 3 category"),
                ))
            }
        };
        Ok(ColumnMeta {
            name,
            role,
            store,
            at,
        })
    }
    fn column_values(&mut self, meta: ColumnMeta, rows: usize) -> PackedResult<PackedColumn> {
        let what = format!("column {:?}'s values", meta.name);
        let values = match meta.store {
            Store::U8(quant) => ColumnValues::U8 {
                codes: self.take(rows, &what)?.to_vec(),
                quant,
            },
            Store::U16(quant) => {
                let need = rows
                    .checked_mul(2)
                    .ok_or_else(|| invalid(&what, self.at, "too many rows"))?;
                let raw = self.take(need, &what)?;
                ColumnValues::U16 {
                    codes: raw
                        .chunks_exact(2)
                        .map(|b| u16::from_le_bytes([b[0], b[1]]))
                        .collect(),
                    quant,
                }
            }
            Store::Category(categories) => {
                let start = self.at;
                let codes = self.take(rows, &what)?.to_vec();
                if let Some(row) = codes.iter().position(|&v| v as usize >= categories.len()) {
                    return Err(invalid(
                        what,
                        start + row,
                        format!(
                            "row {row} is category {}, but the column (metadata at byte {}) has {}",
                            codes[row],
                            meta.at,
                            categories.len()
                        ),
                    ));
                }
                ColumnValues::Category { codes, categories }
            }
        };
        Ok(PackedColumn {
            name: meta.name,
            role: meta.role,
            values,
        })
    }
}

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
    /// Train, validation and test parts, respecting the data's own order:
    /// - an official split keeps its test rows as the test part;
    /// - otherwise a time-ordered table's test part is its latest `test_pct` % of rows;
    /// - otherwise a seeded shuffle splits it as [`Dataset::split`] does.
    ///
    /// The validation part is the latest `val_pct` % of the training rows for time-ordered data
    /// (never rows from before the training rows' end), and a seeded share of them otherwise.
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

/// The packed bytes of `data`; [`read_packed`] of them gives `data` back.
pub fn write_packed(data: &PackedDataset) -> PackedResult<Vec<u8>> {
    let rows = data.rows();
    let fail = |why: String| Err(PackedError::Unwritable(why));
    if rows == 0 || u32::try_from(rows).is_err() {
        return fail(format!("{rows} rows"));
    }
    if !(2..=256).contains(&data.classes.len()) {
        return fail(format!("{} classes, not 2..=256", data.classes.len()));
    }
    if let Some(&bad) = data
        .labels
        .iter()
        .find(|&&l| l as usize >= data.classes.len())
    {
        return fail(format!("label {bad} for {} classes", data.classes.len()));
    }
    let split = data.train_rows.unwrap_or(0);
    if split >= rows || data.train_rows == Some(0) {
        return fail(format!(
            "an official split of {split} training rows of {rows}"
        ));
    }
    let mut meta = Vec::new();
    put_str(&mut meta, &data.name)?;
    put_str(&mut meta, &data.source)?;
    meta.extend((data.classes.len() as u16).to_le_bytes());
    for c in &data.classes {
        put_str(&mut meta, c)?;
    }
    meta.extend((split as u32).to_le_bytes());
    let group = match data.group_column {
        None => NO_COLUMN,
        Some(g) => match data.columns().get(g) {
            Some(PackedColumn {
                values: ColumnValues::Category { .. },
                ..
            }) => g as u16,
            _ => return fail(format!("group column {g} is not a categorical column")),
        },
    };
    meta.extend(group.to_le_bytes());
    let mut payload = Vec::new();
    let kind: u8 = match &data.body {
        PackedBody::Images(img) => {
            let sides = 1..=usize::from(MAX_SIDE);
            if !sides.contains(&img.height) || !sides.contains(&img.width) || img.pixel_max == 0 {
                return fail(format!(
                    "images of {} x {} with pixel maximum {}",
                    img.height, img.width, img.pixel_max
                ));
            }
            if img.pixels.len() != rows * img.height * img.width
                || img.pixels.iter().any(|&p| p > img.pixel_max)
            {
                return fail("pixels that do not fit the rows, the size or the maximum".into());
            }
            meta.extend((img.height as u16).to_le_bytes());
            meta.extend((img.width as u16).to_le_bytes());
            meta.push(img.pixel_max);
            payload.extend_from_slice(&img.pixels);
            1
        }
        PackedBody::Table(columns) => {
            if columns.is_empty() || columns.len() > usize::from(MAX_COLUMNS) {
                return fail(format!("{} columns", columns.len()));
            }
            if columns
                .iter()
                .filter(|c| c.role == ColumnRole::Time)
                .count()
                > 1
            {
                return fail("more than one time column".into());
            }
            meta.extend((columns.len() as u16).to_le_bytes());
            for col in columns {
                if col.len() != rows {
                    return fail(format!(
                        "column {:?} has {} values for {rows} rows",
                        col.name,
                        col.len()
                    ));
                }
                put_str(&mut meta, &col.name)?;
                let store = match col.values {
                    ColumnValues::U8 { .. } => 1,
                    ColumnValues::U16 { .. } => 2,
                    ColumnValues::Category { .. } => 3,
                };
                let role = match col.role {
                    ColumnRole::Feature => 0,
                    ColumnRole::Time => 1,
                    ColumnRole::Info => 2,
                };
                meta.extend([store, role]);
                match &col.values {
                    ColumnValues::U8 { codes, quant } => {
                        put_quant(&mut meta, quant)?;
                        payload.extend_from_slice(codes);
                    }
                    ColumnValues::U16 { codes, quant } => {
                        put_quant(&mut meta, quant)?;
                        payload.extend(codes.iter().flat_map(|q| q.to_le_bytes()));
                    }
                    ColumnValues::Category { codes, categories } => {
                        if !(1..=256).contains(&categories.len())
                            || codes.iter().any(|&q| q as usize >= categories.len())
                        {
                            return fail(format!(
                                "column {:?}'s categories do not fit its codes",
                                col.name
                            ));
                        }
                        meta.extend((categories.len() as u16).to_le_bytes());
                        for c in categories {
                            put_str(&mut meta, c)?;
                        }
                        payload.extend_from_slice(codes);
                    }
                }
            }
            2
        }
    };
    payload.extend_from_slice(&data.labels);
    let meta_len = u32::try_from(meta.len())
        .map_err(|_| PackedError::Unwritable("metadata over 4 GiB".into()))?;
    let mut out = Vec::with_capacity(FIXED_HEADER + meta.len() + payload.len());
    out.extend(MAGIC);
    out.extend(VERSION.to_le_bytes());
    out.extend([kind, 0]);
    out.extend((rows as u32).to_le_bytes());
    out.extend(meta_len.to_le_bytes());
    out.extend(meta);
    out.extend(payload);
    Ok(out)
}

fn put_str(out: &mut Vec<u8>, text: &str) -> PackedResult<()> {
    let len = u16::try_from(text.len()).map_err(|_| {
        PackedError::Unwritable(format!("a name of {} bytes (at most 65,535)", text.len()))
    })?;
    out.extend(len.to_le_bytes());
    out.extend_from_slice(text.as_bytes());
    Ok(())
}

fn put_quant(out: &mut Vec<u8>, quant: &Quantization) -> PackedResult<()> {
    quant.check().map_err(PackedError::Unwritable)?;
    out.extend(quant.scale.to_le_bytes());
    out.extend(quant.offset.to_le_bytes());
    out.extend(quant.max_error.to_le_bytes());
    Ok(())
}
