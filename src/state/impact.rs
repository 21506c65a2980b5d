//! What a config change requires of the training session, from cheapest to dearest.

use crate::config::fields::FIELDS;
use crate::config::Config;

/// The session's reaction to a change. Ordered, so the dearest of several wins.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Impact {
    /// Nothing to do (or only a redraw: show test data, discretize, hidden controls).
    #[default]
    None,
    /// Applied to the running trainer without losing progress (learning rate, momentum, weight
    /// penalty, dropout, batch size).
    Live,
    /// A new network from the same data (architecture, optimizer, loss, initialization).
    Reset,
    /// New data and a new network (dataset, noise, sample count, split, data seed).
    Rebuild,
}

impl Impact {
    /// The impact of moving from `old` to `new`: the dearest impact of the fields that changed
    /// (each field's row in `config::fields` says what its change costs). Hidden controls change
    /// nothing the session sees.
    pub fn between(old: &Config, new: &Config) -> Impact {
        FIELDS
            .iter()
            .filter(|f| f.impact > Impact::None && f.changed(old, new))
            .map(|f| f.impact)
            .max()
            .unwrap_or(Impact::None)
    }
}
