//! A run as a file: the experiment (its URL hash text, through the same parser as every link),
//! the trainer's state (weights, optimizer state, epoch, shuffle position), the history the
//! charts draw, and the lessons' progress. The same text is downloaded, uploaded, dropped on the
//! page and kept in browser storage (`storage`), so one reader checks every way in.
//!
//! The reader trusts nothing: a file can be cut short, edited by hand, come from another program
//! or from a newer version of this page. Every refusal says what is wrong and what to do, and
//! nothing is applied until the whole file has passed (`read`, then `check_fits`).

pub mod storage;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::config::{hash, Config};
use crate::lessons::progress::Progress;
use crate::protocol::Checkpoint;
use crate::session::Session;

/// What the file says it is.
pub const FORMAT: &str = "neural-playground-run";
/// The save format this page writes and the newest it reads. Raise it when the layout changes,
/// and teach `read` the old one (or to refuse it by name).
pub const VERSION: u64 = 1;
/// The largest file read. A save of the largest network this page builds is well under a
/// megabyte; anything far bigger is not one of ours, and parsing it would hold the page.
pub const MAX_BYTES: usize = 16 << 20;

/// A run read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub config: Config,
    pub run: Checkpoint,
    pub lessons: Progress,
    /// When it was written (ISO 8601, the browser's clock), where known.
    pub saved_at: Option<String>,
}

/// One line naming a run of `c` at `epoch`: the dataset, the network, the lesson.
pub fn summary(c: &Config, epoch: u64) -> String {
    let shape = if c.network_shape.is_empty() {
        "no hidden layer".to_string()
    } else {
        c.network_shape
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join("-")
    };
    let lesson = c
        .lesson
        .as_ref()
        .map(|l| format!(" (lesson {l}, task {})", c.task))
        .unwrap_or_default();
    format!(
        "{}, network {shape}, epoch {epoch}{lesson}",
        c.active_dataset().label(),
    )
}

/// Why a run was not written or not read.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveError {
    /// Larger than `MAX_BYTES`.
    TooLarge {
        bytes: usize,
    },
    /// Not JSON at all, or JSON that breaks off.
    NotJson {
        line: usize,
        column: usize,
        what: String,
    },
    Cut {
        line: usize,
    },
    /// JSON, but not a save of this page.
    Foreign,
    /// Written by a newer version of the page.
    Newer {
        version: u64,
    },
    /// A version this page never wrote or no longer reads.
    Older {
        version: u64,
    },
    /// The layout is ours but a part is missing or of the wrong kind.
    Damaged {
        what: String,
    },
    /// The experiment's settings are not ones this page takes as they are.
    Experiment {
        notices: Vec<String>,
    },
    /// Weights or optimizer state that are not finite numbers.
    NotNumbers,
    /// The run does not fit its own experiment's network or data.
    DoesNotFit {
        why: String,
    },
    /// The run has no network, or it diverged: nothing worth writing.
    NothingToSave {
        why: String,
    },
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SaveError::TooLarge { bytes } => write!(
                f,
                "The file is {:.1} MB; a saved run of this page is at most {} MB. Choose a file \
                 saved by Neural Playground's \"Download run\" button.",
                *bytes as f64 / 1e6,
                MAX_BYTES >> 20
            ),
            SaveError::NotJson { line, column, what } => write!(
                f,
                "The file is not a saved run: it is not JSON (line {line}, column {column}: \
                 {what}). Choose a file saved by the \"Download run\" button."
            ),
            SaveError::Cut { line } => write!(
                f,
                "The file breaks off at line {line}: it was probably cut short while it was \
                 copied or downloaded. Download the run again from where it was made."
            ),
            SaveError::Foreign => write!(
                f,
                "This JSON file is not a Neural Playground run (it has no \"format\": \
                 \"{FORMAT}\"). Choose a file saved by the \"Download run\" button."
            ),
            SaveError::Newer { version } => write!(
                f,
                "This run was saved by a newer version of Neural Playground (save format \
                 {version}); this page reads format {VERSION} and older. Open it in the newer \
                 version, or update this one."
            ),
            SaveError::Older { version } => write!(
                f,
                "This run is in save format {version}, which this version of Neural Playground \
                 does not read (it reads format {VERSION})."
            ),
            SaveError::Damaged { what } => write!(
                f,
                "The file is damaged: {what}. Download the run again from where it was made."
            ),
            SaveError::Experiment { notices } => write!(
                f,
                "The run's experiment does not fit this page as saved ({}). Nothing was \
                 loaded.",
                notices.join("; ")
            ),
            SaveError::NotNumbers => write!(
                f,
                "The file's weights or optimizer state contain values that are not finite \
                 numbers, so training could not continue from them. Nothing was loaded."
            ),
            SaveError::DoesNotFit { why } => write!(
                f,
                "The run does not fit its own experiment: {why}. The file was probably edited \
                 by hand; nothing was loaded."
            ),
            SaveError::NothingToSave { why } => write!(f, "There is no run to save: {why}."),
        }
    }
}

/// The file as written. Field order is the order a reader of the file meets them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileOut<'a> {
    format: &'static str,
    version: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    saved_at: Option<&'a str>,
    experiment: String,
    lessons: &'a BTreeMap<String, BTreeSet<usize>>,
    run: &'a Checkpoint,
}

