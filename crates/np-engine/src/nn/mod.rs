//! Neural-network building blocks: the model spec, dense layers, losses, penalties, summary.

mod loss;
mod model;
mod spec;
mod summary;

pub use loss::{Loss, Regularization};
pub use model::{release_all, Dense, Sequential};
pub use spec::{Activation, Init, LayerInit, LayerSpec, ModelSpec, OutputUnit};
pub use summary::{Summary, SummaryRow};
