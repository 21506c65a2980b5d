//! Reading CSV files into tables: what is read, the guessed column types with their evidence,
//! and every refusal with its exact words (the page shows them as they are).

use np_engine::data::table::{
    read_table, ColumnKind, ReadOptions, Separator, Table, TableError, TableReader, MAX_COLUMNS,
};

fn read(text: &str) -> Result<Table, TableError> {
    read_table(text.as_bytes(), ReadOptions::default())
}

fn message(text: &[u8]) -> String {
    match read_table(text, ReadOptions::default()) {
        Ok(_) => panic!("accepted {:?}", String::from_utf8_lossy(text)),
        Err(e) => e.to_string(),
    }
}

#[test]
fn reads_bom_semicolons_quotes_crlf_and_decimal_commas() {
    let t = read("\u{feff}name;score;when\r\n\"Smith; J.\";1,5;2024-01-02\r\n\"say \"\"hi\"\"\";-2;2024/01/03 10:30\r\n").unwrap();
    assert_eq!(t.separator(), Separator::Semicolon);
    assert_eq!(t.rows(), 2);
    let names: Vec<&str> = t.columns().iter().map(|c| c.name()).collect();
    assert_eq!(names, ["name", "score", "when"]);
    assert_eq!(t.column("score").unwrap().numbers().unwrap(), [1.5, -2.0]);
    assert_eq!(t.preview().rows[0][0], "Smith; J.");
    assert_eq!(t.preview().rows[1][0], "say \"hi\"");
    let when = t.column("when").unwrap();
    assert_eq!(when.guess().kind, ColumnKind::Date);
    assert_eq!(
        when.dates().unwrap()[1] - when.dates().unwrap()[0],
        1.0 + 10.5 / 24.0
    );
    assert_eq!(t.line_of(1), 3);
}

#[test]
fn tabs_overridden_separator_quoted_newlines_and_line_numbers() {
    let t = read("a\tb\n1\t\"two\nlines\"\n\n3\t4\n").unwrap();
    assert_eq!(t.separator(), Separator::Tab);
    assert_eq!((t.line_of(0), t.line_of(1)), (2, 5));
    let forced = read_table(
        b"a;b\n1;2\n",
        ReadOptions {
            separator: Some(Separator::Comma),
        },
    )
    .unwrap();
    assert_eq!(forced.columns().len(), 1);
    assert_eq!(forced.columns()[0].name(), "a;b");
}

#[test]
fn guesses_with_evidence() {
    let mut text = String::from("age,job,when,id,blank\n");
    for i in 0..1200 {
        let age = if i < 2 {
            String::new()
        } else {
            (20 + i % 50).to_string()
        };
        let id = format!("user{i:04}x{}", i * 7919 % 1200);
        text.push_str(&format!(
            "{age},{},2020-01-{:02},{id},\n",
            ["admin", "nurse", "chef"][i % 3],
            1 + i % 28
        ));
    }
    let t = read(&text).unwrap();
    let guess = |name: &str| t.column(name).unwrap().guess().clone();
    assert_eq!(guess("age").kind, ColumnKind::Numeric);
    assert_eq!(
        guess("age").evidence,
        "numeric: 1,198 of 1,200 cells are numbers, 2 empty"
    );
    assert_eq!(
        guess("job").evidence,
        "categorical: 3 different values in all 1,200 cells"
    );
    assert_eq!(guess("when").evidence, "date: all 1,200 cells are dates");
    assert_eq!(guess("id").kind, ColumnKind::Text);
    assert_eq!(
        guess("id").evidence,
        "text: more than 1,000 different values in all 1,200 cells; not usable as an input"
    );
    assert_eq!(guess("blank").evidence, "empty: all 1,200 cells are empty");
    let mostly = read("x\n1\n2\nabc\n4\n").unwrap();
    assert_eq!(
        mostly.columns()[0].guess().evidence,
        "categorical: 4 different values in all 4 cells; 3 are numbers, but line 4 has `abc`"
    );
    assert_eq!(t.preview().rows.len(), 20);
    assert_eq!(t.preview().header, ["age", "job", "when", "id", "blank"]);
}

#[test]
fn the_same_table_whatever_the_chunks() {
    let text = "\u{feff}a;b\r\n\"1\r\n\";2,5\r\n3;4\r\n".as_bytes();
    let whole = read_table(text, ReadOptions::default()).unwrap();
    for size in 1..text.len() {
        let mut reader = TableReader::new(ReadOptions::default());
        for chunk in text.chunks(size) {
            reader.feed(chunk).unwrap();
        }
        assert_eq!(reader.finish().unwrap(), whole, "chunks of {size}");
    }
}

