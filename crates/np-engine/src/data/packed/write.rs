//! The writer: the exact bytes `scripts/make-datasets.py` writes for the same dataset.

use super::{
    ColumnRole, ColumnValues, PackedBody, PackedColumn, PackedDataset, PackedError, PackedResult,
    Quantization, FIXED_HEADER, MAGIC, MAX_COLUMNS, MAX_SIDE, NO_COLUMN, VERSION,
};

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
