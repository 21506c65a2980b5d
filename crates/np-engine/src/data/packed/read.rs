//! The reader: any bytes in, a [`PackedDataset`] or the first thing wrong and its byte out.

use super::{
    ColumnRole, ColumnValues, PackedBody, PackedColumn, PackedDataset, PackedError, PackedImages,
    PackedResult, Quantization, FIXED_HEADER, MAGIC, MAX_COLUMNS, MAX_SIDE, NO_COLUMN, VERSION,
};

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