/// What is read first, to tell a foreign or newer file from a damaged one of ours.
#[derive(Deserialize)]
struct Header {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileV1 {
    #[serde(default)]
    saved_at: Option<String>,
    experiment: String,
    #[serde(default)]
    lessons: BTreeMap<String, BTreeSet<usize>>,
    run: Checkpoint,
}

/// The save file of `run`, made under `config`. Refused when the run holds values JSON cannot
/// carry back (a diverged run's NaN weights), since such a file could never be read.
pub fn write(
    config: &Config,
    run: &Checkpoint,
    lessons: &Progress,
    saved_at: Option<&str>,
) -> Result<String, SaveError> {
    if !finite(run) {
        return Err(SaveError::NothingToSave {
            why: "the run has diverged (its weights are no longer numbers); reset it first".into(),
        });
    }
    let file = FileOut {
        format: FORMAT,
        version: VERSION,
        saved_at,
        experiment: hash::print(config),
        lessons: &lessons.done,
        run,
    };
    serde_json::to_string(&file).map_err(|e| SaveError::NothingToSave { why: e.to_string() })
}

/// Reads a save file: everything that can be checked from the file alone. `check_fits` then
/// proves the run continues in its experiment.
pub fn read(text: &str) -> Result<Saved, SaveError> {
    if text.len() > MAX_BYTES {
        return Err(SaveError::TooLarge { bytes: text.len() });
    }
    // A byte-order mark from an editor is not damage.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.trim_start().starts_with('{') {
        // Not an object: serde would read a struct from an array too.
        return Err(match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Ok(_) => SaveError::Foreign,
            Err(e) => json_error(&e, text),
        });
    }
    let header: Header = serde_json::from_str(text).map_err(|e| json_error(&e, text))?;
    if header.format.as_ref().and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(SaveError::Foreign);
    }
    let version = match header.version {
        Some(serde_json::Value::Number(n)) => n.as_u64(),
        _ => None,
    }
    .ok_or_else(|| SaveError::Damaged {
        what: "its \"version\" is missing or not a whole number".into(),
    })?;
    let file: FileV1 = match version {
        VERSION => serde_json::from_str(text).map_err(|e| SaveError::Damaged {
            what: format!(
                "{} (line {}, column {})",
                without_position(&e),
                e.line(),
                e.column()
            ),
        })?,
        v if v > VERSION => return Err(SaveError::Newer { version: v }),
        v => return Err(SaveError::Older { version: v }),
    };
    let (config, notices) = hash::parse(&file.experiment);
    if !notices.is_empty() {
        return Err(SaveError::Experiment {
            notices: notices.iter().map(|n| n.to_string()).collect(),
        });
    }
    if !finite(&file.run) {
        return Err(SaveError::NotNumbers);
    }
    file.run
        .history
        .check()
        .map_err(|why| SaveError::DoesNotFit { why })?;
    Ok(Saved {
        config,
        run: file.run,
        lessons: Progress { done: file.lessons },
        saved_at: file.saved_at,
    })
}

/// Proves that `saved` continues in its experiment: restores it into a fresh session of that
/// experiment on the CPU (the shapes, the optimizer state and the shuffle position are checked
/// there, by the code that will run it). Cheap for the networks this page builds.
pub fn check_fits(saved: &Saved) -> Result<(), SaveError> {
    let mut scratch = Session::new(&saved.config);
    if let Some(why) = scratch.diverged() {
        return Err(SaveError::DoesNotFit { why: why.into() });
    }
    scratch
        .restore(&saved.run)
        .map_err(|why| SaveError::DoesNotFit { why })
}

/// `read`, then `check_fits`: the whole check a file passes before it replaces a run.
pub fn read_checked(text: &str) -> Result<Saved, SaveError> {
    let saved = read(text)?;
    check_fits(&saved)?;
    Ok(saved)
}

/// The name a download of `saved`'s run gets.
pub fn file_name(config: &Config, epoch: u64) -> String {
    let what = config
        .lesson
        .clone()
        .unwrap_or_else(|| config.active_dataset().as_str().to_string());
    format!("neural-playground-{what}-epoch-{epoch}.json")
}

/// Whether every number a run continues from is finite. JSON has no NaN or infinity (serde
/// writes them as null), so a run holding one could be written and never read back.
fn finite(run: &Checkpoint) -> bool {
    let t = &run.trainer;
    let losses = std::iter::once(&run.latest).chain(run.history.records());
    t.params
        .iter()
        .all(|p| p.data.iter().all(|v| v.is_finite()))
        && t.optimizer
            .state
            .iter()
            .flatten()
            .all(|s| s.iter().all(|v| v.is_finite()))
        && losses.into_iter().all(|r| r.loss_train.is_finite())
        && t.history
            .iter()
            .all(|r| r.train.loss.is_finite() && r.val.as_ref().is_none_or(|v| v.loss.is_finite()))
}

/// `e` as the reader says it; `text` is what was parsed. An error at the very end of the text
/// (a number or a literal cut in two reads as "invalid number", not as an end of file) is a cut.
fn json_error(e: &serde_json::Error, text: &str) -> SaveError {
    let lines = text.trim_end().lines().count().max(1);
    let last = text.trim_end().lines().last().unwrap_or("");
    let at_end = e.line() == lines && e.column() >= last.chars().count();
    if e.is_eof() || (e.is_syntax() && at_end) {
        SaveError::Cut { line: e.line() }
    } else if e.is_data() {
        // Valid JSON of another shape than an object with our header.
        SaveError::Foreign
    } else {
        SaveError::NotJson {
            line: e.line(),
            column: e.column(),
            what: without_position(e),
        }
    }
}

/// serde_json's message without its trailing " at line L column C" (the caller says where).
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;
