//! The incremental reader: bytes in chunks, a [`Table`] at the end.
//!
//! The worker reads a file in slices (`Blob.slice`) and hands each to [`TableReader::feed`],
//! posting the [`Progress`] it returns between slices, so a 100 MB file never blocks it for
//! long and the page can show how far it is. Parsing is the `csv` crate's own parser,
//! `csv-core`, which takes input pushed in pieces (the `csv` crate proper pulls from an
//! `io::Read`, which a chunk arriving by message is not); quoting, doubled quotes, and CRLF,
//! LF or CR line ends are its work, not ours.

use super::column::Column;
use super::error::{CellAt, TableError};
use super::{
    Preview, ReadOptions, Separator, Table, MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROW_BYTES,
    PREVIEW_ROWS,
};
use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// How much of the file's start the separator is guessed from (or the whole file, if smaller).
const SNIFF_BYTES: usize = 64 * 1024;
/// How many lines of that start the guess looks at.
const SNIFF_LINES: usize = 20;
/// At most this many fields in one row are collected before the row is refused as too long.
const MAX_ROW_FIELDS: usize = 1 << 20;

/// How far reading has come: for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Bytes handed to [`TableReader::feed`] so far.
    pub bytes: u64,
    /// The file's size when the reader was made with [`TableReader::for_file`].
    pub total: Option<u64>,
    /// Data rows read so far (the header not counted).
    pub rows: usize,
}

impl Progress {
    /// The fraction read, 0 to 1, when the total is known.
    pub fn fraction(&self) -> Option<f64> {
        self.total
            .filter(|&t| t > 0)
            .map(|t| (self.bytes as f64 / t as f64).min(1.0))
    }
}

/// Reads a CSV file given in chunks. `feed` each chunk in order, then `finish` for the table.
/// After an error every later call returns that error: nothing half-read is ever returned.
#[derive(Debug)]
pub struct TableReader {
    options: ReadOptions,
    total: Option<u64>,
    bytes: u64,
    /// The file's start, held until the separator is guessed.
    start: Vec<u8>,
    parser: Option<Parser>,
    failed: Option<TableError>,
}

impl TableReader {
    /// A reader for a stream of unknown size.
    pub fn new(options: ReadOptions) -> Self {
        Self {
            options,
            total: None,
            bytes: 0,
            start: Vec::new(),
            parser: None,
            failed: None,
        }
    }

    /// A reader for a file of `size` bytes, refused at once (before any byte is read) when it
    /// is over [`MAX_FILE_BYTES`]: reading would run the page out of memory halfway.
    pub fn for_file(size: u64, options: ReadOptions) -> Result<Self, TableError> {
        check_file_size(size)?;
        Ok(Self {
            total: Some(size),
            ..Self::new(options)
        })
    }

    /// Reads the next chunk of the file.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<Progress, TableError> {
        self.run(|reader| {
            reader.bytes += chunk.len() as u64;
            check_file_size(reader.bytes)?;
            match &mut reader.parser {
                Some(p) => p.parse(chunk, false)?,
                None => {
                    reader.start.extend_from_slice(chunk);
                    if reader.start.len() >= SNIFF_BYTES {
                        reader.begin(false)?;
                    }
                }
            }
            Ok(())
        })?;
        Ok(self.progress())
    }

    /// Where reading stands.
    pub fn progress(&self) -> Progress {
        Progress {
            bytes: self.bytes,
            total: self.total,
            rows: self.parser.as_ref().map_or(0, |p| p.rows),
        }
    }

    /// Ends the file: the table, or the first thing wrong with the file.
    pub fn finish(mut self) -> Result<Table, TableError> {
        self.run(|reader| {
            if reader.parser.is_none() {
                reader.begin(true)?;
            }
            match &mut reader.parser {
                Some(p) => p.parse(&[], true),
                None => Err(TableError::Empty),
            }
        })?;
        self.parser.ok_or(TableError::Empty)?.into_table(self.bytes)
    }

    /// Runs one step unless a step failed before, and remembers its failure.
    fn run(
        &mut self,
        step: impl FnOnce(&mut Self) -> Result<(), TableError>,
    ) -> Result<(), TableError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let result = step(self);
        if let Err(e) = &result {
            self.failed = Some(e.clone());
            self.parser = None;
            self.start = Vec::new();
        }
        result
    }

    /// Guesses the separator from the file's start, then parses what was held back.
    fn begin(&mut self, at_end: bool) -> Result<(), TableError> {
        let start = std::mem::take(&mut self.start);
        let body: &[u8] = if let Some(rest) = start.strip_prefix(b"\xEF\xBB\xBF") {
            rest
        } else if start.starts_with(b"\xFF\xFE") || start.starts_with(b"\xFE\xFF") {
            return Err(TableError::Utf16);
        } else if start.starts_with(b"PK\x03\x04") {
            return Err(TableError::NotText { zip: true });
        } else {
            &start
        };
        // Text never holds a zero byte; UTF-16 without its mark and binary files do. (Only the
        // start is checked: a zero byte later is at worst read into a cell.)
        if body.contains(&0) {
            return Err(TableError::NotText { zip: false });
        }
        let separator = self
            .options
            .separator
            .unwrap_or_else(|| sniff(body, at_end));
        let mut parser = Parser::new(separator);
        parser.parse(body, false)?;
        self.parser = Some(parser);
        Ok(())
    }
}

