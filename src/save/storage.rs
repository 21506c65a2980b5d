//! Runs kept in the browser's localStorage, one per experiment, so a reload or a visit tomorrow
//! finds each lesson and each experiment where it stood, and two demos embedded in one course
//! page do not overwrite each other. The most recent `MAX_KEPT` are kept; an index lists them
//! newest first for the gallery's "continue" card.
//!
//! The text kept is the save file itself (`super::write`), read back by the same reader as an
//! upload.

use serde::{Deserialize, Serialize};

use crate::config::{hash, Config};

/// Prefix of each run's key; the rest is a hash of its experiment.
const PREFIX: &str = "neural-playground.run.";
/// The list of kept runs, newest first.
const INDEX: &str = "neural-playground.runs.v1";
/// Runs kept at most (each is tens of kilobytes; localStorage holds a few megabytes).
pub const MAX_KEPT: usize = 8;

/// One kept run, as the index lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kept {
    pub key: String,
    /// The experiment's hash text, task included: opening `#<experiment>` restores the run.
    pub experiment: String,
    /// One line for the gallery (`super::Saved::summary`).
    pub summary: String,
    pub saved_at: Option<String>,
}

/// The text that names an experiment, whatever task of its lesson it is at (the task is where
/// the student reads, not part of the run).
pub fn experiment_text(config: &Config) -> String {
    hash::print(&Config {
        task: 1,
        ..config.clone()
    })
}

/// The storage key of `config`'s run: a stable hash (FNV-1a) of its experiment text.
pub fn key_of(config: &Config) -> String {
    let h = experiment_text(config)
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("{PREFIX}{h:016x}")
}

/// The index with `entry` first (replacing an older entry of the same run), and the keys that
/// fall out of it.
pub fn with_entry(index: Vec<Kept>, entry: Kept) -> (Vec<Kept>, Vec<String>) {
    let key = entry.key.clone();
    let mut out = vec![entry];
    out.extend(index.into_iter().filter(|k| k.key != key));
    let evicted = out
        .split_off(MAX_KEPT.min(out.len()))
        .into_iter()
        .map(|k| k.key)
        .collect();
    (out, evicted)
}

/// Reads the stored index; anything unreadable counts as none (the runs stay under their keys
/// and are found again by their experiment).
pub fn parse_index(text: &str) -> Vec<Kept> {
    serde_json::from_str(text).unwrap_or_default()
}

fn storage() -> Result<web_sys::Storage, String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or_else(|| {
            "this browser gives the page no storage (a private window, or a frame without \
             storage access)"
                .to_string()
        })
}

/// The runs kept, newest first.
pub fn index() -> Vec<Kept> {
    storage()
        .ok()
        .and_then(|s| s.get_item(INDEX).ok().flatten())
        .map(|t| parse_index(&t))
        .unwrap_or_default()
}

/// The kept run of `config`'s experiment, as text.
pub fn load(config: &Config) -> Option<String> {
    storage().ok()?.get_item(&key_of(config)).ok().flatten()
}

/// Keeps `text` as the run of `config`'s experiment. When storage is full, the oldest other
/// runs make room; says why when even that fails.
pub fn keep(
    config: &Config,
    text: &str,
    summary: String,
    saved_at: Option<String>,
) -> Result<(), String> {
    let s = storage()?;
    let entry = Kept {
        key: key_of(config),
        // The link opens the lesson at the task the student was at.
        experiment: hash::print(config),
        summary,
        saved_at,
    };
    let (mut list, evicted) = with_entry(index(), entry.clone());
    for key in evicted {
        let _ = s.remove_item(&key);
    }
    while s.set_item(&entry.key, text).is_err() {
        // Full: the oldest other run goes, and the write is tried again.
        if list.len() <= 1 {
            return Err(format!(
                "the browser's storage for this page is full (the run is {} kB); download the \
                 run to keep it",
                text.len().div_ceil(1000)
            ));
        }
        if let Some(oldest) = list.pop() {
            let _ = s.remove_item(&oldest.key);
        }
    }
    let index_text = serde_json::to_string(&list).map_err(|e| e.to_string())?;
    s.set_item(INDEX, &index_text)
        .map_err(|_| "the browser's storage for this page is full".to_string())
}

/// Forgets the kept run of `config`'s experiment.
pub fn forget(config: &Config) {
    let Ok(s) = storage() else {
        return;
    };
    let key = key_of(config);
    let _ = s.remove_item(&key);
    let list: Vec<Kept> = index().into_iter().filter(|k| k.key != key).collect();
    if let Ok(text) = serde_json::to_string(&list) {
        let _ = s.set_item(INDEX, &text);
    }
}

/// Forgets every kept run.
pub fn forget_all() {
    let Ok(s) = storage() else {
        return;
    };
    for k in index() {
        let _ = s.remove_item(&k.key);
    }
    let _ = s.remove_item(INDEX);
}
