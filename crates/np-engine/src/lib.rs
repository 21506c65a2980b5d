//! The Neural Playground engine: tensors, reverse-mode autodiff, backends, layers, optimizers,
//! datasets and training. It knows nothing of the UI or the DOM and is tested natively.

pub mod backend;
pub mod data;
pub mod error;
pub mod rng;
pub mod shape;

pub use backend::{Backend, BufferId};
pub use error::{EngineError, Result};
pub use shape::Shape;
pub mod autodiff;
pub mod nn;
pub mod optim;
pub mod tensor;
pub mod train;

pub use autodiff::{Graph, NodeId, NodeKind, VarId};
pub use tensor::{Tensor, TensorData};
