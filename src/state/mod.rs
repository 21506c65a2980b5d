//! App state in one place: the experiment `Config` plus the notices about it, changed only
//! through `Action`s by a pure reducer. Components dispatch actions and never mutate shared state.

pub(crate) mod action;
mod impact;

pub use action::Action;
pub use impact::Impact;

use std::rc::Rc;

use yew::Reducible;

use crate::config::{Config, Notice};

/// Everything the UI shows that is not the training session's own progress.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppState {
    /// The experiment.
    pub config: Config,
    /// Problems found in the last hash or preset, shown until dismissed.
    pub notices: Vec<Notice>,
    /// What the last action requires of the training session.
    pub impact: Impact,
    /// Bumped by every action that needs the session to react, so effects can depend on it even
    /// when the config is unchanged (regenerate, reset).
    pub revision: u64,
}

impl AppState {
    /// A state opened from a URL hash.
    pub fn from_hash(hash: &str) -> Self {
        let (config, notices) = crate::config::hash::parse(hash);
        Self {
            config,
            notices,
            impact: Impact::Rebuild,
            revision: 0,
        }
    }

    /// Applies one action: the pure core of the reducer, testable natively.
    pub fn apply(&self, action: Action) -> Self {
        let mut next = self.clone();
        let forced = action.apply(&mut next);
        next.impact = forced.max(Impact::between(&self.config, &next.config));
        next.revision = self.revision + 1;
        next
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

#[cfg(test)]
mod tests;
