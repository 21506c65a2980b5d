//! The engine's single error type. Every fallible call in the crate returns [`Result`].

use thiserror::Error;

/// Everything that can go wrong inside the engine, as a value (never a panic).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum EngineError {
    /// A shape had more than four dimensions, or data did not match its shape.
    #[error("invalid shape {dims:?}: {why}")]
    InvalidShape { dims: Vec<usize>, why: String },
    /// Two shapes could not be broadcast together or did not fit an op.
    #[error("shape mismatch in {op}: {left:?} vs {right:?}")]
    ShapeMismatch {
        op: &'static str,
        left: Vec<usize>,
        right: Vec<usize>,
    },
    /// An axis outside the tensor's rank.
    #[error("axis {axis} out of range for rank {rank}")]
    BadAxis { axis: usize, rank: usize },
    /// A buffer handle that the backend does not know (released or never allocated).
    #[error("unknown buffer {0}")]
    UnknownBuffer(u32),
    /// A buffer of the wrong length for an op.
    #[error("buffer length {got} where {want} was needed ({what})")]
    BufferLength {
        what: &'static str,
        got: usize,
        want: usize,
    },
    /// A node id that does not belong to the current graph.
    #[error("unknown node {0}")]
    UnknownNode(usize),
    /// A variable id that does not belong to the graph.
    #[error("unknown variable {0}")]
    UnknownVariable(usize),
    /// `backward` was asked of a node whose value is not a scalar, or the graph records nothing.
    #[error("cannot run backward: {0}")]
    Backward(String),
    /// An index (class label, row, layer, neuron) out of range.
    #[error("index {index} out of range ({what}, limit {limit})")]
    OutOfRange {
        what: &'static str,
        index: usize,
        limit: usize,
    },
    /// A configuration that cannot be built (empty model, zero batch, bad percentages...).
    #[error("invalid configuration: {0}")]
    InvalidConfig(String),
    /// A name (dataset, feature, activation...) the engine does not know.
    #[error("unknown {kind} '{name}'")]
    UnknownName { kind: &'static str, name: String },
    /// An asynchronous read was polled synchronously before the device had finished.
    #[error("buffer read not ready; await the future instead of reading synchronously")]
    NotReady,
    /// A device-side failure reported by a backend (GPU lost, out of memory...).
    #[error("backend '{backend}' failed: {message}")]
    Backend { backend: String, message: String },
    /// Imported state that does not fit the model or optimizer it is loaded into.
    #[error("state does not fit: {0}")]
    StateMismatch(String),
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, EngineError>;
