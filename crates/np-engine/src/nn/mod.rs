//! Neural-network building blocks: activations, the model spec, dense layers, losses, penalties, summary.

mod activation;
mod loss;
mod model;
mod spec;
mod summary;

pub use activation::{Activation, DEFAULT_ELU_ALPHA, DEFAULT_LEAKY_ALPHA};
pub use loss::{Loss, Regularization};
pub use model::{release_all, Dense, Sequential};
pub use spec::{Frozen, Init, LayerInit, LayerSpec, ModelSpec, OutputUnit};
pub use summary::{Summary, SummaryRow};