/// Refuses a file over [`MAX_FILE_BYTES`].
pub fn check_file_size(bytes: u64) -> Result<(), TableError> {
    if bytes > MAX_FILE_BYTES {
        return Err(TableError::FileTooLarge { bytes });
    }
    Ok(())
}

/// The separator whose count per line is the same on most of the first lines (and not zero on
/// the first); ties go to the larger count, then to `,` before `;` before tab. A file whose
/// first line has none of them is one column, read with `,`.
fn sniff(start: &[u8], at_end: bool) -> Separator {
    let mut lines = lines_outside_quotes(start);
    if !at_end && lines.len() > 1 {
        // The last line may be cut off in the middle.
        lines.pop();
    }
    lines.truncate(SNIFF_LINES);
    let mut best = (Separator::Comma, 0usize, 0usize);
    for sep in [Separator::Comma, Separator::Semicolon, Separator::Tab] {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| l.iter().filter(|&&b| b == sep.byte()).count())
            .collect();
        let Some(&header) = counts.first().filter(|&&c| c > 0) else {
            continue;
        };
        let agreeing = counts.iter().filter(|&&c| c == header).count();
        if (agreeing, header) > (best.1, best.2) {
            best = (sep, agreeing, header);
        }
    }
    best.0
}

/// The file's lines with the bytes inside double quotes left out (a quoted `;` is no
/// separator) and the line ends inside quotes not ending a line; blank lines skipped.
fn lines_outside_quotes(text: &[u8]) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    let mut line = Vec::new();
    let mut quoted = false;
    for &b in text {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted && !line.is_empty() => {
                lines.push(std::mem::take(&mut line));
            }
            b'\n' | b'\r' if !quoted => {}
            _ if !quoted => line.push(b),
            _ => {}
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The parser's state between chunks, and the columns it fills.
#[derive(Debug)]
struct Parser {
    core: Reader,
    separator: Separator,
    /// The current row's unescaped field bytes and their end positions.
    out: Vec<u8>,
    out_len: usize,
    ends: Vec<usize>,
    ends_len: usize,
    /// Lines seen so far (1-based: the line the parser is on).
    line: u32,
    /// The line the current row started on, and whether it has started (line ends between
    /// rows are skipped by the parser; a row starts at its first other byte).
    row_line: u32,
    row_started: bool,
    header_line: u32,
    columns: Option<Vec<Column>>,
    lines: Vec<u32>,
    rows: usize,
    preview: Preview,
}

impl Parser {
    fn new(separator: Separator) -> Self {
        Self {
            core: ReaderBuilder::new().delimiter(separator.byte()).build(),
            separator,
            out: vec![0; 4096],
            out_len: 0,
            ends: vec![0; 64],
            ends_len: 0,
            line: 1,
            row_line: 1,
            row_started: false,
            header_line: 1,
            columns: None,
            lines: Vec::new(),
            rows: 0,
            preview: Preview::default(),
        }
    }

    /// Parses `input`; at the end, also the last row when the file does not end in a newline.
    fn parse(&mut self, input: &[u8], at_end: bool) -> Result<(), TableError> {
        let mut pos = 0;
        loop {
            let (result, n_in, n_out, n_ends) = self.core.read_record(
                &input[pos..],
                &mut self.out[self.out_len..],
                &mut self.ends[self.ends_len..],
            );
            self.count_lines(&input[pos..pos + n_in]);
            pos += n_in;
            self.out_len += n_out;
            self.ends_len += n_ends;
            match result {
                // All input taken; at the end the parser is called on no input until it has
                // given the last row and says End (never InputEmpty then, but no loop if so).
                ReadRecordResult::InputEmpty => {
                    if !at_end || n_in == 0 {
                        return Ok(());
                    }
                }
                ReadRecordResult::OutputFull => {
                    if self.out.len() >= MAX_ROW_BYTES {
                        return Err(TableError::RowTooLong {
                            line: self.row_line,
                        });
                    }
                    let grown = (self.out.len() * 2).min(MAX_ROW_BYTES);
                    self.out.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    if self.ends.len() >= MAX_ROW_FIELDS {
                        return Err(TableError::RowTooLong {
                            line: self.row_line,
                        });
                    }
                    let grown = self.ends.len() * 2;
                    self.ends.resize(grown, 0);
                }
                ReadRecordResult::Record => {
                    self.row()?;
                    self.out_len = 0;
                    self.ends_len = 0;
                    self.row_started = false;
                }
                ReadRecordResult::End => return Ok(()),
            }
        }
    }

    /// Counts the newlines the parser consumed, and notes the line a row starts on.
    fn count_lines(&mut self, consumed: &[u8]) {
        let mut rest = consumed;
        if !self.row_started {
            match rest.iter().position(|&b| b != b'\n' && b != b'\r') {
                Some(k) => {
                    self.line += newlines(&rest[..k]);
                    self.row_line = self.line;
                    self.row_started = true;
                    rest = &rest[k..];
                }
                None => {
                    self.line += newlines(rest);
                    return;
                }
            }
        }
        self.line += newlines(rest);
    }

    /// One complete row: the header, or a data row.
    fn row(&mut self) -> Result<(), TableError> {
        let line = self.row_line;
        let n = self.ends_len;
        let Some(columns) = &mut self.columns else {
            return self.header(line);
        };
        let out = &self.out[..self.out_len];
        let field = |i: usize| -> &[u8] {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            &out[start..self.ends[i]]
        };
        if n != columns.len() {
            // A line of spaces between rows is no row (there is no row of one field in a
            // table of several columns to read it as).
            if n == 1 && field(0).iter().all(|b| b.is_ascii_whitespace()) {
                return Ok(());
            }
            return Err(TableError::Ragged {
                line,
                fields: n,
                header: columns.len(),
                header_line: self.header_line,
                separator: self.separator.shown(),
            });
        }
        let decimal_comma = self.separator != Separator::Comma;
        let keep_preview = self.preview.rows.len() < PREVIEW_ROWS;
        let mut preview_row = Vec::new();
        for (i, column) in columns.iter_mut().enumerate() {
            let text = std::str::from_utf8(field(i)).map_err(|_| TableError::NotUtf8 {
                at: CellAt {
                    line,
                    column: i + 1,
                    name: column.name().to_string(),
                },
            })?;
            let cell = text.trim();
            column.push(cell, line, decimal_comma);
            if keep_preview {
                preview_row.push(cell.to_string());
            }
        }
        if keep_preview {
            self.preview.rows.push(preview_row);
        }
        self.lines.push(line);
        self.rows += 1;
        Ok(())
    }

    fn header(&mut self, line: u32) -> Result<(), TableError> {
        let n = self.ends_len;
        if n == 1
            && self.out[..self.ends[0]]
                .iter()
                .all(|b| b.is_ascii_whitespace())
        {
            // A line of spaces before the header is no header.
            return Ok(());
        }
        if n > MAX_COLUMNS {
            return Err(TableError::TooManyColumns { columns: n });
        }
        let mut names = Vec::with_capacity(n);
        for i in 0..n {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            let text = std::str::from_utf8(&self.out[start..self.ends[i]]).map_err(|_| {
                TableError::NotUtf8 {
                    at: CellAt {
                        line,
                        column: i + 1,
                        name: String::new(),
                    },
                }
            })?;
            // A second byte-order mark (a file saved twice with one) is no part of the name.
            let text = if i == 0 {
                text.trim_start_matches('\u{feff}')
            } else {
                text
            };
            names.push(text.trim().to_string());
        }
        let names = unique_names(names);
        self.preview.header = names.clone();
        self.columns = Some(
            names
                .into_iter()
                .enumerate()
                .map(|(i, name)| Column::new(name, i + 1))
                .collect(),
        );
        self.header_line = line;
        Ok(())
    }

    fn into_table(self, bytes: u64) -> Result<Table, TableError> {
        let Some(mut columns) = self.columns else {
            return Err(TableError::Empty);
        };
        if self.rows == 0 {
            return Err(TableError::HeaderOnly {
                columns: columns.len(),
            });
        }
        for c in &mut columns {
            c.finish();
        }
        Ok(Table {
            columns,
            lines: self.lines,
            rows: self.rows,
            separator: self.separator,
            preview: self.preview,
            header_line: self.header_line,
            bytes,
        })
    }
}

fn newlines(bytes: &[u8]) -> u32 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u32
}

