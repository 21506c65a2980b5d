//! Inside the engine: the views that show what the engine does on one training step (its
//! recorded graph, the step phase by phase, the gradient check). The host computes them
//! (`Command::Explain`, `Command::GradientCheck`); these modules only draw.

pub mod area;
pub mod gradcheck;
pub mod graph_panel;
pub mod matrix;
pub mod phases;
pub mod stepper;

#[cfg(test)]
mod tests;

use std::ops::Deref;
use std::rc::Rc;

use np_engine::train::StepPick;

/// An answer from the host as the views hold it: shared, and compared by identity, because
/// props are compared on every render and an explanation carries a whole step's values.
#[derive(Debug)]
pub struct Answer<T>(Rc<T>);

impl<T> Answer<T> {
    pub fn new(value: T) -> Self {
        Self(Rc::new(value))
    }
    /// Identity, for memo keys.
    pub fn key(&self) -> usize {
        Rc::as_ptr(&self.0) as *const () as usize
    }
}

impl<T> Clone for Answer<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T> PartialEq for Answer<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Answer<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// What the engine views ask the app to send to the host.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EngineAsk {
    /// Explain the next step for the graph panel (live) or the stepper (frozen).
    Explain(StepPick, crate::protocol::EngineView),
    /// Take the explained step for real: the next mini-batch, or one extra step on a row.
    Take(StepPick),
    /// Run the gradient check.
    Check,
}
