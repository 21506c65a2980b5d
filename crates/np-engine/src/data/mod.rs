//! Datasets: seeded generators, the dataset type with its splits, and input features.

mod dataset;
mod features;
mod generators;

pub use dataset::{Dataset, Splits};
pub use features::{feature_matrix, Feature};
pub use generators::{func1d_target, generate, Generator};
