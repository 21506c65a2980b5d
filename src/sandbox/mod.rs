//! The graph sandbox (COURSE.md section 1): the student writes a small program over named
//! values (`a * (b + c)`, `matmul(x, w) + b`, `sigmoid(w*x + b)`), says of each name whether it
//! is a constant, a trainable variable or an input fed at run time, runs it and looks at the
//! graph the engine recorded, with every value, and then at the gradients on every node.
//!
//! - `parse`: the language, with errors that point at the character.
//! - `build`: the program on the engine's own `Graph` (no second evaluator), its runs and its
//!   gradients.
//! - `examples`: the course's worked examples, one click each.
//! - `view`: the component (`data-testid="graph-sandbox"`) and the section that holds it.

pub mod build;
pub mod examples;
pub mod parse;
pub mod view;

/// What the lesson goals read from the sandbox: its state after the last run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SandboxReadings {
    /// Runs of the current graph (1 after the first; a rebuild starts again at 1).
    pub runs: usize,
    /// The first number of the result (the last line).
    pub result: Option<f64>,
    /// How many values the last run fetched (named lines and the result).
    pub fetches: usize,
    /// Whether gradients are shown.
    pub gradients: bool,
}

#[cfg(test)]
mod tests;