#[test]
fn progress_counts_bytes_and_rows() {
    let mut reader = TableReader::for_file(200_000, ReadOptions::default()).unwrap();
    let row = "1,2,3\n".repeat(20_000);
    reader.feed(b"a,b,c\n").unwrap();
    let p = reader.feed(row.as_bytes()).unwrap();
    assert_eq!(p.bytes, 120_006);
    assert_eq!(p.rows, 20_000);
    assert_eq!(p.fraction(), Some(0.60003));
}

#[test]
fn the_file_size_limit_is_checked_before_reading() {
    let e = TableReader::for_file(2_500_000_000, ReadOptions::default()).unwrap_err();
    assert_eq!(e.to_string(), "the file is 2.5 GB (2,500,000,000 bytes); files over 2 GB are refused before reading: keep fewer rows or columns, or take a sample of the file");
    assert!(TableReader::for_file(2_000_000_000, ReadOptions::default()).is_ok());
}

#[test]
fn empty_and_header_only_files() {
    for text in ["", "\u{feff}", "\n\r\n", "   \n"] {
        assert_eq!(
            message(text.as_bytes()),
            "the file is empty: choose a CSV file with a header row and at least one data row"
        );
    }
    assert_eq!(
        message(b"a,b,c\n"),
        "the file has a header row (3 columns) but no data rows: add rows below the header"
    );
}

#[test]
fn ragged_rows_name_the_line() {
    let text = format!("a,b,c,d,e,f\n{}1,2,3,4,5\n", "1,2,3,4,5,6\n".repeat(15));
    assert_eq!(message(text.as_bytes()), "line 17 has 5 fields, the header (line 1) has 6: put fields that contain the separator `,` in double quotes, and give every row one field per column");
    assert_eq!(message(b"a\tb\n1\t2\t3\n"), "line 2 has 3 fields, the header (line 1) has 2: put fields that contain the separator `tab` in double quotes, and give every row one field per column");
}

#[test]
fn text_that_is_not_utf8() {
    assert_eq!(message(b"name,city\nAnn,Z\xfcrich\n"), "line 2, column 2 (`city`): the text is not UTF-8: save the file as UTF-8 (in a spreadsheet: Save As, CSV UTF-8) and choose it again");
    assert_eq!(message(b"na\xefme,city\n"), "line 1, column 1: the text is not UTF-8: save the file as UTF-8 (in a spreadsheet: Save As, CSV UTF-8) and choose it again");
    assert_eq!(message(b"PK\x03\x04\x14\x00\x06\x00"), "the file is not text but a zip archive (an .xlsx or .ods workbook?): save it as CSV (in a spreadsheet: Save As, CSV UTF-8) and choose that file");
    assert_eq!(message(b"a\x00,\x00b\x00\n\x00"), "the file is not text (it holds zero bytes): save it as CSV (in a spreadsheet: Save As, CSV UTF-8) and choose that file");
    assert_eq!(message(b"\xff\xfea\x00,\x00b\x00"), "the file is UTF-16 text: save it as UTF-8 (in a spreadsheet: Save As, CSV UTF-8) and choose it again");
}

#[test]
fn too_many_columns() {
    let header: Vec<String> = (0..10_000).map(|i| format!("c{i}")).collect();
    let text = format!("{}\n", header.join(","));
    assert_eq!(message(text.as_bytes()), "the header has 10,000 columns; the limit is 4,096 (one network input each): keep fewer columns in the file");
    let fits: Vec<String> = (0..MAX_COLUMNS).map(|i| format!("c{i}")).collect();
    let text = format!("{}\n{}\n", fits.join(","), vec!["1"; MAX_COLUMNS].join(","));
    assert_eq!(read(&text).unwrap().columns().len(), MAX_COLUMNS);
}

#[test]
fn a_quote_left_open_in_a_long_file() {
    let text = format!("a,b\n1,\"2\n{}", "3,4\n".repeat(4_100_000));
    assert_eq!(message(text.as_bytes()), "line 2 starts a row longer than 16 MB: a double quote is probably left open (a field that starts with `\"` runs to the next `\"`, across lines)");
}

#[test]
fn an_error_stays() {
    let mut reader = TableReader::new(ReadOptions::default());
    reader.feed(b"a,b\n1,2\n1\n").unwrap();
    let first = reader.feed(&vec![b'\n'; 70_000]).unwrap_err();
    assert_eq!(reader.feed(b"1,2\n").unwrap_err(), first);
    assert_eq!(reader.finish().unwrap_err(), first);
}
