//! Guided lessons: the course (COURSE.md's thirteen sections) as data files under `lessons/`,
//! embedded in the build. A lesson is an id, a section, a title, a few short paragraphs (with
//! MathML formulas), a preset (a URL hash that `config::hash::parse` reads), the panels it
//! points at, and ordered tasks whose goals the page checks from live values.
//!
//! `route` decides what a URL opens (gallery, lesson, playground), `progress` remembers the
//! tasks done, `front` is the page's root component, `gallery` and `panel` what it shows.

pub mod front;
pub mod gallery;
pub mod goal;
pub mod panel;
pub mod progress;
pub mod route;

use std::sync::OnceLock;

use serde::Deserialize;

use crate::config::{hash, Config, Notice};
use goal::Goal;

/// The lesson files in course order, with their fixed ids (course pages link to them).
const FILES: [(&str, &str); 13] = [
    ("graphs", include_str!("../../lessons/graphs.json")),
    (
        "linear-regression",
        include_str!("../../lessons/linear-regression.json"),
    ),
    (
        "logistic-regression",
        include_str!("../../lessons/logistic-regression.json"),
    ),
    (
        "activations",
        include_str!("../../lessons/activations.json"),
    ),
    (
        "universal-approximation",
        include_str!("../../lessons/universal-approximation.json"),
    ),
    (
        "classification",
        include_str!("../../lessons/classification.json"),
    ),
    ("backprop", include_str!("../../lessons/backprop.json")),
    ("losses", include_str!("../../lessons/losses.json")),
    ("optimizers", include_str!("../../lessons/optimizers.json")),
    (
        "overfitting",
        include_str!("../../lessons/overfitting.json"),
    ),
    ("digits", include_str!("../../lessons/digits.json")),
    ("finance", include_str!("../../lessons/finance.json")),
    ("summary", include_str!("../../lessons/summary.json")),
];

/// One lesson, as its file writes it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// The fixed id: the file's name and the `#lesson=` value.
    pub id: String,
    /// COURSE.md's section number.
    pub section: u32,
    pub title: String,
    /// One line for the gallery: what the lesson shows.
    pub summary: String,
    /// Short paragraphs, one idea each. Inline markup only: `em`, `strong`, `code` and MathML
    /// (`math`, `mi`, `mn`, `mo`, `mrow`, `msup`, `msub`, `mfrac`, `msqrt`).
    pub paragraphs: Vec<String>,
    /// Said plainly when the lesson's own data or instrument is not in the playground yet: what
    /// is missing and what stands in for it.
    #[serde(default)]
    pub coming: Option<String>,
    /// The experiment, as a URL hash body (`key=value&…`).
    pub preset: String,
    /// `data-testid`s of the page's areas and panels the lesson points at (highlighted).
    #[serde(default)]
    pub panels: Vec<String>,
    pub tasks: Vec<Task>,
}

/// One step of a lesson.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// What to do.
    #[serde(rename = "try")]
    pub try_: String,
    /// What to look at while doing it, and what it means.
    pub notice: String,
    /// When the task counts as done.
    pub goal: Goal,
    /// Help shown after `hint_after_s` seconds on the task without reaching the goal.
    pub hint: String,
    #[serde(default = "default_hint_after")]
    pub hint_after_s: u32,
}

fn default_hint_after() -> u32 {
    45
}

impl Lesson {
    /// The preset's config, at task `task`, with what the parser could not use.
    pub fn config(&self, task: usize) -> (Config, Vec<Notice>) {
        let (mut c, notices) = hash::parse(&self.preset);
        c.lesson = Some(self.id.clone());
        c.task = task;
        (c, notices)
    }
}

/// Parses one lesson file; `id` is the name it is filed under.
pub fn parse(id: &str, text: &str) -> Result<Lesson, String> {
    let lesson: Lesson = serde_json::from_str(text).map_err(|e| format!("{id}: {e}"))?;
    if lesson.id != id {
        return Err(format!("{id}: the file says id `{}`", lesson.id));
    }
    if lesson.tasks.is_empty() {
        return Err(format!("{id}: a lesson needs at least one task"));
    }
    Ok(lesson)
}

/// Every lesson that parses, in course order. A file that does not parse is left out (and
/// reported on the console); the native test `every_lesson_file_is_valid` keeps that from
/// shipping.
pub fn all() -> &'static [Lesson] {
    static LESSONS: OnceLock<Vec<Lesson>> = OnceLock::new();
    LESSONS.get_or_init(|| {
        FILES
            .iter()
            .filter_map(|(id, text)| match parse(id, text) {
                Ok(l) => Some(l),
                Err(e) => {
                    report(&e);
                    None
                }
            })
            .collect()
    })
}

fn report(e: &str) {
    #[cfg(target_arch = "wasm32")]
    web_sys::console::error_1(&format!("lesson file: {e}").into());
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("lesson file: {e}");
}

/// The lesson of id `id`.
pub fn find(id: &str) -> Option<&'static Lesson> {
    all().iter().find(|l| l.id == id)
}

/// The lesson after `id` in course order.
pub fn next(id: &str) -> Option<&'static Lesson> {
    let all = all();
    let i = all.iter().position(|l| l.id == id)?;
    all.get(i + 1)
}

#[cfg(test)]
mod tests;
