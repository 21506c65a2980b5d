//! The Neural Playground engine: tensors, reverse-mode autodiff, backends, layers, optimizers,
//! datasets and training. It knows nothing of the UI or the DOM and is tested natively.
//!
//! # One training step
//! [`train::Trainer::step_batch`] takes the next rows of this epoch's shuffled order, gathers
//! them on the backend ([`Backend::gather_rows`]), clears the [`Graph`]'s tape and records the
//! forward pass of the [`nn::Sequential`] model (per layer: `matmul`, fused `bias_act`, optional
//! `dropout`), the loss and the penalties. [`Graph::backward`] walks the tape in reverse, each
//! op's backward (beside its forward in `autodiff/*.rs`) producing input gradients that
//! accumulate into the variables' gradient buffers. [`optim::Optimizer::step`] then makes one
//! [`Backend::optimizer_step`] call per parameter. Everything in between stays on the backend;
//! only the loss is read back (at once on the CPU, as a future on a GPU). The tape of that step
//! stays readable until the next one, which is what the UI draws.
//!
//! # Map
//! - [`backend`]: the [`Backend`] trait, every op declared once ([`backend::call`]), the op
//!   enums, the CPU backend and the plain reference backend.
//! - [`shape`], [`tensor`]: shapes of rank 0-4 with broadcasting; host tensors.
//! - [`autodiff`]: the recorded graph.
//! - [`nn`], [`optim`]: model spec, dense layers, losses, penalties, summary; optimizers.
//! - [`data`]: seeded dataset generators, splits, input features.
//! - [`train`]: the frame-by-frame trainer, metrics, early stopping, state export.
//! - [`surfaces`], [`race`]: the classic 2-D test functions and the optimizers raced on them.
//! - [`rng`], [`error`]: seeded randomness; the one error enum.

// Code that ships reports failures as errors; unit tests (clippy.toml) may unwrap.
#![warn(clippy::unwrap_used, clippy::expect_used)]

pub mod autodiff;
pub mod backend;
pub mod data;
pub mod error;
pub mod nn;
pub mod optim;
pub mod race;
pub mod rng;
pub mod shape;
pub mod surfaces;
pub mod tensor;
pub mod train;

pub use autodiff::{Graph, NodeId, NodeKind, VarId};
pub use backend::{Backend, BufferId};
pub use error::{EngineError, Result};
pub use shape::Shape;
pub use tensor::{Tensor, TensorData};
