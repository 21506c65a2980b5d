//! The course's instruments (issue 15): views that show one idea of optimization on a picture,
//! each a collapsible section of the playground's "Instruments" area. `race` runs the engine's
//! optimizers on the classic test surfaces on the page (the sums are tiny); `landscape` draws
//! the training loss around the current weights, which the host computes
//! (`Command::Landscape`). The pictures are built by pure functions (`contour`, `svg`, `trail`)
//! tested natively.

pub mod approximation;
pub mod area;
pub mod contour;
pub mod landscape;
pub mod race;
pub mod racers;
pub mod svg;
pub mod trail;
pub mod units;

use std::cell::RefCell;
use std::rc::Rc;

use np_engine::train::Landscape;

use crate::engine::Answer;

/// The run's recorded weights, shared by the area (which records every snapshot, the panel
/// open or not) and the landscape panel; props compare it by identity.
#[derive(Debug, Clone, Default)]
pub struct SharedTrail(pub Rc<RefCell<trail::Trail>>);

impl PartialEq for SharedTrail {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// What the page holds of the landscape: the host's last answer, and whether one is coming.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LandscapeSlot {
    pub result: Option<Answer<Result<Landscape, String>>>,
    pub busy: bool,
    /// Answers received, so a test (and the page) can tell a new one from the last.
    pub answers: u64,
}

impl LandscapeSlot {
    /// The slot after an answer.
    pub fn answered(&self, result: Result<Landscape, String>) -> Self {
        Self {
            result: Some(Answer::new(result)),
            busy: false,
            answers: self.answers + 1,
        }
    }
}
