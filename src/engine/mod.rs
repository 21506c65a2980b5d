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

use np_engine::train::StepPick;

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
