//! The student's choices for their own CSV file (`dataset=csv`): which column to predict, from
//! which columns, and whether the split follows a time column. The file itself never enters the
//! Config (it stays in the browser's storage, see `crate::session::own`); these names are what a
//! URL, a save or an embed carries, and they are checked against the file when it is read.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CsvChoice {
    /// The column to predict; `None` takes the file's last usable column. Hash key `csvTarget`.
    pub target: Option<String>,
    /// The input columns; empty takes every usable column but the target and the time column.
    /// Hash key `csvInputs` (a comma list).
    pub inputs: Vec<String>,
    /// A date or numeric column to split by: the oldest rows train, the newest test. `None`
    /// splits at random. Hash key `csvTime`.
    pub time: Option<String>,
}

/// Longest column name a URL may carry; longer ones are not names anyone typed.
pub const MAX_NAME: usize = 200;
/// Most input columns a URL may list (the engine's column limit).
pub const MAX_LISTED: usize = np_engine::data::table::MAX_COLUMNS;

/// Escapes what would break a `key=value&…` pair or the hash: the parser decodes `%XX` once.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'(' | b')') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A list of names as one hash value, joined by plain commas as `networkShape` is, so a link
/// reads `csvInputs=age,income`. A name's own `%` and `,` are escaped once more, so the value
/// still splits on its commas after the parser's decoding ([`split_names`] undoes it).
pub fn join_names(names: &[String]) -> String {
    let inner: Vec<String> = names
        .iter()
        .map(|n| encode(&n.replace('%', "%25").replace(',', "%2C")))
        .collect();
    inner.join(",")
}

/// The names of a decoded `csvInputs` value.
pub fn split_names(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|n| {
            n.replace("%2C", ",")
                .replace("%2c", ",")
                .replace("%25", "%")
        })
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect()
}

/// Checks a name read from a URL: `Err` says what is wrong.
pub fn check_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("an empty column name".into());
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!("a column name longer than {MAX_NAME} characters"));
    }
    if name.chars().any(char::is_control) {
        return Err("a column name with a control character".into());
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_separators_survive_the_round_trip() {
        let names: Vec<String> = ["age", "income, net", "100%", "a&b=c#d", "été", "%2C"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let printed = join_names(&names);
        assert!(!printed.contains(['&', '#', '=', ' ']), "{printed}");
        assert_eq!(printed.matches(',').count(), names.len() - 1, "{printed}");
        assert_eq!(join_names(&["income".into(), "debt".into()]), "income,debt");
        // What the hash parser hands over: the value decoded once.
        let decoded = crate::config::hash::decode_value(&printed);
        assert_eq!(split_names(&decoded), names);
    }

    #[test]
    fn hand_written_lists_read_plainly() {
        assert_eq!(split_names("age, job,,income"), ["age", "job", "income"]);
        assert!(check_name("  ").is_err());
        assert!(check_name(&"x".repeat(MAX_NAME + 1)).is_err());
        assert!(check_name("a\u{7}").is_err());
        assert_eq!(check_name(" balance ").unwrap(), "balance");
    }
}