/// Header names made unique and non-empty: an empty name becomes `column 3` (its position), a
/// repeated one gets ` (2)`, ` (3)`... avoiding every name the header already has. Names are
/// how a [`super::TabularSpec`] picks columns, so two columns may not share one.
fn unique_names(names: Vec<String>) -> Vec<String> {
    use std::collections::HashSet;
    let original: HashSet<String> = names.iter().cloned().collect();
    let mut taken = HashSet::new();
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let base = if name.is_empty() {
                format!("column {}", i + 1)
            } else {
                name
            };
            let mut unique = base.clone();
            let mut k = 2;
            while taken.contains(&unique) || (unique != base && original.contains(&unique)) {
                unique = format!("{base} ({k})");
                k += 1;
            }
            taken.insert(unique.clone());
            unique
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_separator_of_the_first_lines() {
        assert_eq!(sniff(b"a;b;c\n1,5;2;3\n", true), Separator::Semicolon);
        assert_eq!(sniff(b"a\tb\n1\t2\n", true), Separator::Tab);
        assert_eq!(sniff(b"a,b\n\"x;y\",2\n", true), Separator::Comma);
        assert_eq!(sniff(b"just one column\n1\n", true), Separator::Comma);
    }

    #[test]
    fn names_made_unique() {
        let names = unique_names(vec!["x".into(), "".into(), "x".into(), "x (2)".into()]);
        assert_eq!(names, ["x", "column 2", "x (3)", "x (2)"]);
        assert_eq!(unique_names(names.clone()), names);
    }
}
