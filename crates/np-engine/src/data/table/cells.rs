//! What one cell's text means: empty, a number, a date. Pure functions, shared by the reader
//! (which guesses column types from them) and by [`super::TabularEncoding`] (which encodes new
//! rows the same way).

use std::cmp::Ordering;

/// Texts that stand for "no value" in files written by R, pandas, SQL exports and the UCI
/// repository (compared without regard to case), besides the empty cell. A category really
/// named `None` is read as empty too: the price of reading other tools' files as they mean.
const MISSING_MARKERS: [&str; 6] = ["na", "n/a", "nan", "null", "none", "?"];

/// True when a trimmed cell holds no value.
pub fn is_missing(cell: &str) -> bool {
    cell.is_empty()
        || (cell.len() <= 4 && MISSING_MARKERS.iter().any(|m| cell.eq_ignore_ascii_case(m)))
}

/// A trimmed cell as a finite f32, or None. Accepts what Rust's float parser accepts (`12`,
/// `-0.5`, `+3`, `.5`, `5.`, `1e-3`, `2.5E+06`), except infinities and NaN, which no network
/// can train on. With `decimal_comma` (files separated by `;` or tabs, as spreadsheets in many
/// European locales write them) a single `,` is read as the decimal point (`1,5` is 1.5) when
/// the cell has no `.`.
pub fn parse_number(cell: &str, decimal_comma: bool) -> Option<f32> {
    let first = *cell.as_bytes().first()?;
    // Rust parses `inf`, `infinity` and `nan`: only a digit, a sign or a point can start a
    // number here, which also skips the parser for most words.
    if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
        return None;
    }
    let value: f32 = if decimal_comma && cell.contains(',') {
        if cell.contains('.') || cell.matches(',').count() != 1 {
            return None;
        }
        cell.replacen(',', ".", 1).parse().ok()?
    } else {
        cell.parse().ok()?
    };
    value.is_finite().then_some(value)
}

/// The date formats [`parse_date`] reads, for messages and documentation.
pub const DATE_FORMATS: &str =
    "yyyy-mm-dd or yyyy/mm/dd, optionally followed (after a space or `T`) by hh:mm or hh:mm:ss";

/// A trimmed cell as days since 1970-01-01 (the time of day as the fraction), or None.
/// Formats: `yyyy-mm-dd`, `yyyy/mm/dd`, each optionally followed by a space or `T` and `hh:mm`
/// or `hh:mm:ss` (24-hour clock, no time zone). Month and day take two digits and must exist
/// (2023-02-29 is not a date). Days are what a time-ordered split sorts by and what a date
/// input is standardized from.
pub fn parse_date(cell: &str) -> Option<f64> {
    let b = cell.as_bytes();
    if b.len() < 10 || !(b[4] == b'-' || b[4] == b'/') || b[7] != b[4] {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let seconds = match &b[10..] {
        [] => 0,
        [sep, h1, h2, b':', m1, m2, rest @ ..] if *sep == b' ' || *sep == b'T' => {
            let hours = digits(&[*h1, *h2])?;
            let minutes = digits(&[*m1, *m2])?;
            let secs = match rest {
                [] => 0,
                [b':', s1, s2] => digits(&[*s1, *s2])?,
                _ => return None,
            };
            if hours > 23 || minutes > 59 || secs > 59 {
                return None;
            }
            hours * 3600 + minutes * 60 + secs
        }
        _ => return None,
    };
    Some(days_from_civil(year as i64, month, day) as f64 + f64::from(seconds) / 86_400.0)
}

/// Days since 1970-01-01 back to text: `yyyy-mm-dd`, with ` hh:mm:ss` when the day has a time.
/// [`parse_date`] reads it back to the same value.
pub fn format_date(days: f64) -> String {
    let whole = days.floor();
    let seconds = ((days - whole) * 86_400.0).round() as u32;
    let (y, m, d) = civil_from_days(whole as i64);
    if seconds == 0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        let (h, mi, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}")
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Howard Hinnant's days_from_civil: the proleptic Gregorian calendar, exact for every year.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The order classes and one-hot categories are numbered in: by value when every name is a
/// number (so `2` comes before `10`), otherwise by text (byte order, the same on every
/// machine).
pub fn sort_names(names: &mut [&str]) {
    if names.iter().all(|n| parse_number(n, false).is_some()) {
        names.sort_by(|a, b| {
            let (x, y) = (parse_number(a, false), parse_number(b, false));
            x.partial_cmp(&y)
                .unwrap_or(Ordering::Equal)
                .then_with(|| a.cmp(b))
        });
    } else {
        names.sort_unstable();
    }
}

/// `1234567` as `1,234,567`: counts in messages read at a glance.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_their_forms() {
        for (text, want) in [
            ("12", 12.0),
            ("-0.5", -0.5),
            ("+3", 3.0),
            (".5", 0.5),
            ("5.", 5.0),
            ("1e-3", 1e-3),
            ("2.5E+06", 2.5e6),
        ] {
            assert_eq!(parse_number(text, false), Some(want), "{text}");
        }
        for text in ["abc", "inf", "NaN", "1e50", "1,5", "1.2.3", "", "-", "0x10"] {
            assert_eq!(parse_number(text, false), None, "{text}");
        }
        assert_eq!(parse_number("1,5", true), Some(1.5));
        assert_eq!(parse_number("1,5.0", true), None);
        assert_eq!(parse_number("1,000,5", true), None);
    }

    #[test]
    fn dates_in_their_formats_and_back() {
        assert_eq!(parse_date("1970-01-01"), Some(0.0));
        assert_eq!(parse_date("1970/01/02"), Some(1.0));
        assert_eq!(parse_date("2000-03-01"), Some(11_017.0));
        assert_eq!(parse_date("1970-01-01 12:00"), Some(0.5));
        assert_eq!(parse_date("1970-01-01T06:00:00"), Some(0.25));
        for text in [
            "2023-02-29",
            "2023-13-01",
            "2023-1-05",
            "2023-01-05 24:00",
            "2023-01/05",
            "2023-01-05 10:00:5",
            "20230105",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
        for text in [
            "1969-12-31",
            "2024-02-29",
            "1600-03-01",
            "9999-12-31 23:59:59",
            "0001-01-01 00:00:01",
        ] {
            let days = parse_date(text).unwrap();
            assert_eq!(parse_date(&format_date(days)), Some(days), "{text}");
        }
        assert_eq!(
            format_date(parse_date("2024/02/29 07:08").unwrap()),
            "2024-02-29 07:08:00"
        );
    }

    #[test]
    fn missing_markers_and_names_sorted() {
        assert!(is_missing("") && is_missing("NA") && is_missing("null") && is_missing("?"));
        assert!(!is_missing("0") && !is_missing("nano"));
        let mut names = vec!["10", "2", "-1"];
        sort_names(&mut names);
        assert_eq!(names, ["-1", "2", "10"]);
        let mut names = vec!["b", "10", "a"];
        sort_names(&mut names);
        assert_eq!(names, ["10", "a", "b"]);
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }
}
