//! How chosen columns become network inputs, fixed by the training split: what
//! [`super::TabularSpec::build`] applied to every split, kept so that a new row (typed in, or
//! from another file) is encoded exactly as the training rows were.

use super::cells::{is_missing, parse_date, parse_number};
use super::error::TableError;
use serde::{Deserialize, Serialize};

/// One input column's encoding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum InputEncoding {
    /// One input, `(value - mean) / std` with the training split's mean and standard deviation
    /// (`std` is 1 for a column constant in training, whose input is then 0 there).
    Numeric { column: String, mean: f32, std: f32 },
    /// One input, the days since 1970-01-01 standardized as a number is.
    Date { column: String, mean: f32, std: f32 },
    /// One input per category seen in the training split (sorted), 1 for the row's category.
    /// A value training never saw (in validation, test or a new row) is all zeros: the network
    /// has learned nothing about it, and zeros add nothing to the first layer's sums.
    OneHot {
        column: String,
        categories: Vec<String>,
    },
}

impl InputEncoding {
    pub fn column(&self) -> &str {
        match self {
            InputEncoding::Numeric { column, .. }
            | InputEncoding::Date { column, .. }
            | InputEncoding::OneHot { column, .. } => column,
        }
    }
    /// How many inputs it makes.
    pub fn width(&self) -> usize {
        match self {
            InputEncoding::OneHot { categories, .. } => categories.len(),
            _ => 1,
        }
    }
}

/// The encodings of all input columns, in the order of [`super::TabularSpec::features`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TabularEncoding {
    pub columns: Vec<InputEncoding>,
    /// Numbers may have a decimal comma (the file was separated by `;` or tabs).
    pub decimal_comma: bool,
}

impl TabularEncoding {
    /// Network inputs in all.
    pub fn width(&self) -> usize {
        self.columns.iter().map(InputEncoding::width).sum()
    }

    /// One name per input, for the diagram's list: the column's name for a number or a date,
    /// `column=value` for each category.
    pub fn input_names(&self) -> Vec<String> {
        let mut names = Vec::with_capacity(self.width());
        for c in &self.columns {
            match c {
                InputEncoding::OneHot { column, categories } => {
                    names.extend(categories.iter().map(|v| format!("{column}={v}")));
                }
                _ => names.push(c.column().to_string()),
            }
        }
        names
    }

    /// One `(mean, std)` per input: an input is `(value - mean) / std`. One-hot inputs are
    /// `(0, 1)`, taken as they are.
    pub fn scales(&self) -> Vec<(f32, f32)> {
        let mut scales = Vec::with_capacity(self.width());
        for c in &self.columns {
            match c {
                InputEncoding::Numeric { mean, std, .. }
                | InputEncoding::Date { mean, std, .. } => {
                    scales.push((*mean, *std));
                }
                InputEncoding::OneHot { categories, .. } => {
                    scales.extend(std::iter::repeat_n((0.0, 1.0), categories.len()));
                }
            }
        }
        scales
    }

    /// A new row's inputs from its cells' text, one cell per input column in order.
    /// # Shapes
    /// `cells: [columns]` -> `[width]`.
    pub fn encode(&self, cells: &[&str]) -> Result<Vec<f32>, TableError> {
        if cells.len() != self.columns.len() {
            return Err(TableError::BadChoice(format!(
                "{} cells for {} input columns: give one cell per input column",
                cells.len(),
                self.columns.len()
            )));
        }
        let mut out = Vec::with_capacity(self.width());
        for (c, cell) in self.columns.iter().zip(cells) {
            let cell = cell.trim();
            if is_missing(cell) {
                return Err(TableError::BadChoice(format!(
                    "the cell for `{}` is empty: every input needs a value",
                    c.column()
                )));
            }
            match c {
                InputEncoding::Numeric { column, mean, std } => {
                    let x = parse_number(cell, self.decimal_comma).ok_or_else(|| {
                        TableError::BadChoice(format!("`{cell}` for `{column}` is not a number"))
                    })?;
                    out.push((x - mean) / std);
                }
                InputEncoding::Date { column, mean, std } => {
                    let d = parse_date(cell).ok_or_else(|| {
                        TableError::BadChoice(format!("`{cell}` for `{column}` is not a date"))
                    })?;
                    out.push(((d - f64::from(*mean)) / f64::from(*std)) as f32);
                }
                InputEncoding::OneHot { categories, .. } => {
                    out.extend(
                        categories
                            .iter()
                            .map(|v| f32::from(u8::from(v.as_str() == cell))),
                    );
                }
            }
        }
        Ok(out)
    }
}
