//! Which tasks a student has reached, per lesson, kept in the browser's localStorage (one JSON
//! object under one key), so the gallery's ticks survive a reload.

use std::collections::{BTreeMap, BTreeSet};

/// The localStorage key.
pub const KEY: &str = "neural-playground.lessons.v1";

/// Tasks reached (counted from 1) per lesson id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    pub done: BTreeMap<String, BTreeSet<usize>>,
}

impl Progress {
    /// Reads the stored text; anything unreadable counts as no progress.
    pub fn from_json(text: &str) -> Self {
        Self {
            done: serde_json::from_str(text).unwrap_or_default(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.done).unwrap_or_else(|_| "{}".into())
    }

    pub fn is_done(&self, lesson: &str, task: usize) -> bool {
        self.done.get(lesson).is_some_and(|t| t.contains(&task))
    }

    /// Whether every one of the lesson's `tasks` is done.
    pub fn lesson_done(&self, lesson: &str, tasks: usize) -> bool {
        (1..=tasks).all(|t| self.is_done(lesson, t))
    }

    /// Marks a task; true when it was not marked before.
    pub fn mark(&mut self, lesson: &str, task: usize) -> bool {
        self.done
            .entry(lesson.to_string())
            .or_default()
            .insert(task)
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The stored progress (none where storage is unavailable, e.g. a sandboxed frame).
pub fn load() -> Progress {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .map(|t| Progress::from_json(&t))
        .unwrap_or_default()
}

/// Marks a task reached and stores it.
pub fn mark(lesson: &str, task: usize) {
    let mut p = load();
    if p.mark(lesson, task) {
        if let Some(s) = storage() {
            // A full or refused storage loses only the tick.
            let _ = s.set_item(KEY, &p.to_json());
        }
    }
}

/// Forgets all progress.
pub fn reset() {
    if let Some(s) = storage() {
        let _ = s.remove_item(KEY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips_and_counts_lessons_done() {
        let mut p = Progress::default();
        assert!(p.mark("linear-regression", 1));
        assert!(!p.mark("linear-regression", 1));
        p.mark("linear-regression", 2);
        let back = Progress::from_json(&p.to_json());
        assert_eq!(back, p);
        assert!(back.lesson_done("linear-regression", 2));
        assert!(!back.lesson_done("linear-regression", 3));
        assert!(!back.lesson_done("graphs", 1));
        assert_eq!(Progress::from_json("not json"), Progress::default());
    }
}
