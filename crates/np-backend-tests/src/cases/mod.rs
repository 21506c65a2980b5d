//! The cases, one async function per op family, each taking a [`Suite`](crate::Suite). The list
//! that turns them into tests is in [`crate::backend_tests!`].

mod elementwise;
mod linalg;
mod training;

pub use elementwise::{binary, helpers, unary};
pub use linalg::{cross_entropy, matmul, reduce, softmax};
pub use training::{dropout_mask, empty_buffers, errors, indexing, optimizer_step};
